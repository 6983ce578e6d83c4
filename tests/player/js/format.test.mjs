// Text helpers (player/static/js/format.js) and chart geometry (views/radar.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { numberFormats, parseNumber, translator } from "../../../player/static/js/format.js";
import { radarPath, radarPoint, wrap } from "../../../player/static/js/views/radar.js";

test("translator fills placeholders and shows unknown keys as themselves", () => {
  const t = translator({ hello: "Hello {name}, {n} left", plain: "Plain", odd: "{missing}", q: "{p25}–{p75}" });
  assert.equal(t("hello", { name: "Ada", n: 3 }), "Hello Ada, 3 left");
  assert.equal(t("plain"), "Plain");
  assert.equal(t("q", { p25: 1, p75: 2 }), "1–2");
  assert.equal(t("odd"), "{missing}");
  assert.equal(t("nope"), "nope");
  assert.equal(t("toString"), "toString"); // not a property of Object.prototype
});

test("numbers follow the learner's language", () => {
  assert.equal(numberFormats("en").percent(0.734), "73%");
  assert.equal(numberFormats("fr").percent(0.734), "73\u00a0%");
  assert.equal(numberFormats("fr").number(1234.5), "1\u202f234,5");
  assert.equal(numberFormats("en").percent(null), "–");
});

test("typed numbers: decimal comma, spaces, bounds and whole numbers", () => {
  assert.deepEqual(parseNumber("12,5"), { value: 12.5 });
  assert.deepEqual(parseNumber(" 1 234.5 "), { value: 1234.5 });
  assert.deepEqual(parseNumber("1\u202f234,5"), { value: 1234.5 });
  assert.deepEqual(parseNumber("-0"), { value: 0 });
  assert.deepEqual(parseNumber(".5"), { value: 0.5 });
  assert.deepEqual(parseNumber("+7"), { value: 7 });
  assert.deepEqual(parseNumber("1,234"), { value: 1234 });
  assert.deepEqual(parseNumber("1,234,567.5"), { value: 1234567.5 });
  assert.deepEqual(parseNumber("1,234", { lang: "fr" }), { value: 1.234 });
  assert.deepEqual(parseNumber("12,5", { lang: "en" }), { value: 12.5 });
  for (const bad of ["", "abc", "1,2,3", "1.2.3", "12a", "Infinity", "1e3", "0x10", "--1", "1 2,3.4"]) {
    assert.deepEqual(parseNumber(bad), { error: "number_invalid" }, bad);
  }
  assert.deepEqual(parseNumber("2.5", { integer: true }), { error: "number_integer" });
  assert.deepEqual(parseNumber("-1", { min: 0 }), { error: "number_min", args: { min: 0 } });
  assert.deepEqual(parseNumber("101", { max: 100 }), { error: "number_max", args: { max: 100 } });
  assert.deepEqual(parseNumber("100", { min: 0, max: 100, integer: true }), { value: 100 });
});

test("radar points: axis 0 up, clockwise, clamped to the rim", () => {
  const close = ([x, y], [u, v]) => assert.ok(Math.abs(x - u) < 1e-9 && Math.abs(y - v) < 1e-9, `${x},${y}`);
  close(radarPoint(0, 4, 1, { cx: 10, cy: 10, r: 5 }), [10, 5]);
  close(radarPoint(1, 4, 1, { cx: 10, cy: 10, r: 5 }), [15, 10]);
  close(radarPoint(2, 4, 0.5, { cx: 10, cy: 10, r: 5 }), [10, 12.5]);
  close(radarPoint(3, 4, 2, { cx: 10, cy: 10, r: 5 }), [5, 10]);
  close(radarPoint(1, 4, null, { cx: 10, cy: 10, r: 5 }), [10, 10]);
  assert.equal(radarPath([1, 1, 1, 1], { cx: 0, cy: 0, r: 1 }), "M0.00,-1.00L1.00,0.00L0.00,1.00L-1.00,0.00Z");
});

test("labels wrap at spaces", () => {
  assert.deepEqual(wrap("Financing and business model", 18), ["Financing and", "business model"]);
  assert.deepEqual(wrap("Strategy", 18), ["Strategy"]);
  assert.deepEqual(wrap("", 18), [""]);
});
