"""Label outcomes for one organisation: reachable level, score ratio and gaps.

The arithmetic is done in batch by :func:`~clusterexcellence.engine.scoring.score`; this
module turns one row of it into what a cluster manager reads: the highest label level the
organisation is ready to apply for, the knock-outs that block higher levels, and every
unmet indicator as a gap, largest points lost first, with the modules that train it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .compile import EPSILON
from .scoring import ScoreResult


@dataclass(frozen=True)
class Gap:
    indicator: str
    points: float
    answered: bool
    modules: tuple[str, ...]


@dataclass(frozen=True)
class LevelCheck:
    level: str
    reachable: bool
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class LabelReport:
    level: str | None
    points: float
    max_points: float
    ratio: float
    requirements_failed: tuple[str, ...]
    levels: tuple[LevelCheck, ...]
    gaps: tuple[Gap, ...] = field(default=())
    valid_months: int | None = None


def label_report(result: ScoreResult, row: int) -> LabelReport:
    """The label outcome of respondent ``row`` of a scored batch.

    Gaps are sorted by points lost (then by the indicator's order in the instrument).
    """
    compiled = result.compiled
    rules = compiled.instrument.label
    if rules is None or result.label is None:
        raise ValueError(f"instrument {compiled.instrument.id!r} has no label rules")
    lab, L = result.label, compiled.label
    met = lab.indicator_met[row]
    req = lab.requirement_met[row]
    ratio = float(lab.ratio[row])
    share = float(result.answered_share[row])
    gaps = []
    for k, ind in enumerate(rules.indicators):
        if not met[k]:
            answered = not np.isnan(result.item_scores[row, compiled.column(ind.item)])
            gaps.append(Gap(ind.id, ind.points, answered, tuple(ind.modules)))
    gaps.sort(key=lambda g: -g.points)  # stable: ties keep the instrument's order
    checks = []
    for v, lv in enumerate(rules.levels):
        reasons = [
            f"minimum requirement {r.id!r} not met"
            for q, r in enumerate(rules.minimum_requirements)
            if L.req_levels[q, v] and not req[q]
        ]
        if ratio < lv.min_ratio - EPSILON:
            reasons.append(f"score ratio {ratio:.3f} is below {lv.min_ratio:g}")
        if share < lv.min_coverage - EPSILON:
            reasons.append(f"{share:.0%} of items answered, {lv.min_coverage:.0%} needed")
        checks.append(LevelCheck(lv.id, not reasons, tuple(reasons)))
    level_idx = int(lab.level[row])
    level = rules.levels[level_idx] if level_idx >= 0 else None
    return LabelReport(
        level=level.id if level else None,
        points=float(lab.points[row]),
        max_points=float(L.points.sum()),
        ratio=ratio,
        requirements_failed=tuple(
            r.id for q, r in enumerate(rules.minimum_requirements) if not req[q]
        ),
        levels=tuple(checks),
        gaps=tuple(gaps),
        valid_months=level.valid_months if level else None,
    )
