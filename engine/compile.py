"""Compile an instrument once into the arrays that scoring needs.

Answers are coded as numbers so that a batch is one float array of shape
``(n_respondents, n_items)`` with NaN for "not answered":

=================  ==============================================================
item type          answer code
=================  ==============================================================
likert             the point, ``1 .. points``
single_choice      the option index, ``0 .. n_options - 1``
situational        the option index
multiple_choice    a bit mask of the selected options (bit ``j`` = option ``j``)
numeric            the value itself
boolean            ``1`` for true, ``0`` for false
=================  ==============================================================

Every discrete item (all but numeric) is scored by looking its code up in one flat table
of pre-computed item scores; numeric items go through their bands or linear rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .instrument import (
    Instrument,
    MultipleChoiceItem,
    NumericItem,
    threshold_target,
)

#: Tolerance of every ">=" comparison against a cut score, ratio or coverage, so that a
#: score that is 0.8 in exact arithmetic is not refused for a rounding error.
EPSILON = 1e-9

OPERATORS = (">=", ">", "<=", "<", "==", "!=")


def multiple_choice_scores(item: MultipleChoiceItem) -> np.ndarray:
    """Score of every selection of a multiple-choice item.

    Returns
    -------
    scores : ndarray of shape (2 ** n_options,)
        ``scores[mask]`` is the item score of the selection whose bit ``j`` is option ``j``.
    """
    raw = np.array([o.score for o in item.options])
    masks = np.arange(1 << len(raw))
    # bits[mask, j] is 1 when option j is in the selection.
    bits = (masks[:, None] >> np.arange(len(raw))) & 1
    total = bits @ raw
    if item.mode == "capped_sum":
        return np.clip(total, 0.0, item.cap) / item.cap
    if item.mode == "all_or_nothing":
        key = int(np.sum((raw > 0) << np.arange(len(raw))))
        return (masks == key).astype(float)
    return np.maximum(total, 0.0) / raw[raw > 0].sum()


def discrete_scores(item) -> tuple[float, np.ndarray]:
    """The lowest answer code of a discrete item and the score of each code from it."""
    if item.type == "likert":
        s = np.linspace(0.0, 1.0, item.points)
        return 1.0, s[::-1].copy() if item.reverse else s
    if item.type in ("single_choice", "situational"):
        raw = np.array([o.score for o in item.options])
        return 0.0, raw / raw.max()
    if item.type == "multiple_choice":
        return 0.0, multiple_choice_scores(item)
    if item.type == "boolean":
        return 0.0, np.array([item.false_score, item.true_score])
    raise TypeError(f"{item.type} items are not discrete")


def numeric_scores(item: NumericItem, values: np.ndarray) -> np.ndarray:
    """Score numeric answers (NaN stays NaN).

    Bands: the score of the last band whose lower bound is <= the value, 0 below the
    first band. Linear: 0 at ``zero``, 1 at ``full``, straight in between, clipped.
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


