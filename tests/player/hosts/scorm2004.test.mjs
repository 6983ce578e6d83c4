import assert from "node:assert/strict";
import { test } from "node:test";

import { choiceId2004Back } from "../../../player/static/js/hosts/scorm-common.js";
import { createHost, SCORM2004 as MODEL } from "../../../player/static/js/hosts/scorm2004.js";
import {
  caseBundle,
  FakeApi,
  fakeWindow,
  goldenCase,
  INSTRUMENT_ANSWERS,
  instrumentBundle,
  instrumentResult,
} from "./fakes.mjs";
import { SCORM2004 } from "./formats.mjs";

const NEW = { "cmi.entry": "ab-initio", "cmi.completion_status": "unknown", "cmi.success_status": "unknown" };

async function launch(bundle, data = NEW) {
  const api = new FakeApi("2004", data);
  const problems = [];
  const clock = { t: 5_000_000 };
  const win = fakeWindow({ props: { API_1484_11: api } });
  const host = await createHost(bundle, { window: win, onProblem: (m) => problems.push(m), now: () => clock.t });
  return { api, win, host, problems, clock };
}

test("a new attempt starts incomplete and suspended", async () => {
  const { api, host } = await launch(instrumentBundle());
  assert.equal(host.name, "scorm2004");
  assert.equal(host.recording, true);
  assert.equal(api.calls[0][0], "Initialize");
  assert.equal(await host.load(), null);
  assert.deepEqual(api.sets(), [
    ["cmi.completion_status", "incomplete"],
    ["cmi.exit", "suspend"],
  ]);
  assert.equal(api.names().at(-1), "Commit");
});

test("on entry = resume, load gives the suspend data and the location", async () => {
  const { host } = await launch(instrumentBundle(), {
    "cmi.entry": "resume",
    "cmi.completion_status": "incomplete",
    "cmi.location": "finance",
    "cmi.suspend_data": "v1|saved",
  });
  assert.equal(await host.load(), "v1|saved");
  assert.equal(host.location, "finance");
});

test("save writes state, location, progress, ISO session time, then commits", async () => {
  const { api, host, clock } = await launch(instrumentBundle());
  api.calls.length = 0;
  clock.t += 125_500;
  await host.save("v1|x", { location: "strategy", progress: 1 / 3 });
  assert.deepEqual(api.sets(), [
    ["cmi.suspend_data", "v1|x"],
    ["cmi.location", "strategy"],
    ["cmi.progress_measure", "0.3333333"],
    ["cmi.session_time", "PT2M5.5S"],
    ["cmi.exit", "suspend"],
  ]);
  assert.equal(api.names().at(-1), "Commit");
  assert.match(api.lastCommit()["cmi.session_time"], SCORM2004.timeinterval);
});

test("a state over 64,000 characters is refused and reported", async () => {
  const { api, host, problems } = await launch(instrumentBundle());
  await host.save("x".repeat(64000), { location: "strategy" });
  await host.save("y".repeat(64001), { location: "finance" });
  assert.equal(problems.length, 1);
  assert.equal(api.lastCommit()["cmi.suspend_data"], "x".repeat(64000));
});

test("finish reports score.scaled/raw/min/max before completion and success", async () => {
  const { api, host } = await launch(instrumentBundle({ mastery: 0.75 }));
  api.calls.length = 0;
  await host.finish(instrumentResult(0.7));
  const sets = api.sets().map(([e]) => e);
  const first = Math.min(sets.indexOf("cmi.completion_status"), sets.indexOf("cmi.success_status"));
  for (const e of ["cmi.score.scaled", "cmi.score.raw", "cmi.score.min", "cmi.score.max"]) {
    assert.ok(sets.indexOf(e) >= 0 && sets.indexOf(e) < first, `${e} before the statuses`);
  }
  const data = api.lastCommit();
  assert.equal(data["cmi.score.scaled"], "0.7");
  assert.equal(data["cmi.score.raw"], "70");
  assert.equal(data["cmi.score.min"], "0");
  assert.equal(data["cmi.score.max"], "100");
  assert.equal(data["cmi.progress_measure"], "1");
  assert.equal(data["cmi.completion_status"], "completed");
  assert.equal(data["cmi.success_status"], "failed");
  assert.equal(data["cmi.exit"], "normal");
  assert.ok(SCORM2004.scaled(data["cmi.score.scaled"]));
});

test("the LMS's scaled_passing_score overrides the bundle's mastery score", async () => {
  const { api, host } = await launch(instrumentBundle({ mastery: 0.75 }), {
    ...NEW,
    "cmi.scaled_passing_score": "0.5",
  });
  await host.finish(instrumentResult(0.7));
  assert.equal(api.lastCommit()["cmi.success_status"], "passed");
});

test("an ungraded module leaves success_status unknown", async () => {
  const { api, host } = await launch(instrumentBundle({ mastery: null }));
  await host.finish(instrumentResult(0.7));
  assert.equal(api.lastCommit()["cmi.success_status"], "unknown");
  assert.equal(api.lastCommit()["cmi.completion_status"], "completed");
});

