// One SCORM session (1.2 or 2004) behind the player's host interface (docs/player.md).
//
// A version (scorm12.js, scorm2004.js) describes its API and data model; this module
// runs the session the same way for both:
//
// - discovery: the API is looked for (discovery.js) for a while; without it the host runs
//   in preview mode (`recording: false`), keeping the state in memory;
// - writes are queued in order and flushed at each step (save, decision, finish), each
//   SetValue checked with GetLastError, then committed. A refused write (an LMS error, a
//   lost connection) stays queued with everything after it, so the order holds (score
//   before status) and nothing is lost: the host reports through `onProblem` and tries
//   again at the next step, or after `retryMs`. A write the LMS can never take (a data
//   model error) is reported and dropped;
// - the session ends on `pagehide` (Terminate/LMSFinish), and is committed whenever the
//   page is hidden: browsers do not run synchronous requests on `unload`.

import { waitForApi } from "./discovery.js";
import { decisionRecord } from "./scorm-common.js";

/** Time before a refused write is tried again when no other step comes (milliseconds). */
export const RETRY_MS = 5000;

const local = () => import("../local.js");

/** The LMS's API object, called through one version's function names. */
export class Connection {
  constructor(api, dialect) {
    this.api = api;
    this.dialect = dialect;
    this.pending = new Map(); // element -> value, in the order first queued
    this.needsCommit = false;
  }

  call(fn, ...args) {
    try {
      return { value: String(this.api[this.dialect[fn]](...args)), error: this.error() };
    } catch (err) {
      return { value: "", error: { code: -1, text: String(err?.message ?? err) } };
    }
  }

  error() {
    const code = Number(this.api[this.dialect.getLastError]());
    if (!code) return null;
    let text = "";
    try {
      text = String(this.api[this.dialect.getErrorString](String(code)));
    } catch {
      // an API without error strings: the code says enough
    }
    return { code, text };
  }

  initialize() {
    const { value, error } = this.call("initialize", "");
    return value === "true" && !error ? null : error || { code: 0, text: "returned false" };
  }

  /** The value of `element`, or "" when the LMS has none (not set yet, not readable). */
  get(element) {
    const { value, error } = this.call("getValue", element);
    return error ? "" : value;
  }

  /** Queue writes `[[element, value], ...]`; a queued element takes the newest value. */
  queue(writes) {
    for (const [element, value] of writes) this.pending.set(element, String(value));
  }

  /**
   * Send the queued writes in order, then commit. Returns the problems met: a transient
   * refusal stops the flush and keeps that write and the rest queued.
   */
  flush() {
    const problems = [];
    let wrote = false;
    for (const [element, value] of [...this.pending]) {
      const { value: ok, error } = this.call("setValue", element, value);
      if (ok === "true" && !error) {
        this.pending.delete(element);
        wrote = true;
        continue;
      }
      const err = error || { code: 0, text: "returned false" };
      const dropped = this.dialect.permanent.has(err.code);
      problems.push({ element, ...err, dropped });
      if (!dropped) break;
      this.pending.delete(element);
    }
    if (wrote || this.needsCommit) {
      const { value, error } = this.call("commit", "");
      this.needsCommit = value !== "true" || Boolean(error);
      if (this.needsCommit) problems.push({ element: null, ...(error || { code: 0, text: "" }) });
    }
    return problems;
  }

  terminate() {
    const { value, error } = this.call("terminate", "");
    return value === "true" && !error ? null : error || { code: 0, text: "returned false" };
  }
}

function describe(problem, version) {
  const what = problem.element ? `saving ${problem.element}` : "committing";
  const why = problem.text ? `: ${problem.text}` : "";
  const next = problem.dropped
    ? "This LMS cannot store that value; the rest is kept."
    : "Your answers are kept and will be sent again.";
  return `The LMS (${version}) refused ${what} (error ${problem.code}${why}). ${next}`;
}

/**
 * A host for `bundle` speaking the SCORM version `model` describes (see scorm12.js),
 * resolved once the LMS is found and the session started, or once the search gave up
 * (preview mode): `recording` is settled by then. Options: `window` (the content's
 * window), `onProblem(message)`, `discovery` (`{timeoutMs, intervalMs}` of the API
 * search), `retryMs`, `now()` (milliseconds).
 */
