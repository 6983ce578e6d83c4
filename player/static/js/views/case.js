// The case study: reading screens (intro, sections, exhibits), decision points with
// feedback and consequence, branching through the host, the debrief and reflections,
// and the learner's score per competency.

import { caseReadingScreens, pathAnswers, splitScreen } from "../flow.js";
import { textFor } from "../pathtext.js";
import { h, uid } from "./dom.js";
import { scoreTable } from "./results.js";

export function caseView(player) {
  const { doc, bundle, t } = player;
  const c = bundle.case;
  const points = new Map(c.points.map((p) => [p.id, p]));
  /** Host answers of the decisions taken: point id → {score, feedback, consequence, next}. */
  const decided = new Map();
  let result = null;

  const reading = caseReadingScreens(bundle);

  function screenSection(title, ...body) {
    const id = uid("ce-h");
    const heading = h(doc, "h2", { id }, ...[title].flat());
    return h(doc, "section", { class: "ce-screen", "aria-labelledby": id }, heading, ...body);
  }

  function html(tag, fragment, attrs = {}) {
    return h(doc, tag, { ...attrs, html: fragment ?? "" });
  }

  function nav(...buttons) {
    return h(doc, "nav", { class: "ce-nav", "aria-label": t("navigation") }, ...buttons);
  }

  function button(label, onclick, { primary = false, id = null } = {}) {
    return h(doc, "button", { type: "button", class: primary ? "ce-primary" : null, id, onclick }, label);
  }

  /** Where the decisions go on from: the next point after the path, or the debrief. */
  function nextAfterPath() {
    if (!player.state.path.length) return `point:${c.start}`;
    const last = decided.get(player.state.path.at(-1)[0]);
    return last.next === "end" ? "debrief" : `point:${last.next}`;
  }

  function readingNav(screen) {
    const k = reading.indexOf(screen);
    const prev = k > 0 ? button(t("previous"), () => player.go(reading[k - 1])) : null;
    if (k < reading.length - 1) {
      const label = k === 0 ? t("read_case") : t("next");
      return nav(prev, button(label, () => player.go(reading[k + 1]), { primary: true, id: "ce-next" }));
    }
    const label = player.state.path.length ? t("back_to_decisions") : t("start_decisions");
    return nav(prev, button(label, () => player.go(nextAfterPath()), { primary: true, id: "ce-next" }));
  }

  function intro() {
    const pr = c.protagonist;
    return screenSection(
      t("case_intro"),
      h(doc, "p", { class: "ce-summary" }, bundle.module.summary),
      h(doc, "p", {}, t("protagonist", { name: pr.name }), " ", pr.role),
      h(doc, "p", {}, t("duration_minutes", { minutes: bundle.module.duration_minutes })),
      h(doc, "h3", {}, t("learning_objectives")),
      h(doc, "ul", {}, c.learning_objectives.map((o) => html("li", o))),
      readingNav("intro"),
    );
  }

  function section(id) {
    const k = c.sections.findIndex((s) => s.id === id);
    const sec = c.sections[k];
    return screenSection(
      sec.title,
      h(doc, "p", { class: "ce-step" }, t("section_n_of", { n: k + 1, total: c.sections.length })),
      html("div", sec.html, { class: "ce-prose" }),
      readingNav(`section:${id}`),
    );
  }

  /** A table (its title is its caption) or a figure (title and caption under it). */
  function exhibit(ex) {
    if (ex.kind === "table") {
      return h(
        doc,
        "figure",
        { class: "ce-exhibit", id: `exhibit-${ex.id}` },
        // a wide table scrolls: the keyboard can reach it, and it is named by its title
        html("div", ex.html, {
          class: "ce-table-wrap",
          tabindex: "0",
          role: "region",
          "aria-label": ex.title || t("exhibits"),
        }),
        ex.caption ? html("figcaption", ex.caption) : null,
      );
    }
    return h(
      doc,
      "figure",
      { class: "ce-exhibit", id: `exhibit-${ex.id}` },
      h(doc, "img", { src: ex.src, alt: ex.alt }),
      h(
        doc,
        "figcaption",
        {},
        ex.title ? h(doc, "strong", {}, ex.title) : null,
        ex.caption ? html("div", ex.caption) : null,
      ),
    );
  }

  function exhibits() {
    return screenSection(t("exhibits"), c.exhibits.map(exhibit), readingNav("exhibits"));
  }

  function point(id) {
    const p = points.get(id);
    const path = player.state.path;
    const name = uid("ce-opt");
    const errorId = uid("ce-err");
    const error = h(doc, "p", { class: "ce-error", id: errorId, "aria-live": "polite" });
    const options = p.options.map((o) => {
      const inputId = `${name}-${o.id}`;
      return h(
        doc,
        "div",
        { class: "ce-option" },
        h(doc, "input", { type: "radio", name, id: inputId, value: o.id }),
        h(doc, "label", { for: inputId, html: o.html }),
      );
    });
    const fieldset = h(
      doc,
      "fieldset",
      { class: "ce-options", "aria-describedby": errorId },
      h(doc, "legend", {}, t("your_decision")),
      options,
    );
    let busy = false;
    const confirm = async () => {
      if (busy) return;
      const chosen = fieldset.querySelector("input:checked");
      if (!chosen) {
        error.textContent = t("choose_an_option");
        fieldset.querySelector("input").focus();
        return;
      }
      busy = true;
      let answer;
      try {
        answer = await player.host.decide(id, chosen.value, path.map((x) => [...x]));
      } catch {
        busy = false;
        player.problem(t("problem_host"));
        return;
      }
      decided.set(id, answer);
      player.state.path.push([id, chosen.value]);
      await player.go(`feedback:${id}`);
    };
    return screenSection(
      p.title,
      h(doc, "p", { class: "ce-step" }, t("decision_n", { n: path.length + 1 })),
      html("div", textFor(p.prompt, path), { class: "ce-prose" }),
      h(doc, "form", { class: "ce-decision", onsubmit: (e) => (e.preventDefault(), confirm()) },
        fieldset,
        error,
        nav(
          button(t("review_case"), () => player.go(reading[0])),
          h(doc, "button", { type: "submit", class: "ce-primary", id: "ce-next" }, t("confirm_decision")),
        ),
      ),
    );
  }

  function feedback(id) {
    const p = points.get(id);
    const optionId = player.state.path.at(-1)[1];
    const option = p.options.find((o) => o.id === optionId);
    const answer = decided.get(id);
    const onward = answer.next === "end" ? "debrief" : `point:${answer.next}`;
    const live = h(doc, "div", { class: "ce-feedback", "aria-live": "polite", id: "ce-feedback" });
    const section = screenSection(
      p.title,
      h(doc, "p", { class: "ce-choice" }, h(doc, "strong", {}, t("your_choice")), " ", html("span", option.html)),
      live,
      nav(
        button(answer.next === "end" ? t("go_to_debrief") : t("next_decision"), () => player.go(onward), {
          primary: true,
          id: "ce-next",
        }),
      ),
    );
    section.feedbackContent = [
      h(doc, "h3", {}, t("feedback")),
      html("div", answer.feedback, { class: "ce-prose" }),
      answer.consequence ? h(doc, "h3", {}, t("what_happens_next")) : null,
      answer.consequence ? html("div", answer.consequence, { class: "ce-prose" }) : null,
    ];
    return section;
  }

  function debrief() {
    const reflections = c.reflections.map((r) =>
      h(
        doc,
        "li",
        {},
        html("div", r.prompt, { class: "ce-prose" }),
        r.model_answer
          ? h(doc, "details", {}, h(doc, "summary", {}, t("model_answer")), html("div", r.model_answer))
          : null,
      ),
    );
    return screenSection(
      t("debrief"),
      html("div", c.debrief, { class: "ce-prose" }),
      reflections.length ? [h(doc, "h3", {}, t("reflections")), h(doc, "ol", {}, reflections)] : null,
      nav(button(t("see_results"), () => player.go("results"), { primary: true, id: "ce-next" })),
    );
  }

  async function results() {
    result = await player.host.score(pathAnswers(player.state.path));
    const rows = c.competencies.map((comp) => ({
      id: comp.id,
      title: comp.title,
      score: result.dimensions[comp.id]?.score ?? null,
    }));
    const live = h(doc, "div", { class: "ce-results", "aria-live": "polite", id: "ce-results" });
    const section = screenSection(t("case_results"), live);
    section.resultsContent = [
      h(doc, "p", { class: "ce-overall" }, t("overall_score", { score: player.fmt.percent(result.overall.score) })),
      scoreTable(player, rows, { caption: t("score_per_competency"), header: t("competency") }),
      h(doc, "h3", {}, t("your_path")),
      h(
        doc,
        "ol",
        { class: "ce-path" },
        player.state.path.map(([pid, oid]) => {
          const p = points.get(pid);
          const o = p.options.find((x) => x.id === oid);
          return h(doc, "li", {}, p.title, " — ", html("span", o.html));
        }),
      ),
      // a run reported to an LMS is final; the preview may start again
      player.host.recording === false
        ? nav(button(t("start_again"), () => player.restart(), { id: "ce-restart" }))
        : null,
    ];
    return section;
  }

  return {
    /** Replay the saved path through the host; the screen to show. */
    async restore(state) {
      decided.clear();
      let expected = c.start;
      const path = [];
      for (const [pid, oid] of state.path) {
        if (pid !== expected) break; // the path no longer follows the case's branching
        let answer;
        try {
          answer = await player.host.decide(pid, oid, path.map((x) => [...x]), { replay: true });
        } catch {
          break;
        }
        decided.set(pid, answer);
        path.push([pid, oid]);
        expected = answer.next;
      }
      if (path.length < state.path.length) player.problem(t("state_answers_dropped"));
      state.path = path;
      const [kind, id] = splitScreen(state.screen ?? "intro");
      if (kind === "point" && id !== (expected === "end" ? null : expected)) return nextOrEnd(expected);
      if (kind === "feedback" && path.at(-1)?.[0] !== id) return nextOrEnd(expected);
      if ((kind === "debrief" || kind === "results") && expected !== "end") return nextOrEnd(expected);
      return state.screen ?? "intro";
    },
    async render(screen) {
      const [kind, id] = splitScreen(screen);
      if (kind === "intro") return intro();
      if (kind === "section") return section(id);
      if (kind === "exhibits") return exhibits();
      if (kind === "point") return point(id);
      if (kind === "feedback") return feedback(id);
      if (kind === "debrief") return debrief();
      return results();
    },
    /** Fill the live regions once they are in the page, so the text is announced. */
    async after(screen, section) {
      if (section.feedbackContent) {
        section.querySelector("#ce-feedback").append(...section.feedbackContent.flat(Infinity).filter(Boolean));
      }
      if (section.resultsContent) {
        section.querySelector("#ce-results").append(...section.resultsContent.flat(Infinity).filter(Boolean));
        if (result) await player.finish(result);
      }
    },
  };

  function nextOrEnd(expected) {
    if (!player.state.path.length) return "intro";
    return expected === "end" ? "debrief" : `point:${expected}`;
  }
}