test("one objective per top-level dimension with its scaled score and statuses", async () => {
  const { api, host } = await launch(instrumentBundle({ mastery: 0.6 }), {
    ...NEW,
    "cmi.objectives.0.id": "finance", // declared by the manifest: found by id
  });
  await host.finish(instrumentResult(0.7));
  const d = api.lastCommit();
  assert.equal(d["cmi.objectives.0.id"], "finance");
  assert.equal(d["cmi.objectives.0.score.scaled"], "0.55");
  assert.equal(d["cmi.objectives.0.success_status"], "failed");
  assert.equal(d["cmi.objectives.1.id"], "strategy");
  assert.equal(d["cmi.objectives.1.score.scaled"], "0.8");
  assert.equal(d["cmi.objectives.1.score.raw"], "80");
  assert.equal(d["cmi.objectives.1.success_status"], "passed");
  assert.equal(d["cmi.objectives.1.completion_status"], "completed");
  assert.equal(d["cmi.objectives.1.description"], "{lang=fr}Stratégie");
  assert.match(d["cmi.objectives.1.description"], SCORM2004.localized);
  const sets = api.sets().map(([e]) => e);
  assert.ok(sets.indexOf("cmi.objectives.1.id") < sets.indexOf("cmi.objectives.1.score.scaled"));
});

test("a case's objectives are its competencies; an unvisited one is not attempted", async () => {
  const { api, host } = await launch(caseBundle({ mastery: 0.6 }));
  await host.finish({
    overall: { score: 1, coverage: 1, level: null },
    dimensions: {
      "strategy.priority-setting": { score: 1, coverage: 1, level: null },
      "finance.funding-mix": { score: null, coverage: 0, level: null },
    },
  });
  const d = api.lastCommit();
  assert.equal(d["cmi.objectives.0.id"], "strategy.priority-setting");
  assert.equal(d["cmi.objectives.0.success_status"], "passed");
  assert.equal(d["cmi.objectives.1.id"], "finance.funding-mix");
  assert.equal(d["cmi.objectives.1.completion_status"], "not attempted");
  assert.equal(d["cmi.objectives.1.score.scaled"], undefined);
});

test("item interactions use 2004 types and learner_response formats", () => {
  const at = Date.UTC(2026, 11, 1, 9, 30, 0, 120);
  const info = {
    lang: "fr",
    interactions: { ids: new Map([["pick-partner", 0]]), count: 1 },
    objectives: { ids: new Map(), count: 0 },
  };
  const writes = MODEL.finishWrites({
    bundle: instrumentBundle(),
    info,
    result: instrumentResult(),
    answers: INSTRUMENT_ANSWERS,
    mastery: null,
    at,
  });
  const d = Object.fromEntries(writes);
  // the interaction already there (same id) is updated in place; the others follow
  assert.equal(d["cmi.interactions.0.id"], "pick-partner");
  assert.equal(d["cmi.interactions.0.learner_response"], "opt_b");
  assert.equal(d["cmi.interactions.0.result"], "0.5");
  assert.equal(d["cmi.interactions.1.id"], "rate-planning");
  assert.equal(d["cmi.interactions.1.type"], "likert");
  assert.equal(d["cmi.interactions.1.learner_response"], "4");
  assert.equal(d["cmi.interactions.1.result"], "neutral");
  assert.equal(d["cmi.interactions.2.learner_response"], "public_grants[,]services");
  assert.deepEqual(d["cmi.interactions.2.learner_response"].split("[,]").map(choiceId2004Back), [
    "public-grants",
    "services",
  ]);
  assert.equal(d["cmi.interactions.3.learner_response"], "250000");
  assert.equal(d["cmi.interactions.3.result"], "incorrect");
  assert.equal(d["cmi.interactions.4.learner_response"], "true");
  assert.equal(d["cmi.interactions.5.id"], undefined, "the unanswered item has none");
  for (let n = 0; n <= 4; n += 1) {
    const type = d[`cmi.interactions.${n}.type`];
    assert.match(type, SCORM2004.interactionType);
    assert.match(d[`cmi.interactions.${n}.learner_response`], SCORM2004.responses[type]);
    assert.match(d[`cmi.interactions.${n}.result`], SCORM2004.result);
    assert.equal(d[`cmi.interactions.${n}.timestamp`], "2026-12-01T09:30:00.12Z");
    assert.match(d[`cmi.interactions.${n}.description`], SCORM2004.localized);
  }
  const keys = writes.map(([k]) => k);
  assert.ok(keys.indexOf("cmi.interactions.1.type") < keys.indexOf("cmi.interactions.1.learner_response"));
});

