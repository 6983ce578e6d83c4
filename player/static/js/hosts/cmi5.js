// The player's host as a cmi5 assignable unit (AU), on the xAPI the LMS gives it
// (cmi5 specification, sections 7 to 11).
//
// - Launch: `endpoint`, `fetch`, `actor`, `registration` and `activityId` come from the
//   launch URL; one POST to `fetch` gives the auth token (kept in sessionStorage, so a
//   reload of the same launch does not spend the one-time URL again); every xAPI request
//   carries `Authorization: Basic <token>` and `X-Experience-API-Version: 1.0.3`.
// - The State API document `LMS.LaunchData` gives the context template, the launch mode,
//   the mastery score (which overrides the bundle's `module.mastery_score`), `moveOn` and
//   `returnURL`; the agent profile `cmi5LearnerPreferences` is read at the start too.
// - Statements: `initialized` first; at the finish `completed` (result.completion,
//   duration) and, for a graded module, `passed` or `failed` (result.success,
//   result.score.scaled, duration, the LMS's masteryScore as context extension); at the
//   end `terminated` (duration of the session). Each carries the context template, the
//   cmi5 category activity (and the moveOn one with success or completion), a UUID v4 id
//   and a UTC timestamp later than the one before. A registration gets `completed` and
//   `passed` once: the host remembers them in its own State API document.
// - The learner state lives in the State API document `STATE_ID` (state, location,
//   progress, time spent, what was reported), so a relaunch resumes.
// - Browse and Review launches record nothing but `initialized` and `terminated`
//   (`recording: false`); without launch parameters the host runs in preview mode.
// - A request that fails (HTTP error, no network) is kept and sent again at the next step
//   or after `retryMs`, and reported through `onProblem`; the page's last requests use
//   `keepalive`, so they outlive `pagehide`.

import { isoDuration, masteryScore, passes } from "./scorm-common.js";

/** The State API document in which the host keeps the learner state. */
export const STATE_ID = "https://w3id.org/clusterexcellence/player/learner-state";
/** Format of that document. */
export const STATE_FORMAT = "clusterexcellence.cmi5-learner-state";
export const XAPI_VERSION = "1.0.3";
export const RETRY_MS = 5000;

export const VERBS = Object.freeze({
  initialized: "http://adlnet.gov/expapi/verbs/initialized",
  completed: "http://adlnet.gov/expapi/verbs/completed",
  passed: "http://adlnet.gov/expapi/verbs/passed",
  failed: "http://adlnet.gov/expapi/verbs/failed",
  terminated: "http://adlnet.gov/expapi/verbs/terminated",
});
export const CATEGORY_CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
export const CATEGORY_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
export const EXTENSION_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
export const EXTENSION_MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";

const local = () => import("../local.js");

/** The cmi5 launch parameters of `search` (a query string), or null when one is missing. */
export function launchParameters(search) {
  const params = new URLSearchParams(search);
  const names = ["endpoint", "fetch", "actor", "registration", "activityId"];
  if (names.some((n) => !params.get(n))) return null;
  let actor;
  try {
    actor = JSON.parse(params.get("actor"));
  } catch {
    return null;
  }
  const endpoint = params.get("endpoint");
  return {
    endpoint: endpoint.endsWith("/") ? endpoint : `${endpoint}/`,
    fetch: params.get("fetch"),
    actor,
    registration: params.get("registration"),
    activityId: params.get("activityId"),
  };
}