@dataclass(frozen=True, eq=False)
class CompiledInstrument:
    """An instrument as arrays; ``m`` items, ``D`` dimensions (depth-first order)."""

    instrument: Instrument
    item_ids: tuple[str, ...]
    item_types: tuple[str, ...]
    lo: np.ndarray  # (m,) lowest valid answer (-inf: none)
    hi: np.ndarray  # (m,) highest valid answer (+inf: none)
    integral: np.ndarray  # (m,) bool: answers must be whole numbers
    lookup: np.ndarray  # (m,) bool: scored through `table`
    offsets: np.ndarray  # (m,) intp: table index of answer code 0
    table: np.ndarray  # flat table of discrete item scores, each between two 0 guards
    clip_lo: np.ndarray  # (m,) see _clip_bounds
    clip_hi: np.ndarray  # (m,)
    numeric_cols: np.ndarray  # (nn,) columns of numeric items: band items, then linear ones
    band_cols: np.ndarray  # (nb,) numeric items scored by bands
    band_lows: np.ndarray  # (nb, B) lower bounds, padded with +inf
    band_scores: np.ndarray  # (nb, B + 1) score below every bound, then of each band
    band_rows: np.ndarray  # (nb,) offset of each row in band_scores.ravel()
    numeric_lo: np.ndarray  # (nn,) finite lowest valid answer
    numeric_hi: np.ndarray  # (nn,) finite highest valid answer
    numeric_integral: np.ndarray  # (nn,) bool
    linear_cols: np.ndarray  # (nl,) numeric items scored linearly
    linear_zero: np.ndarray  # (nl,) score = (value - zero) / span, clipped to [0, 1]
    linear_span: np.ndarray  # (nl,) full - zero
    dimension_ids: tuple[str, ...]
    parent: np.ndarray  # (D,) index of the parent dimension, -1 for top level
    leaf_cols: np.ndarray  # (L,) dimension index of each leaf
    # (m, D): weight of each item in each leaf, zero in the parents' columns, so that one
    # product gives the leaf sums in the results' own columns.
    item_dim_weights: np.ndarray
    dim_total: np.ndarray  # (D,) total item weight of each leaf, 1 for parents
    parent_steps: tuple[tuple[np.ndarray, np.ndarray], ...]  # bottom-up (cols, C (D, P))
    top_weights: np.ndarray  # (D,) weight of top-level dimensions, 0 elsewhere
    cuts: np.ndarray  # (n_levels,) ascending lowest score of each level
    level_ids: tuple[str, ...]
    min_coverage: float
    label: CompiledLabel | None = None
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def item_leaf_weights(self) -> np.ndarray:
        """(m, L) weight of each item in each leaf dimension."""
        return self.item_dim_weights[:, self.leaf_cols]

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    def column(self, item_id: str) -> int:
        """Column of ``item_id`` in a response array."""
        return self._index[item_id]


def compile_instrument(instrument: Instrument) -> CompiledInstrument:
    """Compile ``instrument`` into arrays for :func:`~clusterexcellence.engine.scoring.score`.

    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> c = compile_instrument(tiny_instrument())
    >>> c.item_ids, c.dimension_ids
    (('q1', 'q2', 'q3'), ('a', 'a.x', 'a.y', 'b'))
    """
    items = instrument.items
    m = len(items)
    lo, hi = np.full(m, -np.inf), np.full(m, np.inf)
    integral, lookup = np.zeros(m, bool), np.zeros(m, bool)
    offsets = np.zeros(m, np.intp)
    chunks: list[np.ndarray] = [np.zeros(1)]  # entry 0 is a dummy for numeric columns
    start = 1
    numeric_cols = []
    for j, it in enumerate(items):
        if isinstance(it, NumericItem):
            numeric_cols.append(j)
            lo[j] = -np.inf if it.min is None else it.min
            hi[j] = np.inf if it.max is None else it.max
            integral[j] = it.integer
            continue
        low, scores = discrete_scores(it)
        lo[j], hi[j] = low, low + len(scores) - 1
        integral[j] = lookup[j] = True
        # Each item's scores sit between two guard entries scoring 0: answers clipped to
        # one below or above the range (unanswered or invalid) land on a guard.
        offsets[j] = start + 1 - int(low)
        chunks.append(np.concatenate([[0.0], scores, [0.0]]))
        start += len(scores) + 2

    dims = list(instrument.iter_dimensions())
    dim_ids = tuple(d.id for d, _, _ in dims)
    pos = {d: i for i, d in enumerate(dim_ids)}
    D = len(dims)
    parent = np.array([-1 if p is None else pos[p.id] for _, p, _ in dims], np.intp)
    weights = np.array([d.weight for d, _, _ in dims])
    is_leaf = np.array([not d.children for d, _, _ in dims])
    leaf_cols = np.flatnonzero(is_leaf)
    W_dims = np.zeros((m, D))  # items link to leaves only: parents' columns stay 0
    for j, it in enumerate(items):
        for dim_id, w in it.dimensions.items():
            W_dims[j, pos[dim_id]] = w
    dim_total = np.where(is_leaf, W_dims.sum(axis=0), 1.0)

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
    top = np.where(parent < 0, weights, 0.0)

    levels = instrument.levels
    numeric = {j: items[j].scoring for j in numeric_cols}
    band_cols = [j for j, sc in numeric.items() if sc.bands is not None]
    linear_cols = [j for j, sc in numeric.items() if sc.linear is not None]
    B = max((len(numeric[j].bands) for j in band_cols), default=0)
    band_lows = np.full((len(band_cols), B), np.inf)
    band_scores = np.zeros((len(band_cols), B + 1))
    for k, j in enumerate(band_cols):
        bands = numeric[j].bands
        band_lows[k, : len(bands)] = [b.from_ for b in bands]
        band_scores[k, 1 : len(bands) + 1] = [b.score for b in bands]
    compiled = CompiledInstrument(
        instrument=instrument,
        item_ids=tuple(it.id for it in items),
        item_types=tuple(it.type for it in items),
        lo=lo,
        hi=hi,
        integral=integral,
        lookup=lookup,
        offsets=offsets,
        table=np.concatenate(chunks),
        clip_lo=_clip_bounds(lo, offsets, lookup, -1),
        clip_hi=_clip_bounds(hi, offsets, lookup, +1),
        numeric_cols=np.array(band_cols + linear_cols, np.intp),
        band_cols=np.array(band_cols, np.intp),
        band_lows=band_lows,
        band_scores=band_scores,
        band_rows=np.arange(len(band_cols), dtype=np.intp) * (B + 1),
        numeric_lo=np.maximum(lo[band_cols + linear_cols], -np.finfo(float).max),
        numeric_hi=np.minimum(hi[band_cols + linear_cols], np.finfo(float).max),
        numeric_integral=integral[band_cols + linear_cols],
        linear_cols=np.array(linear_cols, np.intp),
        linear_zero=np.array([numeric[j].linear.zero for j in linear_cols]),
        linear_span=np.array(
            [numeric[j].linear.full - numeric[j].linear.zero for j in linear_cols]
        ),
        dimension_ids=dim_ids,
        parent=parent,
        leaf_cols=leaf_cols,
        item_dim_weights=W_dims,
        dim_total=dim_total,
        parent_steps=tuple(steps),
        top_weights=top,
        cuts=np.array([lv.min for lv in levels]),
        level_ids=tuple(lv.id for lv in levels),
        min_coverage=instrument.min_coverage,
        label=None,
        _index={it.id: j for j, it in enumerate(items)},
    )
    if instrument.label is not None:
        object.__setattr__(compiled, "label", _compile_label(instrument, compiled))
    return compiled


