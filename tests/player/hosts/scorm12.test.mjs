import assert from "node:assert/strict";
import { test } from "node:test";

import { createHost, SCORM12 as MODEL } from "../../../player/static/js/hosts/scorm12.js";
import {
  caseBundle,
  FakeApi,
  fakeWindow,
  goldenCase,
  INSTRUMENT_ANSWERS,
  instrumentBundle,
  instrumentResult,
} from "./fakes.mjs";
import { SCORM12 } from "./formats.mjs";

const NEW = { "cmi.core.entry": "ab-initio", "cmi.core.lesson_status": "not attempted" };

async function launch(bundle, data = NEW, extra = {}) {
  const api = new FakeApi("1.2", data);
  const win = fakeWindow({ props: { API: api } });
  const problems = [];
  const clock = { t: 1_000_000 };
  const host = await createHost(bundle, {
    window: win,
    onProblem: (m) => problems.push(m),
    now: () => clock.t,
    ...extra,
  });
  return { api, win, host, problems, clock };
}

const caseResult = (overall) => ({
  instrument: { id: "test-case", version: 1 },
  overall: { score: overall, coverage: 1, level: null },
  dimensions: {
    "strategy.priority-setting": { score: 1, coverage: 1, level: null },
    "finance.funding-mix": { score: null, coverage: 0, level: null },
  },
  answered_share: 1,
  items: {},
  label: null,
});

test("a new attempt starts incomplete and suspended, and loads no state", async () => {
  const { api, host } = await launch(caseBundle());
  assert.equal(host.name, "scorm12");
  assert.equal(host.recording, true);
  assert.equal(await host.load(), null);
  assert.equal(api.calls[0][0], "LMSInitialize");
  assert.deepEqual(api.sets(), [
    ["cmi.core.lesson_status", "incomplete"],
    ["cmi.core.exit", "suspend"],
  ]);
  assert.equal(api.names().at(-1), "LMSCommit");
});

test("on entry = resume, load gives the suspend data and the location", async () => {
  const { host } = await launch(caseBundle(), {
    "cmi.core.entry": "resume",
    "cmi.core.lesson_status": "incomplete",
    "cmi.core.lesson_location": "budget-cut",
    "cmi.suspend_data": "v1|saved",
  });
  assert.equal(await host.load(), "v1|saved");
  assert.equal(host.location, "budget-cut");
});

test("a new attempt ignores suspend data left by an earlier one", async () => {
  const { host } = await launch(caseBundle(), { "cmi.core.entry": "", "cmi.suspend_data": "old" });
  assert.equal(await host.load(), null);
  assert.equal(host.location, null);
});

test("a status the LMS already has is not taken back to incomplete", async () => {
  const { api } = await launch(caseBundle(), { "cmi.core.entry": "", "cmi.core.lesson_status": "passed" });
  assert.deepEqual(api.sets(), [["cmi.core.exit", "suspend"]]);
});

test("save writes state, location, session time and exit, then commits", async () => {
  const { api, host, clock } = await launch(caseBundle());
  api.calls.length = 0;
  clock.t += 3_723_450; // 1 h 2 min 3.45 s
  await host.save("v1|state", { location: "first-call", progress: 0.25 });
  assert.deepEqual(api.sets(), [
    ["cmi.suspend_data", "v1|state"],
    ["cmi.core.lesson_location", "first-call"],
    ["cmi.core.session_time", "0001:02:03.45"],
    ["cmi.core.exit", "suspend"],
  ]);
  assert.equal(api.names().at(-1), "LMSCommit");
  assert.equal(api.lastCommit()["cmi.suspend_data"], "v1|state");
  assert.match(api.lastCommit()["cmi.core.session_time"], SCORM12.CMITimespan);
});

test("a state over 4,096 characters is refused, reported, and the previous one kept", async () => {
  const { api, host, problems } = await launch(caseBundle());
  await host.save("a".repeat(4096), { location: "first-call" });
  assert.equal(api.lastCommit()["cmi.suspend_data"].length, 4096);
  await host.save("b".repeat(4097), { location: "budget-cut" });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /4097 characters.*4096/);
  assert.equal(api.lastCommit()["cmi.suspend_data"], "a".repeat(4096));
  assert.equal(api.lastCommit()["cmi.core.lesson_location"], "first-call");
});

