// The scoring spec's evaluator for one learner, in the browser and in node.
//
// It reads nothing but a scoring spec (docs/scoring-spec.md) and the learner's answers,
// and gives the numbers the Python engine gives for the same answers: the parity test
// (tests/player/test_parity.py) holds them to 1e-9 on thousands of random answer sets of
// every bundled instrument and case. Answers are natural values keyed by item id: a
// likert point (integer), an option id, an array of option ids (multiple choice), a
// number, or a boolean; a missing key, null or undefined is unanswered.

export const SPEC_FORMAT = "clusterexcellence.scoring-spec";
export const SPEC_VERSION = 1;

/** Throw unless `spec` is a scoring spec of a version this evaluator knows. */
export function checkSpec(spec) {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
    throw new Error("not a scoring spec: not an object");
  }
  if (spec.format !== SPEC_FORMAT) {
    throw new Error(`not a scoring spec: format is ${JSON.stringify(spec.format)}`);
  }
  if (spec.version !== SPEC_VERSION) {
    throw new Error(`scoring spec version ${JSON.stringify(spec.version)} is not supported`);
  }
}

const OPS = {
  ">=": (v, t, e) => v >= t - e,
  ">": (v, t) => v > t,
  "<=": (v, t, e) => v <= t + e,
  "<": (v, t) => v < t,
  "==": (v, t, e) => Math.abs(v - t) <= e,
  "!=": (v, t, e) => Math.abs(v - t) > e,
};

function optionIndex(item, answer) {
  const j = item.options.indexOf(answer);
  if (j < 0) throw new Error(`item ${item.id}: unknown option ${JSON.stringify(answer)}`);
  return j;
}

/** The answer as the number label thresholds test (likert point, 1/0, numeric value). */
export function itemValue(item, answer) {
  if (item.type === "boolean") return answer ? 1 : 0;
  if (item.type === "likert" || item.type === "numeric") return Number(answer);
  return NaN; // choice answers have no value: thresholds test their score
}

/** Score in [0, 1] of one answer to one item of the spec. */
export function itemScore(item, answer) {
  switch (item.type) {
    case "likert": {
      const s = (answer - 1) / (item.points - 1);
      return item.reverse ? 1 - s : s;
    }
    case "single_choice":
    case "situational":
      return item.scores[optionIndex(item, answer)];
    case "multiple_choice": {
      const chosen = [...new Set(answer.map((a) => optionIndex(item, a)))].sort((a, b) => a - b);
      let total = 0;
      for (const j of chosen) total += item.scores[j]; // added in option order
      if (item.mode === "capped_sum") return Math.min(Math.max(total, 0), item.cap) / item.cap;
      if (item.mode === "all_or_nothing") {
        const key = item.scores.flatMap((s, j) => (s > 0 ? [j] : []));
        return key.length === chosen.length && key.every((j, k) => chosen[k] === j) ? 1 : 0;
      }
      let positive = 0;
      for (const s of item.scores) if (s > 0) positive += s;
      return Math.max(total, 0) / positive;
    }
    case "numeric": {
      if (item.linear) {
        const { zero, full } = item.linear;
        return Math.min(Math.max((answer - zero) / (full - zero), 0), 1);
      }
      let result = 0; // bands: compared exactly, no epsilon
      item.bands.from.forEach((low, b) => {
        if (answer >= low) result = item.bands.score[b];
      });
      return result;
    }
    case "boolean":
      return answer ? item.true_score : item.false_score;
    default:
      throw new Error(`unknown item type ${JSON.stringify(item.type)} in the scoring spec`);
  }
}

function levelOf(score, levels, eps) {
  let found = -1;
  if (score === null) return found;
  levels.forEach((lv, v) => {
    if (score >= lv.min - eps) found = v;
  });
  return found;
}

const given = (a) => a !== undefined && a !== null;

/**
 * Evaluate one learner's answers against a scoring spec.
 *
 * Returns {items: {id: score|null}, dimensions: {id: {score, coverage, level}},
 * overall: {score, coverage, level}, answered_share, label} where levels are indices
 * (-1: none) and `label` (null without label rules) is {indicators_met,
 * requirements_met, points, max_points, ratio, level, levels: [{reachable,
 * requirements_failed, ratio_ok, coverage_ok}], gaps: [indicator ids, most points first]}.
 */
