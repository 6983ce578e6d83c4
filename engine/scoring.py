"""Score a batch of coded responses with vectorised numpy.

One respondent or a million go through the same code, never one Python iteration per
respondent. Two stages, each over row blocks shared by a few threads (numpy releases the
GIL): items in cache-sized chunks (validate, score, weighted sums per leaf dimension as
one matrix product), then dimensions, overall, levels and label in larger blocks.

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
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np
from threadpoolctl import threadpool_limits

from .compile import EPSILON, CompiledInstrument, CompiledLabel
from .exceptions import ResponseError

CHUNK_ROWS = 2_048  # item stage: a few (rows, items) buffers stay in cache
BLOCK_ROWS = 65_536  # dimension stage: fewer, larger steps on (rows, dimensions)


@dataclass(frozen=True, eq=False)
class LabelResult:
    """Label outcome of ``n`` respondents against ``K`` indicators and ``Q`` requirements."""

    indicator_met: np.ndarray  # (n, K) bool
    requirement_met: np.ndarray  # (n, Q) bool
    points: np.ndarray  # (n,) points of the indicators met
    ratio: np.ndarray  # (n,) points / total points
    level: np.ndarray  # (n,) int8 index of the highest reachable label level, -1 none


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """Scores of ``n`` respondents on ``m`` items and ``D`` dimensions.

    Missing values are NaN; missing levels are -1. Dimension columns follow
    ``compiled.dimension_ids``; level values index ``compiled.level_ids``.
    """

    compiled: CompiledInstrument
    item_scores: np.ndarray  # (n, m)
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


def score(
    responses: np.ndarray,
    compiled: CompiledInstrument,
    *,
    invalid: Literal["raise", "missing"] = "raise",
    respondent_ids: list | None = None,
    item_scores: bool = True,
    chunk_rows: int = CHUNK_ROWS,
    threads: int | None = None,
    progress: Callable[[int], None] | None = None,
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
        Rows per step of the item stage.
    threads : int, optional
        Worker threads over row chunks; default: CPU count, at most 4.
    progress : callable, optional
        Called with the number of rows done after each chunk of the item stage.

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
        raise ValueError(
            f"responses have shape {X.shape}, expected (n, {c.n_items}) for the "
            f"instrument's {c.n_items} items"
        )
    n = X.shape[0]
    if respondent_ids is not None and len(respondent_ids) != n:
        raise ValueError(f"{len(respondent_ids)} respondent ids for {n} rows of responses")
    out = _allocate(n, c, item_scores)
    local = threading.local()

    def items_step(bound: tuple[int, int]) -> int:
        ws = getattr(local, "ws", None)
        if ws is None:
            ws = local.ws = _Workspace(chunk_rows, c)
        a, b = bound
        _score_items(X[a:b], c, out, a, b, invalid, respondent_ids, ws)
        return b - a

    def dims_step(bound: tuple[int, int]) -> int:
        _score_dimensions(c, out, *bound)
        return 0

    chunks = [(a, min(a + chunk_rows, n)) for a in range(0, n, chunk_rows)]
    blocks = [(a, min(a + BLOCK_ROWS, n)) for a in range(0, n, BLOCK_ROWS)]
    workers = threads or min(os.cpu_count() or 1, 4)
    if len(chunks) <= 1:  # small batches: no threads, and BLAS does not thread them
        _run(map, items_step, chunks, progress)
        _run(map, dims_step, blocks, None)
    else:
        # Our matrix products are skinny (rows x items x dimensions): BLAS threads only
        # add start-up costs and fight our own threads for the cores.
        with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            mapper = pool.map if workers > 1 else map
            _run(mapper, items_step, chunks, progress)
            _run(mapper, dims_step, blocks, None)
    label = None
    if c.label is not None:
        label = LabelResult(**{k[6:]: v for k, v in out.items() if k.startswith("label_")})
    return ScoreResult(
        compiled=c,
        item_scores=out.get("items"),
        dimension_scores=out["dim"],
        dimension_coverage=out["dim_cov"],
        dimension_levels=out["dim_lvl"],
        overall=out["overall"],
        overall_coverage=out["overall_cov"],
        overall_level=out["overall_lvl"],
        answered_share=out["answered"],
        label=label,
    )


def _run(mapper, step, bounds, progress) -> None:
    for rows in mapper(step, bounds):
        if progress is not None:
            progress(rows)


class _Workspace:
    """Per-thread buffers of the item stage, reused so that the hot loop allocates little."""

    def __init__(self, rows: int, c: CompiledInstrument) -> None:
        m, nn = c.n_items, len(c.numeric_cols)
        self.V = np.empty((rows, nn))  # numeric answers
        self.ok = np.empty((rows, nn), bool)
        self.Sn = np.empty((rows, nn))
        self.passed = np.empty((rows, len(c.band_cols)), np.intp)
        self.K = np.empty((rows, m))
        self.KI = np.empty((rows, m), np.intp)
        self.A = np.empty((rows, m), bool)
        self.nan = np.empty((rows, m), bool)
        self.S = np.empty((rows, m))
        self.Af = np.empty((rows, m))

    def view(self, r: int):
        return self.K[:r], self.KI[:r], self.A[:r], self.nan[:r], self.S[:r], self.Af[:r]


def _allocate(n: int, c: CompiledInstrument, item_scores: bool) -> dict[str, np.ndarray]:
    D, L = len(c.dimension_ids), len(c.leaf_cols)
    out = {
        "num": np.empty((n, L)),  # per leaf: weighted sum of answered item scores
        "den": np.empty((n, L + 1)),  # per leaf: answered weight; last column: count
        "dim_lvl": np.empty((n, D), np.int8),
        "overall": np.empty(n),
        "overall_cov": np.empty(n),
        "overall_lvl": np.empty(n, np.int8),
        "answered": np.empty(n),
    }
    if c.leaves_in_order:
        # No hierarchy: the dimension stage divides in place, so the sums become the
        # scores and the answered weights the coverage (no second pair of arrays).
        out["dim"], out["dim_cov"] = out["num"], out["den"][:, :-1]
    else:
        out["dim"], out["dim_cov"] = np.empty((n, D)), np.empty((n, D))
    if item_scores:
        out["items"] = np.empty((n, c.n_items))
    if c.label is not None:
        K, Q = len(c.label.indicator_ids), len(c.label.requirement_ids)
        out |= {
            "label_indicator_met": np.empty((n, K), bool),
            "label_requirement_met": np.empty((n, Q), bool),
            "label_points": np.empty(n),
            "label_ratio": np.empty(n),
            "label_level": np.empty(n, np.int8),
        }
    return out


def _bad_cells(X: np.ndarray, c: CompiledInstrument) -> np.ndarray:
    """Answered cells outside their item's range or not whole where they must be.

    Shape (n, m) like ``X``; the slow, exact counterpart of the checks in the hot loop.
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


