// Screens, progress, recommendations and peer positions (player/static/js/flow.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  caseReadingScreens,
  comparisonGroups,
  peerBand,
  progress,
  questionnaireScreens,
  screenAllowed,
  sectionCounts,
  weakestAreas,
} from "../../../player/static/js/flow.js";
import { freshState } from "../../../player/static/js/state.js";
import { everyTypeBundle } from "./fixtures.mjs";

const PEERS = {
  source: "test",
  k: 5,
  quantiles: [0.1, 0.25, 0.5, 0.75, 0.9],
  groups: [
    { id: "gold", title: "Gold", filter: { label: "gold" }, n: 40, measures: { overall: [0.6, 0.7, 0.8, 0.85, 0.9] } },
    { id: "all", title: "All", filter: {}, n: 2000, measures: { overall: [0.2, 0.3, 0.5, 0.6, 0.7] } },
    { id: "p-energy", title: "Energy", filter: { portfolio: "energy" }, n: 3 },
    { id: "p-health", title: "Health", filter: { portfolio: "health" }, n: 90, measures: { overall: [0.1, 0.2, 0.4, 0.5, 0.6] } },
  ],
};

test("a questionnaire has intro, profile, one screen per section, review and results", () => {
  const bundle = everyTypeBundle();
  assert.deepEqual(questionnaireScreens(bundle), ["intro", "profile", "section:d", "review", "results"]);
  bundle.instrument.profile = [];
  assert.deepEqual(questionnaireScreens(bundle), ["intro", "section:d", "review", "results"]);
  assert.ok(screenAllowed(bundle, freshState(), "review"));
  assert.ok(!screenAllowed(bundle, freshState(), "section:nope"));
  assert.ok(!screenAllowed(bundle, freshState(), 3));
});

test("progress counts the items answered", () => {
  const bundle = everyTypeBundle();
  const state = freshState();
  assert.equal(progress(bundle, state), 0);
  state.answers = { lk: 2, bo: false, nu: 0 };
  assert.equal(progress(bundle, state), 0.5);
  assert.deepEqual(sectionCounts(bundle, state), [{ id: "d", title: "D", answered: 3, total: 6 }]);
  state.finished = true;
  assert.equal(progress(bundle, state), 1);
});

function caseBundle() {
  const point = (id) => ({ id, title: id, prompt: [], graded: true, competencies: [], options: [{ id: "a", html: "" }] });
  return {
    module: { id: "c", instrument: { version: 1 } },
    case: { sections: [{ id: "s1" }, { id: "s2" }], exhibits: [{ id: "x" }], start: "p1", points: [point("p1"), point("p2"), point("p3"), point("p4")] },
    instrument: null,
  };
}

test("a case reads intro, sections and exhibits; its points follow the path", () => {
  const bundle = caseBundle();
  assert.deepEqual(caseReadingScreens(bundle), ["intro", "section:s1", "section:s2", "exhibits"]);
  const state = freshState();
  assert.ok(!screenAllowed(bundle, state, "debrief"));
  assert.ok(!screenAllowed(bundle, state, "feedback:p1"));
  state.path = [["p1", "a"]];
  assert.ok(screenAllowed(bundle, state, "feedback:p1"));
  assert.ok(!screenAllowed(bundle, state, "feedback:p2"));
  assert.equal(progress(bundle, state), 0.25);
});

test("the weakest scored areas come first, with the modules of their sub-areas", () => {
  const bundle = everyTypeBundle();
  bundle.instrument.dimensions = [
    { id: "a", title: "A", modules: ["m1"], children: [] },
    { id: "b", title: "B", modules: [], children: [{ id: "b1", modules: ["m2", "m1", "unknown"], children: [] }] },
    { id: "c", title: "C", modules: ["m3"], children: [] },
    { id: "d", title: "D", modules: ["m3"], children: [] },
  ];
  bundle.modules = { m1: { title: "One", course: "x" }, m2: { title: "Two", course: "x" }, m3: { title: "Three", course: "y" } };
  const result = { dimensions: { a: { score: 0.5 }, b: { score: 0.2 }, c: { score: null }, d: { score: 0.5 } } };
  const weakest = weakestAreas(bundle, result, 3);
  assert.deepEqual(weakest.map((w) => w.id), ["b", "a", "d"]);
  assert.deepEqual(weakest[0].modules, [
    { id: "m2", title: "Two", course: "x" },
    { id: "m1", title: "One", course: "x" },
  ]);
  assert.deepEqual(weakestAreas(bundle, result, 1).map((w) => w.id), ["b"]);
});

test("peer groups: all, the learner's portfolio, the excellence group", () => {
  assert.deepEqual(comparisonGroups(PEERS, { portfolio: "health" }).map((g) => g.id), ["all", "p-health", "gold"]);
  assert.deepEqual(comparisonGroups(PEERS, { portfolio: "energy" }).map((g) => g.id), ["all", "p-energy", "gold"]);
  assert.deepEqual(comparisonGroups(PEERS, {}).map((g) => g.id), ["all", "gold"]);
  assert.deepEqual(comparisonGroups(null, {}), []);
});

test("a score's band among a group's percentiles", () => {
  const all = PEERS.groups[1];
  const band = (x) => peerBand(PEERS, all, "overall", x);
  assert.equal(band(0.1), "band_below");
  assert.equal(band(0.2), "band_low");
  assert.equal(band(0.29), "band_low");
  assert.equal(band(0.3), "band_mid_low");
  assert.equal(band(0.5), "band_mid_high");
  assert.equal(band(0.65), "band_high");
  assert.equal(band(0.7), "band_above");
  assert.equal(band(null), null);
  assert.equal(peerBand(PEERS, PEERS.groups[2], "overall", 0.5), null); // withheld group
});
