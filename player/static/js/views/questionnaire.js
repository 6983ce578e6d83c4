// The questionnaires (competency self-test, label self-assessment): intro, the
// organisation profile, one screen per area with a progress indicator, a review and the
// results. Every item type of the engine has a view in ITEM_VIEWS (a test checks).

import { answeredIds, missingProfile, questionnaireScreens, sectionCounts, splitScreen } from "../flow.js";
import { parseNumber } from "../format.js";
import { cleanText, MAX_LENGTH } from "../state.js";
import { h, uid } from "./dom.js";
import { labelResults } from "./label.js";
import { selfTestResults } from "./results.js";

/** Hints shown under an item: its help, label evidence and requirement descriptions. */
function itemHints(ctx, item) {
  const { doc, t, bundle } = ctx;
  const hints = [];
  if (item.help) hints.push(h(doc, "div", { class: "ce-help", html: item.help }));
  const label = bundle.instrument.label;
  if (label) {
    for (const ind of label.indicators.filter((x) => x.item === item.id)) {
      hints.push(
        h(
          doc,
          "div",
          { class: "ce-indicator" },
          h(doc, "p", {}, h(doc, "strong", {}, t("indicator")), " ", ind.title, " ",
            t("indicator_points", { points: ctx.player.fmt.number(ind.points) })),
          ind.evidence
            ? h(doc, "p", { class: "ce-evidence" }, h(doc, "strong", {}, t("evidence")), " ", h(doc, "span", { html: ind.evidence }))
            : null,
        ),
      );
    }
    const levels = new Map(label.levels.map((lv) => [lv.id, lv.title]));
    for (const req of label.requirements.filter((x) => x.item === item.id)) {
      hints.push(
        h(
          doc,
          "div",
          { class: "ce-requirement" },
          h(doc, "p", {}, h(doc, "strong", {}, t("minimum_requirement")), " ", req.title, " ",
            t("requirement_levels", { levels: req.levels.map((id) => levels.get(id) ?? id).join(", ") })),
          req.description ? h(doc, "div", { class: "ce-requirement-description", html: req.description }) : null,
        ),
      );
    }
  }
  return hints;
}

/** A radio or checkbox group in a fieldset whose legend is the prompt. */
function choiceGroup(ctx, item, choices, { multiple = false, before = [] } = {}) {
  const { doc, state, onAnswer } = ctx;
  const name = `ce-item-${item.id}`;
  const hintsId = uid("ce-hints");
  const current = state.answers[item.id];
  const inputs = choices.map((c, k) => {
    const inputId = `${name}-${k}`;
    const checked = multiple ? (current ?? []).includes(c.value) : current === c.value;
    return h(
      doc,
      "div",
      { class: "ce-option" },
      h(doc, "input", {
        type: multiple ? "checkbox" : "radio",
        name,
        id: inputId,
        value: String(k),
        checked,
        onchange: () => {
          if (multiple) {
            const picked = choices.filter((_, j) => doc.getElementById(`${name}-${j}`).checked);
            onAnswer(item, picked.map((x) => x.value));
          } else onAnswer(item, c.value);
        },
      }),
      h(doc, "label", { for: inputId }, c.label),
    );
  });
  const hints = itemHints(ctx, item);
  return h(
    doc,
    "fieldset",
    {
      class: `ce-item ce-item-${item.type}`,
      id: `item-${item.id}`,
      "aria-describedby": hints.length ? hintsId : null,
    },
    h(doc, "legend", { html: item.prompt }),
    before,
    h(doc, "div", { class: multiple || item.type !== "likert" ? "ce-choices" : "ce-scale" }, inputs),
    hints.length ? h(doc, "div", { class: "ce-hints", id: hintsId }, hints) : null,
  );
}

function optionChoices(doc, item) {
  return item.options.map((o) => ({ value: o.id, label: h(doc, "span", { html: o.html }) }));
}