test("finish reports the score before the status: passed at the mastery score", async () => {
  const { api, host } = await launch(caseBundle({ mastery: 0.6 }));
  api.calls.length = 0;
  await host.finish(caseResult(0.6));
  const sets = api.sets().map(([e]) => e);
  const status = sets.indexOf("cmi.core.lesson_status");
  for (const e of ["cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max"]) {
    assert.ok(sets.indexOf(e) >= 0 && sets.indexOf(e) < status, `${e} before lesson_status`);
  }
  const data = api.lastCommit();
  assert.equal(data["cmi.core.score.raw"], "60");
  assert.equal(data["cmi.core.score.min"], "0");
  assert.equal(data["cmi.core.score.max"], "100");
  assert.equal(data["cmi.core.lesson_status"], "passed");
  assert.equal(data["cmi.core.exit"], "");
  assert.ok(SCORM12.score(data["cmi.core.score.raw"]));
});

test("below the mastery score the module fails; without one it is completed", async () => {
  const graded = await launch(caseBundle({ mastery: 0.6 }));
  await graded.host.finish(caseResult(0.5999));
  assert.equal(graded.api.lastCommit()["cmi.core.lesson_status"], "failed");
  assert.equal(graded.api.lastCommit()["cmi.core.score.raw"], "59.99");

  const ungraded = await launch(caseBundle({ mastery: null }));
  await ungraded.host.finish(caseResult(0.2));
  assert.equal(ungraded.api.lastCommit()["cmi.core.lesson_status"], "completed");
  assert.equal(ungraded.api.lastCommit()["cmi.core.score.raw"], "20");
});

test("the LMS's mastery score (adlcp:masteryscore) overrides the bundle's", async () => {
  const { api, host } = await launch(caseBundle({ mastery: 0.6 }), {
    ...NEW,
    "cmi.student_data.mastery_score": "80",
  });
  await host.finish(caseResult(0.7));
  assert.equal(api.lastCommit()["cmi.core.lesson_status"], "failed");
});

test("a missing overall score fails a graded module and writes no score", async () => {
  const { api, host } = await launch(caseBundle({ mastery: 0.6 }));
  await host.finish(caseResult(null));
  assert.equal(api.lastCommit()["cmi.core.lesson_status"], "failed");
  assert.equal("cmi.core.score.raw" in api.lastCommit(), false);
});

test("finish writes one objective per competency, found again by id", async () => {
  const { api, host } = await launch(caseBundle({ mastery: 0.6 }), {
    ...NEW,
    "cmi.objectives.0.id": "finance.funding-mix",
  });
  await host.finish(caseResult(1));
  const data = api.lastCommit();
  assert.equal(data["cmi.objectives.0.id"], "finance.funding-mix");
  assert.equal(data["cmi.objectives.0.status"], "not attempted");
  assert.equal(data["cmi.objectives.1.id"], "strategy.priority-setting");
  assert.equal(data["cmi.objectives.1.score.raw"], "100");
  assert.equal(data["cmi.objectives.1.status"], "passed");
});

