// The evaluator's output (indices, per docs/scoring-spec.md "Output of the plain
// evaluator") → the result JSON every channel reports ("A respondent's result as JSON"),
// the same mapping as RespondentResult.to_json() of clusterexcellence.engine.results.
import { evaluate } from "./evaluator.js";

const levelId = (levels, index) => (index >= 0 ? levels[index].id : null);

function measure(m, levels) {
  return { score: m.score, coverage: m.coverage, level: levelId(levels, m.level) };
}

// Python's `f"{x:g}"` for the values label rules hold (shares in [0, 1]).
const general = (x) => String(Number(x.toPrecision(6)));

function reasonMessage(r) {
  if (r.kind === "requirement") return `minimum requirement '${r.requirement}' not met`;
  if (r.kind === "ratio") return `score ratio ${r.actual.toFixed(3)} is below ${general(r.needed)}`;
  const pct = (x) => `${Math.round(x * 100)}%`;
  return `${pct(r.actual)} of items answered, ${pct(r.needed)} needed`;
}

/**
 * The result JSON of `answers` under `spec`.
 *
 * `about` gives what the spec does not hold: `indicators` (label indicators in spec
 * order, each with `modules`) and `labelLevels` (label levels with `valid_months`), as a
 * bundle's `instrument.label` has them (`{indicators, levels}`); `null` without label rules.
 */
export function resultJson(spec, answers, about = null) {
  const ev = evaluate(spec, answers);
  const out = {
    instrument: { id: spec.instrument.id, version: spec.instrument.version },
    overall: measure(ev.overall, spec.levels),
    dimensions: Object.fromEntries(
      spec.dimensions.map((d) => [d.id, measure(ev.dimensions[d.id], spec.levels)]),
    ),
    answered_share: ev.answered_share,
    items: ev.items,
    label: null,
  };
  if (ev.label === null) return out;
  const rules = spec.label;
  const lab = ev.label;
  const indicators = about?.indicators ?? [];
  const labelLevels = about?.levels ?? [];
  const failed = new Set(rules.requirements.map((r) => r.id));
  for (const id of lab.requirements_met) failed.delete(id);
  const levels = rules.levels.map((lv, v) => {
    const check = lab.levels[v];
    const reasons = check.requirements_failed.map((id) => ({
      kind: "requirement",
      requirement: id,
      actual: null,
      needed: null,
    }));
    if (!check.ratio_ok) {
      reasons.push({ kind: "ratio", requirement: null, actual: lab.ratio, needed: lv.min_ratio });
    }
    if (!check.coverage_ok) {
      reasons.push({
        kind: "coverage",
        requirement: null,
        actual: ev.answered_share,
        needed: lv.min_coverage,
      });
    }
    for (const r of reasons) r.message = reasonMessage(r);
    return { level: lv.id, reachable: check.reachable, reasons };
  });
  const byId = Object.fromEntries(rules.indicators.map((r, k) => [r.id, k]));
  const level = lab.level;
  out.label = {
    level: levelId(rules.levels, level),
    points: lab.points,
    max_points: lab.max_points,
    ratio: lab.ratio,
    indicators_met: lab.indicators_met,
    requirements_met: lab.requirements_met,
    requirements_failed: rules.requirements.filter((r) => failed.has(r.id)).map((r) => r.id),
    levels,
    gaps: lab.gaps.map((id) => {
      const rule = rules.indicators[byId[id]];
      const answer = answers[spec.items[rule.item].id];
      return {
        indicator: id,
        points: rule.points,
        answered: answer !== undefined && answer !== null,
        modules: [...(indicators[byId[id]]?.modules ?? [])],
      };
    }),
    valid_months: level >= 0 ? (labelLevels[level]?.valid_months ?? null) : null,
  };
  return out;
}
