// The player's host in a SCORM 1.2 LMS (the `API` object; SCORM 1.2 RTE section 3.4).
//
// What the LMS receives (docs/player.md, "SCORM 1.2"):
// - at the start, `cmi.core.lesson_status` = `incomplete` when the LMS says `not attempted`
//   (an earlier passed/completed/failed is never taken back), `cmi.core.exit` = `suspend`;
// - at each save, `cmi.suspend_data` (at most 4,096 characters: a longer state is refused
//   and reported, the LMS keeps the previous one), `cmi.core.lesson_location`,
//   `cmi.core.session_time` (HHHH:MM:SS.SS), then LMSCommit;
// - at each decision of a case, one `cmi.interactions.n` (journaled: n counts on from
//   `cmi.interactions._count`); at the finish of an instrument, one per answered item;
// - at the finish, `cmi.objectives.n` per competency or top-level dimension, then
//   `cmi.core.score.raw/min/max` (0-100), and only then `cmi.core.lesson_status`.
//
// SCORM 1.2 has one status for completion and success: a graded module (a mastery
// score: the LMS's `cmi.student_data.mastery_score`, else the bundle's
// `module.mastery_score`) ends `passed` or `failed`, which both mean completed; an
// ungraded one ends `completed`.

import {
  LOCATION_LIMIT_12,
  RESPONSE_CHARS_12,
  SUSPEND_LIMIT_12,
  clip,
  decimal,
  itemRecords,
  masteryScore,
  objectivesOf,
  passes,
  time12,
  timespan12,
} from "./scorm-common.js";
import { createScormHost } from "./scorm-session.js";

function objectiveIndex(conn) {
  const ids = new Map();
  const count = Number(conn.get("cmi.objectives._count")) || 0;
  for (let n = 0; n < count; n += 1) ids.set(conn.get(`cmi.objectives.${n}.id`), n);
  return { ids, count };
}

/** A choice response: option index characters, comma-separated (SCORM 1.2 RTE 3.4.4). */
function choiceResponse(record) {
  const chars = record.response.map((id) => RESPONSE_CHARS_12[record.options.indexOf(id)]);
  if (chars.some((c) => c === undefined)) return null;
  return chars.join(",");
}

function response(record) {
  switch (record.type) {
    case "choice":
      return choiceResponse(record);
    case "likert":
      return RESPONSE_CHARS_12[record.response] ?? null;
    case "numeric":
      return decimal(record.response, 4);
    case "true-false":
      return record.response ? "t" : "f";
    default:
      return null;
  }
}

function result12(outcome) {
  return typeof outcome === "number" ? decimal(outcome, 4) : outcome;
}

function interactionWrites(info, records) {
  const writes = [];
  for (const record of records) {
    const n = info.interactions;
    info.interactions += 1;
    const p = `cmi.interactions.${n}`;
    let type = record.type;
    let answer = response(record);
    if (answer === null) {
      // more options than 1.2's 36 response characters: the ids, as fill-in text
      type = "fill-in";
      answer = clip([].concat(record.response).join(","), 255);
    }
    writes.push([`${p}.id`, record.id], [`${p}.type`, type]);
    writes.push([`${p}.student_response`, answer], [`${p}.result`, result12(record.result)]);
    writes.push([`${p}.weighting`, String(record.weighting)]);
    if (typeof record.latencyMs === "number") writes.push([`${p}.latency`, timespan12(record.latencyMs)]);
    writes.push([`${p}.time`, time12(new Date(record.at))]);
  }
  return writes;
}

function objectiveStatus(score, mastery) {
  if (typeof score !== "number") return "not attempted";
  if (mastery === null) return "completed";
  return passes(score, mastery) ? "passed" : "failed";
}

function finishWrites({ bundle, info, result, answers, mastery, at }) {
  const writes = [];
  if (bundle.instrument && answers) {
    const records = itemRecords(bundle, answers, result).map((r) => ({ ...r, at }));
    writes.push(...interactionWrites(info, records));
  }
  for (const { id } of objectivesOf(bundle)) {
    let n = info.objectives.ids.get(id);
    if (n === undefined) {
      n = info.objectives.count;
      info.objectives.count += 1;
      info.objectives.ids.set(id, n);
    }
    const score = result?.dimensions?.[id]?.score ?? null;
    const p = `cmi.objectives.${n}`;
    writes.push([`${p}.id`, id]);
    if (typeof score === "number") {
      writes.push([`${p}.score.raw`, decimal(score * 100, 2)]);
      writes.push([`${p}.score.min`, "0"], [`${p}.score.max`, "100"]);
    }
    writes.push([`${p}.status`, objectiveStatus(score, mastery)]);
  }
  const overall = result?.overall?.score ?? null;
  if (typeof overall === "number") {
    writes.push(["cmi.core.score.raw", decimal(overall * 100, 2)]);
    writes.push(["cmi.core.score.min", "0"], ["cmi.core.score.max", "100"]);
  }
  const status = mastery === null ? "completed" : passes(overall, mastery) ? "passed" : "failed";
  writes.push(["cmi.core.lesson_status", status]);
  return writes;
}

/** How the session speaks SCORM 1.2 (see scorm-session.js for the fields). */
export const SCORM12 = {
  name: "scorm12",
  version: "SCORM 1.2",
  apiName: "API",
  dialect: {
    initialize: "LMSInitialize",
    terminate: "LMSFinish",
    getValue: "LMSGetValue",
    setValue: "LMSSetValue",
    commit: "LMSCommit",
    getLastError: "LMSGetLastError",
    getErrorString: "LMSGetErrorString",
    // invalid argument, not implemented, keyword, read-only, write-only, wrong data type
    permanent: new Set([201, 401, 402, 403, 404, 405]),
  },
  suspendLimit: SUSPEND_LIMIT_12,
  suspendElement: "cmi.suspend_data",
  locationLimit: LOCATION_LIMIT_12,
  locationElement: "cmi.core.lesson_location",

  read(conn) {
    const entry = conn.get("cmi.core.entry");
    const mode = conn.get("cmi.core.lesson_mode");
    const mastery = conn.get("cmi.student_data.mastery_score");
    return {
      entry,
      resume: entry === "resume",
      review: mode === "browse" || mode === "review",
      location: conn.get("cmi.core.lesson_location"),
      suspendData: conn.get("cmi.suspend_data"),
      status: conn.get("cmi.core.lesson_status"),
      masteryFromLms: mastery === "" ? null : Number(mastery) / 100,
      interactions: Number(conn.get("cmi.interactions._count")) || 0,
      objectives: objectiveIndex(conn),
    };
  },
  startWrites(info) {
    const writes = [];
    if (info.status === "not attempted" || info.status === "") {
      writes.push(["cmi.core.lesson_status", "incomplete"]);
    }
    writes.push(["cmi.core.exit", "suspend"]);
    return writes;
  },
  progressWrites() {
    return []; // SCORM 1.2 has no progress measure
  },
  sessionWrites({ elapsedMs, finished }) {
    return [
      ["cmi.core.session_time", timespan12(elapsedMs)],
      ["cmi.core.exit", finished ? "" : "suspend"],
    ];
  },
  mastery(bundle, info) {
    return masteryScore(bundle, info.masteryFromLms);
  },
  interactionWrites,
  finishWrites,
};

/** The player's host in a SCORM 1.2 LMS: `createHost(bundle, {window, onProblem})` resolves to it
 * once the LMS is found and the session started, or the search gave up (preview mode). */
export function createHost(bundle, options) {
  return createScormHost(bundle, options, SCORM12);
}
