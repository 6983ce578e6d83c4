// The learner state: one compact, versioned text for every host (SCORM suspend data,
// XBlock user state, the preview's localStorage), documented key by key in
// docs/player.md ("Learner state").
//
// In memory a state is {screen, answers, path, profile, finished}; `encode` writes it
// as compact JSON with one-letter keys, `decode` reads it back for a bundle: a text
// written by an older format version is moved forward through MIGRATIONS (one named
// function per version step), answers given to another version of the instrument go
// through `keepExistingItems`, and anything unreadable gives a fresh state and a
// problem (a UI string id), never an exception.

/** Version of the encoded format; MIGRATIONS[v] moves a version-v object to v + 1. */
export const STATE_FORMAT = 1;

/**
 * Named migrations of the encoded object, keyed by the version they read: each takes
 * the decoded object of version `v` and returns one of version `v + 1`. Version 1 is
 * the first format, so none is needed yet; the next format adds
 * `{1: function state_v1_to_v2(raw) {...}}`.
 */
export const MIGRATIONS = {};

/**
 * Most characters of a profile input, by field type (the input's `maxlength`). Together
 * they keep the largest bundled module, fully answered, within SCORM 1.2's 4,096
 * characters of suspend data (a test checks).
 */
export const MAX_LENGTH = Object.freeze({
  text: 150,
  email: 120,
  url: 200,
  country: 60,
  number: 15,
  integer: 15,
});

/** Characters stripped from typed text: controls (JSON would write them as \uXXXX). */
const CONTROLS = /[\u0000-\u001f\u007f]/g;
const HAS_CONTROL = /[\u0000-\u001f\u007f]/;

/** A state with nothing answered, on the first screen. */
export function freshState() {
  return { screen: null, answers: {}, path: [], profile: {}, finished: false };
}

/** The state as the text hosts keep (compact JSON). */
export function encode(state) {
  const raw = { v: STATE_FORMAT };
  if (state.moduleId !== undefined) raw.m = state.moduleId;
  if (state.instrumentVersion !== undefined) raw.iv = state.instrumentVersion;
  if (state.screen) raw.s = state.screen;
  if (Object.keys(state.answers).length) raw.a = state.answers;
  if (state.path.length) raw.p = state.path;
  if (Object.keys(state.profile).length) raw.d = state.profile;
  if (state.finished) raw.f = 1;
  return JSON.stringify(raw);
}

/** The state for `bundle`, stamped with its module and instrument version. */
export function stamp(state, bundle) {
  return {
    ...state,
    moduleId: bundle.module.id,
    instrumentVersion: bundle.module.instrument.version,
  };
}

/**
 * The state kept as `text` (or null: nothing saved yet), for `bundle`.
 *
 * Returns {state, problems}: problems are UI string ids (`state_unreadable`,
 * `state_newer`, `state_other_module`, `state_answers_dropped`); the state is always
 * usable, fresh when nothing could be read. `migrations` and `current` (the format
 * version the rest of this module reads) are options for tests of the migration chain.
 */
export function decode(text, bundle, { migrations = MIGRATIONS, current = STATE_FORMAT } = {}) {
  const fresh = () => stamp(freshState(), bundle);
  if (text === null || text === undefined || text === "") {
    return { state: fresh(), problems: [] };
  }
  let raw;
  try {
    raw = JSON.parse(String(text));
  } catch {
    return { state: fresh(), problems: ["state_unreadable"] };
  }
  if (!isObject(raw) || !Number.isInteger(raw.v) || raw.v < 1) {
    return { state: fresh(), problems: ["state_unreadable"] };
  }
  if (raw.v > current) return { state: fresh(), problems: ["state_newer"] };
  try {
    for (let v = raw.v; v < current; v += 1) {
      const step = migrations[v];
      if (typeof step !== "function") return { state: fresh(), problems: ["state_unreadable"] };
      raw = step(raw);
      if (!isObject(raw)) return { state: fresh(), problems: ["state_unreadable"] };
    }
  } catch {
    return { state: fresh(), problems: ["state_unreadable"] };
  }
  if (raw.m !== undefined && raw.m !== bundle.module.id) {
    return { state: fresh(), problems: ["state_other_module"] };
  }
  const state = fresh();
  const problems = [];
  if (typeof raw.s === "string" && raw.s.length <= 200) state.screen = raw.s;
  state.finished = raw.f === 1;
  if (raw.iv !== undefined && raw.iv !== state.instrumentVersion) {
    // Answers to another version of the instrument: keep those to items that still
    // exist (and are still valid answers); the learner starts again on the first screen.
    const kept = keepExistingItems(raw, bundle);
    state.answers = kept.answers;
    state.profile = kept.profile;
    state.screen = null;
    state.finished = false;
    return { state, problems };
  }
  const answers = readAnswers(raw.a, bundle);
  const profile = readProfile(raw.d, bundle);
  const path = readPath(raw.p, bundle);
  state.answers = answers.values;
  state.profile = profile.values;
  state.path = path.values;
  if (answers.dropped || profile.dropped || path.dropped || (raw.s !== undefined && !state.screen)) {
    problems.push("state_answers_dropped");
  }
  return { state, problems };
}

