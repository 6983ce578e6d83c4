import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { test } from "node:test";

import {
  CATEGORY_CMI5,
  CATEGORY_MOVEON,
  createHost,
  EXTENSION_MASTERY,
  EXTENSION_SESSION,
  launchParameters,
  scaledFor,
  STATE_ID,
  uuid4,
  VERBS,
} from "../../../player/static/js/hosts/cmi5.js";
import { caseBundle, fakeWindow, goldenCase, INSTRUMENT_ANSWERS, instrumentBundle } from "./fakes.mjs";

const ENDPOINT = "https://lrs.example/xapi/";
const ACTOR = { objectType: "Agent", account: { homePage: "https://lms.example", name: "learner-7" } };
const REGISTRATION = "760e3480-ba55-4991-94b0-01820dbd23a2";
const ACTIVITY = "https://lms.example/au/test-case";
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** An LRS and LMS in memory, answering the host's `fetch` calls. */
class FakeLrs {
  constructor({ launchMode = "Normal", masteryScore, returnURL, saved = null } = {}) {
    this.requests = [];
    this.statements = [];
    this.states = new Map();
    this.failing = 0;
    this.tokens = 0;
    const launchData = {
      contextTemplate: {
        contextActivities: { grouping: [{ id: "https://publisher.example/au/test-case" }] },
        extensions: { [EXTENSION_SESSION]: "session-1" },
      },
      launchMode,
      moveOn: "CompletedAndPassed",
    };
    if (masteryScore !== undefined) launchData.masteryScore = masteryScore;
    if (returnURL) launchData.returnURL = returnURL;
    this.states.set("LMS.LaunchData", launchData);
    if (saved) this.states.set(STATE_ID, saved);
    this.fetch = this.fetch.bind(this);
  }

  async fetch(url, init = {}) {
    const u = new URL(url);
    const method = init.method ?? "GET";
    this.requests.push({ method, url: u, headers: init.headers ?? {}, body: init.body, keepalive: init.keepalive });
    const json = (status, body) => ({ ok: status < 300, status, json: async () => body });
    if (u.pathname === "/fetch") {
      this.tokens += 1;
      if (this.tokens > 1) return json(200, { "error-code": "1", "error-text": "already used" });
      return json(200, { "auth-token": "dG9rZW4=" });
    }
    if (this.failing > 0) {
      this.failing -= 1;
      return json(503, {});
    }
    const path = u.pathname.replace("/xapi/", "");
    if (this.hold && path === "statements") {
      const held = this.hold;
      this.hold = null;
      await held;
    }
    if (path === "statements" && method === "POST") {
      const batch = JSON.parse(init.body);
      this.statements.push(...batch);
      return json(200, batch.map((s) => s.id));
    }
    if (path === "activities/state") {
      const id = u.searchParams.get("stateId");
      if (method === "GET") return this.states.has(id) ? json(200, structuredClone(this.states.get(id))) : json(404, null);
      if (method === "PUT") {
        this.states.set(id, JSON.parse(init.body));
        return json(204, null);
      }
    }
    if (path === "agents/profile") return json(200, { languagePreference: "fr-FR,en-US" });
    return json(400, {});
  }

  verbs() {
    return this.statements.map((s) => Object.keys(VERBS).find((k) => VERBS[k] === s.verb.id));
  }
}

function launchUrl() {
  const q = new URLSearchParams({
    endpoint: ENDPOINT,
    fetch: "https://lms.example/fetch?k=1",
    actor: JSON.stringify(ACTOR),
    registration: REGISTRATION,
    activityId: ACTIVITY,
  });
  return `?${q}`;
}

function storage() {
  const m = new Map();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)) };
}

async function launch(lrs, { bundle = caseBundle(), search = launchUrl(), session = storage(), clock = { t: Date.UTC(2026, 11, 1, 9) } } = {}) {
  const assigned = [];
  const win = fakeWindow({
    props: {
      fetch: lrs.fetch,
      crypto: webcrypto,
      sessionStorage: session,
      location: { search, assign: (u) => assigned.push(u) },
    },
  });
  const problems = [];
  const host = await createHost(bundle, { window: win, onProblem: (m) => problems.push(m), now: () => clock.t });
  return { host, win, problems, clock, assigned, session };
}