def _clip_bounds(bound, offsets, lookup, side: int) -> np.ndarray:
    """Bounds that scoring clips ``answer + offset`` to: half a step outside the range.

    After the clip, the value is a whole number exactly when the answer was given, whole
    and in range. Half a step below the first table entry of a discrete item lies its 0
    guard entry, where truncation sends unanswered (NaN) cells. Numeric items are
    checked and scored apart: they are clipped to 0.5, which reads the table's dummy 0.
    """
    return np.where(lookup, bound + offsets + 0.5 * side, 0.5)


def _rule_arrays(rules, instrument: Instrument, compiled: CompiledInstrument):
    cols = np.array([compiled.column(r.item) for r in rules], np.intp)
    on_score = np.array(
        [threshold_target(r.threshold, instrument.item(r.item)) == "score" for r in rules], bool
    )
    ops = np.array([OPERATORS.index(r.threshold.op) for r in rules], np.intp)
    values = np.array([r.threshold.value for r in rules], float)
    return cols, on_score, ops, values


def _compile_label(instrument: Instrument, compiled: CompiledInstrument) -> CompiledLabel:
    rules = instrument.label
    level_ids = tuple(lv.id for lv in rules.levels)
    ic, ion, iop, ival = _rule_arrays(rules.indicators, instrument, compiled)
    rc, ron, rop, rval = _rule_arrays(rules.minimum_requirements, instrument, compiled)
    req_levels = np.array(
        [[lv in r.levels for lv in level_ids] for r in rules.minimum_requirements], bool
    ).reshape(len(rules.minimum_requirements), len(level_ids))
    return CompiledLabel(
        indicator_ids=tuple(r.id for r in rules.indicators),
        ind_cols=ic,
        ind_on_score=ion,
        ind_ops=iop,
        ind_values=ival,
        points=np.array([r.points for r in rules.indicators], float),
        requirement_ids=tuple(r.id for r in rules.minimum_requirements),
        req_cols=rc,
        req_on_score=ron,
        req_ops=rop,
        req_values=rval,
        req_levels=req_levels,
        level_ids=level_ids,
        min_ratio=np.array([lv.min_ratio for lv in rules.levels]),
        min_coverage=np.array([lv.min_coverage for lv in rules.levels]),
    )