def _score_items(X, c: CompiledInstrument, out, start, stop, invalid, respondent_ids, ws) -> None:
    r = stop - start
    K, KI, A, nan, S, Af = ws.view(r)
    # Answer + offset is the table index of a discrete answer. Clipped half a step
    # outside the item's range (NaN too: fmax ignores it) and truncated, it stays equal
    # to itself exactly when the answer is given, whole and in range.
    np.add(X, c.offsets, out=K)
    np.fmax(K, c.clip_lo, out=K)
    np.fmin(K, c.clip_hi, out=K)
    np.trunc(K, out=S)  # S is free until the gather below
    np.equal(S, K, out=A)
    np.copyto(KI, S, casting="unsafe")
    np.isnan(X, out=nan)
    # One gather scores every discrete item; unanswered cells read a 0 guard entry.
    np.take(c.table, KI, out=S, mode="clip")
    if len(c.numeric_cols):
        _score_numeric(X, c, ws, S, A)
    # A bad cell is rare: look for it only when the counts say there is one.
    if np.count_nonzero(A) + np.count_nonzero(nan) != A.size:
        bad = _bad_cells(X, c)
        if bad.any():
            X = _reject(X, bad, c, start, invalid, respondent_ids)
            _score_items(X, c, out, start, stop, invalid, respondent_ids, ws)
            return
    np.copyto(Af, A)
    if "items" in out:
        items = out["items"][start:stop]
        np.copyto(items, S)
        np.copyto(items, np.nan, where=nan)
    np.matmul(S, c.item_leaf_weights, out=out["num"][start:stop])
    # One product gives each leaf's answered weight and (last column) the answered count.
    np.matmul(Af, c.weights_and_count, out=out["den"][start:stop])
    if c.label is not None:
        S_nan = np.where(A, S, np.nan)
        L = c.label
        values = _rule_values(X, S_nan, L.ind_cols, L.ind_on_score)
        out["label_indicator_met"][start:stop] = compare(values, L.ind_ops, L.ind_values)
        values = _rule_values(X, S_nan, L.req_cols, L.req_on_score)
        out["label_requirement_met"][start:stop] = compare(values, L.req_ops, L.req_values)


