"""Calibration of the SYNTHETIC reference populations and the distributions drawn from it.

``content/reference/calibration.yaml`` describes the synthetic cluster management
organisations: shares of portfolios, countries, size bands and label levels, one marginal
distribution per benchmarking item and the latent correlations between items. This module
reads it into pydantic models (:func:`load_calibration`) and provides the numpy helpers that
turn latent standard-normal draws into item values: normal, beta and Poisson quantiles, the
item marginals, quota sampling and the Gaussian-tree correlation matrix of the copula.

The generators that use these live in :mod:`.generate`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from statistics import NormalDist
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..exceptions import CalibrationError
from ..paths import CONTENT_ROOT
from ..source import load_yaml

__all__ = [
    "Calibration",
    "Correlation",
    "Generation",
    "ItemCalibration",
    "JointBlock",
    "SizeBand",
    "beta_ppf",
    "finish",
    "latent",
    "load_calibration",
    "lookup",
    "marginal",
    "norm_cdf",
    "norm_ppf",
    "poisson_ppf",
    "quota",
    "size_band_of",
    "tree_correlations",
]

REFERENCE_DIR = CONTENT_ROOT / "reference"
CALIBRATION_FILE = "calibration.yaml"
#: Decimals written for non-integer items (whole k EUR for the budget).
ITEM_DECIMALS = 1
DECIMALS = {"b-budget-keur": 0}
#: Not in calibration.yaml's list, our implementation of "policy recognition is higher where
#: the public funding share is high": a latent correlation.
EXTRA_CORRELATIONS = (("b-public-funding-share", "b-policy-recognition", 0.3),)


class _Lax(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ItemCalibration(_Lax):
    item: str
    distribution: Literal["lognormal", "normal", "beta", "poisson", "bernoulli", "categorical"]
    median: float | None = None
    mean: float | None = None
    sd: float | None = None
    sigma: float | None = None
    alpha: float | None = None
    beta: float | None = None
    scale: float = 1.0
    p: float | None = None
    probabilities: dict[str | int, float] | None = None
    zero_share: float = 0.0
    missing_share: float = 0.0
    clip: tuple[float, float] | None = None
    integer: bool = False
    direction: Literal["up", "down", "none"] = "none"
    joint: str | None = None


class SizeBand(_Lax):
    id: str
    min_members: int = 0
    max_members: int | None = None
    share: float


class Correlation(_Lax):
    a: str
    b: str
    rho: float


class JointBlock(_Lax):
    distribution: Literal["dirichlet"]
    items: list[str]
    remainder: str
    means: dict[str, float]
    concentration: float


class Generation(_Lax):
    label_level_shift: dict[str, float]


class Calibration(_Lax):
    """The parts of ``calibration.yaml`` that the generator reads."""

    synthetic: bool
    id: str
    version: int
    instrument: str
    population_size: int
    portfolios: dict[str, float]
    countries: dict[str, float]
    size_bands: list[SizeBand]
    label_levels: dict[str, float]
    generation: Generation
    correlations: list[Correlation]
    joint: dict[str, JointBlock]
    items: list[ItemCalibration]


def load_calibration(path: Path | None = None) -> Calibration:
    """Read the calibration of the synthetic organisations (default: the bundled one)."""
    path = path or REFERENCE_DIR / CALIBRATION_FILE
    return Calibration.model_validate(load_yaml(path, fast=True))


# ------------------------------------------------------------------ distributions
_NORMAL = NormalDist()
_cdf = np.frompyfunc(_NORMAL.cdf, 1, 1)
_ppf = np.frompyfunc(_NORMAL.inv_cdf, 1, 1)


def norm_cdf(z: np.ndarray) -> np.ndarray:
    return _cdf(np.asarray(z, float)).astype(float)


def norm_ppf(u: np.ndarray) -> np.ndarray:
    return _ppf(np.clip(np.asarray(u, float), 1e-12, 1 - 1e-12)).astype(float)


def beta_ppf(u: np.ndarray, a: float, b: float, *, grid: int = 20_000) -> np.ndarray:
    """Quantiles of Beta(a, b) at ``u``, accurate to about 1e-5 (no scipy needed)."""
    edges = np.linspace(0.0, 1.0, grid + 1)
    mid = (edges[:-1] + edges[1:]) / 2
    log_pdf = (a - 1) * np.log(mid) + (b - 1) * np.log1p(-mid)
    # Midpoint-rule CDF on a fine grid, inverted by linear interpolation.
    cdf = np.concatenate([[0.0], np.cumsum(np.exp(log_pdf - log_pdf.max()))])
    return np.interp(u, cdf / cdf[-1], edges)


def poisson_ppf(u: np.ndarray, mean: float, kmax: int) -> np.ndarray:
    k = np.arange(kmax + 1)
    cdf = np.cumsum(np.exp(k * math.log(mean) - mean - np.array([math.lgamma(i + 1) for i in k])))
    # The smallest k whose CDF reaches u.
    return np.minimum(np.searchsorted(cdf, u, side="left"), kmax).astype(float)


def marginal(
    cal: ItemCalibration,
    z: np.ndarray,
    *,
    zero_share: float | np.ndarray | None = None,
    median_factor: float | np.ndarray = 1.0,
    p: float | np.ndarray | None = None,
) -> np.ndarray:
    """Map latent standard-normal values ``z`` (n,) through the item's marginal."""
    dist = cal.distribution
    if dist == "lognormal":
        zs = np.broadcast_to(cal.zero_share if zero_share is None else zero_share, z.shape)
        if np.any(zs > 0):
            # Zero-inflated: the lowest `zs` of the latent scale is 0, the rest lognormal.
            u = norm_cdf(z)
            x = np.exp(cal.sigma * norm_ppf((u - zs) / (1 - zs)))
            x[u < zs] = 0.0
        else:
            x = np.exp(cal.sigma * z)
        return cal.median * median_factor * x
    if dist == "normal":
        return cal.mean + cal.sd * z
    u = norm_cdf(z)
    if dist == "beta":
        return cal.scale * beta_ppf(u, cal.alpha, cal.beta)
    if dist == "poisson":
        return poisson_ppf(u, cal.mean, int(cal.clip[1]))
    if dist == "bernoulli":
        return (u > 1 - (cal.p if p is None else p)).astype(float)
    probs = np.array(list(cal.probabilities.values()), float)
    cum = np.cumsum(probs) / probs.sum()
    return np.minimum(np.searchsorted(cum, u, side="right"), len(probs) - 1).astype(float)


