"""Label outcomes for one organisation: reachable level, score ratio and gaps.

The arithmetic is done in batch by :func:`~clusterexcellence.engine.scoring.score`; this
module turns one row of it into what a cluster manager reads: the highest label level the
organisation is ready to apply for, for every level whether it is reachable and why not,
and every unmet indicator as a gap, largest points lost first, with the modules that
train it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .compile import EPSILON
from .exceptions import LabelRulesError
from .scoring import ScoreResult


@dataclass(frozen=True)
class Gap:
    """An unmet indicator: the points it would bring and the modules that address it."""

    indicator: str
    points: float
    answered: bool  # False: unmet because its item was not answered
    modules: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    """Why a label level is not reachable.

    ``kind`` is ``"requirement"`` (a knock-out failed: ``requirement`` names it),
    ``"ratio"`` (the score ratio ``actual`` is below ``needed``) or ``"coverage"`` (the
    share of items answered ``actual`` is below ``needed``).
    """

    kind: Literal["requirement", "ratio", "coverage"]
    requirement: str | None = None
    actual: float | None = None
    needed: float | None = None

    def __str__(self) -> str:
        if self.kind == "requirement":
            return f"minimum requirement {self.requirement!r} not met"
        if self.kind == "ratio":
            return f"score ratio {self.actual:.3f} is below {self.needed:g}"
        return f"{self.actual:.0%} of items answered, {self.needed:.0%} needed"


@dataclass(frozen=True)
class LevelCheck:
    """Whether one label level is reachable, and every reason it is not."""

    level: str
    reachable: bool
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class LabelReport:
    """The label outcome of one organisation."""

    level: str | None  # highest reachable label level, None if none is
    points: float
    max_points: float
    ratio: float
    indicators_met: tuple[str, ...]
    requirements_met: tuple[str, ...]
    requirements_failed: tuple[str, ...]
    levels: tuple[LevelCheck, ...]  # every label level, lowest first
    gaps: tuple[Gap, ...]  # unmet indicators, most points first
    valid_months: int | None = None  # validity of the reachable level


def label_report(result: ScoreResult, row: int) -> LabelReport:
    """The label outcome of respondent ``row`` of a scored batch.

    Works whether or not the batch kept its item scores.

    Parameters
    ----------
    result : ScoreResult
        A batch scored against an instrument with label rules (``K`` indicators, ``Q``
        minimum requirements, ``V`` label levels).
    row : int
        The respondent, ``0 <= row < result.n``.

    Returns
    -------
    LabelReport
        ``levels`` has one check per label level (V); ``gaps`` one entry per unmet
        indicator, sorted by points lost, ties in the instrument's order.

    Raises
    ------
    LabelRulesError
        When the instrument has no label rules.

    Examples
    --------
    >>> from clusterexcellence.engine.examples import labelled_instrument
    >>> from clusterexcellence.engine import compile_instrument, score
    >>> c = compile_instrument(labelled_instrument())
    >>> rep = label_report(score([[1, 0, 30]], c, item_scores=False), 0)
    >>> rep.level, rep.points, rep.ratio, [g.indicator for g in rep.gaps]
    ('bronze', 2.0, 0.5, ['qi-events'])
    >>> [(check.level, check.reachable, [str(r) for r in check.reasons]) for check in rep.levels]
    [('bronze', True, []), ('gold', False, ["minimum requirement 'mr-survey' not met"])]
    """
    compiled = result.compiled
    rules, L, lab = compiled.instrument.label, compiled.label, result.label
    if rules is None or L is None or lab is None:
        raise LabelRulesError(f"instrument {compiled.instrument.id!r} has no label rules")
    met, answered = lab.indicator_met[row], lab.indicator_answered[row]
    req = lab.requirement_met[row]
    ratio = float(lab.ratio[row])
    share = float(result.answered_share[row])
    gaps = []
    for k in L.gap_order.tolist():
        if not met[k]:
            ind = rules.indicators[k]
            gaps.append(Gap(ind.id, ind.points, bool(answered[k]), tuple(ind.modules)))
    checks = []
    for v, lv in enumerate(rules.levels):
        reasons = [
            Reason("requirement", requirement=r.id)
            for q, r in enumerate(rules.minimum_requirements)
            if L.req_levels[q, v] and not req[q]
        ]
        if ratio < lv.min_ratio - EPSILON:
            reasons.append(Reason("ratio", actual=ratio, needed=lv.min_ratio))
        if share < lv.min_coverage - EPSILON:
            reasons.append(Reason("coverage", actual=share, needed=lv.min_coverage))
        checks.append(LevelCheck(lv.id, bool(lab.level_reachable[row, v]), tuple(reasons)))
    level_idx = int(lab.level[row])
    level = rules.levels[level_idx] if level_idx >= 0 else None
    return LabelReport(
        level=level.id if level else None,
        points=float(lab.points[row]),
        max_points=float(L.points.sum()),
        ratio=ratio,
        indicators_met=tuple(i for k, i in enumerate(L.indicator_ids) if met[k]),
        requirements_met=tuple(r for q, r in enumerate(L.requirement_ids) if req[q]),
        requirements_failed=tuple(r for q, r in enumerate(L.requirement_ids) if not req[q]),
        levels=tuple(checks),
        gaps=tuple(gaps),
        valid_months=level.valid_months if level else None,
    )