/** The view of each item type: (ctx, item) → element. */
export const ITEM_VIEWS = {
  likert: (ctx, item) =>
    choiceGroup(
      ctx,
      item,
      Array.from({ length: item.points }, (_, k) => ({
        value: k + 1,
        label: [
          h(ctx.doc, "span", { class: "ce-point" }, String(k + 1)),
          item.labels?.[k] ? h(ctx.doc, "span", { class: "ce-anchor" }, item.labels[k]) : null,
        ],
      })),
    ),
  single_choice: (ctx, item) => choiceGroup(ctx, item, optionChoices(ctx.doc, item)),
  situational: (ctx, item) =>
    choiceGroup(ctx, item, optionChoices(ctx.doc, item), {
      before: [h(ctx.doc, "div", { class: "ce-scenario", html: item.scenario ?? "" })],
    }),
  multiple_choice: (ctx, item) =>
    choiceGroup(ctx, item, optionChoices(ctx.doc, item), { multiple: true }),
  boolean: (ctx, item) =>
    choiceGroup(ctx, item, [
      { value: true, label: ctx.t("yes") },
      { value: false, label: ctx.t("no") },
    ]),
  numeric: (ctx, item) => numberField(ctx, item),
};

/** A number input with its unit, bounds and error message. */
function numberField(ctx, item) {
  const { doc, t, state, onAnswer, player } = ctx;
  const inputId = `ce-item-${item.id}-input`;
  const unitId = uid("ce-unit");
  const boundsId = uid("ce-bounds");
  const errorId = uid("ce-err");
  const hintsId = uid("ce-hints");
  const bounds = boundsText(t, player.fmt, item);
  const error = h(doc, "p", { class: "ce-error", id: errorId, "aria-live": "polite" });
  const current = state.answers[item.id];
  const input = h(doc, "input", {
    type: "text",
    inputmode: item.integer ? "numeric" : "decimal",
    id: inputId,
    maxlength: MAX_LENGTH.number,
    size: 12,
    autocomplete: "off",
    value: current === undefined ? "" : String(current),
    "aria-describedby": [item.unit ? unitId : null, bounds ? boundsId : null, errorId, hintsId]
      .filter(Boolean)
      .join(" "),
    onchange: () => {
      const text = input.value.trim();
      if (!text) {
        error.textContent = "";
        input.removeAttribute("aria-invalid");
        onAnswer(item, undefined);
        return;
      }
      const read = parseNumber(text, { ...item, lang: player.bundle.module.lang });
      if (read.error) {
        error.textContent = numberError(t, player.fmt, read);
        input.setAttribute("aria-invalid", "true");
        onAnswer(item, undefined);
        return;
      }
      error.textContent = "";
      input.removeAttribute("aria-invalid");
      onAnswer(item, read.value);
    },
  });
  const hints = itemHints(ctx, item);
  return h(
    doc,
    "div",
    { class: "ce-item ce-item-numeric", id: `item-${item.id}` },
    h(doc, "label", { for: inputId, class: "ce-prompt", html: item.prompt }),
    h(
      doc,
      "div",
      { class: "ce-number" },
      input,
      item.unit ? h(doc, "span", { class: "ce-unit", id: unitId }, item.unit) : null,
    ),
    bounds ? h(doc, "p", { class: "ce-bounds", id: boundsId }, bounds) : null,
    error,
    h(doc, "div", { class: "ce-hints", id: hintsId }, hints),
  );
}

function boundsText(t, fmt, { min, max }) {
  const has = (x) => x !== null && x !== undefined;
  if (has(min) && has(max)) return t("number_between", { min: fmt.number(min), max: fmt.number(max) });
  if (has(min)) return t("number_at_least", { min: fmt.number(min) });
  if (has(max)) return t("number_at_most", { max: fmt.number(max) });
  return null;
}

/** UI strings of the errors of `parseNumber`. */
const NUMBER_KEYS = {
  number_invalid: "number_invalid",
  number_integer: "number_integer",
  number_min: "number_min",
  number_max: "number_max",
};

function numberError(t, fmt, read) {
  const args = Object.fromEntries(Object.entries(read.args ?? {}).map(([k, v]) => [k, fmt.number(v)]));
  return t(NUMBER_KEYS[read.error], args);
}

