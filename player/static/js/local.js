// Decisions and scores from a bundle's answer keys, in the browser: what the SCORM, cmi5
// and preview hosts answer `decide` and `score` with (docs/player.md, "The host").
import { textFor } from "./pathtext.js";
import { resultJson } from "./result.js";

function keysOf(bundle) {
  if (!bundle.keys) throw new Error("this bundle has no answer keys: its host scores on a server");
  return bundle.keys;
}

/**
 * `{score, feedback, consequence, next}` for `optionId` chosen at `pointId` after `path`
 * (the [point, option] pairs chosen before this point).
 */
export function decideLocally(bundle, pointId, optionId, path) {
  const option = keysOf(bundle).decisions?.[pointId]?.[optionId];
  if (!option) throw new Error(`no option ${JSON.stringify(optionId)} at ${JSON.stringify(pointId)}`);
  return {
    score: option.score,
    feedback: textFor(option.feedback, path),
    consequence: textFor(option.consequence, path),
    next: option.next,
  };
}

/** The result JSON (docs/scoring-spec.md) of `answers` keyed by item id (a case: by point). */
export function scoreLocally(bundle, answers) {
  return resultJson(keysOf(bundle).spec, answers, bundle.instrument?.label ?? null);
}
