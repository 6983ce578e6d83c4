// Data types of the SCORM 1.2 and 2004 run-time data models (and of xAPI, for cmi5), and
// the learner's answers as SCORM interactions.
//
// Every limit and format lives here once, named as in the specifications: SCORM 1.2 RTE
// section 3.4 (CMITimespan, CMITime, CMIDecimal, the interaction vocabularies) and SCORM
// 2004 4th edition RTE section 4.1 (timeinterval, time, real, short_identifier_type).

/** SCORM 1.2 `cmi.suspend_data` is a CMIString4096. */
export const SUSPEND_LIMIT_12 = 4096;
/** SCORM 2004 4th edition `cmi.suspend_data`: characterstring (SPM 64,000). */
export const SUSPEND_LIMIT_2004 = 64000;
/** SCORM 1.2 `cmi.core.lesson_location` is a CMIString255. */
export const LOCATION_LIMIT_12 = 255;
/** SCORM 2004 `cmi.location`: characterstring (SPM 1,000). */
export const LOCATION_LIMIT_2004 = 1000;
/** SCORM 2004 `description` of interactions and objectives: localized_string_type (SPM 250). */
export const DESCRIPTION_LIMIT_2004 = 250;
/** Moodle's pattern for a SCORM 2004 choice response id (stricter than short_identifier_type). */
export const CHOICE_ID_2004 = /^[\w.]{1,250}$/;
/** The characters of a SCORM 1.2 choice or likert response, in option order. */
export const RESPONSE_CHARS_12 = "0123456789abcdefghijklmnopqrstuvwxyz";
/** Tolerance of the mastery comparison (the scoring spec's epsilon). */
export const EPSILON = 1e-9;

const pad = (n, width = 2) => String(n).padStart(width, "0");

/** `x` as a plain decimal with at most `digits` decimals, trailing zeros dropped. */
export function decimal(x, digits) {
  const text = Number(x).toFixed(digits);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function centiseconds(ms) {
  return Math.max(0, Math.round(ms / 10));
}

/** A duration as SCORM 1.2 CMITimespan `HHHH:MM:SS.SS` (capped at 9999:59:59.99). */
export function timespan12(ms) {
  const cs = Math.min(centiseconds(ms), 9999 * 360000 + 359999);
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${pad(h, 4)}:${pad(m)}:${pad(s)}.${pad(cs % 100)}`;
}

/** A time of day (local) as SCORM 1.2 CMITime `HH:MM:SS`. */
export function time12(date) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A duration as ISO 8601 `PT#H#M#.##S` (SCORM 2004 timeinterval(second,10,2); xAPI). */
export function isoDuration(ms) {
  const cs = centiseconds(ms);
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = decimal((cs % 6000) / 100, 2);
  if (h === 0 && m === 0) return `PT${s}S`;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s === "0" ? "" : `${s}S`}`;
}

/** A moment as SCORM 2004 time(second,10,0) in UTC: `YYYY-MM-DDThh:mm:ss.ssZ`. */
export function timestamp2004(date) {
  const cs = pad(Math.floor(date.getUTCMilliseconds() / 10));
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${day}T${time}.${cs}Z`;
}

/**
 * An option id as a SCORM 2004 choice response id matching `^[\w.]{1,250}$` (Moodle's
 * rule): content ids are lowercase letters, digits and single hyphens, so each `-`
 * becomes `_` and `choiceId2004Back` undoes it exactly.
 */
export function choiceId2004(id) {
  const mapped = String(id).replaceAll("-", "_");
  if (!CHOICE_ID_2004.test(mapped) || String(id).includes("_")) {
    throw new Error(`option id ${JSON.stringify(id)} cannot be a SCORM 2004 choice response id`);
  }
  return mapped;
}

/** The option id behind a SCORM 2004 choice response id made by `choiceId2004`. */
export function choiceId2004Back(mapped) {
  return String(mapped).replaceAll("_", "-");
}

/** Plain text of an HTML fragment (tags dropped, the common entities decoded), one line. */
export function plainText(html) {
  const entities = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };
  return String(html ?? "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, name) => entities[name])
    .replace(/\s+/g, " ")
    .trim();
}

/** `text` cut to `limit` characters (an ellipsis marks the cut). */
export function clip(text, limit) {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/**
 * The mastery score in [0, 1] that decides passed/failed: the LMS's own value when it
 * gives one (`fromLms`, already scaled to [0, 1]), else the bundle's
 * `module.mastery_score`; null when the module is not graded.
 */
export function masteryScore(bundle, fromLms) {
  if (typeof fromLms === "number" && Number.isFinite(fromLms)) return fromLms;
  const own = bundle?.module?.mastery_score;
  return typeof own === "number" && Number.isFinite(own) ? own : null;
}

/** True when `score` reaches `mastery` (within the scoring spec's epsilon). */
export function passes(score, mastery) {
  return typeof score === "number" && score >= mastery - EPSILON;
}

/**
 * The objectives a result reports: one per competency a case trains, or one per
 * top-level dimension of an instrument; `[{id, title}]` in bundle order.
 */
export function objectivesOf(bundle) {
  if (bundle?.case) return bundle.case.competencies.map(({ id, title }) => ({ id, title }));
  const dims = bundle?.instrument?.dimensions ?? [];
  return dims.map(({ id, title }) => ({ id, title }));
}

/**
 * How a scored answer turns out: `neutral` when there is no right answer (an ungraded
 * decision point, a likert self-rating), else `correct` (score 1), `wrong` (score 0) or
 * the score itself in (0, 1).
 */
export function outcome(score, graded = true) {
  if (!graded || score === null || score === undefined) return "neutral";
  if (Math.abs(score - 1) <= EPSILON) return "correct";
  if (Math.abs(score) <= EPSILON) return "wrong";
  return score;
}

const INTERACTION_TYPES = {
  likert: "likert",
  single_choice: "choice",
  situational: "choice",
  multiple_choice: "choice",
  numeric: "numeric",
  boolean: "true-false",
};

/**
 * The interaction record of one decision of a case: `{id, type, response, options,
 * result, weighting, description}` where `response` is the list of chosen option ids.
 */
export function decisionRecord(bundle, pointId, optionId, decision) {
  const point = bundle.case.points.find((p) => p.id === pointId);
  if (!point) throw new Error(`no decision point ${JSON.stringify(pointId)} in the bundle`);
  const graded = point.graded !== false && decision?.score !== null;
  return {
    id: pointId,
    type: "choice",
    response: [optionId],
    options: point.options.map((o) => o.id),
    result: outcome(decision?.score ?? null, graded),
    weighting: graded ? 1 : 0,
    description: plainText(point.title),
  };
}

/**
 * The interaction records of an instrument's answers (unanswered items have none), with
 * their outcome from `result.items` (the item scores of the result JSON).
 */
export function itemRecords(bundle, answers, result) {
  const records = [];
  for (const item of bundle.instrument.items) {
    const answer = answers?.[item.id];
    if (answer === undefined || answer === null) continue;
    const type = INTERACTION_TYPES[item.type];
    if (!type) continue;
    const score = result?.items?.[item.id] ?? null;
    const options = (item.options ?? []).map((o) => o.id);
    let response = answer;
    if (type === "choice") response = Array.isArray(answer) ? answer : [answer];
    records.push({
      id: item.id,
      type,
      response,
      options,
      result: outcome(score, item.type !== "likert"),
      weighting: 1,
      description: plainText(item.prompt),
    });
  }
  return records;
}