def finish(x: np.ndarray, cal: ItemCalibration) -> np.ndarray:
    """Clip to the calibrated range and round (whole numbers for integer items)."""
    lo, hi = cal.clip if cal.clip else (-np.inf, np.inf)
    decimals = 0 if cal.integer else DECIMALS.get(cal.item, ITEM_DECIMALS)
    return np.clip(np.round(np.clip(x, lo, hi), decimals), lo, hi) + 0.0  # + 0.0: no -0.0


def quota(rng: np.random.Generator, shares: Mapping[str, float], n: int) -> np.ndarray:
    """``n`` values in the given shares (largest-remainder counts), in random order."""
    keys = list(shares)
    exact = np.array([shares[k] for k in keys], float)
    exact = exact / exact.sum() * n
    counts = np.floor(exact).astype(int)
    short = n - counts.sum()
    counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return rng.permutation(np.repeat(np.array(keys, dtype=object), counts))


def lookup(table: Mapping[str, float], keys: np.ndarray, default: float) -> np.ndarray:
    return np.array([table.get(k, default) for k in keys], float)


def size_band_of(members: np.ndarray, bands: list[SizeBand]) -> np.ndarray:
    """Size band id of each member count (n,)."""
    lows = np.array([b.min_members for b in bands])
    idx = np.searchsorted(lows, members, side="right") - 1
    return np.array([b.id for b in bands], dtype=object)[np.maximum(idx, 0)]


# ------------------------------------------------------------------ correlations
def tree_correlations(names: list[str], pairs: list[tuple[str, str, float]]) -> np.ndarray:
    """Correlation matrix (k, k) completing the given pairs as a Gaussian tree model.

    The listed pairs must form a forest. Unlisted pairs get the product of the
    correlations along the path that joins them (0 across trees): the maximum-entropy
    completion, always positive definite. Reading unlisted pairs as 0 instead is not
    possible in general (one item cannot correlate 0.85, 0.5, 0.5, 0.6 and 0.4 with five
    mutually independent items).
    """
    pos = {name: j for j, name in enumerate(names)}
    neighbours: dict[int, list[tuple[int, float]]] = {j: [] for j in range(len(names))}
    root = list(range(len(names)))  # union-find, to refuse a cycle

    def find(j: int) -> int:
        while root[j] != j:
            j = root[j]
        return j

    for a, b, rho in pairs:
        ra, rb = find(pos[a]), find(pos[b])
        if ra == rb:
            raise CalibrationError(
                f"the correlations {a} ~ {b} close a cycle; they must form a tree"
            )
        root[ra] = rb
        neighbours[pos[a]].append((pos[b], rho))
        neighbours[pos[b]].append((pos[a], rho))
    R = np.eye(len(names))
    for start in range(len(names)):
        reached, stack = {start: 1.0}, [start]
        while stack:  # depth-first walk from `start`, multiplying edge correlations
            node = stack.pop()
            for nxt, rho in neighbours[node]:
                if nxt in reached:
                    continue
                reached[nxt] = reached[node] * rho
                stack.append(nxt)
        for j, rho in reached.items():
            R[start, j] = rho
    return R


def latent(cal: Calibration, rng: np.random.Generator, names: list[str], n: int) -> np.ndarray:
    """Correlated standard-normal draws (n, len(names)) with the calibrated correlations."""
    pairs = [(c.a, c.b, c.rho) for c in cal.correlations] + list(EXTRA_CORRELATIONS)
    L = np.linalg.cholesky(tree_correlations(names, pairs))
    return rng.standard_normal((n, len(names))) @ L.T
