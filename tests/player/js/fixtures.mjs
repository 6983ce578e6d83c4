// Bundles and random learner states for the node tests of the player.
import { readFileSync } from "node:fs";

/** A small seeded generator (mulberry32): the same states on every run. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** The bundles the pytest wrapper built from the bundled content (CE_BUNDLES: a JSON file). */
export function contentBundles() {
  const path = process.env.CE_BUNDLES;
  if (!path) throw new Error("CE_BUNDLES is not set: run these tests through pytest");
  return JSON.parse(readFileSync(path, "utf8"));
}

const opts = (...ids) => ids.map((id) => ({ id, html: id.toUpperCase() }));

/** An instrument bundle with one item of every type and a profile of every field type. */
export function everyTypeBundle({ version = 1 } = {}) {
  return {
    format: "clusterexcellence.player-bundle",
    version: 1,
    module: {
      id: "every-type",
      course: "tests",
      kind: "instrument",
      variant: "label",
      lang: "en",
      languages: ["en"],
      title: "Every type",
      summary: "",
      duration_minutes: 5,
      instrument: { id: "every-type", version },
      mastery_score: null,
    },
    ui: {},
    case: null,
    instrument: {
      id: "every-type",
      version,
      description: null,
      levels: [],
      dimensions: [{ id: "d", title: "D", description: null, modules: [], children: [] }],
      sections: [{ id: "d", title: "D", items: ["lk", "sc", "sj", "mc", "nu", "bo"] }],
      items: [
        { id: "lk", type: "likert", prompt: "", help: null, points: 5, labels: [] },
        { id: "sc", type: "single_choice", prompt: "", help: null, options: opts("a", "b") },
        { id: "sj", type: "situational", prompt: "", help: null, scenario: "", options: opts("x", "y", "z") },
        { id: "mc", type: "multiple_choice", prompt: "", help: null, options: opts("p", "q", "r") },
        { id: "nu", type: "numeric", prompt: "", help: null, unit: null, min: -10, max: 1000, integer: false },
        { id: "bo", type: "boolean", prompt: "", help: null },
      ],
      profile: [
        { id: "name", type: "text", label: "", help: null, unit: null, choices: [], required: true, min: null, max: null },
        { id: "site", type: "url", label: "", help: null, unit: null, choices: [], required: false, min: null, max: null },
        { id: "mail", type: "email", label: "", help: null, unit: null, choices: [], required: false, min: null, max: null },
        { id: "land", type: "country", label: "", help: null, unit: null, choices: [], required: false, min: null, max: null },
        { id: "year", type: "integer", label: "", help: null, unit: null, choices: [], required: false, min: 1950, max: 2100 },
        { id: "fte", type: "number", label: "", help: null, unit: null, choices: [], required: false, min: 0, max: null },
        {
          id: "portfolio",
          type: "choice",
          label: "",
          help: null,
          unit: null,
          choices: [{ id: "energy", label: "" }, { id: "health", label: "" }],
          required: true,
          min: null,
          max: null,
        },
      ],
      label: null,
    },
    peers: null,
    modules: {},
    keys: null,
  };
}

const TEXT_CHARS = ["a", "é", "\"", "\\", " ", "€", "😀", "<", "&", "\u2028"];

/** A random valid answer to `item`. */
export function randomAnswer(rand, item) {
  switch (item.type) {
    case "likert":
      return 1 + Math.floor(rand() * item.points);
    case "single_choice":
    case "situational":
      return pick(rand, item.options).id;
    case "multiple_choice":
      return item.options.filter(() => rand() < 0.5).map((o) => o.id);
    case "numeric": {
      const lo = item.min ?? -1e6;
      const hi = item.max ?? 1e6;
      const x = lo + rand() * (hi - lo);
      return item.integer ? Math.min(Math.round(x), Math.floor(hi)) : x;
    }
    case "boolean":
      return rand() < 0.5;
    default:
      throw new Error(`no random answer for ${item.type}`);
  }
}

/** A random valid profile value for `field`, text at most `max` characters. */
export function randomProfileValue(rand, field, max) {
  if (field.type === "choice") return pick(rand, field.choices).id;
  if (field.type === "integer" || field.type === "number") {
    const lo = field.min ?? 0;
    const hi = field.max ?? lo + 1e7;
    const x = lo + rand() * (hi - lo);
    return field.type === "integer" ? Math.round(x) : x;
  }
  let text = "";
  const n = Math.floor(rand() * max);
  while (text.length < n) {
    const c = pick(rand, TEXT_CHARS);
    if (text.length + c.length > n) break;
    text += c;
  }
  return text;
}
