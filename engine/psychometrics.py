"""Item and scale statistics for authors, from collected item scores.

All functions take item scores in [0, 1] with NaN for unanswered items, as
:attr:`~clusterexcellence.engine.scoring.ScoreResult.item_scores` holds them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

#: Share of respondents in each of the upper and lower groups for discrimination.
EXTREME_GROUP = 0.27


@dataclass(frozen=True)
class Alpha:
    alpha: float
    n_respondents: int  # complete cases used
    n_items: int


def cronbach_alpha(scores: np.ndarray) -> Alpha:
    """Cronbach's alpha of a scale, on the respondents who answered every item.

    ``alpha = k / (k - 1) * (1 - sum(item variances) / variance(total))`` with sample
    variances (ddof=1). Listwise deletion: a respondent with any missing item is left
    out. Returns NaN (with a warning) with fewer than 2 items, 2 complete respondents or
    a total with no variance.

    Parameters
    ----------
    scores : array-like of shape (n_respondents, n_items)

    >>> round(cronbach_alpha([[1, 1], [0, 0], [1, 0]]).alpha, 6)
    0.666667
    """
    X = np.asarray(scores, float)
    complete = X[~np.isnan(X).any(axis=1)]
    n, k = complete.shape
    if k < 2 or n < 2:
        warnings.warn(
            f"alpha needs 2 items and 2 complete respondents, got {k} and {n}", stacklevel=2
        )
        return Alpha(float("nan"), n, k)
    total_var = complete.sum(axis=1).var(ddof=1)
    if total_var == 0:
        warnings.warn("alpha is undefined: the total score has no variance", stacklevel=2)
        return Alpha(float("nan"), n, k)
    alpha = k / (k - 1) * (1 - complete.var(axis=0, ddof=1).sum() / total_var)
    return Alpha(float(alpha), n, k)


@dataclass(frozen=True, eq=False)
class ItemAnalysis:
    """Per-item statistics; every array has shape (n_items,)."""

    n_answered: np.ndarray
    difficulty: np.ndarray  # mean item score (higher = easier)
    item_rest_correlation: np.ndarray  # corrected item-total correlation
    discrimination: np.ndarray  # mean score of the upper 27 % minus the lower 27 %


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    ok = ~(np.isnan(x) | np.isnan(y))
    if ok.sum() < 3:
        return np.nan
    x, y = x[ok] - x[ok].mean(), y[ok] - y[ok].mean()
    den = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / den) if den > 0 else np.nan


def _group_weights(totals: np.ndarray, g: int, *, top: bool) -> np.ndarray:
    """Weight (n,) of each respondent in the lower (or upper) group of ``g`` places.

    Respondents beyond the cut count 1; those tied at the cut share what is left.
    """
    t = -totals if top else totals  # the upper group is the lower group of -totals
    have = np.isfinite(t)
    cut = np.sort(t[have])[g - 1]
    inside = have & (t < cut)
    tied = have & (t == cut)
    w = inside.astype(float)
    w[tied] = (g - inside.sum()) / tied.sum()
    return w


def _discrimination(X: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Mean score of the upper 27 % minus that of the lower 27 %, per item (k,)."""
    g = int(np.floor(EXTREME_GROUP * np.isfinite(totals).sum()))
    if g == 0:
        return np.full(X.shape[1], np.nan)
    answered = ~np.isnan(X)
    filled = np.where(answered, X, 0.0)
    means = []
    for top in (True, False):
        w = _group_weights(totals, g, top=top)
        with np.errstate(invalid="ignore", divide="ignore"):  # an item unanswered in a group
            means.append((w @ filled) / (w @ answered))
    return means[0] - means[1]


def item_analysis(scores: np.ndarray) -> ItemAnalysis:
    """Difficulty, corrected item-total correlation and discrimination of each item.

    Missing answers: a respondent's total is the mean of the items they answered (so
    respondents with gaps stay comparable); the rest score of item ``j`` is the mean of
    their other answered items; statistics use the respondents who answered item ``j``.
    Discrimination ranks respondents by total and takes the top and bottom 27 %
    (``g = floor(0.27 n)`` respondents each, among those with a total). Respondents tied
    at a group's cut share the places left in it equally (each counts with weight
    ``places / tied``), so the result does not depend on the order of the rows.

    Parameters
    ----------
    scores : array-like of shape (n_respondents, n_items)

    Returns
    -------
    ItemAnalysis
        Arrays of shape (n_items,); NaN where a statistic is undefined.

    >>> res = item_analysis([[1, 1], [1, 0], [0, 0], [0, 1]])
    >>> res.difficulty.tolist(), res.discrimination.tolist()
    ([0.5, 0.5], [1.0, 1.0])
    """
    X = np.asarray(scores, float)
    n, k = X.shape
    answered = ~np.isnan(X)
    filled = np.where(answered, X, 0.0)
    count = answered.sum(axis=1)
    total = filled.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_total = total / count
        difficulty = filled.sum(axis=0) / answered.sum(axis=0)
        # Rest score of item j for each respondent: their mean without item j.
        rest = (total[:, None] - filled) / (count[:, None] - answered)
    r = np.array([_pearson(X[:, j], rest[:, j]) for j in range(k)])

    disc = _discrimination(X, mean_total)
    return ItemAnalysis(answered.sum(axis=0), difficulty, r, disc)