/** One organisation-profile field (label self-assessment). */
function profileField(ctx, field) {
  const { doc, t, state, player } = ctx;
  const inputId = `ce-profile-${field.id}`;
  const helpId = uid("ce-help");
  const errorId = uid("ce-err");
  const error = h(doc, "p", { class: "ce-error", id: errorId, "aria-live": "polite" });
  const current = state.profile[field.id];
  const describedBy = [field.help ? helpId : null, errorId].filter(Boolean).join(" ");
  const store = (value) => {
    if (value === undefined) delete state.profile[field.id];
    else state.profile[field.id] = value;
    player.save();
  };
  let control;
  if (field.type === "choice") {
    control = h(
      doc,
      "select",
      {
        id: inputId,
        required: field.required,
        "aria-describedby": describedBy,
        onchange: () => store(control.value === "" ? undefined : control.value),
      },
      h(doc, "option", { value: "" }, t("choose")),
      field.choices.map((c) => h(doc, "option", { value: c.id, selected: current === c.id }, c.label)),
    );
  } else {
    const numeric = field.type === "number" || field.type === "integer";
    const types = { url: "url", email: "email" };
    control = h(doc, "input", {
      id: inputId,
      type: numeric ? "text" : (types[field.type] ?? "text"),
      inputmode: numeric ? (field.type === "integer" ? "numeric" : "decimal") : null,
      maxlength: MAX_LENGTH[field.type] ?? MAX_LENGTH.text,
      required: field.required,
      autocomplete: { url: "url", email: "email", country: "country-name" }[field.type] ?? "off",
      value: current === undefined ? "" : String(current),
      "aria-describedby": describedBy,
      onchange: () => {
        const text = control.value.trim();
        error.textContent = "";
        control.removeAttribute("aria-invalid");
        if (!text) return store(undefined);
        if (!numeric) return store(cleanText(text, field.type));
        const read = parseNumber(text, {
          ...field,
          integer: field.type === "integer",
          lang: player.bundle.module.lang,
        });
        if (read.error) {
          error.textContent = numberError(t, player.fmt, read);
          control.setAttribute("aria-invalid", "true");
          return store(undefined);
        }
        return store(read.value);
      },
    });
  }
  return h(
    doc,
    "div",
    { class: "ce-field", id: `profile-${field.id}` },
    h(
      doc,
      "label",
      { for: inputId },
      field.label,
      field.unit ? ` (${field.unit})` : null,
      field.required ? h(doc, "span", { class: "ce-required" }, ` ${t("required")}`) : null,
    ),
    field.help ? h(doc, "div", { class: "ce-help", id: helpId, html: field.help }) : null,
    control,
    error,
  );
}