/** A random UUID version 4 (from `crypto.getRandomValues`, also outside secure contexts). */
export function uuid4(crypto) {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The scaled score (7 decimals) a passed or failed statement reports for `score`: kept on
 * its side of `mastery`, as cmi5 requires, whatever the rounding.
 */
export function scaledFor(score, mastery, success) {
  const scaled = Math.round(score * 1e7) / 1e7;
  if (success) return Math.min(1, Math.max(scaled, mastery));
  return scaled < mastery ? scaled : Math.floor(mastery * 1e7 - 1) / 1e7;
}

class HttpProblem extends Error {}

/**
 * The player's host for a cmi5 launch: `createHost(bundle, {window, onProblem})` resolves
 * once the launch is read (or found missing: preview mode). Options also take `retryMs`
 * and `now()` (milliseconds).
 */
export async function createHost(bundle, options) {
  const win = options.window;
  const onProblem = options.onProblem ?? (() => {});
  const now = options.now ?? (() => Date.now());
  const retryMs = options.retryMs ?? RETRY_MS;

  const host = {
    name: "cmi5",
    recording: false,
    location: null,
    launchData: null,
    learnerPreferences: null,
    load,
    save,
    decide,
    score,
    finish,
    exit,
  };

  let launch = null;
  let token = null;
  let started = 0;
  let lastTimestamp = 0;
  let doc = null; // the learner-state document as last written (or read)
  let docDirty = false;
  let outbox = []; // statements not yet accepted by the LRS, in order
  let busy = null;
  let retryTimer = null;
  let lastProblem = null;
  let ended = false;
  let memory = null;
  let resumed = null;

  function report(message) {
    if (message === lastProblem) return;
    lastProblem = message;
    onProblem(message);
  }

  function headers(json) {
    const h = { Authorization: `Basic ${token}`, "X-Experience-API-Version": XAPI_VERSION };
    if (json) h["Content-Type"] = "application/json";
    return h;
  }

  function url(path, params) {
    const u = new URL(path, launch.endpoint);
    for (const [k, v] of Object.entries(params ?? {})) u.searchParams.set(k, v);
    return u.toString();
  }

  async function request(method, path, params, body) {
    const init = { method, headers: headers(body !== undefined), keepalive: true };
    if (body !== undefined) init.body = JSON.stringify(body);
    let res;
    try {
      res = await win.fetch(url(path, params), init);
    } catch (err) {
      throw new HttpProblem(`${method} ${path}: ${err?.message ?? err}`);
    }
    if (!res.ok && res.status !== 404) throw new HttpProblem(`${method} ${path}: HTTP ${res.status}`);
    return res;
  }

  const stateParams = (stateId) => ({
    stateId,
    activityId: launch.activityId,
    agent: JSON.stringify(launch.actor),
    registration: launch.registration,
  });

  async function getJson(path, params) {
    const res = await request("GET", path, params);
    if (res.status === 404) return null;
    return res.json();
  }

  async function authToken() {
    const store = win.sessionStorage;
    const key = `ce-cmi5-auth:${launch.fetch}`;
    try {
      const kept = store?.getItem(key);
      if (kept) return kept;
    } catch {
      // storage may be off: fetch the token
    }
    const res = await win.fetch(launch.fetch, { method: "POST" });
    const body = await res.json();
    if (!res.ok || typeof body?.["auth-token"] !== "string") {
      const why = body?.["error-text"] ?? `HTTP ${res.status}`;
      throw new HttpProblem(`the LMS gave no auth token (${why})`);
    }
    try {
      store?.setItem(key, body["auth-token"]);
    } catch {
      // not kept: a reload needs a new launch
    }
    return body["auth-token"];
  }

  function timestamp() {
    const t = Math.max(now(), lastTimestamp + 1);
    lastTimestamp = t;
    return new Date(t).toISOString();
  }

  function statement(verb, { result, moveOn = false, mastery = null } = {}) {
    const template = structuredClone(host.launchData.contextTemplate ?? {});
    const activities = template.contextActivities ?? {};
    const category = [...(activities.category ?? []), { id: CATEGORY_CMI5, objectType: "Activity" }];
    if (moveOn) category.push({ id: CATEGORY_MOVEON, objectType: "Activity" });
    const context = {
      ...template,
      registration: template.registration ?? launch.registration,
      contextActivities: { ...activities, category },
    };
    if (context.language === undefined && bundle?.module?.lang) context.language = bundle.module.lang;
    if (mastery !== null) context.extensions = { ...(template.extensions ?? {}), [EXTENSION_MASTERY]: mastery };
    const s = {
      id: uuid4(win.crypto),
      actor: launch.actor,
      verb: { id: VERBS[verb], display: { "en-US": verb } },
      object: { objectType: "Activity", id: launch.activityId },
      context,
      timestamp: timestamp(),
    };
    if (result) s.result = result;
    return s;
  }

  function scheduleRetry() {
    if (retryTimer !== null) return;
    retryTimer = win.setTimeout(() => {
      retryTimer = null;
      pump();
    }, retryMs);
  }

  function delivered(batch) {
    for (const s of batch) {
      if (s.verb.id === VERBS.completed) doc.completed = true;
      if (s.verb.id === VERBS.passed) doc.passed = true;
      if (s.verb.id === VERBS.completed || s.verb.id === VERBS.passed) docDirty = true;
    }
  }

  /** One round: the waiting statements (one POST, in order), then the state document. */
  async function send() {
    if (outbox.length) {
      const batch = outbox;
      outbox = [];
      try {
        await request("POST", "statements", null, batch);
      } catch (err) {
        outbox = [...batch, ...outbox]; // kept in order for the next round
        throw err;
      }
      delivered(batch);
    }
    if (docDirty && host.recording) {
      const sent = doc;
      docDirty = false;
      try {
        await request("PUT", "activities/state", stateParams(STATE_ID), sent);
      } catch (err) {
        docDirty = true;
        throw err;
      }
    }
  }

  /** Send what is waiting, one round at a time; a failure is reported and retried. */
  function pump() {
    if (busy) return busy.then(() => (outbox.length || docDirty ? pump() : undefined));
    busy = send()
      .then(() => {
        lastProblem = null;
      })
      .catch((err) => {
        report(`The LMS did not take the learner's data (${err.message}). Your answers are kept and will be sent again.`);
        scheduleRetry();
      })
      .finally(() => {
        busy = null;
      });
    return busy;
  }

  function elapsed() {
    return now() - started;
  }

  function writeDoc(changes) {
    doc = { ...doc, ...changes, time_ms: (resumed?.time_ms ?? 0) + elapsed() };
    docDirty = true;
  }

  /**
   * The session's end: `terminated` and the state document go at once, beside any
   * request still in flight (the page may be going: cmi5 orders statements by their
   * timestamps, and every request is `keepalive`).
   */
  function end() {
    if (!launch || !token || !host.launchData || ended) return null;
    ended = true;
    if (host.recording) writeDoc({});
    outbox.push(statement("terminated", { result: { duration: isoDuration(elapsed()) } }));
    if (retryTimer !== null) win.clearTimeout(retryTimer);
    retryTimer = null;
    if (!busy) return pump();
    const last = send().catch((err) => {
      report(`The LMS did not take the learner's data (${err.message}). Your answers are kept and will be sent again.`);
      scheduleRetry();
    });
    return Promise.all([busy, last]);
  }

  async function start() {
    launch = launchParameters(win.location?.search ?? "");
    if (!launch) return;
    try {
      token = await authToken();
      host.launchData = await getJson("activities/state", stateParams("LMS.LaunchData"));
      if (!host.launchData) throw new HttpProblem("the LMS has no LMS.LaunchData for this launch");
    } catch (err) {
      report(`The cmi5 launch failed: ${err.message}. Nothing is recorded.`);
      launch = null;
      return;
    }
    try {
      host.learnerPreferences = await getJson("agents/profile", {
        agent: JSON.stringify(launch.actor),
        profileId: "cmi5LearnerPreferences",
      });
    } catch {
      host.learnerPreferences = null; // optional: the bundle's language stands
    }
    started = now();
    host.recording = (host.launchData.launchMode ?? "Normal") === "Normal";
    try {
      const saved = await getJson("activities/state", stateParams(STATE_ID));
      if (saved?.format === STATE_FORMAT) resumed = saved;
    } catch (err) {
      report(`The saved learner state could not be read (${err.message}).`);
    }
    doc = { format: STATE_FORMAT, version: 1, completed: false, passed: false, ...(resumed ?? {}) };
    host.location = resumed?.location ?? null;
    outbox.push(statement("initialized"));
    await pump();
    win.addEventListener?.("pagehide", () => end());
    win.document?.addEventListener?.("visibilitychange", () => {
      if (win.document.visibilityState === "hidden" && !ended && host.recording) {
        writeDoc({});
        pump();
      }
    });
  }

  await start();

  async function load() {
    if (!launch) return memory;
    return resumed?.state ?? null;
  }

  async function save(state, { location = null, progress = null } = {}) {
    memory = state;
    if (!launch || !host.recording) return;
    if (ended) {
      report("The cmi5 session has ended: relaunch the module from the LMS to go on.");
      return;
    }
    writeDoc({ state: String(state), location, progress });
    await pump();
  }

  async function decide(pointId, optionId, path) {
    const { decideLocally } = await local();
    return decideLocally(bundle, pointId, optionId, path);
  }

  async function score(answers) {
    const { scoreLocally } = await local();
    return scoreLocally(bundle, answers);
  }

  async function finish(result) {
    if (!launch || !host.recording || ended) return;
    const overall = result?.overall?.score ?? null;
    const fromLms = host.launchData.masteryScore;
    const mastery = masteryScore(bundle, fromLms);
    const duration = isoDuration((resumed?.time_ms ?? 0) + elapsed());
    if (!doc.completed) {
      outbox.push(statement("completed", { result: { completion: true, duration }, moveOn: true }));
    }
    if (mastery !== null && !doc.passed) {
      const success = passes(overall, mastery);
      const r = { success, duration };
      if (typeof overall === "number") r.score = { scaled: scaledFor(overall, mastery, success) };
      const extension = typeof fromLms === "number" ? fromLms : null;
      outbox.push(statement(success ? "passed" : "failed", { result: r, moveOn: true, mastery: extension }));
    }
    writeDoc({ finished: true });
    await pump();
  }

  async function exit() {
    const sent = end();
    if (sent) await sent;
    const back = host.launchData?.returnURL;
    if (back && outbox.length === 0) win.location.assign(back);
  }

  return host;
}