/**
 * Migration of answers given to another version of the instrument: the answers to
 * items (and profile fields) that still exist and are still valid; the others are
 * dropped. A case's path is dropped: another version of a case may branch otherwise.
 */
export function keepExistingItems(raw, bundle) {
  return {
    answers: readAnswers(raw.a, bundle).values,
    profile: readProfile(raw.d, bundle).values,
  };
}

function isObject(x) {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

function readAnswers(raw, bundle) {
  const values = {};
  let dropped = false;
  if (raw === undefined) return { values, dropped };
  if (!isObject(raw)) return { values, dropped: true };
  const items = new Map((bundle.instrument?.items ?? []).map((it) => [it.id, it]));
  for (const [id, value] of Object.entries(raw)) {
    const item = items.get(id);
    if (item && validAnswer(item, value)) values[id] = value;
    else dropped = true;
  }
  return { values, dropped };
}

function readProfile(raw, bundle) {
  const values = {};
  let dropped = false;
  if (raw === undefined) return { values, dropped };
  if (!isObject(raw)) return { values, dropped: true };
  const fields = new Map((bundle.instrument?.profile ?? []).map((f) => [f.id, f]));
  for (const [id, value] of Object.entries(raw)) {
    const field = fields.get(id);
    if (field && validProfileValue(field, value)) values[id] = value;
    else dropped = true;
  }
  return { values, dropped };
}

function readPath(raw, bundle) {
  const values = [];
  if (raw === undefined) return { values, dropped: false };
  if (!Array.isArray(raw) || !bundle.case) return { values, dropped: true };
  const points = new Map(bundle.case.points.map((p) => [p.id, p]));
  const seen = new Set();
  for (const step of raw) {
    const ok =
      Array.isArray(step) &&
      step.length === 2 &&
      points.has(step[0]) &&
      !seen.has(step[0]) &&
      points.get(step[0]).options.some((o) => o.id === step[1]);
    if (!ok) return { values, dropped: true }; // the path is kept up to the first bad step
    seen.add(step[0]);
    values.push([step[0], step[1]]);
  }
  return { values, dropped: false };
}

/** Whether `value` is a valid answer to `item` (docs/scoring-spec.md, *Answers*). */
export function validAnswer(item, value) {
  const optionIds = () => (item.options ?? []).map((o) => o.id);
  switch (item.type) {
    case "likert":
      return Number.isInteger(value) && value >= 1 && value <= item.points;
    case "single_choice":
    case "situational":
      return typeof value === "string" && optionIds().includes(value);
    case "multiple_choice": {
      const ids = optionIds();
      return (
        Array.isArray(value) &&
        value.every((v) => typeof v === "string" && ids.includes(v)) &&
        new Set(value).size === value.length
      );
    }
    case "numeric":
      return (
        typeof value === "number" &&
        Number.isFinite(value) &&
        (item.min === null || item.min === undefined || value >= item.min) &&
        (item.max === null || item.max === undefined || value <= item.max) &&
        (!item.integer || Number.isInteger(value))
      );
    case "boolean":
      return typeof value === "boolean";
    default:
      return false;
  }
}

/** Whether `value` is a valid entry of the profile field `field`. */
export function validProfileValue(field, value) {
  switch (field.type) {
    case "choice":
      return typeof value === "string" && field.choices.some((c) => c.id === value);
    case "number":
    case "integer":
      return (
        typeof value === "number" &&
        Number.isFinite(value) &&
        (field.min === null || field.min === undefined || value >= field.min) &&
        (field.max === null || field.max === undefined || value <= field.max) &&
        (field.type !== "integer" || Number.isInteger(value))
      );
    default:
      return (
        typeof value === "string" &&
        value.length <= (MAX_LENGTH[field.type] ?? MAX_LENGTH.text) &&
        !HAS_CONTROL.test(value) &&
        value === value.toWellFormed()
      );
  }
}

/** Typed text as the state keeps it: controls become spaces, lone surrogates U+FFFD. */
export function cleanText(text, type = "text") {
  const max = MAX_LENGTH[type] ?? MAX_LENGTH.text;
  return String(text).replace(CONTROLS, " ").toWellFormed().slice(0, max).toWellFormed();
}
