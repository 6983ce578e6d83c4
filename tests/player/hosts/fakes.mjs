// Test doubles for the host tests: an LMS API object that records every call, a content
// window with manual timers and page events, and small bundles.

import { readFileSync } from "node:fs";

/** The pinned bundle of the test content's case (tests/data/golden), answer keys included. */
export function goldenCase() {
  const url = new URL("../../data/golden/bundle.demo-case.fr.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8"));
}

/** Manual timers: `setTimeout` queues, `runTimers()` runs what is due, in order. */
export class Timers {
  constructor() {
    this.queue = [];
    this.clock = 0;
    this.nextId = 1;
  }

  setTimeout(fn, ms = 0) {
    const id = this.nextId++;
    this.queue.push({ id, fn, at: this.clock + ms });
    return id;
  }

  clearTimeout(id) {
    this.queue = this.queue.filter((t) => t.id !== id);
  }

  /** Run the earliest timer (advancing the clock to it); false when none is queued. */
  async runNext() {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.queue.length === 0) return false;
    this.queue.sort((a, b) => a.at - b.at || a.id - b.id);
    const timer = this.queue.shift();
    this.clock = Math.max(this.clock, timer.at);
    timer.fn();
    await new Promise((resolve) => setImmediate(resolve));
    return true;
  }

  /** Run timers until none is left (at most `limit`). */
  async runAll(limit = 1000) {
    for (let i = 0; i < limit && (await this.runNext()); i += 1);
  }
}

/** A content window: `parent`, `top`, `opener`, timers, `pagehide` and `visibilitychange`. */
export function fakeWindow({ parent = null, opener = null, props = {} } = {}) {
  const listeners = {};
  const docListeners = {};
  const timers = new Timers();
  const win = {
    ...props,
    opener,
    timers,
    setTimeout: (fn, ms) => timers.setTimeout(fn, ms),
    clearTimeout: (id) => timers.clearTimeout(id),
    addEventListener(type, fn) {
      (listeners[type] ??= []).push(fn);
    },
    document: {
      visibilityState: "visible",
      addEventListener(type, fn) {
        (docListeners[type] ??= []).push(fn);
      },
    },
    /** Fire a window event (`pagehide`) or, for `hidden`/`visible`, a visibilitychange. */
    fire(type) {
      if (type === "hidden" || type === "visible") {
        win.document.visibilityState = type;
        for (const fn of docListeners.visibilitychange ?? []) fn({ type: "visibilitychange" });
      } else {
        for (const fn of listeners[type] ?? []) fn({ type, persisted: false });
      }
    },
  };
  win.parent = parent ?? win;
  win.top = parent ? (parent.top ?? parent) : win;
  return win;
}

const NAMES = {
  "1.2": {
    initialize: "LMSInitialize",
    terminate: "LMSFinish",
    get: "LMSGetValue",
    set: "LMSSetValue",
    commit: "LMSCommit",
    error: "LMSGetLastError",
    errorString: "LMSGetErrorString",
  },
  2004: {
    initialize: "Initialize",
    terminate: "Terminate",
    get: "GetValue",
    set: "SetValue",
    commit: "Commit",
    error: "GetLastError",
    errorString: "GetErrorString",
  },
};

/**
 * A SCORM API object of version "1.2" or "2004". `data` holds the values it starts with;
 * `calls` records `[function, ...args]`; `committed` the data at each successful commit.
 * `refuse(match, code, times)` makes SetValue of elements matching `match` (a string
 * prefix or a RegExp) fail with `code`, `times` times; `refuseCommit(code, times)` likewise.
 */
