// The preview host: the authors' preview and any launch page without an LMS. It keeps
// the learner state in the browser's localStorage (one entry per course, module and
// language), answers `decide` and `score` from the bundle's keys, and records nothing
// anywhere else (`recording: false`: the app shows the preview banner).

import { decideLocally, scoreLocally } from "../local.js";

/** The localStorage key of a bundle's learner state. */
export function storageKey(bundle) {
  const m = bundle.module;
  return `clusterexcellence.player/${m.course}/${m.id}/${m.lang}`;
}

export function createHost(bundle, { window: win, onProblem = () => {} }) {
  const key = storageKey(bundle);
  const ui = bundle.ui ?? {};
  let storage = null;
  try {
    storage = win.localStorage; // throws where storage is disabled
  } catch {
    storage = null;
  }
  let memory = null;
  let warned = false;
  const warn = () => {
    if (!warned) onProblem(ui.problem_storage ?? "problem_storage");
    warned = true;
  };

  const host = {
    name: "preview",
    recording: false,
    /** The last {state, location, progress} saved and the result finished (for tests). */
    saved: null,
    finished: null,
    async load() {
      if (storage) {
        try {
          return storage.getItem(key);
        } catch {
          warn();
        }
      }
      return memory;
    },
    async save(state, { location, progress } = {}) {
      memory = state;
      host.saved = { state, location, progress };
      if (!storage) return warn();
      try {
        storage.setItem(key, state);
      } catch {
        warn(); // full or refused: the state stays in memory for this visit
      }
    },
    async decide(pointId, optionId, path) {
      return decideLocally(bundle, pointId, optionId, path);
    },
    async score(answers) {
      return scoreLocally(bundle, answers);
    },
    async finish(result) {
      host.finished = result;
      win.dispatchEvent?.(new win.CustomEvent("ce-finish", { detail: result }));
    },
    /** Forget the saved state (the preview's "start again" from the index). */
    clear() {
      memory = null;
      try {
        storage?.removeItem(key);
      } catch {
        warn();
      }
    },
  };
  return host;
}
