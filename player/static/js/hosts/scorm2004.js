// The player's host in a SCORM 2004 (4th edition) LMS (the `API_1484_11` object; SCORM
// 2004 RTE section 4).
//
// What the LMS receives (docs/player.md, "SCORM 2004"):
// - at the start, `cmi.completion_status` = `incomplete` when it is `not attempted` or
//   `unknown`, `cmi.exit` = `suspend`;
// - at each save, `cmi.suspend_data` (at most 64,000 characters), `cmi.location`,
//   `cmi.progress_measure`, `cmi.session_time` (ISO 8601 duration), then Commit;
// - at each decision of a case, one `cmi.interactions.n` (an interaction with the same id
//   is updated in place); at the finish of an instrument, one per answered item;
//   `learner_response` in 2004 formats, choice ids made to match `^[\w.]{1,250}$`;
// - at the finish, `cmi.objectives.n` per competency or top-level dimension (found by id
//   among those the LMS already has, e.g. from the manifest), then
//   `cmi.score.scaled/raw/min/max`, `cmi.progress_measure` = 1, and only then
//   `cmi.completion_status` = `completed` and, for a graded module,
//   `cmi.success_status` = `passed`/`failed` against the LMS's `cmi.scaled_passing_score`
//   or else the bundle's `module.mastery_score` (an ungraded module leaves it `unknown`).

import {
  DESCRIPTION_LIMIT_2004,
  LOCATION_LIMIT_2004,
  SUSPEND_LIMIT_2004,
  choiceId2004,
  clip,
  decimal,
  isoDuration,
  itemRecords,
  masteryScore,
  objectivesOf,
  passes,
  timestamp2004,
} from "./scorm-common.js";
import { createScormHost } from "./scorm-session.js";

function indexOf(conn, collection) {
  const ids = new Map();
  const count = Number(conn.get(`cmi.${collection}._count`)) || 0;
  for (let n = 0; n < count; n += 1) ids.set(conn.get(`cmi.${collection}.${n}.id`), n);
  return { ids, count };
}

function slot(index, id) {
  let n = index.ids.get(id);
  if (n === undefined) {
    n = index.count;
    index.count += 1;
    index.ids.set(id, n);
  }
  return n;
}

/**
 * An option id as a 2004 choice response id (see `choiceId2004`); an id that cannot be
 * mapped (content ids always can) is sent as its option index, so a decision is never
 * lost to its format.
 */
function choiceResponseId(id, options) {
  try {
    return choiceId2004(id);
  } catch {
    return String(options.indexOf(id));
  }
}

/** learner_response in the format of the interaction type (SCORM 2004 RTE 4.1.6.7). */
function response(record) {
  switch (record.type) {
    case "choice":
      return record.response.map((id) => choiceResponseId(id, record.options)).join("[,]");
    case "likert":
      return String(record.response);
    case "numeric":
      return decimal(record.response, 7);
    case "true-false":
      return record.response ? "true" : "false";
    default:
      throw new Error(`no SCORM 2004 response format for ${record.type}`);
  }
}

function result2004(outcome) {
  if (typeof outcome === "number") return decimal(outcome, 7);
  return outcome === "wrong" ? "incorrect" : outcome;
}

function described(info, text) {
  return text ? `{lang=${info.lang}}${clip(text, DESCRIPTION_LIMIT_2004)}` : null;
}

function interactionWrites(info, records) {
  const writes = [];
  for (const record of records) {
    const p = `cmi.interactions.${slot(info.interactions, record.id)}`;
    writes.push([`${p}.id`, record.id], [`${p}.type`, record.type]);
    const description = described(info, record.description);
    if (description) writes.push([`${p}.description`, description]);
    writes.push([`${p}.timestamp`, timestamp2004(new Date(record.at))]);
    writes.push([`${p}.weighting`, String(record.weighting)]);
    writes.push([`${p}.learner_response`, response(record)]);
    writes.push([`${p}.result`, result2004(record.result)]);
    if (typeof record.latencyMs === "number") writes.push([`${p}.latency`, isoDuration(record.latencyMs)]);
  }
  return writes;
}