export class FakeApi {
  constructor(version, data = {}) {
    this.version = version;
    this.data = { ...data };
    this.calls = [];
    this.committed = [];
    this.lastError = 0;
    this.setRefusals = [];
    this.commitRefusals = [];
    this.state = "new";
    const n = NAMES[version];
    const count = (prefix) => {
      const idx = new Set();
      for (const key of Object.keys(this.data)) {
        const m = key.startsWith(`${prefix}.`) && /^(\d+)\./.exec(key.slice(prefix.length + 1));
        if (m) idx.add(Number(m[1]));
      }
      return String(idx.size);
    };
    this[n.initialize] = (arg) => {
      this.calls.push([n.initialize, arg]);
      this.state = "running";
      this.lastError = 0;
      return "true";
    };
    this[n.terminate] = (arg) => {
      this.calls.push([n.terminate, arg]);
      this.state = "ended";
      this.lastError = 0;
      this.committed.push({ ...this.data });
      return "true";
    };
    this[n.get] = (element) => {
      this.calls.push([n.get, element]);
      if (element.endsWith("._count")) {
        this.lastError = 0;
        return count(element.slice(0, -"._count".length));
      }
      if (element in this.data) {
        this.lastError = 0;
        return this.data[element];
      }
      this.lastError = version === "2004" ? 403 : 0;
      return "";
    };
    this[n.set] = (element, value) => {
      this.calls.push([n.set, element, value]);
      const refusal = this.setRefusals.find(
        (r) => r.times > 0 && (typeof r.match === "string" ? element.startsWith(r.match) : r.match.test(element)),
      );
      if (refusal) {
        refusal.times -= 1;
        this.lastError = refusal.code;
        return "false";
      }
      if (this.state !== "running") {
        this.lastError = version === "2004" ? 132 : 301;
        return "false";
      }
      this.lastError = 0;
      this.data[element] = String(value);
      return "true";
    };
    this[n.commit] = (arg) => {
      this.calls.push([n.commit, arg]);
      const refusal = this.commitRefusals.find((r) => r.times > 0);
      if (refusal) {
        refusal.times -= 1;
        this.lastError = refusal.code;
        return "false";
      }
      this.lastError = 0;
      this.committed.push({ ...this.data });
      return "true";
    };
    this[n.error] = () => {
      this.calls.push([n.error]);
      return String(this.lastError);
    };
    this[n.errorString] = (code) => `error ${code}`;
  }

  refuse(match, code, times = 1) {
    this.setRefusals.push({ match, code, times });
  }

  refuseCommit(code, times = 1) {
    this.commitRefusals.push({ code, times });
  }

  /** The SetValue calls, as `[element, value]`. */
  sets() {
    const set = NAMES[this.version].set;
    return this.calls.filter((c) => c[0] === set).map((c) => [c[1], c[2]]);
  }

  /** Names of the functions called, in order (GetLastError left out unless `errors`). */
  names({ errors = false } = {}) {
    const error = NAMES[this.version].error;
    return this.calls.map((c) => c[0]).filter((name) => errors || name !== error);
  }

  /** The data as of the last successful commit (or terminate). */
  lastCommit() {
    return this.committed.at(-1) ?? {};
  }
}

/** A case bundle: two graded points and an ungraded one, two competencies. */
export function caseBundle({ mastery = 0.6 } = {}) {
  return {
    format: "clusterexcellence.player-bundle",
    version: 1,
    module: {
      id: "test-case",
      course: "test-course",
      kind: "case",
      variant: "case",
      lang: "en",
      languages: ["en"],
      title: "A test case",
      summary: "",
      duration_minutes: 10,
      instrument: { id: "test-case", version: 1 },
      mastery_score: mastery,
    },
    ui: {},
    case: {
      protagonist: { name: "Ana", role: "manager" },
      learning_objectives: [],
      sections: [],
      exhibits: [],
      start: "first-call",
      points: [
        {
          id: "first-call",
          title: "The <em>first</em> call &amp; more",
          prompt: [{ when: null, html: "<p>Who do you call?</p>" }],
          graded: true,
          competencies: ["strategy.priority-setting"],
          options: [
            { id: "call-board", html: "<p>The board</p>" },
            { id: "call-members", html: "<p>The members</p>" },
            { id: "wait-and-see", html: "<p>Nobody</p>" },
          ],
        },
        {
          id: "budget-cut",
          title: "The budget cut",
          prompt: [{ when: null, html: "<p>What goes?</p>" }],
          graded: true,
          competencies: ["finance.funding-mix"],
          options: [
            { id: "cut-events", html: "<p>Events</p>" },
            { id: "cut-staff", html: "<p>Staff</p>" },
          ],
        },
        {
          id: "reflection-stop",
          title: "A pause",
          prompt: [{ when: null, html: "<p>How do you feel?</p>" }],
          graded: false,
          competencies: [],
          options: [
            { id: "fine", html: "<p>Fine</p>" },
            { id: "tired", html: "<p>Tired</p>" },
          ],
        },
      ],
      debrief: "<p>Done.</p>",
      reflections: [],
      competencies: [
        { id: "strategy.priority-setting", title: "Priority setting" },
        { id: "finance.funding-mix", title: "Funding mix" },
      ],
    },
    instrument: null,
    peers: null,
    modules: {},
    keys: null,
  };
}

