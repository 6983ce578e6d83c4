"""Score a batch of coded responses with vectorised numpy.

One respondent or a million go through the same code, never one Python iteration per
respondent. Rows are taken in cache-sized chunks; a few threads (numpy releases the GIL)
each take one contiguous run of them. A chunk goes through the item steps (validate,
score the items, leaf sums as matrix products, label) while its buffers are still in
cache; dimensions, overall and levels, on narrower arrays, are done for a block of a few
chunks at once, in fewer and longer numpy calls. docs/performance.md has the figures.
Every operation on the (rows, items) arrays runs over whole contiguous buffers: per-item
constants are tiled to the chunk's shape once, because numpy broadcasting a short row of
constants runs one short inner loop per row, at about twice the cost.

Semantics (the scoring spec states the same for the JavaScript evaluator):

- item score in [0, 1] (see :mod:`~clusterexcellence.engine.compile`);
- leaf dimension: weighted mean of its answered items; coverage = answered weight /
  total weight; missing (NaN) when coverage < ``min_coverage``;
- parent dimension and overall: weighted mean of the children (top-level dimensions)
  that have a score; coverage = their weight share; missing below ``min_coverage``;
- level: the last level whose cut score is <= the score (-1: missing or below all);
- label: indicator met when its threshold holds (a missing answer never meets one);
  ratio = points met / total points; a level is reachable when the ratio, the share of
  items answered and every minimum requirement that applies to it hold; the highest
  reachable level wins (-1: none).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np
from threadpoolctl import threadpool_limits

from .compile import EPSILON, CompiledInstrument, CompiledLabel, NumericGroup
from .exceptions import ResponseError

CHUNK_ROWS = 2_048  # rows per step of the item stage: its buffers stay in cache
CHUNKS_PER_BLOCK = 8  # the dimension stage takes a few chunks at once: fewer, larger calls


@dataclass(frozen=True, eq=False)
class LabelResult:
    """Label outcome of ``n`` respondents: ``K`` indicators, ``Q`` requirements, ``V`` levels."""

    indicator_met: np.ndarray  # (n, K) bool
    indicator_answered: np.ndarray  # (n, K) bool: the indicator's item was answered
    requirement_met: np.ndarray  # (n, Q) bool
    points: np.ndarray  # (n,) points of the indicators met
    ratio: np.ndarray  # (n,) points / total points
    level_reachable: np.ndarray  # (n, V) bool: ratio, coverage and requirements of level v hold
    level: np.ndarray  # (n,) int8 index of the highest reachable label level, -1 none

    @classmethod
    def empty(cls, n: int, label: CompiledLabel) -> LabelResult:
        """Uninitialised arrays for ``n`` respondents, filled in by the scorer."""
        K, Q, V = len(label.indicator_ids), len(label.requirement_ids), len(label.level_ids)
        return cls(
            indicator_met=np.empty((n, K), bool),
            indicator_answered=np.empty((n, K), bool),
            requirement_met=np.empty((n, Q), bool),
            points=np.empty(n),
            ratio=np.empty(n),
            level_reachable=np.empty((n, V), bool),
            level=np.empty(n, np.int8),
        )


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """Scores of ``n`` respondents on ``m`` items and ``D`` dimensions.

    Missing values are NaN; missing levels are -1. Dimension columns follow
    ``compiled.dimension_ids``; level values index ``compiled.level_ids``.
    """

    compiled: CompiledInstrument
    item_scores: np.ndarray | None  # (n, m), None when scored with item_scores=False
    dimension_scores: np.ndarray  # (n, D)
    dimension_coverage: np.ndarray  # (n, D)
    dimension_levels: np.ndarray  # (n, D) int8
    overall: np.ndarray  # (n,)
    overall_coverage: np.ndarray  # (n,)
    overall_level: np.ndarray  # (n,) int8
    answered_share: np.ndarray  # (n,) share of items answered
    label: LabelResult | None = None

    @property
    def n(self) -> int:
        return len(self.overall)

    @classmethod
    def empty(cls, n: int, c: CompiledInstrument, *, item_scores: bool) -> ScoreResult:
        """Uninitialised arrays for ``n`` respondents, filled in by the scorer."""
        D = len(c.dimension_ids)
        return cls(
            compiled=c,
            item_scores=np.empty((n, c.n_items)) if item_scores else None,
            dimension_scores=np.empty((n, D)),
            dimension_coverage=np.empty((n, D)),
            dimension_levels=np.empty((n, D), np.int8),
            overall=np.empty(n),
            overall_coverage=np.empty(n),
            overall_level=np.empty(n, np.int8),
            answered_share=np.empty(n),
            label=None if c.label is None else LabelResult.empty(n, c.label),
        )


def score(
    responses: np.ndarray,
    compiled: CompiledInstrument,
    *,
    invalid: Literal["raise", "missing"] = "raise",
    respondent_ids: list | None = None,
    item_scores: bool = True,
    chunk_rows: int = CHUNK_ROWS,
    threads: int | None = None,
) -> ScoreResult:
    """Score coded responses.

    Parameters
    ----------
    responses : array-like of shape (n_respondents, n_items)
        Coded answers (see :mod:`~clusterexcellence.engine.compile`), NaN = unanswered.
        Columns follow ``compiled.item_ids``. Not modified.
    compiled : CompiledInstrument
    invalid : {"raise", "missing"}
        What to do with an answer outside its item's range: raise a ``ResponseError``
        naming the respondent and the item, or treat it as unanswered.
    respondent_ids : list of length n_respondents, optional
        Names used in error messages instead of row numbers.
    item_scores : bool
        Keep the item scores (n, m); False saves memory when only dimensions matter
        (``ScoreResult.item_scores`` is then None).
    chunk_rows : int
        Rows per step of the item stage; the dimension stage takes ``CHUNKS_PER_BLOCK``
        chunks at a time.
    threads : int, optional
        Worker threads, each over a contiguous run of blocks; default: CPU count, at
        most 4.

    Returns
    -------
    ScoreResult

    Examples
    --------
    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> from clusterexcellence.engine.compile import compile_instrument
    >>> r = score([[5, 1, 1]], compile_instrument(tiny_instrument()))
    >>> r.item_scores.tolist(), r.overall.tolist()
    ([[1.0, 0.5, 1.0]], [0.875])
    """
    X = np.asarray(responses, dtype=float)
    c = compiled
    if X.ndim == 1 and X.size == 0:
        X = X.reshape(0, c.n_items)
    if X.ndim != 2 or X.shape[1] != c.n_items:
        raise ResponseError(
            f"responses have shape {X.shape}, expected (n, {c.n_items}) for the "
            f"instrument's {c.n_items} items"
        )
    n = X.shape[0]
    if respondent_ids is not None and len(respondent_ids) != n:
        raise ResponseError(f"{len(respondent_ids)} respondent ids for {n} rows of responses")
    out = ScoreResult.empty(n, c, item_scores=item_scores)
    rows = max(1, min(chunk_rows, n))
    block = rows * CHUNKS_PER_BLOCK
    tiles = _Tiles(c, rows)
    workers = max(1, min(threads or min(os.cpu_count() or 1, 4), -(-n // block)))
    # Each worker takes one contiguous run of blocks, chunk after chunk: fewer hand-offs
    # between threads than one task per chunk.
    bounds = [n * k // workers // block * block for k in range(workers)] + [n]
    failures: list[tuple[int, BaseException]] = []

    def run(k: int) -> None:
        ws = _Workspace(rows, c)
        for a in range(bounds[k], bounds[k + 1], block):
            if failures and a > min(f[0] for f in failures):
                return  # a bad row lies before this block: its error is the one to raise
            b = min(a + block, n)
            for start in range(a, b, rows):
                try:
                    chunk = X[start : min(start + rows, b)]
                    _score_chunk(chunk, c, tiles, ws, out, start, invalid, respondent_ids)
                except ResponseError as exc:
                    failures.append((start, exc))
                    return
            with np.errstate(invalid="ignore", divide="ignore"):
                _score_dimensions(c, out, a, b)

    if workers == 1:  # small batches: no threads, and BLAS does not thread them
        run(0)
    else:
        # Our matrix products are skinny (rows x items x dimensions): BLAS threads only
        # add start-up costs and fight our own threads for the cores.
        with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, range(workers)))
    if failures:
        raise min(failures, key=lambda f: f[0])[1]
    return out


class _Tiles:
    """Per-item constants repeated down ``rows`` rows, shared read-only by the threads."""

    def __init__(self, c: CompiledInstrument, rows: int) -> None:
        def tile(values):
            values = np.asarray(values)
            return np.ascontiguousarray(np.broadcast_to(values, (rows, *values.shape)))

        lay = c.layout
        self.offsets = tile(lay.offsets.astype(float))
        self.clip_lo, self.clip_hi = tile(lay.clip_lo), tile(lay.clip_hi)
        self.band = _NumericTiles(lay.bands, tile)
        self.linear = _NumericTiles(lay.linear, tile)
        self.band_rows = tile(lay.bands.rows)
        self.band_lows = [tile(lows) for lows in lay.bands.lows.T]  # bound b of every band item
        self.linear_zero, self.linear_span = tile(lay.linear.zero), tile(lay.linear.span)
        self.ones = np.ones(c.n_items)


class _NumericTiles:
    """Valid range of a group of numeric items (band items, or linear ones)."""

    def __init__(self, group: NumericGroup, tile) -> None:
        self.lo, self.hi = tile(group.lo), tile(group.hi)
        self.any_whole = bool(group.whole.any())
        self.not_whole = tile(~group.whole)


class _Workspace:
    """Per-thread buffers, reused from chunk to chunk so that the hot loop allocates little."""

    def __init__(self, rows: int, c: CompiledInstrument) -> None:
        m = c.n_items
        bands = c.layout.bands
        nb, nl = len(bands), len(c.layout.linear)
        self.K, self.S, self.Af = np.empty((rows, m)), np.empty((rows, m)), np.empty((rows, m))
        self.KI = np.empty((rows, m), np.intp)
        self.A, self.nan = np.empty((rows, m), bool), np.empty((rows, m), bool)
        self.band = _NumericBuffers(rows, nb)
        self.linear = _NumericBuffers(rows, nl)
        self.passed = np.empty((rows, nb), np.intp)
        # Bounds passed by each band answer: int8 holds up to 127 bands per item.
        self.count = np.empty((rows, nb), np.int8 if bands.lows.shape[1] < 128 else np.intp)


class _NumericBuffers:
    def __init__(self, rows: int, k: int) -> None:
        self.V, self.S, self.tmp = np.empty((rows, k)), np.empty((rows, k)), np.empty((rows, k))
        self.ok, self.test = np.empty((rows, k), bool), np.empty((rows, k), bool)


def _bad_cells(X: np.ndarray, c: CompiledInstrument) -> np.ndarray:
    """Answered cells outside their item's range or not whole where they must be.

    Shape (n, m) like ``X``; the slow, exact counterpart of the counts in the hot loop.
    """
    with np.errstate(invalid="ignore"):
        return ~np.isnan(X) & (
            (X < c.lo) | (X > c.hi) | (c.integral & (X != np.floor(X))) | np.isinf(X)
        )


def _reject(X, bad, c, start, invalid, respondent_ids) -> np.ndarray:
    """Raise on the first bad cell, or return a copy of X with bad cells unanswered."""
    if invalid == "missing":
        X = X.copy()
        X[bad] = np.nan
        return X
    row, col = (int(v) for v in np.argwhere(bad)[0])
    who = respondent_ids[start + row] if respondent_ids is not None else start + row
    item = c.item_ids[col]
    allowed = f"{c.lo[col]:g}..{c.hi[col]:g}" + (" (whole numbers)" if c.integral[col] else "")
    raise ResponseError(
        f"respondent {who!r}, item {item!r}: answer {X[row, col]:g} is outside {allowed}",
        respondent=who,
        item=item,
    )


def _score_chunk(X, c: CompiledInstrument, t: _Tiles, ws: _Workspace, out, start, *args) -> None:
    """Items, leaf sums and label of the chunk of rows from ``start``."""
    r, stop = len(X), start + len(X)
    K, S, Af, KI, A, nan = ws.K[:r], ws.S[:r], ws.Af[:r], ws.KI[:r], ws.A[:r], ws.nan[:r]
    # Answer + offset is the table index of a discrete answer. Clipped half a step
    # outside the item's range (NaN too: fmax ignores it) and truncated, it stays equal
    # to itself exactly when the answer is given, whole and in range. Numeric columns
    # are clipped to 0.5: never equal, and they read the table's dummy 0 entry.
    np.add(X, t.offsets[:r], out=K)
    np.fmax(K, t.clip_lo[:r], out=K)
    np.fmin(K, t.clip_hi[:r], out=K)
    np.trunc(K, out=S)  # S is free until the gather below
    np.equal(S, K, out=A)
    np.copyto(KI, S, casting="unsafe")
    # One gather scores every discrete item; unanswered cells read a 0 guard entry.
    np.take(c.layout.table, KI, out=S, mode="clip")
    np.isnan(X, out=nan)
    # Each cell is unanswered, a valid discrete answer or a valid numeric one: when the
    # counts add up, there is no bad cell. A bad cell is rare: look for it only then.
    good = np.count_nonzero(A) + np.count_nonzero(nan)
    if len(c.layout.bands) or len(c.layout.linear):
        good += _score_numeric(X, c, t, ws, S)
    if good != A.size:
        bad = _bad_cells(X, c)
        if bad.any():
            X = _reject(X, bad, c, start, *args)
            _score_chunk(X, c, t, ws, out, start, *args)
            return
    np.logical_not(nan, out=A)
    np.copyto(Af, A)  # 1 where answered
    # Leaf sums, in the results' columns (the dimension stage turns them into scores and
    # coverage): weighted score sums and answered weights; 0 in the parents' columns.
    np.matmul(S, c.item_dim_weights, out=out.dimension_scores[start:stop])
    np.matmul(Af, c.item_dim_weights, out=out.dimension_coverage[start:stop])
    answered = out.answered_share[start:stop]
    np.matmul(Af, t.ones, out=answered)  # a count: exact
    answered /= c.n_items
    with np.errstate(invalid="ignore", divide="ignore"):
        if out.item_scores is not None:
            np.divide(S, Af, out=out.item_scores[start:stop])  # unanswered: 0 / 0 is NaN
        if c.label is not None:
            _score_label(X, S, Af, c.label, out.label, start, stop, answered)


def _take_numeric(X, cols, tiles: _NumericTiles, buf: _NumericBuffers) -> tuple[np.ndarray, int]:
    """Gather a group of numeric columns into ``buf.V``; mark (in ``buf.ok``) and count
    their given, valid answers."""
    r = len(X)
    V, ok, test = buf.V[:r], buf.ok[:r], buf.test[:r]
    X.take(cols, axis=1, out=V)
    np.greater_equal(V, tiles.lo[:r], out=ok)  # NaN fails; the bounds are finite
    np.less_equal(V, tiles.hi[:r], out=test)
    ok &= test
    if tiles.any_whole:
        tmp = buf.tmp[:r]
        np.floor(V, out=tmp)
        np.equal(tmp, V, out=test)
        test |= tiles.not_whole[:r]
        ok &= test
    return V, np.count_nonzero(ok)


def _score_numeric(X: np.ndarray, c: CompiledInstrument, t: _Tiles, ws: _Workspace, S) -> int:
    """Score the numeric columns of a chunk into S (0 if unanswered).

    Returns the number of given, valid numeric answers.
    """
    r, good = len(X), 0
    bands, linear = c.layout.bands, c.layout.linear
    if len(bands):
        V, n_ok = _take_numeric(X, bands.cols, t.band, ws.band)
        good += n_ok
        # Count the bounds <= each value (NaN passes none: an unanswered cell scores 0),
        # then read the band's score from that item's row of the band scores.
        Sb, test, count, passed = ws.band.S[:r], ws.band.test[:r], ws.count[:r], ws.passed[:r]
        count.fill(0)
        for lows in t.band_lows:
            np.greater_equal(V, lows[:r], out=test)
            count += test.view(np.int8)  # 0 or 1
        np.add(t.band_rows[:r], count, out=passed)
        np.take(bands.scores.ravel(), passed, out=Sb, mode="clip")
        S[:, bands.cols] = Sb
    if len(linear):
        V, n_ok = _take_numeric(X, linear.cols, t.linear, ws.linear)
        good += n_ok
        lin = ws.linear.S[:r]
        np.subtract(V, t.linear_zero[:r], out=lin)
        lin /= t.linear_span[:r]
        np.fmax(lin, 0.0, out=lin)  # fmax also turns NaN (unanswered) into 0
        np.minimum(lin, 1.0, out=lin)
        S[:, linear.cols] = lin
    return good


def _score_dimensions(c: CompiledInstrument, out: ScoreResult, start: int, stop: int) -> None:
    """Dimensions, overall and levels of rows ``start:stop`` from their leaf sums.

    ``out.dimension_scores`` holds each leaf's weighted sum of item scores and
    ``out.dimension_coverage`` its answered weight (0 for parents); both become scores
    and coverage in place.
    """
    mc = c.min_coverage - EPSILON
    lay = c.layout
    dim, cov = out.dimension_scores[start:stop], out.dimension_coverage[start:stop]
    np.divide(dim, cov, out=dim)  # parents: 0 / 0, missing until scored below
    np.divide(cov, lay.dim_total, out=cov)  # a division: exactly 1 when all is answered
    np.copyto(dim, np.nan, where=cov < mc)
    for cols, C in lay.parent_steps:
        present = ~np.isnan(dim)
        pnum = np.where(present, dim, 0.0) @ C
        pden = present @ C
        pcov = pden / C.sum(axis=0)
        pdim = pnum / pden
        pdim[pcov < mc] = np.nan
        dim[:, cols], cov[:, cols] = pdim, pcov
    # Overall: weighted mean of the top-level dimensions that have a score.
    missing = np.isnan(dim)
    tw, total = lay.top_weights, lay.top_weights.sum()
    overall, overall_cov = out.overall[start:stop], out.overall_coverage[start:stop]
    np.matmul(missing, tw, out=overall_cov)
    np.subtract(total, overall_cov, out=overall_cov)  # weight of the scored ones
    np.copyto(dim, 0.0, where=missing)  # zero for the product only, NaN again below
    np.matmul(dim, tw, out=overall)
    np.copyto(dim, np.nan, where=missing)
    overall /= overall_cov
    overall_cov /= total
    np.copyto(overall, np.nan, where=overall_cov < mc)
    levels_of(dim, c.cuts, out=out.dimension_levels[start:stop])
    levels_of(overall, c.cuts, out=out.overall_level[start:stop])


def levels_of(scores: np.ndarray, cuts: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Index of the last cut <= each score (with tolerance); -1 below all or missing.

    Parameters
    ----------
    scores : ndarray of any shape
    cuts : ndarray of shape (n_levels,)
        Ascending lowest scores of the levels.
    out : ndarray of int8, optional
        Written in place.

    Returns
    -------
    ndarray of int8, the shape of ``scores``

    >>> levels_of(np.array([0.1, 0.4, 0.79999999999, np.nan]), np.array([0.0, 0.4, 0.8])).tolist()
    [0, 1, 2, -1]
    """
    lvl = np.empty(scores.shape, np.int8) if out is None else out
    lvl.fill(-1)
    passed = np.empty(scores.shape, bool)
    for cut in cuts:  # a handful of levels: one comparison each (NaN passes none)
        np.greater_equal(scores, cut - EPSILON, out=passed)
        lvl += passed.view(np.int8)
    return lvl