const result = (score) => ({ overall: { score, coverage: 1, level: null }, dimensions: {} });

test("launchParameters reads the five cmi5 parameters, or none", () => {
  const p = launchParameters(launchUrl());
  assert.deepEqual(p.actor, ACTOR);
  assert.equal(p.registration, REGISTRATION);
  assert.equal(p.activityId, ACTIVITY);
  assert.equal(launchParameters("?endpoint=https%3A%2F%2Fx%2Fxapi"), null);
  assert.equal(launchParameters(""), null);
  const noSlash = new URLSearchParams(launchUrl().slice(1));
  noSlash.set("endpoint", "https://lrs.example/xapi");
  assert.equal(launchParameters(`?${noSlash}`).endpoint, "https://lrs.example/xapi/");
});

test("uuid4 makes version 4 UUIDs", () => {
  const ids = new Set(Array.from({ length: 50 }, () => uuid4(webcrypto)));
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, UUID4);
});

test("scaledFor keeps the score on its side of the mastery score", () => {
  assert.equal(scaledFor(0.7, 0.6, true), 0.7);
  assert.equal(scaledFor(0.59999999999, 0.6, true), 0.6);
  assert.ok(scaledFor(0.59999996, 0.6, false) < 0.6);
  assert.equal(scaledFor(0.25, 0.6, false), 0.25);
});

test("the launch fetches the token once, reads LaunchData and preferences, sends initialized", async () => {
  const lrs = new FakeLrs();
  const { host } = await launch(lrs);
  assert.equal(host.name, "cmi5");
  assert.equal(host.recording, true);
  assert.equal(host.launchData.launchMode, "Normal");
  assert.equal(host.learnerPreferences.languagePreference, "fr-FR,en-US");
  const [first, ...rest] = lrs.requests;
  assert.equal(first.method, "POST");
  assert.equal(first.url.pathname, "/fetch");
  for (const r of rest) {
    assert.equal(r.headers.Authorization, "Basic dG9rZW4=");
    assert.equal(r.headers["X-Experience-API-Version"], "1.0.3");
    assert.ok(r.url.href.startsWith(ENDPOINT), r.url.href);
  }
  const launchRead = rest.find((r) => r.url.searchParams.get("stateId") === "LMS.LaunchData");
  assert.deepEqual(JSON.parse(launchRead.url.searchParams.get("agent")), ACTOR);
  assert.equal(launchRead.url.searchParams.get("registration"), REGISTRATION);
  assert.equal(launchRead.url.searchParams.get("activityId"), ACTIVITY);
  assert.deepEqual(lrs.verbs(), ["initialized"]);
});

test("every statement carries the context template, cmi5 category, id and UTC timestamp", async () => {
  const lrs = new FakeLrs({ masteryScore: 0.5 });
  const { host, win } = await launch(lrs);
  await host.finish(result(0.9));
  win.fire("pagehide");
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(lrs.verbs(), ["initialized", "completed", "passed", "terminated"]);
  let before = "";
  for (const s of lrs.statements) {
    assert.match(s.id, UUID4);
    assert.deepEqual(s.actor, ACTOR);
    assert.deepEqual(s.object, { objectType: "Activity", id: ACTIVITY });
    assert.equal(s.context.registration, REGISTRATION);
    assert.equal(s.context.extensions[EXTENSION_SESSION], "session-1");
    assert.deepEqual(s.context.contextActivities.grouping, [{ id: "https://publisher.example/au/test-case" }]);
    const categories = s.context.contextActivities.category.map((c) => c.id);
    assert.ok(categories.includes(CATEGORY_CMI5));
    const judged = s.result && ("success" in s.result || "completion" in s.result);
    assert.equal(categories.includes(CATEGORY_MOVEON), Boolean(judged));
    assert.match(s.timestamp, /Z$/);
    assert.ok(s.timestamp > before, "timestamps increase");
    before = s.timestamp;
  }
  const [, completed, passed, terminated] = lrs.statements;
  assert.deepEqual(Object.keys(completed.result).sort(), ["completion", "duration"]);
  assert.equal(completed.result.completion, true);
  assert.equal(passed.result.success, true);
  assert.equal(passed.result.score.scaled, 0.9);
  assert.equal("completion" in passed.result, false);
  assert.equal(passed.context.extensions[EXTENSION_MASTERY], 0.5);
  assert.match(terminated.result.duration, /^PT/);
  assert.equal("score" in completed.result, false);
});

