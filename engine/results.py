"""Typed results of respondents: what every channel shows, stores and sends.

:func:`~clusterexcellence.engine.scoring.score` gives a batch as arrays; this module reads
one row of it as a :class:`RespondentResult` (item, dimension and overall scores with
coverage and level; the label outcome with readiness per level and gaps) with a
JSON-ready form. :func:`score_answers` goes from natural answers (form fields, JSON,
LMS interactions) to results in one call, for one respondent or many, through the same
batch code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .compile import CompiledInstrument
from .labels import LabelReport, label_report
from .responses import Invalid, encode_rows
from .scoring import ScoreResult, score


@dataclass(frozen=True)
class Measure:
    """A score in [0, 1] (None: missing), its coverage in [0, 1] and its level."""

    score: float | None
    coverage: float
    level: str | None  # level id, None when missing or below every level


@dataclass(frozen=True)
class DimensionResult(Measure):
    id: str = ""


@dataclass(frozen=True)
class RespondentResult:
    """One respondent's full result on one instrument."""

    instrument: str
    version: int
    overall: Measure
    dimensions: tuple[DimensionResult, ...]  # depth first, as in the instrument
    answered_share: float  # share of the instrument's items answered
    items: Mapping[str, float | None] | None  # item id → score (None: unanswered)
    label: LabelReport | None  # when the instrument has label rules

    def dimension(self, dimension_id: str) -> DimensionResult:
        """The result of one dimension (``KeyError`` if the instrument has no such one)."""
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping of this result (documented in ``docs/scoring-spec.md``)."""
        out: dict[str, Any] = {
            "instrument": {"id": self.instrument, "version": self.version},
            "overall": _measure_json(self.overall),
            "dimensions": {d.id: _measure_json(d) for d in self.dimensions},
            "answered_share": self.answered_share,
            "items": None if self.items is None else dict(self.items),
            "label": None if self.label is None else _label_json(self.label),
        }
        return out


def _measure_json(m: Measure) -> dict[str, Any]:
    return {"score": m.score, "coverage": m.coverage, "level": m.level}


def _label_json(rep: LabelReport) -> dict[str, Any]:
    return {
        "level": rep.level,
        "points": rep.points,
        "max_points": rep.max_points,
        "ratio": rep.ratio,
        "indicators_met": list(rep.indicators_met),
        "requirements_met": list(rep.requirements_met),
        "requirements_failed": list(rep.requirements_failed),
        "levels": [
            {
                "level": check.level,
                "reachable": check.reachable,
                "reasons": [
                    {
                        "kind": r.kind,
                        "requirement": r.requirement,
                        "actual": r.actual,
                        "needed": r.needed,
                        "message": str(r),
                    }
                    for r in check.reasons
                ],
            }
            for check in rep.levels
        ],
        "gaps": [
            {
                "indicator": g.indicator,
                "points": g.points,
                "answered": g.answered,
                "modules": list(g.modules),
            }
            for g in rep.gaps
        ],
        "valid_months": rep.valid_months,
    }


def _number(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


def _level(index: int, ids: tuple[str, ...]) -> str | None:
    return ids[index] if index >= 0 else None


def respondent_result(result: ScoreResult, row: int) -> RespondentResult:
    """The typed result of respondent ``row`` of a scored batch.

    Parameters
    ----------
    result : ScoreResult
        A scored batch of ``n`` respondents (with or without item scores).
    row : int
        ``0 <= row < n``.

    Returns
    -------
    RespondentResult
        ``items`` is None when the batch was scored with ``item_scores=False``.

    Examples
    --------
    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> from clusterexcellence.engine.compile import compile_instrument
    >>> res = score([[5, 1, None]], compile_instrument(tiny_instrument()))
    >>> r = respondent_result(res, 0)
    >>> r.overall, r.dimension("a.y").score, r.items["q3"]
    (Measure(score=0.75, coverage=0.5, level='low'), 0.5, None)
    """
    c = result.compiled
    levels = c.level_ids
    dims = tuple(
        DimensionResult(
            id=dim_id,
            score=_number(result.dimension_scores[row, d]),
            coverage=float(result.dimension_coverage[row, d]),
            level=_level(int(result.dimension_levels[row, d]), levels),
        )
        for d, dim_id in enumerate(c.dimension_ids)
    )
    items = None
    if result.item_scores is not None:
        items = {i: _number(result.item_scores[row, j]) for j, i in enumerate(c.item_ids)}
    return RespondentResult(
        instrument=c.instrument.id,
        version=c.instrument.version,
        overall=Measure(
            score=_number(result.overall[row]),
            coverage=float(result.overall_coverage[row]),
            level=_level(int(result.overall_level[row]), levels),
        ),
        dimensions=dims,
        answered_share=float(result.answered_share[row]),
        items=items,
        label=label_report(result, row) if c.label is not None else None,
    )


def respondent_results(result: ScoreResult) -> list[RespondentResult]:
    """The typed result of every respondent of a scored batch, in row order.

    Parameters
    ----------
    result : ScoreResult
        ``n`` respondents.

    Returns
    -------
    list of n RespondentResult

    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> from clusterexcellence.engine.compile import compile_instrument
    >>> c = compile_instrument(tiny_instrument())
    >>> rs = respondent_results(score([[1, 0, 0], [5, 2, 1]], c))
    >>> [r.overall.level for r in rs]
    ['low', 'high']
    """
    return [respondent_result(result, row) for row in range(result.n)]


def score_answers(
    compiled: CompiledInstrument,
    answers: Sequence[Mapping[str, Any]],
    *,
    invalid: Invalid = "raise",
    respondent_ids: list | None = None,
) -> list[RespondentResult]:
    """Score natural answers (item id → value, one mapping per respondent) into results.

    One respondent is a list of one mapping: every channel scores through this call.

    Parameters
    ----------
    compiled : CompiledInstrument
    answers : sequence of n mappings
        Item id → natural answer (see :func:`~clusterexcellence.engine.responses.encode_answer`).
    invalid : {"raise", "missing"}
    respondent_ids : list of n ids, optional
        How errors name respondents (default: their position).

    Returns
    -------
    list of n RespondentResult

    Raises
    ------
    ResponseError
        Naming the respondent and the item of the first unreadable or out-of-range
        answer (unless ``invalid="missing"``: such answers are unanswered).

    >>> from clusterexcellence.engine.examples import labelled_instrument
    >>> from clusterexcellence.engine.compile import compile_instrument
    >>> c = compile_instrument(labelled_instrument())
    >>> [r] = score_answers(c, [{"has-strategy": True, "survey": "yes", "events": 45}])
    >>> r.overall.score, r.label.level, r.label.gaps
    (0.95, 'gold', ())
    """
    X = encode_rows(compiled, answers, invalid=invalid, respondent_ids=respondent_ids)
    return respondent_results(score(X, compiled, invalid=invalid, respondent_ids=respondent_ids))