test("item interactions use 1.2 types and formats", () => {
  const info = { interactions: 3 };
  const at = new Date(2026, 11, 1, 9, 30, 0).getTime();
  const bundle = instrumentBundle();
  const writes = MODEL.finishWrites({
    bundle,
    info: { ...info, objectives: { ids: new Map(), count: 0 } },
    result: instrumentResult(),
    answers: INSTRUMENT_ANSWERS,
    mastery: null,
    at,
  });
  const data = Object.fromEntries(writes);
  assert.equal(data["cmi.interactions.3.id"], "rate-planning");
  assert.equal(data["cmi.interactions.3.type"], "likert");
  assert.equal(data["cmi.interactions.3.student_response"], "4");
  assert.equal(data["cmi.interactions.3.result"], "neutral");
  assert.equal(data["cmi.interactions.4.student_response"], "1", "opt-b is option 1");
  assert.equal(data["cmi.interactions.4.result"], "0.5");
  assert.equal(data["cmi.interactions.5.student_response"], "0,2");
  assert.equal(data["cmi.interactions.5.result"], "correct");
  assert.equal(data["cmi.interactions.6.type"], "numeric");
  assert.equal(data["cmi.interactions.6.student_response"], "250000");
  assert.equal(data["cmi.interactions.6.result"], "wrong");
  assert.equal(data["cmi.interactions.7.type"], "true-false");
  assert.equal(data["cmi.interactions.7.student_response"], "t");
  assert.equal(data["cmi.interactions.8.id"], undefined, "the unanswered item has none");
  for (let n = 3; n <= 7; n += 1) {
    const type = data[`cmi.interactions.${n}.type`];
    assert.match(type, SCORM12.interactionType);
    assert.match(data[`cmi.interactions.${n}.id`], SCORM12.identifier);
    assert.match(data[`cmi.interactions.${n}.student_response`], SCORM12.responses[type]);
    assert.match(data[`cmi.interactions.${n}.result`], SCORM12.result);
    assert.match(data[`cmi.interactions.${n}.weighting`], SCORM12.CMIDecimal);
    assert.equal(data[`cmi.interactions.${n}.time`], "09:30:00");
  }
  // an interaction's id and type come before its other elements
  const keys = writes.map(([k]) => k);
  assert.ok(keys.indexOf("cmi.interactions.3.id") < keys.indexOf("cmi.interactions.3.type"));
  assert.ok(keys.indexOf("cmi.interactions.3.type") < keys.indexOf("cmi.interactions.3.student_response"));
});

test("a decision's interaction carries its latency as a CMITimespan", () => {
  const writes = MODEL.interactionWrites({ interactions: 0 }, [
    {
      id: "first-call",
      type: "choice",
      response: ["wait-and-see"],
      options: ["call-board", "call-members", "wait-and-see"],
      result: "wrong",
      weighting: 1,
      latencyMs: 95_500,
      at: Date.now(),
    },
  ]);
  const data = Object.fromEntries(writes);
  assert.equal(data["cmi.interactions.0.student_response"], "2");
  assert.equal(data["cmi.interactions.0.latency"], "0000:01:35.50");
  assert.match(data["cmi.interactions.0.latency"], SCORM12.CMITimespan);
});

test("more options than response characters fall back to fill-in with the ids", () => {
  const options = Array.from({ length: 40 }, (_, i) => `o${i}`);
  const writes = MODEL.interactionWrites({ interactions: 0 }, [
    { id: "big", type: "choice", response: ["o39"], options, result: "neutral", weighting: 1, at: 0 },
  ]);
  const data = Object.fromEntries(writes);
  assert.equal(data["cmi.interactions.0.type"], "fill-in");
  assert.equal(data["cmi.interactions.0.student_response"], "o39");
});

test("a refused write is reported, kept with what follows, and sent at the next save", async () => {
  const { api, host, problems } = await launch(caseBundle());
  api.refuse("cmi.suspend_data", 101);
  await host.save("v1|one", { location: "first-call" });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /SCORM 1\.2.*cmi\.suspend_data.*error 101.*kept/);
  assert.equal(api.data["cmi.suspend_data"], undefined);
  assert.equal(api.data["cmi.core.lesson_location"], undefined, "nothing after it was sent");
  await host.save("v1|two", { location: "budget-cut" });
  assert.equal(api.lastCommit()["cmi.suspend_data"], "v1|two");
  assert.equal(api.lastCommit()["cmi.core.lesson_location"], "budget-cut");
});

test("a refused score is never overtaken by the status", async () => {
  const { api, host, problems } = await launch(caseBundle({ mastery: 0.6 }));
  api.refuse("cmi.core.score.raw", 101);
  await host.finish(caseResult(0.9));
  assert.equal(problems.length, 1);
  assert.equal(api.data["cmi.core.lesson_status"], "incomplete", "status waits for the score");
  await host.save("v1|after", { location: "debrief" });
  const sets = api.sets().map(([e]) => e);
  assert.ok(sets.lastIndexOf("cmi.core.score.raw") < sets.lastIndexOf("cmi.core.lesson_status"));
  assert.equal(api.lastCommit()["cmi.core.score.raw"], "90");
  assert.equal(api.lastCommit()["cmi.core.lesson_status"], "passed");
});