export async function createScormHost(bundle, options, model) {
  const win = options.window;
  const onProblem = options.onProblem ?? (() => {});
  const now = options.now ?? (() => Date.now());
  const retryMs = options.retryMs ?? RETRY_MS;

  let conn = null;
  let started = 0;
  let info = null; // what the LMS said at the start (entry, counts, mastery, ...)
  let finished = false;
  let ended = false;
  let memory = null; // the state in preview mode
  let lastAnswers = null;
  let lastProblem = null;
  let retryTimer = null;
  let shownAt = { location: null, at: 0 };

  const host = {
    name: model.name,
    recording: false,
    location: null,
    load,
    save,
    decide,
    score,
    finish,
    exit,
  };

  function report(message) {
    if (message === lastProblem) return;
    lastProblem = message;
    onProblem(message);
  }

  function flush() {
    if (!conn || ended) return true;
    const problems = conn.flush();
    if (win.clearTimeout && retryTimer !== null) win.clearTimeout(retryTimer);
    retryTimer = null;
    if (problems.length === 0) {
      lastProblem = null;
      return true;
    }
    for (const p of problems) report(describe(p, model.version));
    if (conn.pending.size > 0 || conn.needsCommit) {
      retryTimer = win.setTimeout(() => {
        retryTimer = null;
        flush();
      }, retryMs);
    }
    return false;
  }

  function timing() {
    return model.sessionWrites({ elapsedMs: now() - started, finished });
  }

  function end() {
    if (!conn || ended) return;
    if (!info.review) {
      conn.queue(timing());
      flush();
    }
    const error = conn.terminate();
    ended = true;
    if (error) report(describe({ element: null, ...error }, model.version));
  }

  function listen() {
    win.addEventListener?.("pagehide", end);
    win.document?.addEventListener?.("visibilitychange", () => {
      if (win.document.visibilityState !== "hidden" || !live()) return;
      conn.queue(timing());
      flush();
    });
  }

  async function start() {
    const api = await waitForApi(win, model.apiName, { ...options.discovery, timers: win });
    if (!api) return;
    const candidate = new Connection(api, model.dialect);
    const error = candidate.initialize();
    if (error) {
      report(`The LMS (${model.version}) could not start the session (error ${error.code}). Nothing is recorded.`);
      return;
    }
    conn = candidate;
    started = now();
    info = model.read(conn, bundle);
    host.recording = !info.review;
    host.location = info.resume && info.location ? info.location : null;
    listen();
    if (info.review) return; // review and browse modes: the LMS records nothing
    conn.queue(model.startWrites(info));
    flush();
  }

  const ready = start();
  const live = () => conn && !ended && !info.review;

  async function load() {
    await ready;
    if (!conn) return memory;
    if (info.resume || info.review) return info.suspendData || null;
    return null;
  }

  async function save(state, { location = null, progress = null } = {}) {
    await ready;
    memory = state;
    if (conn && ended) report(`The LMS (${model.version}) session has ended: reload the page to go on.`);
    if (!live()) return;
    const text = String(state);
    if (text.length > model.suspendLimit) {
      report(
        `The learner state (${text.length} characters) is longer than ${model.version} keeps ` +
          `(${model.suspendLimit}): the LMS keeps the previous one.`,
      );
    } else {
      const writes = [[model.suspendElement, text]];
      if (location !== null && String(location).length <= model.locationLimit) {
        writes.push([model.locationElement, String(location)]);
      }
      conn.queue(writes);
    }
    if (location !== null && location !== shownAt.location) shownAt = { location, at: now() };
    conn.queue(model.progressWrites(progress, finished));
    conn.queue(timing());
    flush();
  }

  async function decide(pointId, optionId, path, { replay = false } = {}) {
    const { decideLocally } = await local();
    const decision = await decideLocally(bundle, pointId, optionId, path);
    await ready;
    // a replayed decision (the app restoring a saved path) was recorded when it was made
    if (live() && !replay) {
      const t = now();
      const since = shownAt.location === pointId ? shownAt.at : (shownAt.at || started);
      const record = decisionRecord(bundle, pointId, optionId, decision);
      conn.queue(model.interactionWrites(info, [{ ...record, latencyMs: t - since, at: t }]));
      conn.queue(timing());
      flush();
    }
    return decision;
  }

  async function score(answers) {
    const { scoreLocally } = await local();
    lastAnswers = answers;
    return scoreLocally(bundle, answers);
  }

  async function finish(result) {
    await ready;
    finished = true;
    if (!live()) return;
    const mastery = model.mastery(bundle, info);
    conn.queue(model.finishWrites({ bundle, info, result, answers: lastAnswers, mastery, at: now() }));
    conn.queue(timing());
    flush();
  }

  async function exit() {
    await ready;
    end();
  }

  await ready;
  return host;
}