def _score_numeric(X: np.ndarray, c: CompiledInstrument, ws: _Workspace, S, A) -> None:
    """Check and score the numeric columns of a chunk into S (0 if unanswered) and A.

    Numeric columns are taken band items first, then linear ones, so that each group is
    a plain slice of the workspace.
    """
    r, nb = len(X), len(c.band_cols)
    V, ok, Sn = ws.V[:r], ws.ok[:r], ws.Sn[:r]
    X.take(c.numeric_cols, axis=1, out=V)
    with np.errstate(invalid="ignore"):
        np.greater_equal(V, c.numeric_lo, out=ok)  # NaN fails; the bounds are finite
        ok &= V <= c.numeric_hi
        if c.numeric_integral.any():
            ok &= ~c.numeric_integral | (V == np.floor(V))
    A[:, c.numeric_cols] = ok
    if nb:
        # Count the bounds <= each value (NaN passes none: an unanswered cell scores 0),
        # then read the band's score from that item's row of band_scores.
        passed = ws.passed[:r]
        passed[...] = c.band_rows  # row offset of each item in band_scores.ravel()
        for b in range(c.band_lows.shape[1]):
            passed += V[:, :nb] >= c.band_lows[:, b]
        np.take(c.band_scores.ravel(), passed, out=Sn[:, :nb], mode="clip")
    if len(c.linear_cols):
        lin = Sn[:, nb:]
        np.subtract(V[:, nb:], c.linear_zero, out=lin)
        lin /= c.linear_span
        np.fmax(lin, 0.0, out=lin)  # fmax also turns NaN (unanswered) into 0
        np.minimum(lin, 1.0, out=lin)
    S[:, c.numeric_cols] = Sn


def _score_dimensions(c: CompiledInstrument, out, start: int, stop: int) -> None:
    num, den_count = out["num"][start:stop], out["den"][start:stop]
    den = den_count[:, :-1]
    dim, cov = out["dim"][start:stop], out["dim_cov"][start:stop]
    with np.errstate(invalid="ignore", divide="ignore"):
        if c.leaves_in_order:  # dim is num and cov is den (see _allocate): divide first
            np.divide(num, den, out=dim)
            np.multiply(den, c.inv_leaf_total, out=cov)
            np.copyto(dim, np.nan, where=cov < c.min_coverage - EPSILON)
        else:
            leaf_cov = den * c.inv_leaf_total
            leaf = num / den
            np.copyto(leaf, np.nan, where=leaf_cov < c.min_coverage - EPSILON)
            dim[...] = np.nan  # parents not scored yet must read as missing, not garbage
            dim[:, c.leaf_cols], cov[:, c.leaf_cols] = leaf, leaf_cov
        for cols, C in c.parent_steps:
            present = ~np.isnan(dim)
            pnum = np.where(present, dim, 0.0) @ C
            pden = present @ C
            pcov = pden / C.sum(axis=0)
            pdim = pnum / pden
            pdim[pcov < c.min_coverage - EPSILON] = np.nan
            dim[:, cols], cov[:, cols] = pdim, pcov
        missing = np.isnan(dim)
        tw = c.top_weights
        top_den = tw.sum() - missing @ tw
        overall = np.where(missing, 0.0, dim) @ tw
        overall /= top_den
        overall_cov = top_den / tw.sum()
    overall[overall_cov < c.min_coverage - EPSILON] = np.nan
    out["overall"][start:stop] = overall
    out["overall_cov"][start:stop] = overall_cov
    out["dim_lvl"][start:stop] = levels_of(dim, c.cuts)
    out["overall_lvl"][start:stop] = levels_of(overall, c.cuts)
    share = den_count[:, -1] / c.n_items
    out["answered"][start:stop] = share
    if c.label is not None:
        _label_levels(c.label, out, share, start, stop)


def levels_of(scores: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Index of the last cut <= each score (with tolerance); -1 below all or missing.

    >>> levels_of(np.array([0.1, 0.4, 0.79999999999, np.nan]), np.array([0.0, 0.4, 0.8])).tolist()
    [0, 1, 2, -1]
    """
    lvl = np.full(scores.shape, -1, np.int8)
    for cut in cuts:  # a handful of levels: one comparison each (NaN passes none)
        lvl += scores >= cut - EPSILON
    return lvl


def compare(values: np.ndarray, ops: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Test ``values[:, k] <op_k> thresholds[k]``; a NaN value never passes.

    ``>=``/``<=`` allow EPSILON and ``==``/``!=`` use it as tolerance, like the JS evaluator.
    """
    t = thresholds
    with np.errstate(invalid="ignore"):
        results = (
            values >= t - EPSILON,
            values > t,
            values <= t + EPSILON,
            values < t,
            np.abs(values - t) <= EPSILON,
            np.abs(values - t) > EPSILON,
        )
    # Pick, per column, the result of that column's operator.
    met = np.choose(ops, results) if len(ops) else np.zeros(values.shape, bool)
    return met & ~np.isnan(values)


def _rule_values(X, S, cols, on_score) -> np.ndarray:
    return np.where(on_score, S[:, cols], X[:, cols])


def _label_levels(L: CompiledLabel, out, share, start, stop) -> None:
    ind = out["label_indicator_met"][start:stop]
    req = out["label_requirement_met"][start:stop]
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
    out["label_points"][start:stop] = points
    out["label_ratio"][start:stop] = ratio
    out["label_level"][start:stop] = np.where(ok.any(axis=1), highest, -1)