/** An instrument bundle with one item of each type and two top-level dimensions. */
export function instrumentBundle({ mastery = null } = {}) {
  return {
    format: "clusterexcellence.player-bundle",
    version: 1,
    module: {
      id: "test-instrument",
      course: "test-course",
      kind: "instrument",
      variant: "self-test",
      lang: "fr",
      languages: ["fr"],
      title: "Un test",
      summary: "",
      duration_minutes: 20,
      instrument: { id: "test-instrument", version: 1 },
      mastery_score: mastery,
    },
    ui: {},
    case: null,
    instrument: {
      id: "test-instrument",
      version: 1,
      description: null,
      levels: [],
      dimensions: [
        { id: "strategy", title: "Stratégie", description: null, modules: [], children: [] },
        { id: "finance", title: "Finances", description: null, modules: [], children: [] },
      ],
      sections: [],
      items: [
        { id: "rate-planning", type: "likert", prompt: "<p>Je planifie</p>", help: null, points: 5, labels: [] },
        {
          id: "pick-partner",
          type: "situational",
          prompt: "<p>Quel partenaire ?</p>",
          help: null,
          scenario: "",
          options: [
            { id: "opt-a", html: "A" },
            { id: "opt-b", html: "B" },
            { id: "opt-c", html: "C" },
          ],
        },
        {
          id: "funding-sources",
          type: "multiple_choice",
          prompt: "<p>Sources</p>",
          help: null,
          options: [
            { id: "public-grants", html: "Grants" },
            { id: "member-fees", html: "Fees" },
            { id: "services", html: "Services" },
          ],
        },
        { id: "budget-eur", type: "numeric", prompt: "<p>Budget</p>", help: null, unit: "EUR", min: 0, max: null, integer: true },
        { id: "has-audit", type: "boolean", prompt: "<p>Audit ?</p>", help: null },
        { id: "skipped", type: "likert", prompt: "<p>Skipped</p>", help: null, points: 5, labels: [] },
      ],
      profile: [],
      label: null,
    },
    peers: null,
    modules: {},
    keys: { spec: INSTRUMENT_SPEC, decisions: null },
  };
}

/** The scoring spec of `instrumentBundle` (docs/scoring-spec.md). */
export const INSTRUMENT_SPEC = {
  format: "clusterexcellence.scoring-spec",
  version: 1,
  instrument: { id: "test-instrument", version: 1 },
  epsilon: 1e-9,
  min_coverage: 0.5,
  levels: [],
  dimensions: [
    { id: "strategy", parent: null, weight: 1, leaf: true },
    { id: "finance", parent: null, weight: 1, leaf: true },
  ],
  items: [
    { id: "rate-planning", type: "likert", dimensions: [[0, 1]], points: 5, reverse: false },
    { id: "pick-partner", type: "situational", dimensions: [[0, 1]], options: ["opt-a", "opt-b", "opt-c"], scores: [1, 0.5, 0] },
    {
      id: "funding-sources",
      type: "multiple_choice",
      dimensions: [[1, 1]],
      options: ["public-grants", "member-fees", "services"],
      scores: [1, -1, 1],
      mode: "partial_credit",
      cap: null,
    },
    { id: "budget-eur", type: "numeric", dimensions: [[1, 1]], min: 0, max: null, integer: true, linear: { zero: 500000, full: 1000000 } },
    { id: "has-audit", type: "boolean", dimensions: [[1, 1]], true_score: 1, false_score: 0 },
    { id: "skipped", type: "likert", dimensions: [[0, 1]], points: 5, reverse: false },
  ],
  label: null,
};

/** A result JSON (docs/scoring-spec.md) for `instrumentBundle`. */
export function instrumentResult(overall = 0.7) {
  return {
    instrument: { id: "test-instrument", version: 1 },
    overall: { score: overall, coverage: 1, level: null },
    dimensions: {
      strategy: { score: 0.8, coverage: 1, level: null },
      finance: { score: 0.55, coverage: 1, level: null },
    },
    answered_share: 5 / 6,
    items: {
      "rate-planning": 0.75,
      "pick-partner": 0.5,
      "funding-sources": 1,
      "budget-eur": 0,
      "has-audit": 1,
      skipped: null,
    },
    label: null,
  };
}

/** Answers to `instrumentBundle` (one item left out). */
export const INSTRUMENT_ANSWERS = {
  "rate-planning": 4,
  "pick-partner": "opt-b",
  "funding-sources": ["public-grants", "services"],
  "budget-eur": 250000,
  "has-audit": true,
};