export function evaluate(spec, answers) {
  checkSpec(spec);
  const eps = spec.epsilon;
  const minCov = spec.min_coverage;
  const items = spec.items;
  const dims = spec.dimensions;
  const scores = items.map((item) =>
    given(answers[item.id]) ? itemScore(item, answers[item.id]) : null,
  );
  const num = dims.map(() => 0);
  const den = dims.map(() => 0);
  const tot = dims.map(() => 0);
  items.forEach((item, j) => {
    for (const [d, w] of item.dimensions) {
      tot[d] += w;
      if (scores[j] !== null) {
        num[d] += w * scores[j];
        den[d] += w;
      }
    }
  });
  const dimScore = dims.map(() => null);
  const dimCov = dims.map(() => 0);
  // Depth-first order: walking backwards meets every child before its parent.
  for (let i = dims.length - 1; i >= 0; i -= 1) {
    let cov;
    let value;
    if (dims[i].leaf) {
      cov = den[i] / tot[i];
      value = den[i] > 0 ? num[i] / den[i] : null;
    } else {
      const kids = dims.flatMap((d, k) => (d.parent === i ? [k] : []));
      const have = kids.filter((k) => dimScore[k] !== null);
      let weight = 0;
      for (const k of kids) weight += dims[k].weight;
      let got = 0;
      let sum = 0;
      for (const k of have) {
        got += dims[k].weight;
        sum += dims[k].weight * dimScore[k];
      }
      cov = got / weight;
      value = have.length ? sum / got : null;
    }
    dimCov[i] = cov;
    dimScore[i] = cov >= minCov - eps ? value : null;
  }
  const tops = dims.flatMap((d, k) => (d.parent === null ? [k] : []));
  let topWeight = 0;
  let got = 0;
  let sum = 0;
  for (const k of tops) {
    topWeight += dims[k].weight;
    if (dimScore[k] !== null) {
      got += dims[k].weight;
      sum += dims[k].weight * dimScore[k];
    }
  }
  const overallCov = got / topWeight;
  let overall = got > 0 ? sum / got : null;
  if (overallCov < minCov - eps) overall = null;
  const answered = scores.filter((s) => s !== null).length / items.length;

  const result = {
    items: Object.fromEntries(items.map((item, j) => [item.id, scores[j]])),
    dimensions: Object.fromEntries(
      dims.map((d, i) => [
        d.id,
        { score: dimScore[i], coverage: dimCov[i], level: levelOf(dimScore[i], spec.levels, eps) },
      ]),
    ),
    overall: { score: overall, coverage: overallCov, level: levelOf(overall, spec.levels, eps) },
    answered_share: answered,
    label: null,
  };
  if (spec.label !== null) result.label = evaluateLabel(spec, answers, scores, answered);
  return result;
}

function ruleMet(rule, spec, answers, scores) {
  const item = spec.items[rule.item];
  const answer = answers[item.id];
  if (!given(answer)) return false;
  const v = rule.on === "score" ? scores[rule.item] : itemValue(item, answer);
  return OPS[rule.op](v, rule.value, spec.epsilon);
}

function evaluateLabel(spec, answers, scores, answered) {
  const label = spec.label;
  const eps = spec.epsilon;
  const met = label.indicators.filter((r) => ruleMet(r, spec, answers, scores));
  let points = 0;
  for (const r of met) points += r.points;
  let maxPoints = 0;
  for (const r of label.indicators) maxPoints += r.points;
  const ratio = points / maxPoints;
  const reqMet = new Set(
    label.requirements.filter((r) => ruleMet(r, spec, answers, scores)).map((r) => r.id),
  );
  const levels = label.levels.map((lv, v) => {
    const failed = label.requirements
      .filter((r) => r.levels.includes(v) && !reqMet.has(r.id))
      .map((r) => r.id);
    const ratioOk = ratio >= lv.min_ratio - eps;
    const coverageOk = answered >= lv.min_coverage - eps;
    return {
      reachable: failed.length === 0 && ratioOk && coverageOk,
      requirements_failed: failed,
      ratio_ok: ratioOk,
      coverage_ok: coverageOk,
    };
  });
  let level = -1;
  levels.forEach((lv, v) => {
    if (lv.reachable) level = v;
  });
  const metIds = new Set(met.map((r) => r.id));
  const gaps = label.indicators
    .map((r, k) => ({ id: r.id, points: r.points, k }))
    .filter((g) => !metIds.has(g.id))
    .sort((a, b) => b.points - a.points || a.k - b.k) // most points first, ties in order
    .map((g) => g.id);
  return {
    indicators_met: met.map((r) => r.id),
    requirements_met: label.requirements.filter((r) => reqMet.has(r.id)).map((r) => r.id),
    points,
    max_points: maxPoints,
    ratio,
    level,
    levels,
    gaps,
  };
}
