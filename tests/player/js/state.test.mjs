// The learner state (player/static/js/state.js): round trips, migrations, garbage.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  decode,
  encode,
  freshState,
  keepExistingItems,
  MAX_LENGTH,
  MIGRATIONS,
  STATE_FORMAT,
  stamp,
  validAnswer,
} from "../../../player/static/js/state.js";
import { everyTypeBundle, pick, randomAnswer, randomProfileValue, rng } from "./fixtures.mjs";

function randomState(rand, bundle) {
  const state = stamp(freshState(), bundle);
  for (const item of bundle.instrument.items) {
    if (rand() < 0.8) state.answers[item.id] = randomAnswer(rand, item);
  }
  for (const field of bundle.instrument.profile) {
    if (rand() < 0.8) {
      state.profile[field.id] = randomProfileValue(rand, field, MAX_LENGTH[field.type] ?? 150);
    }
  }
  state.screen = pick(rand, [null, "intro", "profile", "section:d", "review", "results"]);
  state.finished = rand() < 0.2;
  return state;
}

test("decode(encode(state)) gives the state back, for many random states", () => {
  const bundle = everyTypeBundle();
  const rand = rng(20261201);
  for (let k = 0; k < 3000; k += 1) {
    const state = randomState(rand, bundle);
    const text = encode(state);
    const { state: back, problems } = decode(text, bundle);
    assert.deepEqual(problems, [], text);
    assert.deepEqual(back, state, text);
    assert.equal(encode(back), text);
  }
});

test("nothing saved gives a fresh state without a problem", () => {
  const bundle = everyTypeBundle();
  for (const text of [null, undefined, ""]) {
    const { state, problems } = decode(text, bundle);
    assert.deepEqual(problems, []);
    assert.deepEqual(state, stamp(freshState(), bundle));
  }
});

test("garbage gives a fresh state and a problem, never an exception", () => {
  const bundle = everyTypeBundle();
  const rand = rng(7);
  const samples = [
    "{",
    "null",
    "[]",
    "42",
    '"text"',
    "{}",
    '{"v":"1"}',
    '{"v":0}',
    '{"v":1.5}',
    '{"v":1,"m":"another-module"}',
    '{"v":99}',
    "\u0000\uffff",
    "x".repeat(5000),
  ];
  const chars = '{}[]":,0123456789vmasdpf-.e truefalsnl\\';
  for (let k = 0; k < 3000; k += 1) {
    let s = "";
    const n = Math.floor(rand() * 60);
    for (let j = 0; j < n; j += 1) s += chars[Math.floor(rand() * chars.length)];
    samples.push(rand() < 0.5 ? `{"v":1,${s}` : s);
  }
  for (const text of samples) {
    const { state, problems } = decode(text, bundle);
    assert.ok(state && typeof state.answers === "object" && Array.isArray(state.path), text);
    assert.ok(problems.every((p) => typeof p === "string"), text);
    for (const [id, value] of Object.entries(state.answers)) {
      const item = bundle.instrument.items.find((it) => it.id === id);
      assert.ok(item && validAnswer(item, value), text);
    }
  }
  assert.deepEqual(decode("{", bundle).problems, ["state_unreadable"]);
  assert.deepEqual(decode('{"v":99}', bundle).problems, ["state_newer"]);
  assert.deepEqual(decode('{"v":1,"m":"another-module"}', bundle).problems, ["state_other_module"]);
});

test("an answer that no longer fits is dropped with a problem; the others are kept", () => {
  const bundle = everyTypeBundle();
  const text = JSON.stringify({
    v: STATE_FORMAT,
    m: "every-type",
    iv: 1,
    s: "section:d",
    a: { lk: 9, sc: "a", nu: 5000, bo: "yes", gone: 1, mc: ["p", "p"] },
  });
  const { state, problems } = decode(text, bundle);
  assert.deepEqual(state.answers, { sc: "a" });
  assert.deepEqual(problems, ["state_answers_dropped"]);
  assert.equal(state.screen, "section:d");
});

test("answers to another instrument version keep the items that still exist", () => {
  const old = everyTypeBundle({ version: 1 });
  const state = stamp(freshState(), old);
  state.answers = { lk: 4, sc: "b", nu: 12.5, bo: true };
  state.profile = { name: "Cluster", portfolio: "health" };
  state.screen = "review";
  state.finished = true;
  const next = everyTypeBundle({ version: 2 });
  next.instrument.items = next.instrument.items.filter((it) => it.id !== "sc");
  next.instrument.items.find((it) => it.id === "nu").max = 10; // 12.5 is no longer valid
  next.instrument.profile = next.instrument.profile.filter((f) => f.id !== "portfolio");
  const { state: back, problems } = decode(encode(state), next);
  assert.deepEqual(back.answers, { lk: 4, bo: true });
  assert.deepEqual(back.profile, { name: "Cluster" });
  assert.equal(back.instrumentVersion, 2);
  assert.equal(back.screen, null);
  assert.equal(back.finished, false);
  assert.deepEqual(problems, []);
  assert.deepEqual(keepExistingItems(JSON.parse(encode(state)), next).answers, back.answers);
});

test("an older format is moved forward through the migration table, step by step", () => {
  // As if the format were at version 3: a version-1 text goes through 1 → 2 → 3.
  const bundle = everyTypeBundle();
  const calls = [];
  const migrations = {
    1: function state_v1_to_v2(raw) {
      calls.push(raw.v);
      return { v: 2, m: raw.m, iv: raw.iv, answers: raw.a };
    },
    2: function state_v2_to_v3(raw) {
      calls.push(raw.v);
      return { v: 3, m: raw.m, iv: raw.iv, a: raw.answers, s: "review" };
    },
  };
  const old = JSON.stringify({ v: 1, m: "every-type", iv: 1, a: { lk: 3 } });
  const { state, problems } = decode(old, bundle, { migrations, current: 3 });
  assert.deepEqual(calls, [1, 2]);
  assert.deepEqual(problems, []);
  assert.deepEqual(state.answers, { lk: 3 });
  assert.equal(state.screen, "review");
  // a version without its migration, or a migration that fails, is unreadable
  const missing = decode(old, bundle, { migrations: { 1: migrations[1] }, current: 3 });
  assert.deepEqual(missing.problems, ["state_unreadable"]);
  const failing = {
    ...migrations,
    2: () => {
      throw new Error("broken");
    },
  };
  assert.deepEqual(decode(old, bundle, { migrations: failing, current: 3 }).problems, [
    "state_unreadable",
  ]);
  // the real table moves every format version it knows up to STATE_FORMAT
  for (let v = 1; v < STATE_FORMAT; v += 1) assert.equal(typeof MIGRATIONS[v], "function");
});