test("LaunchData's masteryScore overrides the bundle's: failed", async () => {
  const lrs = new FakeLrs({ masteryScore: 0.95 });
  const { host } = await launch(lrs, { bundle: caseBundle({ mastery: 0.6 }) });
  await host.finish(result(0.9));
  assert.deepEqual(lrs.verbs(), ["initialized", "completed", "failed"]);
  const failed = lrs.statements[2];
  assert.equal(failed.result.success, false);
  assert.equal(failed.result.score.scaled, 0.9);
});

test("without an LMS mastery score the bundle's decides, with no extension", async () => {
  const lrs = new FakeLrs();
  const { host } = await launch(lrs, { bundle: caseBundle({ mastery: 0.6 }) });
  await host.finish(result(0.6));
  assert.deepEqual(lrs.verbs(), ["initialized", "completed", "passed"]);
  assert.equal(lrs.statements[2].context.extensions[EXTENSION_MASTERY], undefined);
});

test("an ungraded module sends completed only", async () => {
  const lrs = new FakeLrs();
  const { host } = await launch(lrs, { bundle: caseBundle({ mastery: null }) });
  await host.finish(result(0.3));
  assert.deepEqual(lrs.verbs(), ["initialized", "completed"]);
});

test("the learner state is kept in the State API and a relaunch resumes", async () => {
  const lrs = new FakeLrs();
  const first = await launch(lrs);
  first.clock.t += 60_000;
  await first.host.save("v1|half", { location: "budget-cut", progress: 0.5 });
  const doc = lrs.states.get(STATE_ID);
  assert.equal(doc.state, "v1|half");
  assert.equal(doc.location, "budget-cut");
  assert.equal(doc.progress, 0.5);
  assert.equal(doc.time_ms, 60_000);
  const put = lrs.requests.find((r) => r.method === "PUT");
  assert.equal(put.url.searchParams.get("stateId"), STATE_ID);
  assert.equal(put.headers["Content-Type"], "application/json");
  first.win.fire("pagehide");
  await new Promise((r) => setImmediate(r));

  lrs.tokens = 0; // a new launch: a new fetch URL
  const second = await launch(lrs);
  assert.equal(await second.host.load(), "v1|half");
  assert.equal(second.host.location, "budget-cut");
});

test("a registration reports completed and passed once, across launches", async () => {
  const lrs = new FakeLrs({ masteryScore: 0.5 });
  const first = await launch(lrs);
  await first.host.finish(result(0.8));
  first.win.fire("pagehide");
  await new Promise((r) => setImmediate(r));
  lrs.tokens = 0;
  const second = await launch(lrs);
  await second.host.finish(result(0.9));
  assert.deepEqual(lrs.verbs(), ["initialized", "completed", "passed", "terminated", "initialized"]);
});

test("a reload of the same launch reuses the token instead of the spent fetch URL", async () => {
  const lrs = new FakeLrs();
  const session = storage();
  await launch(lrs, { session });
  const again = await launch(lrs, { session });
  assert.equal(again.host.recording, true);
  assert.equal(lrs.tokens, 1);
});

test("a spent fetch URL is reported and the host records nothing", async () => {
  const lrs = new FakeLrs();
  await launch(lrs);
  const again = await launch(lrs); // another tab: no token kept
  assert.equal(again.host.recording, false);
  assert.match(again.problems[0], /auth token \(already used\)/);
});

test("Browse mode sends only initialized and terminated, and keeps no state", async () => {
  const lrs = new FakeLrs({ launchMode: "Browse" });
  const { host, win } = await launch(lrs);
  assert.equal(host.recording, false);
  await host.save("v1|x", { location: "first-call", progress: 0.5 });
  await host.finish(result(1));
  win.fire("pagehide");
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(lrs.verbs(), ["initialized", "terminated"]);
  assert.equal(lrs.states.has(STATE_ID), false);
});