test("a refused write is tried again after retryMs when no step comes", async () => {
  const { api, host, win, problems } = await launch(caseBundle(), NEW, { retryMs: 2000 });
  api.refuse("cmi.suspend_data", 101);
  await host.save("v1|one", { location: "first-call" });
  assert.equal(problems.length, 1);
  await win.timers.runNext();
  assert.equal(win.timers.clock, 2000);
  assert.equal(api.lastCommit()["cmi.suspend_data"], "v1|one");
});

test("a failed commit is reported and committed again", async () => {
  const { api, host, problems } = await launch(caseBundle());
  api.refuseCommit(101);
  await host.save("v1|one", { location: "first-call" });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /committing/);
  const commits = api.names().filter((n) => n === "LMSCommit").length;
  await host.save("v1|one", { location: "first-call" });
  assert.equal(api.names().filter((n) => n === "LMSCommit").length, commits + 1);
  assert.equal(api.lastCommit()["cmi.suspend_data"], "v1|one");
});

test("a write the LMS can never take is reported and dropped; the rest goes on", async () => {
  const { api, host, problems } = await launch(caseBundle());
  api.refuse("cmi.core.lesson_location", 405, 99);
  await host.save("v1|one", { location: "first-call" });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /cannot store/);
  assert.equal(api.lastCommit()["cmi.suspend_data"], "v1|one");
  assert.equal(api.lastCommit()["cmi.core.exit"], "suspend");
});

test("the same problem twice in a row is reported once", async () => {
  const { api, host, problems } = await launch(caseBundle());
  api.refuse("cmi.suspend_data", 101, 2);
  await host.save("v1|one", { location: "first-call" });
  await host.save("v1|two", { location: "first-call" });
  assert.equal(problems.length, 1);
});

test("a hidden page commits; pagehide commits and finishes the session", async () => {
  const { api, host, win, clock } = await launch(caseBundle());
  await host.save("v1|one", { location: "first-call" });
  api.calls.length = 0;
  clock.t += 10_000;
  win.fire("hidden");
  assert.deepEqual(api.names({ errors: true }), [
    ...["LMSSetValue", "LMSGetLastError", "LMSSetValue", "LMSGetLastError"],
    ...["LMSCommit", "LMSGetLastError"],
  ]);
  assert.equal(api.lastCommit()["cmi.core.session_time"], "0000:00:10.00");
  api.calls.length = 0;
  win.fire("pagehide");
  assert.deepEqual(api.names(), ["LMSSetValue", "LMSSetValue", "LMSCommit", "LMSFinish"]);
  assert.equal(api.state, "ended");
  win.fire("pagehide");
  assert.equal(api.names().filter((n) => n === "LMSFinish").length, 1, "finished once");
});

test("after the session ended, a save is reported, not sent", async () => {
  const { api, host, win, problems } = await launch(caseBundle());
  win.fire("pagehide");
  const calls = api.calls.length;
  await host.save("v1|late", { location: "first-call" });
  assert.equal(api.calls.length, calls);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /ended/);
});

test("exit ends the session like pagehide", async () => {
  const { api, host } = await launch(caseBundle());
  await host.exit();
  assert.equal(api.state, "ended");
  assert.equal(api.names().at(-1), "LMSFinish");
});

test("an API that appears after a second is found", async () => {
  const api = new FakeApi("1.2", NEW);
  const lms = fakeWindow();
  const win = fakeWindow({ parent: lms });
  const made = createHost(caseBundle(), { window: win, discovery: { timeoutMs: 5000, intervalMs: 250 } });
  for (let i = 0; i < 4; i += 1) await win.timers.runNext();
  lms.API = api;
  await win.timers.runNext();
  const host = await made;
  assert.equal(host.recording, true);
  assert.equal(api.calls[0][0], "LMSInitialize");
});

test("without an LMS the host runs in preview mode, keeping the state in memory", async () => {
  const win = fakeWindow();
  const made = createHost(caseBundle(), { window: win, discovery: { timeoutMs: 500, intervalMs: 250 } });
  await win.timers.runAll();
  const host = await made;
  assert.equal(host.recording, false);
  assert.equal(await host.load(), null);
  await host.save("v1|mem", { location: "first-call" });
  assert.equal(await host.load(), "v1|mem");
  await host.finish(caseResult(1));
});