def compare(values: np.ndarray, ops: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Test ``values[:, k] <op_k> thresholds[k]``; a NaN value never passes.

    Parameters
    ----------
    values : ndarray of shape (n, K)
    ops : ndarray of shape (K,)
        Indices into ``OPERATORS`` (``>=``, ``>``, ``<=``, ``<``, ``==``, ``!=``).
    thresholds : ndarray of shape (K,)

    Returns
    -------
    ndarray of bool, shape (n, K)

    ``>=``/``<=`` allow EPSILON and ``==``/``!=`` use it as tolerance, like the JS evaluator.
    The four orderings become one closed interval per column (``v > t`` is
    ``v >= nextafter(t, inf)``), so that every column is tested by the same two passes.

    >>> compare(np.array([[1.0, 1.0, np.nan]]), np.array([1, 0, 5]), np.array([1.0, 1.0, 2.0]))
    array([[False,  True, False]])
    """
    t = np.asarray(thresholds, float)
    lo, hi = np.full(len(t), -np.inf), np.full(len(t), np.inf)
    lo[ops == 0] = t[ops == 0] - EPSILON
    lo[ops == 1] = np.nextafter(t[ops == 1], np.inf)
    hi[ops == 2] = t[ops == 2] + EPSILON
    hi[ops == 3] = np.nextafter(t[ops == 3], -np.inf)
    met = values >= lo  # NaN fails
    met &= values <= hi
    near = np.flatnonzero(ops >= 4)  # == and !=: by distance, as the JS evaluator does
    if len(near):
        v = values[:, near]
        with np.errstate(invalid="ignore"):
            close = np.abs(v - t[near]) <= EPSILON
        close ^= ops[near] == 5
        close &= ~np.isnan(v)
        met[:, near] = close
    return met


def _score_label(X, S, Af, L: CompiledLabel, out: LabelResult, start, stop, share) -> None:
    """Indicators, requirements and label levels of rows ``start:stop``."""
    for cols, on_score, ops, values, met in (
        (L.ind_cols, L.ind_on_score, L.ind_ops, L.ind_values, out.indicator_met),
        (L.req_cols, L.req_on_score, L.req_ops, L.req_values, out.requirement_met),
    ):
        # A rule tests the item's score (NaN when unanswered: 0 / 0) or the answer itself.
        tested = np.where(on_score, S[:, cols] / Af[:, cols], X[:, cols])
        met[start:stop] = compare(tested, ops, values)
    np.greater(Af[:, L.ind_cols], 0.0, out=out.indicator_answered[start:stop])
    _label_levels(L, out, share, start, stop)


def _label_levels(L: CompiledLabel, out: LabelResult, share, start, stop) -> None:
    ind = out.indicator_met[start:stop]
    req = out.requirement_met[start:stop]
    points = ind @ L.points
    ratio = points / L.points.sum()
    # A level holds when no requirement that applies to it is failed: count failures.
    failed = (~req).astype(float) @ L.req_levels.astype(float)
    ok = (
        (failed == 0)
        & (ratio[:, None] >= L.min_ratio - EPSILON)
        & (share[:, None] >= L.min_coverage - EPSILON)
    )
    V = ok.shape[1]
    # Highest reachable: the first True scanning from the top level down.
    highest = V - 1 - np.argmax(ok[:, ::-1], axis=1)
    out.level_reachable[start:stop] = ok
    out.points[start:stop] = points
    out.ratio[start:stop] = ratio
    out.level[start:stop] = np.where(ok.any(axis=1), highest, -1)