test("without launch parameters the host runs in preview mode", async () => {
  const lrs = new FakeLrs();
  const { host } = await launch(lrs, { search: "" });
  assert.equal(host.recording, false);
  await host.save("v1|mem", { location: "x" });
  assert.equal(await host.load(), "v1|mem");
  assert.equal(lrs.requests.length, 0);
});

test("a failed request is reported and everything is sent again, in order", async () => {
  const lrs = new FakeLrs({ masteryScore: 0.5 });
  const { host, problems } = await launch(lrs);
  lrs.failing = 1;
  await host.finish(result(0.8));
  assert.equal(problems.length, 1);
  assert.match(problems[0], /HTTP 503.*kept/);
  assert.deepEqual(lrs.verbs(), ["initialized"]);
  await host.save("v1|after", { location: "debrief", progress: 1 });
  assert.deepEqual(lrs.verbs(), ["initialized", "completed", "passed"]);
  assert.equal(lrs.states.get(STATE_ID).state, "v1|after");
  assert.equal(lrs.states.get(STATE_ID).completed, true);
});

test("a failed request is tried again after retryMs", async () => {
  const lrs = new FakeLrs();
  const { host, win } = await launch(lrs);
  lrs.failing = 1;
  await host.save("v1|a", { location: "first-call" });
  assert.equal(lrs.states.has(STATE_ID), false);
  await win.timers.runNext();
  await new Promise((r) => setImmediate(r));
  assert.equal(lrs.states.get(STATE_ID).state, "v1|a");
});

test("pagehide sends terminated with keepalive and saves the state", async () => {
  const lrs = new FakeLrs();
  const { host, win, clock } = await launch(lrs);
  clock.t += 90_000;
  win.fire("pagehide");
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(lrs.verbs(), ["initialized", "terminated"]);
  assert.equal(lrs.statements[1].result.duration, "PT1M30S");
  assert.ok(lrs.requests.filter((r) => r.url.pathname.startsWith("/xapi/")).every((r) => r.keepalive));
  assert.equal(lrs.states.get(STATE_ID).time_ms, 90_000);
  win.fire("pagehide");
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(lrs.verbs(), ["initialized", "terminated"], "terminated once");
  await host.save("v1|late", {});
});

test("exit terminates and goes to the LMS's returnURL", async () => {
  const lrs = new FakeLrs({ returnURL: "https://lms.example/course/7" });
  const { host, assigned } = await launch(lrs);
  await host.exit();
  assert.deepEqual(lrs.verbs(), ["initialized", "terminated"]);
  assert.deepEqual(assigned, ["https://lms.example/course/7"]);
});

test("decide and score answer from the bundle's keys", async () => {
  const lrs = new FakeLrs();
  const { host } = await launch(lrs, { bundle: goldenCase() });
  const decision = await host.decide("first", "a", []);
  assert.equal(decision.next, "second");
  const result = await host.score({ first: "a", second: "b" });
  assert.equal(result.overall.score, 1);
  const other = await launch(new FakeLrs(), { bundle: instrumentBundle() });
  assert.equal((await other.host.score(INSTRUMENT_ANSWERS)).items["budget-eur"], 0);
});

test("leaving while a request is in flight sends terminated at once", async () => {
  const lrs = new FakeLrs({ masteryScore: 0.5 });
  const { host, win } = await launch(lrs);
  let release;
  lrs.hold = new Promise((r) => {
    release = r;
  });
  const finishing = host.finish(result(0.9)); // its POST waits at the LRS
  await new Promise((r) => setImmediate(r));
  win.fire("pagehide");
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(lrs.verbs(), ["initialized", "terminated"], "terminated did not wait");
  release();
  await finishing;
  assert.deepEqual(lrs.verbs(), ["initialized", "terminated", "completed", "passed"]);
  const byTime = [...lrs.statements].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  assert.deepEqual(
    byTime.map((st) => st.verb.id.split("/").at(-1)),
    ["initialized", "completed", "passed", "terminated"],
    "the timestamps keep cmi5's order",
  );
});