test("a decision's latency is an ISO 8601 duration", () => {
  const writes = MODEL.interactionWrites({ lang: "en", interactions: { ids: new Map(), count: 0 } }, [
    {
      id: "first-call",
      type: "choice",
      response: ["call-members"],
      options: ["call-board", "call-members"],
      result: 0.5,
      weighting: 1,
      latencyMs: 42_250,
      at: 0,
      description: "The first call",
    },
  ]);
  const d = Object.fromEntries(writes);
  assert.equal(d["cmi.interactions.0.latency"], "PT42.25S");
  assert.equal(d["cmi.interactions.0.learner_response"], "call_members");
  assert.equal(d["cmi.interactions.0.description"], "{lang=en}The first call");
});

test("a refused write is kept and sent with the next step", async () => {
  const { api, host, problems } = await launch(instrumentBundle());
  api.refuse("cmi.location", 351);
  await host.save("v1|a", { location: "strategy", progress: 0.1 });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /SCORM 2004.*cmi\.location.*error 351/);
  assert.equal(api.lastCommit()["cmi.suspend_data"], "v1|a", "what came before was committed");
  assert.equal(api.lastCommit()["cmi.progress_measure"], undefined);
  await host.save("v1|b", { location: "finance", progress: 0.2 });
  assert.equal(api.lastCommit()["cmi.location"], "finance");
  assert.equal(api.lastCommit()["cmi.progress_measure"], "0.2");
});

test("a type mismatch (406) is dropped after being reported", async () => {
  const { api, host, problems } = await launch(instrumentBundle());
  api.refuse("cmi.progress_measure", 406, 99);
  await host.save("v1|a", { location: "strategy", progress: 0.1 });
  assert.equal(problems.length, 1);
  assert.equal(api.lastCommit()["cmi.exit"], "suspend");
  assert.equal(api.lastCommit()["cmi.session_time"], "PT0S");
});

test("pagehide commits and terminates; exit is suspend while unfinished", async () => {
  const { api, win, host } = await launch(instrumentBundle());
  await host.save("v1|a", { location: "strategy", progress: 0.1 });
  api.calls.length = 0;
  win.fire("pagehide");
  assert.deepEqual(api.names(), ["SetValue", "SetValue", "Commit", "Terminate"]);
  assert.equal(api.lastCommit()["cmi.exit"], "suspend");
});

test("after finish, pagehide ends with exit = normal", async () => {
  const { api, win, host } = await launch(instrumentBundle());
  await host.finish(instrumentResult(0.5));
  win.fire("pagehide");
  assert.equal(api.lastCommit()["cmi.exit"], "normal");
  assert.equal(api.state, "ended");
});

test("a decision becomes a choice interaction; the same point again updates it", async () => {
  const { api, host, clock } = await launch(goldenCase());
  await host.save("v1|a", { location: "first", progress: 0 });
  clock.t += 3_000;
  await host.decide("first", "b", []);
  let d = api.lastCommit();
  assert.equal(d["cmi.interactions.0.id"], "first");
  assert.equal(d["cmi.interactions.0.learner_response"], "b");
  assert.equal(d["cmi.interactions.0.result"], "0.2");
  assert.equal(d["cmi.interactions.0.latency"], "PT3S");
  assert.equal(d["cmi.interactions.0.description"], "{lang=fr}Première");
  await host.decide("first", "a", []);
  d = api.lastCommit();
  assert.equal(d["cmi.interactions.0.learner_response"], "a");
  assert.equal(d["cmi.interactions.0.result"], "correct");
  assert.equal(d["cmi.interactions.1.id"], undefined);
});

test("a decision replayed on a resume leaves its interaction as it was recorded", async () => {
  const { api, host } = await launch(goldenCase());
  await host.decide("first", "b", []);
  const recorded = api.lastCommit()["cmi.interactions.0.timestamp"];
  api.calls.length = 0;
  const decision = await host.decide("first", "b", [], { replay: true });
  assert.equal(decision.next, "recovery");
  assert.deepEqual(api.sets(), []);
  assert.equal(api.data["cmi.interactions.0.timestamp"], recorded);
});

test("score and finish record the answered items and the result", async () => {
  const { api, host } = await launch(instrumentBundle({ mastery: 0.6 }));
  await host.finish(await host.score(INSTRUMENT_ANSWERS));
  const d = api.lastCommit();
  assert.equal(d["cmi.interactions.2.learner_response"], "public_grants[,]services");
  assert.equal(d["cmi.score.scaled"], "0.6458333");
  assert.equal(d["cmi.objectives.0.score.scaled"], "0.625");
  assert.equal(d["cmi.success_status"], "passed");
});

test("an option id that cannot be a 2004 choice id is sent as its index", () => {
  const writes = MODEL.interactionWrites({ lang: "en", interactions: { ids: new Map(), count: 0 } }, [
    { id: "p", type: "choice", response: ["odd_id", "b"], options: ["a", "b", "odd_id"], result: "neutral", weighting: 0, at: 0 },
  ]);
  assert.equal(Object.fromEntries(writes)["cmi.interactions.0.learner_response"], "2[,]b");
});
