import assert from "node:assert/strict";
import { test } from "node:test";

import { findApi, scanParents, waitForApi } from "../../../player/static/js/hosts/discovery.js";
import { fakeWindow, Timers } from "./fakes.mjs";

const API = { LMSInitialize() {} };

function chain(depth, top = {}) {
  let win = fakeWindow({ props: top });
  for (let i = 0; i < depth; i += 1) win = fakeWindow({ parent: win });
  return win;
}

test("the API is found on the content's own window", () => {
  const win = fakeWindow({ props: { API } });
  assert.equal(findApi(win, "API"), API);
});

test("the API is found on a parent several frames up", () => {
  assert.equal(findApi(chain(5, { API_1484_11: API }), "API_1484_11"), API);
  assert.equal(findApi(chain(5, { API }), "API_1484_11"), null);
});

test("the walk up the parents is bounded", () => {
  const deep = chain(12, { API });
  assert.equal(scanParents(deep, "API", 10), null);
  assert.equal(scanParents(deep, "API", 12), API);
});

test("a parent from another origin is skipped, not fatal", () => {
  const lms = fakeWindow({ props: { API } });
  const foreign = fakeWindow({ parent: lms });
  Object.defineProperty(foreign, "API", {
    get() {
      throw new Error("SecurityError: Blocked a frame with origin");
    },
  });
  const content = fakeWindow({ parent: foreign });
  assert.equal(findApi(content, "API"), API);
});

test("without an API in the parents, the opener's chain is searched", () => {
  const lms = chain(2, { API });
  const popup = fakeWindow({ opener: lms });
  assert.equal(findApi(popup, "API"), API);
  const framed = fakeWindow({ parent: fakeWindow({ opener: lms }) });
  assert.equal(findApi(framed, "API"), API, "the top window's opener");
});

test("waitForApi finds an API that appears after the content loaded", async () => {
  const lms = fakeWindow();
  const content = fakeWindow({ parent: lms });
  const found = waitForApi(content, "API", { timeoutMs: 3000, intervalMs: 250 });
  for (let i = 0; i < 4; i += 1) await content.timers.runNext(); // one second later
  lms.API = API;
  await content.timers.runNext();
  assert.equal(await found, API);
  assert.equal(content.timers.clock, 1250);
});

test("waitForApi gives up after its timeout", async () => {
  const content = fakeWindow();
  const found = waitForApi(content, "API", { timeoutMs: 1000, intervalMs: 250 });
  await content.timers.runAll();
  assert.equal(await found, null);
  assert.equal(content.timers.clock, 1000);
});

test("waitForApi with no timeout answers at once", async () => {
  const timers = new Timers();
  assert.equal(await waitForApi(fakeWindow(), "API", { timeoutMs: 0, timers }), null);
  assert.equal(timers.queue.length, 0);
});
