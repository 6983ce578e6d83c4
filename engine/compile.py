"""Compile an instrument once into the arrays that scoring needs.

Answers are coded as numbers (see :mod:`~clusterexcellence.engine.items`) so that a batch
is one float array of shape ``(n_respondents, n_items)`` with NaN for "not answered".

A :class:`CompiledInstrument` says what the instrument means as arrays (ids, valid
answers, the dimension tree and weights, levels, label rules); its
:class:`ScoringLayout` says how the scorer lays out memory to compute it fast: every
discrete item (all but numeric) is scored by looking its code up in one flat table of
pre-computed item scores, numeric items go through their bands or linear rule in two
column groups, and parents are scored bottom-up by one matrix product per height.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .instrument import Instrument, threshold_target
from .items import NumericItem

#: Tolerance of every ">=" comparison against a cut score, ratio or coverage, so that a
#: score that is 0.8 in exact arithmetic is not refused for a rounding error.
EPSILON = 1e-9

OPERATORS = (">=", ">", "<=", "<", "==", "!=")


def numeric_scores(item: NumericItem, values: np.ndarray) -> np.ndarray:
    """Score numeric answers (NaN stays NaN).

    Bands: the score of the last band whose lower bound is <= the value (compared
    exactly, without epsilon), 0 below the first band. Linear: 0 at ``zero``, 1 at
    ``full``, straight in between, clipped.

    Parameters
    ----------
    item : NumericItem
    values : ndarray of shape (n,)
        Answer values, NaN where unanswered.

    Returns
    -------
    ndarray of shape (n,)
        Item scores in [0, 1], NaN where unanswered.

    >>> from clusterexcellence.engine.items import NumericItem
    >>> it = NumericItem.model_validate({"id": "x", "type": "numeric", "prompt": {"en": "x"},
    ...     "scoring": {"bands": [{"from": 0, "score": 0.5}, {"from": 10, "score": 1}]}})
    >>> numeric_scores(it, np.array([-1.0, 0.0, 9.5, 10.0, np.nan])).tolist()
    [0.0, 0.5, 0.5, 1.0, nan]
    """
    sc = item.scoring
    if sc.linear is not None:
        return np.clip((values - sc.linear.zero) / (sc.linear.full - sc.linear.zero), 0.0, 1.0)
    lows = np.array([b.from_ for b in sc.bands])
    scores = np.array([0.0] + [b.score for b in sc.bands])
    # searchsorted(side="right") counts the bounds <= value: 0 means below every band.
    idx = np.searchsorted(lows, np.nan_to_num(values, nan=-np.inf), side="right")
    out = scores[idx]
    out[np.isnan(values)] = np.nan
    return out


@dataclass(frozen=True, eq=False)
class CompiledLabel:
    """Label rules as arrays; ``K`` indicators, ``Q`` requirements, ``V`` levels."""

    indicator_ids: tuple[str, ...]
    ind_cols: np.ndarray  # (K,) item column tested
    ind_on_score: np.ndarray  # (K,) bool: test the score, not the answer value
    ind_ops: np.ndarray  # (K,) index into OPERATORS
    ind_values: np.ndarray  # (K,)
    points: np.ndarray  # (K,)
    requirement_ids: tuple[str, ...]
    req_cols: np.ndarray  # (Q,)
    req_on_score: np.ndarray  # (Q,)
    req_ops: np.ndarray  # (Q,)
    req_values: np.ndarray  # (Q,)
    req_levels: np.ndarray  # (Q, V) bool: requirement q applies to level v
    level_ids: tuple[str, ...]
    min_ratio: np.ndarray  # (V,)
    min_coverage: np.ndarray  # (V,)

    @property
    def gap_order(self) -> np.ndarray:
        """(K,) indicator indices, most points first (ties in instrument order): the order
        in which unmet indicators are listed as gaps."""
        return np.argsort(-self.points, kind="stable")


@dataclass(frozen=True, eq=False)
class NumericGroup:
    """Numeric items of one scoring rule; ``k`` items."""

    cols: np.ndarray  # (k,) columns in the response array
    lo: np.ndarray  # (k,) finite lowest valid answer
    hi: np.ndarray  # (k,) finite highest valid answer
    whole: np.ndarray  # (k,) bool: answers must be whole numbers

    def __len__(self) -> int:
        return len(self.cols)


@dataclass(frozen=True, eq=False)
class BandGroup(NumericGroup):
    """Numeric items scored by bands; ``B`` the most bands of any of them."""

    lows: np.ndarray  # (k, B) lower bounds, padded with +inf
    scores: np.ndarray  # (k, B + 1) score below every bound, then of each band
    rows: np.ndarray  # (k,) offset of each row in scores.ravel()


@dataclass(frozen=True, eq=False)
class LinearGroup(NumericGroup):
    """Numeric items scored linearly: ``(value - zero) / span``, clipped to [0, 1]."""

    zero: np.ndarray  # (k,)
    span: np.ndarray  # (k,) full - zero


@dataclass(frozen=True, eq=False)
class ScoringLayout:
    """How :func:`~clusterexcellence.engine.scoring.score` lays out an instrument in memory.

    ``m`` items, ``D`` dimensions. Nothing here changes what a score means; it is the
    shape of the computation.
    """

    offsets: np.ndarray  # (m,) intp: table index of answer code 0
    table: np.ndarray  # flat table of discrete item scores, each between two 0 guards
    clip_lo: np.ndarray  # (m,) see _clip_bounds
    clip_hi: np.ndarray  # (m,)
    bands: BandGroup
    linear: LinearGroup
    dim_total: np.ndarray  # (D,) total item weight of each leaf, 1 for parents
    parent_steps: tuple[tuple[np.ndarray, np.ndarray], ...]  # bottom-up (cols, C (D, P))
    top_weights: np.ndarray  # (D,) weight of top-level dimensions, 0 elsewhere


@dataclass(frozen=True, eq=False)
class CompiledInstrument:
    """An instrument as arrays; ``m`` items, ``D`` dimensions (depth-first order)."""

    instrument: Instrument
    item_ids: tuple[str, ...]
    item_types: tuple[str, ...]
    columns: Mapping[str, int]  # item id → column in a response array
    lo: np.ndarray  # (m,) lowest valid answer code (-inf: none)
    hi: np.ndarray  # (m,) highest valid answer code (+inf: none)
    integral: np.ndarray  # (m,) bool: answers must be whole numbers
    dimension_ids: tuple[str, ...]
    parent: np.ndarray  # (D,) index of the parent dimension, -1 for top level
    # (m, D): weight of each item in each leaf dimension, 0 in the parents' columns.
    item_dim_weights: np.ndarray
    cuts: np.ndarray  # (n_levels,) ascending lowest score of each level
    level_ids: tuple[str, ...]
    min_coverage: float
    label: CompiledLabel | None
    layout: ScoringLayout

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @property
    def leaf_cols(self) -> np.ndarray:
        """(L,) dimension index of each leaf (a dimension that is no other's parent)."""
        has_children = np.zeros(len(self.dimension_ids), bool)
        has_children[self.parent[self.parent >= 0]] = True
        return np.flatnonzero(~has_children)

    @property
    def item_leaf_weights(self) -> np.ndarray:
        """(m, L) weight of each item in each leaf dimension."""
        return self.item_dim_weights[:, self.leaf_cols]

    def column(self, item_id: str) -> int:
        """Column of ``item_id`` in a response array (``KeyError`` if unknown)."""
        return self.columns[item_id]

    def scale_items(self) -> dict[str, list[int]]:
        """Dimension id → columns of the items that count towards it (its leaves' items).

        >>> from clusterexcellence.engine.examples import tiny_instrument
        >>> compile_instrument(tiny_instrument()).scale_items()
        {'a': [0, 1], 'a.x': [0], 'a.y': [1], 'b': [2]}
        """
        linked = self.item_dim_weights > 0  # (m, D)
        for d in range(len(self.dimension_ids) - 1, -1, -1):  # children before parents
            p = int(self.parent[d])
            if p >= 0:
                linked[:, p] |= linked[:, d]
        return {
            dim: np.flatnonzero(linked[:, d]).tolist() for d, dim in enumerate(self.dimension_ids)
        }


def compile_instrument(instrument: Instrument) -> CompiledInstrument:
    """Compile ``instrument`` into arrays for :func:`~clusterexcellence.engine.scoring.score`.

    Parameters
    ----------
    instrument : Instrument
        A validated instrument with ``m`` items and ``D`` dimensions.

    Returns
    -------
    CompiledInstrument
        Item arrays of shape (m,), dimension arrays of shape (D,) in depth-first order
        (every parent before its children), item weights of shape (m, D), the label
        rules as arrays when the instrument has them, and the scorer's memory layout.

    Examples
    --------
    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> c = compile_instrument(tiny_instrument())
    >>> c.item_ids, c.dimension_ids, c.parent.tolist()
    (('q1', 'q2', 'q3'), ('a', 'a.x', 'a.y', 'b'), [-1, 0, 0, -1])
    >>> c.lo.tolist(), c.hi.tolist(), c.column("q3")
    ([1.0, 0.0, 0.0], [5.0, 2.0, 1.0], 2)
    """
    items = instrument.items
    m = len(items)
    lo, hi, integral = np.empty(m), np.empty(m), np.zeros(m, bool)
    lookup = np.zeros(m, bool)  # scored through the table
    offsets = np.zeros(m, np.intp)
    chunks: list[np.ndarray] = [np.zeros(1)]  # entry 0 is a dummy for numeric columns
    start = 1
    for j, it in enumerate(items):
        lo[j], hi[j], integral[j] = it.code_range()
        scores = it.score_table()
        if scores is None:
            continue
        lookup[j] = True
        # Each item's scores sit between two guard entries scoring 0: answers clipped to
        # one below or above the range (unanswered or invalid) land on a guard.
        offsets[j] = start + 1 - int(lo[j])
        chunks.append(np.concatenate([[0.0], scores, [0.0]]))
        start += len(scores) + 2

    dims = list(instrument.iter_dimensions())
    dim_ids = tuple(d.id for d, _, _ in dims)
    pos = {d: i for i, d in enumerate(dim_ids)}
    D = len(dims)
    parent = np.array([-1 if p is None else pos[p.id] for _, p, _ in dims], np.intp)
    weights = np.array([d.weight for d, _, _ in dims])
    is_leaf = np.array([not d.children for d, _, _ in dims])
    W_dims = np.zeros((m, D))  # items link to leaves only: parents' columns stay 0
    for j, it in enumerate(items):
        for dim_id, w in it.dimensions.items():
            W_dims[j, pos[dim_id]] = w
    columns = {it.id: j for j, it in enumerate(items)}
    levels = instrument.levels
    return CompiledInstrument(
        instrument=instrument,
        item_ids=tuple(it.id for it in items),
        item_types=tuple(it.type for it in items),
        columns=columns,
        lo=lo,
        hi=hi,
        integral=integral,
        dimension_ids=dim_ids,
        parent=parent,
        item_dim_weights=W_dims,
        cuts=np.array([lv.min for lv in levels]),
        level_ids=tuple(lv.id for lv in levels),
        min_coverage=instrument.min_coverage,
        label=None if instrument.label is None else _compile_label(instrument, columns),
        layout=ScoringLayout(
            offsets=offsets,
            table=np.concatenate(chunks),
            clip_lo=_clip_bounds(lo, offsets, lookup, -1),
            clip_hi=_clip_bounds(hi, offsets, lookup, +1),
            bands=_band_group(items, lo, hi, integral),
            linear=_linear_group(items, lo, hi, integral),
            dim_total=np.where(is_leaf, W_dims.sum(axis=0), 1.0),
            parent_steps=_parent_steps(parent, weights),
            top_weights=np.where(parent < 0, weights, 0.0),
        ),
    )


def _parent_steps(parent: np.ndarray, weights: np.ndarray) -> tuple:
    """Bottom-up steps ``(cols, C)``: parents of one height and their children's weights."""
    D = len(parent)
    # Height of each dimension (leaves 0): parents are scored after all their children.
    height = np.zeros(D, int)
    for i in range(D - 1, -1, -1):  # depth-first order: children come after parents
        if parent[i] >= 0:
            height[parent[i]] = max(height[parent[i]], height[i] + 1)
    steps = []
    for h in range(1, int(height.max()) + 1):
        cols = np.flatnonzero(height == h)
        C = np.zeros((D, len(cols)))
        for k, p in enumerate(cols):
            kids = np.flatnonzero(parent == p)
            C[kids, k] = weights[kids]
        steps.append((cols, C))
    return tuple(steps)


def _numeric_columns(items, rule: str) -> list[int]:
    return [
        j
        for j, it in enumerate(items)
        if isinstance(it, NumericItem) and getattr(it.scoring, rule) is not None
    ]


def _group_bounds(cols: list[int], lo, hi, integral) -> dict:
    return {
        "cols": np.array(cols, np.intp),
        "lo": np.maximum(lo[cols], -np.finfo(float).max),
        "hi": np.minimum(hi[cols], np.finfo(float).max),
        "whole": integral[cols],
    }


def _band_group(items, lo, hi, integral) -> BandGroup:
    cols = _numeric_columns(items, "bands")
    B = max((len(items[j].scoring.bands) for j in cols), default=0)
    lows = np.full((len(cols), B), np.inf)
    scores = np.zeros((len(cols), B + 1))
    for k, j in enumerate(cols):
        bands = items[j].scoring.bands
        lows[k, : len(bands)] = [b.from_ for b in bands]
        scores[k, 1 : len(bands) + 1] = [b.score for b in bands]
    return BandGroup(
        **_group_bounds(cols, lo, hi, integral),
        lows=lows,
        scores=scores,
        rows=np.arange(len(cols), dtype=np.intp) * (B + 1),
    )


def _linear_group(items, lo, hi, integral) -> LinearGroup:
    cols = _numeric_columns(items, "linear")
    rules = [items[j].scoring.linear for j in cols]
    return LinearGroup(
        **_group_bounds(cols, lo, hi, integral),
        zero=np.array([r.zero for r in rules]),
        span=np.array([r.full - r.zero for r in rules]),
    )


def _clip_bounds(bound, offsets, lookup, side: int) -> np.ndarray:
    """Bounds that scoring clips ``answer + offset`` to: half a step outside the range.

    After the clip, the value is a whole number exactly when the answer was given, whole
    and in range. Half a step below the first table entry of a discrete item lies its 0
    guard entry, where truncation sends unanswered (NaN) cells. Numeric items are
    checked and scored apart: they are clipped to 0.5, which reads the table's dummy 0.
    """
    return np.where(lookup, bound + offsets + 0.5 * side, 0.5)


def _rule_arrays(prefix: str, rules, instrument: Instrument, columns: Mapping[str, int]) -> dict:
    """``<prefix>_cols``, ``_on_score``, ``_ops`` and ``_values`` of a list of label rules."""
    targets = [threshold_target(r.threshold, instrument.item(r.item)) for r in rules]
    return {
        f"{prefix}_cols": np.array([columns[r.item] for r in rules], np.intp),
        f"{prefix}_on_score": np.array([t == "score" for t in targets], bool),
        f"{prefix}_ops": np.array([OPERATORS.index(r.threshold.op) for r in rules], np.intp),
        f"{prefix}_values": np.array([r.threshold.value for r in rules], float),
    }


def _compile_label(instrument: Instrument, columns: Mapping[str, int]) -> CompiledLabel:
    rules = instrument.label
    level_ids = tuple(lv.id for lv in rules.levels)
    req_levels = np.array(
        [[lv in r.levels for lv in level_ids] for r in rules.minimum_requirements], bool
    ).reshape(len(rules.minimum_requirements), len(level_ids))
    return CompiledLabel(
        indicator_ids=tuple(r.id for r in rules.indicators),
        points=np.array([r.points for r in rules.indicators], float),
        requirement_ids=tuple(r.id for r in rules.minimum_requirements),
        req_levels=req_levels,
        level_ids=level_ids,
        min_ratio=np.array([lv.min_ratio for lv in rules.levels]),
        min_coverage=np.array([lv.min_coverage for lv in rules.levels]),
        **_rule_arrays("ind", rules.indicators, instrument, columns),
        **_rule_arrays("req", rules.minimum_requirements, instrument, columns),
    )
