// The learner player: reads the bundle and the host's name from the launch page, makes
// the host, restores the learner's state and shows the module's screens. It talks to
// the world only through the host (docs/player.md, "The host") and never reads
// `bundle.keys`.

import { progress, screenAllowed } from "./flow.js";
import { numberFormats, translator } from "./format.js";
import { decode, encode, freshState, stamp } from "./state.js";
import { caseView } from "./views/case.js";
import { h } from "./views/dom.js";
import { questionnaireView } from "./views/questionnaire.js";

export const BUNDLE_FORMAT = "clusterexcellence.player-bundle";
export const BUNDLE_VERSION = 1;

const KIND_KEYS = { case: "kind_case", "self-test": "kind_self_test", label: "kind_label" };

/** One learner's run of one module. */
export class Player {
  constructor({ doc, bundle, host, root }) {
    this.doc = doc;
    this.bundle = bundle;
    this.host = host;
    this.root = root;
    this.t = translator(bundle.ui);
    this.fmt = numberFormats(bundle.module.lang);
    this.state = stamp(freshState(), bundle);
    this.screen = null;
    this.pending = Promise.resolve();
    this.view = bundle.case ? caseView(this) : questionnaireView(this);
  }

  /** Lay out the page, restore the saved state and show its screen. */
  async start() {
    const { doc, t } = this;
    const header = h(
      doc,
      "header",
      { class: "ce-header" },
      this.host.recording === false
        ? h(doc, "p", { class: "ce-banner", id: "ce-preview-banner" }, t("preview_banner"))
        : null,
      h(doc, "p", { class: "ce-kind" }, t(KIND_KEYS[this.bundle.module.variant] ?? "kind_case")),
      h(doc, "h1", { class: "ce-title" }, this.bundle.module.title),
    );
    this.problems = h(doc, "div", { class: "ce-problems", role: "alert", id: "ce-problems" });
    this.live = h(doc, "div", {
      class: "ce-live visually-hidden",
      "aria-live": "polite",
      id: "ce-live",
    });
    this.main = h(doc, "main", { class: "ce-main", id: "ce-main" });
    this.root.replaceChildren(header, this.problems, this.main, this.live);
    let saved = null;
    try {
      saved = await this.host.load();
    } catch {
      this.problem(t("problem_load"));
    }
    const { state, problems } = decode(saved, this.bundle);
    this.state = state;
    for (const key of problems) this.problem(t(key));
    const screen = await this.view.restore(state);
    const resumed = saved !== null && state.screen !== null;
    await this.go(screenAllowed(this.bundle, this.state, screen) ? screen : "intro");
    if (resumed) this.announce(t("resumed"));
  }

  /** Show `screen`, move the focus to its heading and save the state (one at a time). */
  go(screen, options = {}) {
    const run = this.pending.then(() => this.show(screen, options));
    this.pending = run.catch(() => {});
    return run;
  }

  async show(screen, { save = true } = {}) {
    let section;
    try {
      section = await this.view.render(screen);
    } catch {
      // the host could not answer (decide, score): stay on the screen shown
      this.problem(this.t("problem_host"));
      return;
    }
    this.screen = screen;
    this.state.screen = screen;
    this.main.replaceChildren(section);
    section.dataset.screen = screen;
    const heading = section.querySelector("h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
    if (this.view.after) await this.view.after(screen, section);
    if (!this.rendered) {
      this.rendered = true;
      this.doc.defaultView?.performance?.mark?.("ce-first-render");
    }
    if (save) await this.save();
    this.root.dataset.screen = screen; // for tests and styles: the screen shown, ready
  }

  /** Hand the state to the host (after every answer and navigation). */
  async save() {
    const location = this.state.screen ?? "intro";
    try {
      await this.host.save(encode(this.state), {
        location,
        progress: progress(this.bundle, this.state),
      });
    } catch {
      this.problem(this.t("problem_save"));
    }
  }

  /** Report the result to the host once per run. */
  async finish(result) {
    if (this.state.finished) return;
    this.state.finished = true;
    try {
      await this.host.finish(result);
    } catch {
      this.problem(this.t("problem_finish"));
    }
  }

  /** Forget the answers and start again on the first screen. */
  async restart() {
    this.state = stamp(freshState(), this.bundle);
    await this.view.restore(this.state);
    await this.go("intro");
  }

  /** Say `text` to screen readers (polite). */
  announce(text) {
    this.live.textContent = "";
    // a new text node after clearing: announced even when the text repeats
    setTimeout(() => {
      this.live.textContent = text;
    }, 50);
  }

  /** Show a problem (a host's or the app's) in the alert region; the run goes on. */
  problem(message) {
    const item = h(this.doc, "p", { class: "ce-problem" }, String(message));
    this.problems.append(item);
    while (this.problems.children.length > 5) this.problems.firstElementChild.remove();
  }
}

/** Start the player of the launch page in `win`. */
export async function launch(win = window) {
  const doc = win.document;
  const root = doc.getElementById("ce-app");
  const bundle = JSON.parse(doc.getElementById("ce-bundle").textContent);
  if (bundle.format !== BUNDLE_FORMAT || bundle.version !== BUNDLE_VERSION) {
    root.textContent = bundle.ui?.bundle_unsupported ?? String(bundle.version);
    return null;
  }
  const name = doc.querySelector('meta[name="ce-host"]')?.content ?? "preview";
  if (!/^[a-z0-9]+$/.test(name)) throw new Error(`bad host name ${JSON.stringify(name)}`);
  const { createHost } = await import(`./hosts/${name}.js`);
  let player = null;
  const pending = [];
  const onProblem = (message) => (player ? player.problem(message) : pending.push(message));
  const host = await createHost(bundle, { window: win, onProblem });
  player = new Player({ doc, bundle, host, root });
  win.cePlayer = player;
  await player.start();
  for (const message of pending) player.problem(message);
  return player;
}

if (typeof window !== "undefined" && window.document?.getElementById("ce-bundle")) {
  launch(window).catch((err) => {
    // nothing could start (a broken bundle, a host that failed): say so on the page
    const root = window.document.getElementById("ce-app");
    let text = "";
    try {
      text = JSON.parse(window.document.getElementById("ce-bundle").textContent).ui.start_failed;
    } catch {
      text = String(err);
    }
    root.replaceChildren(root.ownerDocument.createTextNode(text ?? String(err)));
    root.setAttribute("role", "alert");
    throw err;
  });
}