function scoreWrites(prefix, score) {
  return [
    [`${prefix}.score.scaled`, decimal(score, 7)],
    [`${prefix}.score.raw`, decimal(score * 100, 2)],
    [`${prefix}.score.min`, "0"],
    [`${prefix}.score.max`, "100"],
  ];
}

function finishWrites({ bundle, info, result, answers, mastery, at }) {
  const writes = [];
  if (bundle.instrument && answers) {
    const records = itemRecords(bundle, answers, result).map((r) => ({ ...r, at }));
    writes.push(...interactionWrites(info, records));
  }
  for (const { id, title } of objectivesOf(bundle)) {
    const p = `cmi.objectives.${slot(info.objectives, id)}`;
    const score = result?.dimensions?.[id]?.score ?? null;
    writes.push([`${p}.id`, id]);
    const description = described(info, title);
    if (description) writes.push([`${p}.description`, description]);
    if (typeof score === "number") {
      writes.push(...scoreWrites(p, score));
      if (mastery !== null) writes.push([`${p}.success_status`, passes(score, mastery) ? "passed" : "failed"]);
      writes.push([`${p}.completion_status`, "completed"]);
    } else {
      writes.push([`${p}.completion_status`, "not attempted"]);
    }
  }
  const overall = result?.overall?.score ?? null;
  if (typeof overall === "number") writes.push(...scoreWrites("cmi", overall));
  writes.push(["cmi.progress_measure", "1"], ["cmi.completion_status", "completed"]);
  if (mastery !== null) writes.push(["cmi.success_status", passes(overall, mastery) ? "passed" : "failed"]);
  return writes;
}

/** How the session speaks SCORM 2004 (see scorm-session.js for the fields). */
export const SCORM2004 = {
  name: "scorm2004",
  version: "SCORM 2004",
  apiName: "API_1484_11",
  dialect: {
    initialize: "Initialize",
    terminate: "Terminate",
    getValue: "GetValue",
    setValue: "SetValue",
    commit: "Commit",
    getLastError: "GetLastError",
    getErrorString: "GetErrorString",
    // argument error, undefined/unimplemented element, read-only, write-only, type
    // mismatch, out of range, dependency not established
    permanent: new Set([201, 401, 402, 404, 405, 406, 407, 408]),
  },
  suspendLimit: SUSPEND_LIMIT_2004,
  suspendElement: "cmi.suspend_data",
  locationLimit: LOCATION_LIMIT_2004,
  locationElement: "cmi.location",

  read(conn, bundle) {
    const entry = conn.get("cmi.entry");
    const mode = conn.get("cmi.mode");
    const passing = conn.get("cmi.scaled_passing_score");
    return {
      entry,
      resume: entry === "resume",
      review: mode === "browse" || mode === "review",
      location: conn.get("cmi.location"),
      suspendData: conn.get("cmi.suspend_data"),
      status: conn.get("cmi.completion_status"),
      masteryFromLms: passing === "" ? null : Number(passing),
      lang: bundle?.module?.lang ?? "en",
      interactions: indexOf(conn, "interactions"),
      objectives: indexOf(conn, "objectives"),
    };
  },
  startWrites(info) {
    const writes = [];
    if (info.status === "not attempted" || info.status === "unknown" || info.status === "") {
      writes.push(["cmi.completion_status", "incomplete"]);
    }
    writes.push(["cmi.exit", "suspend"]);
    return writes;
  },
  progressWrites(progress, finished) {
    if (finished || typeof progress !== "number" || !(progress >= 0 && progress <= 1)) return [];
    return [["cmi.progress_measure", decimal(progress, 7)]];
  },
  sessionWrites({ elapsedMs, finished }) {
    return [
      ["cmi.session_time", isoDuration(elapsedMs)],
      ["cmi.exit", finished ? "normal" : "suspend"],
    ];
  },
  mastery(bundle, info) {
    return masteryScore(bundle, info.masteryFromLms);
  },
  interactionWrites,
  finishWrites,
};

/** The player's host in a SCORM 2004 LMS: `createHost(bundle, {window, onProblem})` resolves to it
 * once the LMS is found and the session started, or the search gave up (preview mode). */
export function createHost(bundle, options) {
  return createScormHost(bundle, options, SCORM2004);
}
