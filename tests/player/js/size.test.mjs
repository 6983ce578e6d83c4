// The largest learner state of every bundled module fits SCORM 1.2's suspend data, and
// the states of the bundled modules round-trip.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseNumber } from "../../../player/static/js/format.js";
import { decode, encode, freshState, MAX_LENGTH, stamp } from "../../../player/static/js/state.js";
import { contentBundles, randomAnswer, randomProfileValue, rng } from "./fixtures.mjs";

/** SCORM 1.2 cmi.suspend_data: CMIString4096. */
const SUSPEND_DATA_MAX = 4096;

const longest = (ids) => ids.reduce((a, b) => (b.length > a.length ? b : a), "");

/** The longest number a learner can type for a numeric item or profile field, read back. */
function longestNumber(spec, integer) {
  const lo = spec.min ?? -1e14;
  const hi = spec.max ?? 1e14;
  if (integer) {
    const ends = [Math.ceil(lo), Math.floor(hi)];
    return ends.reduce((a, b) => (JSON.stringify(b).length > JSON.stringify(a).length ? b : a));
  }
  // as many digits as the input takes, inside the bounds
  const mid = lo + (hi - lo) / 3 + 1 / 7;
  const text = (mid < 0 ? "-" : "") + String(Math.abs(mid)).padEnd(MAX_LENGTH.number, "3").slice(0, MAX_LENGTH.number - (mid < 0 ? 1 : 0));
  const read = parseNumber(text, { ...spec, integer: false });
  assert.ok(read.value !== undefined, `${text} is not valid for ${JSON.stringify(spec)}`);
  return read.value;
}

/** The longest path through a case: point ids along it, by the answer keys' `next`. */
function longestPath(bundle) {
  const decisions = bundle.keys.decisions;
  const memo = new Map();
  const walk = (pid) => {
    if (pid === "end") return [];
    if (!memo.has(pid)) {
      let best = null;
      for (const [oid, d] of Object.entries(decisions[pid])) {
        const rest = walk(d.next);
        const path = [[pid, oid], ...rest];
        if (!best || JSON.stringify(path).length > JSON.stringify(best).length) best = path;
      }
      memo.set(pid, best);
    }
    return memo.get(pid);
  };
  return walk(bundle.case.start);
}

/** A module fully answered, every value as long as a learner can make it. */
export function largestState(bundle, textChar = "é") {
  const state = stamp(freshState(), bundle);
  state.finished = true;
  if (bundle.case) {
    state.path = longestPath(bundle);
    state.screen = `feedback:${longest(bundle.case.points.map((p) => p.id))}`;
    return state;
  }
  const ins = bundle.instrument;
  for (const item of ins.items) {
    state.answers[item.id] = {
      likert: item.points,
      single_choice: longest((item.options ?? []).map((o) => o.id)),
      situational: longest((item.options ?? []).map((o) => o.id)),
      multiple_choice: (item.options ?? []).map((o) => o.id),
      numeric: item.type === "numeric" ? longestNumber(item, item.integer) : null,
      boolean: false,
    }[item.type];
  }
  for (const field of ins.profile) {
    if (field.type === "choice") state.profile[field.id] = longest(field.choices.map((c) => c.id));
    else if (field.type === "number" || field.type === "integer") {
      state.profile[field.id] = longestNumber(field, field.type === "integer");
    } else state.profile[field.id] = textChar.repeat(MAX_LENGTH[field.type] ?? MAX_LENGTH.text);
  }
  state.screen = `section:${longest(ins.sections.map((s) => s.id))}`;
  return state;
}

test("the largest state of every bundled module fits SCORM 1.2's 4,096 characters", () => {
  const bundles = contentBundles();
  assert.ok(bundles.length >= 18);
  const sizes = {};
  for (const bundle of bundles) {
    // plain text, and text that JSON must escape (every character doubled)
    for (const ch of ["é", '"']) {
      const state = largestState(bundle, ch);
      const text = encode(state);
      const { state: back, problems } = decode(text, bundle);
      assert.deepEqual(problems, [], bundle.module.id);
      assert.deepEqual(back, state, bundle.module.id);
      const key = `${bundle.module.id}/${bundle.module.lang}`;
      sizes[key] = Math.max(sizes[key] ?? 0, text.length);
      assert.ok(text.length <= SUSPEND_DATA_MAX, `${key}: ${text.length} characters`);
    }
  }
  // the label self-assessment is the largest: every item a number or a choice, a profile
  const largest = Object.entries(sizes).sort((a, b) => b[1] - a[1])[0];
  assert.match(largest[0], /^label-self-assessment\//);
  console.log(`largest learner state: ${largest[0]} ${largest[1]} characters`);
});

test("random states of every bundled module round-trip", () => {
  const rand = rng(4096);
  for (const bundle of contentBundles()) {
    for (let k = 0; k < 200; k += 1) {
      const state = stamp(freshState(), bundle);
      if (bundle.instrument) {
        for (const item of bundle.instrument.items) {
          if (rand() < 0.7) state.answers[item.id] = randomAnswer(rand, item);
        }
        for (const field of bundle.instrument.profile) {
          if (rand() < 0.7) state.profile[field.id] = randomProfileValue(rand, field, MAX_LENGTH[field.type] ?? 150);
        }
      } else {
        let pid = bundle.case.start;
        while (pid !== "end" && rand() < 0.9) {
          const options = Object.keys(bundle.keys.decisions[pid]);
          const oid = options[Math.floor(rand() * options.length)];
          state.path.push([pid, oid]);
          pid = bundle.keys.decisions[pid][oid].next;
        }
      }
      const { state: back, problems } = decode(encode(state), bundle);
      assert.deepEqual(problems, []);
      assert.deepEqual(back, state);
    }
  }
});