test("in review mode nothing is written and the saved state is shown", async () => {
  const { api, host, win } = await launch(caseBundle(), {
    "cmi.core.entry": "",
    "cmi.core.lesson_mode": "review",
    "cmi.suspend_data": "v1|done",
  });
  assert.equal(host.recording, false);
  assert.equal(await host.load(), "v1|done");
  await host.save("v1|changed", { location: "x" });
  await host.finish(caseResult(1));
  win.fire("hidden");
  win.fire("pagehide");
  assert.deepEqual(api.sets(), []);
  assert.deepEqual(api.names().filter((n) => n !== "LMSGetValue"), ["LMSInitialize", "LMSFinish"]);
});

test("an LMS that refuses LMSInitialize is reported and nothing is recorded", async () => {
  const api = new FakeApi("1.2", NEW);
  api.LMSInitialize = () => "false";
  api.lastError = 101;
  const problems = [];
  const host = await createHost(caseBundle(), { window: fakeWindow({ props: { API: api } }), onProblem: (m) => problems.push(m) });
  assert.equal(host.recording, false);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /could not start/);
});

test("each decision becomes a choice interaction, committed at once", async () => {
  const { api, host, clock } = await launch(goldenCase());
  await host.save("v1|a", { location: "first" }); // the decision point is shown
  clock.t += 42_000;
  const decision = await host.decide("first", "b", []);
  assert.equal(decision.score, 0.2);
  assert.equal(decision.next, "recovery");
  assert.match(decision.feedback, /Faible/);
  let data = api.lastCommit();
  assert.equal(data["cmi.interactions.0.id"], "first");
  assert.equal(data["cmi.interactions.0.type"], "choice");
  assert.equal(data["cmi.interactions.0.student_response"], "1");
  assert.equal(data["cmi.interactions.0.result"], "0.2");
  assert.equal(data["cmi.interactions.0.weighting"], "1");
  assert.equal(data["cmi.interactions.0.latency"], "0000:00:42.00");
  assert.match(data["cmi.interactions.0.time"], SCORM12.CMITime);
  await host.save("v1|b", { location: "recovery" });
  await host.decide("recovery", "b", [["first", "b"]]);
  data = api.lastCommit();
  assert.equal(data["cmi.interactions.1.id"], "recovery");
  assert.equal(data["cmi.interactions.1.result"], "wrong");
});

test("a resumed session numbers its interactions after the LMS's", async () => {
  const { api, host } = await launch(goldenCase(), {
    "cmi.core.entry": "resume",
    "cmi.core.lesson_status": "incomplete",
    "cmi.suspend_data": "v1|x",
    "cmi.interactions.0.id": "first",
  });
  await host.decide("second", "b", [["first", "a"]]);
  assert.equal(api.lastCommit()["cmi.interactions.1.id"], "second");
  assert.equal(api.lastCommit()["cmi.interactions.1.result"], "correct");
});

test("a decision replayed on a resume is answered and not journaled again", async () => {
  const { api, host } = await launch(goldenCase(), {
    "cmi.core.entry": "resume",
    "cmi.core.lesson_status": "incomplete",
    "cmi.suspend_data": "v1|x",
    "cmi.interactions.0.id": "first",
  });
  api.calls.length = 0;
  const decision = await host.decide("first", "b", [], { replay: true });
  assert.equal(decision.next, "recovery");
  assert.deepEqual(api.sets(), []);
  await host.decide("recovery", "b", [["first", "b"]]);
  assert.equal(api.lastCommit()["cmi.interactions.1.id"], "recovery");
  assert.equal(api.lastCommit()["cmi.interactions.2.id"], undefined);
});

test("score gives the result JSON; finish records each answered item", async () => {
  const bundle = instrumentBundle({ mastery: 0.6 });
  const { api, host } = await launch(bundle);
  const result = await host.score(INSTRUMENT_ANSWERS);
  assert.equal(result.instrument.id, "test-instrument");
  assert.equal(result.items["pick-partner"], 0.5);
  await host.finish(result);
  const data = api.lastCommit();
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((n) => data[`cmi.interactions.${n}.id`]),
    ["rate-planning", "pick-partner", "funding-sources", "budget-eur", "has-audit"],
  );
  assert.equal(data["cmi.interactions.5.id"], undefined);
  assert.equal(data["cmi.core.score.raw"], "64.58");
  assert.equal(data["cmi.core.lesson_status"], "passed");
});