export function questionnaireView(player) {
  const { doc, bundle, t } = player;
  const ins = bundle.instrument;
  const items = new Map(ins.items.map((it) => [it.id, it]));
  const dims = new Map(ins.dimensions.map((d) => [d.id, d]));
  const screens = questionnaireScreens(bundle);

  const ctx = {
    doc,
    t,
    bundle,
    player,
    get state() {
      return player.state;
    },
    onAnswer(item, value) {
      if (value === undefined) delete player.state.answers[item.id];
      else player.state.answers[item.id] = value;
      updateProgress();
      player.save();
    },
  };

  let progressEl = null;
  let progressText = null;

  function updateProgress() {
    if (!progressEl) return;
    const answered = answeredIds(bundle, player.state).length;
    progressEl.value = answered;
    progressText.textContent = t("answered_of", { answered, total: ins.items.length });
  }

  function screenSection(title, ...body) {
    const id = uid("ce-h");
    return h(
      doc,
      "section",
      { class: "ce-screen", "aria-labelledby": id },
      h(doc, "h2", { id }, ...[title].flat()),
      ...body,
    );
  }

  function button(label, onclick, { primary = false, id = null } = {}) {
    return h(doc, "button", { type: "button", class: primary ? "ce-primary" : null, id, onclick }, label);
  }

  function navFor(screen, nextLabel = t("next")) {
    const k = screens.indexOf(screen);
    const prev = k > 0 ? button(t("previous"), () => player.go(screens[k - 1])) : null;
    const next = screens[k + 1];
    const label = next === "review" ? t("review_answers") : nextLabel;
    return h(
      doc,
      "nav",
      { class: "ce-nav", "aria-label": t("navigation") },
      prev,
      button(label, () => player.go(next), { primary: true, id: "ce-next" }),
    );
  }

  function intro() {
    const variantNote = ins.label?.disclaimer ? h(doc, "div", { class: "ce-disclaimer", html: ins.label.disclaimer }) : null;
    return screenSection(
      t("questionnaire_intro"),
      ins.description
        ? h(doc, "div", { class: "ce-prose", html: ins.description })
        : h(doc, "p", { class: "ce-summary" }, bundle.module.summary),
      h(doc, "p", {}, t("questionnaire_size", { items: ins.items.length, sections: ins.sections.length })),
      h(doc, "p", {}, t("duration_minutes", { minutes: bundle.module.duration_minutes })),
      h(doc, "p", {}, t("draft_saved_note")),
      variantNote,
      navFor("intro", t("begin")),
    );
  }

  function profile() {
    return screenSection(
      t("profile"),
      h(doc, "p", {}, t("profile_intro")),
      h(doc, "form", { class: "ce-profile", onsubmit: (e) => e.preventDefault() }, ins.profile.map((f) => profileField(ctx, f))),
      navFor("profile"),
    );
  }

  function section(id) {
    const k = ins.sections.findIndex((s) => s.id === id);
    const sec = ins.sections[k];
    const dim = dims.get(id);
    const answered = answeredIds(bundle, player.state).length;
    const barId = uid("ce-progress");
    // the bar is named by the count it shows ("12 of 58 questions answered")
    progressEl = h(doc, "progress", {
      id: barId,
      max: ins.items.length,
      value: answered,
      "aria-labelledby": `${barId}-text`,
    });
    progressText = h(doc, "span", { id: `${barId}-text` }, t("answered_of", { answered, total: ins.items.length }));
    return screenSection(
      sec.title,
      h(
        doc,
        "div",
        { class: "ce-progress" },
        h(doc, "p", { id: `${barId}-label` }, t("section_n_of", { n: k + 1, total: ins.sections.length })),
        progressEl,
        h(doc, "p", {}, progressText),
      ),
      dim?.description ? h(doc, "div", { class: "ce-prose ce-dimension", html: dim.description }) : null,
      h(
        doc,
        "form",
        { class: "ce-items", onsubmit: (e) => e.preventDefault() },
        sec.items.map((itemId) => ITEM_VIEWS[items.get(itemId).type](ctx, items.get(itemId))),
      ),
      navFor(`section:${id}`),
    );
  }

  function review() {
    const counts = sectionCounts(bundle, player.state);
    const missing = ins.profile.length ? missingProfile(bundle, player.state) : [];
    const answered = answeredIds(bundle, player.state).length;
    return screenSection(
      t("review"),
      h(doc, "p", {}, t("answered_of", { answered, total: ins.items.length })),
      h(
        doc,
        "ul",
        { class: "ce-review" },
        counts.map((c) =>
          h(
            doc,
            "li",
            {},
            c.title,
            " ",
            t("answered_of", { answered: c.answered, total: c.total }),
            " ",
            button(t("go_to_section"), () => player.go(`section:${c.id}`)),
          ),
        ),
      ),
      missing.length
        ? h(
            doc,
            "div",
            { class: "ce-warning" },
            h(doc, "p", {}, t("profile_missing")),
            h(doc, "ul", {}, missing.map((f) => h(doc, "li", {}, f.label))),
            button(t("go_to_profile"), () => player.go("profile")),
          )
        : null,
      h(
        doc,
        "nav",
        { class: "ce-nav", "aria-label": t("navigation") },
        button(t("previous"), () => player.go(screens[screens.indexOf("review") - 1])),
        button(t("see_results"), () => player.go("results"), { primary: true, id: "ce-next" }),
      ),
    );
  }

  let result = null;

  async function results() {
    result = await player.host.score({ ...player.state.answers });
    const live = h(doc, "div", { class: "ce-results", "aria-live": "polite", id: "ce-results" });
    const sec = screenSection(t("your_results"), live);
    const body = ins.label ? labelResults(player, result) : selfTestResults(player, result);
    sec.resultsContent = [
      ...body,
      // a result reported to an LMS is final; the preview may change answers or start again
      player.host.recording === false
        ? h(
            doc,
            "nav",
            { class: "ce-nav", "aria-label": t("navigation") },
            button(t("change_answers"), () => player.go("review")),
            button(t("start_again"), () => player.restart(), { id: "ce-restart" }),
          )
        : null,
    ];
    return sec;
  }

  return {
    async restore(state) {
      return state.screen ?? "intro";
    },
    async render(screen) {
      progressEl = null;
      const [kind, id] = splitScreen(screen);
      if (kind === "intro") return intro();
      if (kind === "profile") return profile();
      if (kind === "section") return section(id);
      if (kind === "review") return review();
      return results();
    },
    async after(screen, sec) {
      if (sec.resultsContent) {
        sec.querySelector("#ce-results").append(...sec.resultsContent.flat(Infinity).filter(Boolean));
        await player.finish(result);
      }
    },
  };
}
