import assert from "node:assert/strict";
import { test } from "node:test";

import {
  choiceId2004,
  choiceId2004Back,
  decimal,
  isoDuration,
  itemRecords,
  masteryScore,
  objectivesOf,
  outcome,
  passes,
  plainText,
  time12,
  timespan12,
  timestamp2004,
} from "../../../player/static/js/hosts/scorm-common.js";
import { caseBundle, INSTRUMENT_ANSWERS, instrumentBundle, instrumentResult } from "./fakes.mjs";
import { SCORM12, SCORM2004 } from "./formats.mjs";

const H = 3600000;

test("timespan12 writes HHHH:MM:SS.SS", () => {
  assert.equal(timespan12(0), "0000:00:00.00");
  assert.equal(timespan12(65250), "0000:01:05.25");
  assert.equal(timespan12(27 * H + 3 * 60000 + 4005), "0027:03:04.01");
  assert.equal(timespan12(20000 * H), "9999:59:59.99");
  for (const ms of [0, 999, 65250, 5 * H, 20000 * H]) assert.match(timespan12(ms), SCORM12.CMITimespan);
});

test("time12 writes the local time of day as HH:MM:SS", () => {
  const t = new Date(2026, 11, 1, 7, 5, 9, 500);
  assert.equal(time12(t), "07:05:09");
  assert.match(time12(t), SCORM12.CMITime);
});

test("isoDuration writes ISO 8601 durations with at most two decimals of seconds", () => {
  assert.equal(isoDuration(0), "PT0S");
  assert.equal(isoDuration(65250), "PT1M5.25S");
  assert.equal(isoDuration(2 * H), "PT2H");
  assert.equal(isoDuration(2 * H + 1234), "PT2H1.23S");
  assert.equal(isoDuration(30 * H + 60000), "PT30H1M");
  for (const ms of [0, 10, 65250, 2 * H, 30 * H + 60000]) assert.match(isoDuration(ms), SCORM2004.timeinterval);
});

test("timestamp2004 writes UTC time with hundredths", () => {
  const t = new Date(Date.UTC(2026, 11, 1, 23, 59, 58, 987));
  assert.equal(timestamp2004(t), "2026-12-01T23:59:58.98Z");
  assert.match(timestamp2004(t), SCORM2004.time);
});

test("decimal writes plain decimals without exponent or trailing zeros", () => {
  assert.equal(decimal(0.7, 7), "0.7");
  assert.equal(decimal(2 / 3, 7), "0.6666667");
  assert.equal(decimal(100, 2), "100");
  assert.equal(decimal(250000, 4), "250000");
  assert.equal(decimal(-0.5, 4), "-0.5");
});

test("choice ids become Moodle-valid 2004 ids and come back exactly", () => {
  for (const id of ["call-board", "opt-a", "x", "a1-b2-c3"]) {
    const mapped = choiceId2004(id);
    assert.match(mapped, /^[\w.]{1,250}$/);
    assert.equal(choiceId2004Back(mapped), id);
  }
  assert.throws(() => choiceId2004("has_underscore"), /cannot be a SCORM 2004 choice response id/);
  assert.throws(() => choiceId2004("x".repeat(251)), /cannot be/);
});

test("plainText drops tags and decodes entities", () => {
  assert.equal(plainText("The <em>first</em> call &amp; more"), "The first call & more");
  assert.equal(plainText("<p>a</p>\n<p>b &lt;c&gt;</p>"), "a b <c>");
  assert.equal(plainText(null), "");
});

test("the LMS's mastery score overrides the bundle's; none means ungraded", () => {
  assert.equal(masteryScore(caseBundle({ mastery: 0.6 }), null), 0.6);
  assert.equal(masteryScore(caseBundle({ mastery: 0.6 }), 0.8), 0.8);
  assert.equal(masteryScore(caseBundle({ mastery: null }), null), null);
  assert.equal(masteryScore(caseBundle({ mastery: null }), Number.NaN), null);
});

test("passes compares with the scoring spec's epsilon and fails a missing score", () => {
  assert.ok(passes(0.6, 0.6));
  assert.ok(passes(0.6 - 1e-12, 0.6));
  assert.ok(!passes(0.59, 0.6));
  assert.ok(!passes(null, 0.6));
});

test("objectives are a case's competencies or an instrument's top-level dimensions", () => {
  assert.deepEqual(
    objectivesOf(caseBundle()).map((o) => o.id),
    ["strategy.priority-setting", "finance.funding-mix"],
  );
  assert.deepEqual(
    objectivesOf(instrumentBundle()).map((o) => o.id),
    ["strategy", "finance"],
  );
});

test("outcome names full and zero scores and keeps partial ones", () => {
  assert.equal(outcome(1), "correct");
  assert.equal(outcome(0), "wrong");
  assert.equal(outcome(0.5), 0.5);
  assert.equal(outcome(1, false), "neutral");
  assert.equal(outcome(null), "neutral");
});

test("itemRecords makes one record per answered item, typed as SCORM interactions", () => {
  const records = itemRecords(instrumentBundle(), INSTRUMENT_ANSWERS, instrumentResult());
  assert.deepEqual(
    records.map((r) => [r.id, r.type, r.result]),
    [
      ["rate-planning", "likert", "neutral"],
      ["pick-partner", "choice", 0.5],
      ["funding-sources", "choice", "correct"],
      ["budget-eur", "numeric", "wrong"],
      ["has-audit", "true-false", "correct"],
    ],
  );
  assert.deepEqual(records[1].response, ["opt-b"]);
  assert.deepEqual(records[1].options, ["opt-a", "opt-b", "opt-c"]);
  assert.equal(records[0].description, "Je planifie");
});
