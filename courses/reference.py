"""Benchmarking reference data: the bundled SYNTHETIC populations, their generator, loaders.

Nothing here is real benchmarking data (the official database is not public). Two
populations are drawn, deterministically from a seed:

- cluster management organisations: the 36 benchmarking (``b-``) items of the label
  self-assessment, drawn from ``content/reference/calibration.yaml`` with a Gaussian
  copula, then scored by the engine into the six benchmarking dimensions and ``overall``;
- cluster managers: competency self-test answers from a latent ability per area, scored
  by the engine into the eight area scores and ``overall``.

Real reference data comes in through :func:`import_reference`, which validates it.
Columns, distributions and the seed are documented in ``content/reference/README.md``.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from statistics import NormalDist
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict
from ruamel.yaml import YAML

from clusterexcellence.engine import ReferenceSet, compile_instrument, score
from clusterexcellence.engine.benchmark import ID_COLUMN
from clusterexcellence.engine.instrument import Instrument

from .instruments import CONTENT_ROOT, find_instrument
from .reference_import import (
    DIMENSION_PREFIX,
    LABEL_LEVELS,
    OVERALL,
    SIZE_BANDS,
    ReferenceDataError,
    ReferenceIssue,
    import_reference,
)

__all__ = [
    "DEFAULT_SEED",
    "LABEL_LEVELS",
    "SIZE_BANDS",
    "ReferenceDataError",
    "ReferenceIssue",
    "bundled_metadata",
    "bundled_reference_path",
    "generate_managers",
    "generate_organisations",
    "import_reference",
    "load_bundled_managers",
    "load_bundled_organisations",
    "load_calibration",
    "write_reference_files",
]

GENERATOR_VERSION = "1"
#: Seed of the bundled files (the reference period 2016-2017 ends in 2017).
DEFAULT_SEED = 2017
N_ORGANISATIONS = 1300
N_MANAGERS = 2000
REFERENCE_DIR = CONTENT_ROOT / "reference"
CALIBRATION_FILE = "calibration.yaml"
ORGANISATIONS_FILE = "organisations.csv"
MANAGERS_FILE = "managers.csv"
METADATA_FILE = "metadata.json"
SELF_TEST = "competency-self-test"
#: Decimals written for scores and for non-integer items (whole k EUR for the budget).
SCORE_DECIMALS = 4
ITEM_DECIMALS = 1
DECIMALS = {"b-budget-keur": 0}

# Rules of calibration.yaml given in prose (generation.portfolio_effects, depends_on).
RESEARCH_MEDIAN_FACTOR = {
    **dict.fromkeys(["health", "ict", "materials-chemicals"], 1.5),
    **dict.fromkeys(["food", "construction", "creative-industries"], 0.7),
}
SME_SHARE_POINTS = {
    **dict.fromkeys(["food", "construction", "creative-industries", "ict"], 8.0),
    **dict.fromkeys(["aerospace-defence", "mobility-transport"], -10.0),
}
PUBLIC_FUNDING_POINTS = {"health": 10.0, "maritime": 10.0}
INTERNATIONAL_ACTIVITIES_FACTOR = dict.fromkeys(["aerospace-defence", "maritime", "ict"], 1.3)
PROJECTS_FACTOR = dict.fromkeys(["health", "ict", "materials-chemicals"], 1.3)
WORKING_GROUPS_FACTOR = {"micro": 0.6, "large": 1.5}
LARGE_COUNTRIES = ("DE", "FR", "ES", "IT", "PL")
SATISFACTION_MISSING = {"none": 0.40, "bronze": 0.40, "silver": 0.10, "gold": 0.0}
#: Not in calibration.yaml's list, our implementation of "policy recognition is higher where
#: the public funding share is high": a latent correlation.
EXTRA_CORRELATIONS = (("b-public-funding-share", "b-policy-recognition", 0.3),)

# Manager population (our assumptions, documented in the README).
EXPERIENCE_MEDIAN, EXPERIENCE_SIGMA, EXPERIENCE_MAX = 6.0, 0.65, 40
EXPERIENCE_EFFECT = 0.35  # latent ability per sd of log experience
AREA_CORRELATION = 0.45
RELATED_AREAS = (
    ("strategy", "impact", 0.6),
    ("community", "services", 0.6),
    ("community", "leadership", 0.6),
    ("financing", "innovation", 0.55),
    ("international", "innovation", 0.55),
)
LENIENCE_MEAN, LENIENCE_SD, RATING_NOISE = 0.3, 0.4, 0.7
LIKERT_CUTS = np.array([-1.4, -0.5, 0.4, 1.3])
MISSING_ANSWER_SHARE, ABANDON_SHARE = 0.03, 0.03


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


@lru_cache(maxsize=4)
def _instrument(ref: str) -> Instrument:
    """A bundled instrument, loaded once per process (loading parses a large YAML file)."""
    return find_instrument(ref)


def load_calibration(path: Path | None = None) -> Calibration:
    """Read the calibration of the synthetic organisations (default: the bundled one)."""
    path = path or REFERENCE_DIR / CALIBRATION_FILE
    return Calibration.model_validate(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


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


def _marginal(
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


def _finish(x: np.ndarray, cal: ItemCalibration) -> np.ndarray:
    """Clip to the calibrated range and round (whole numbers for integer items)."""
    lo, hi = cal.clip if cal.clip else (-np.inf, np.inf)
    decimals = 0 if cal.integer else DECIMALS.get(cal.item, ITEM_DECIMALS)
    return np.clip(np.round(np.clip(x, lo, hi), decimals), lo, hi) + 0.0  # + 0.0: no -0.0


def _quota(rng: np.random.Generator, shares: Mapping[str, float], n: int) -> np.ndarray:
    """``n`` values in the given shares (largest-remainder counts), in random order."""
    keys = list(shares)
    exact = np.array([shares[k] for k in keys], float)
    exact = exact / exact.sum() * n
    counts = np.floor(exact).astype(int)
    short = n - counts.sum()
    counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return rng.permutation(np.repeat(np.array(keys, dtype=object), counts))


def _lookup(table: Mapping[str, float], keys: np.ndarray, default: float) -> np.ndarray:
    return np.array([table.get(k, default) for k in keys], float)


def size_band_of(members: np.ndarray, bands: list[SizeBand]) -> np.ndarray:
    """Size band id of each member count (n,)."""
    lows = np.array([b.min_members for b in bands])
    idx = np.searchsorted(lows, members, side="right") - 1
    return np.array([b.id for b in bands], dtype=object)[np.maximum(idx, 0)]


# ------------------------------------------------------------------ organisations
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
            raise ValueError(f"the correlations {a} ~ {b} close a cycle; they must form a tree")
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


def _latent(cal: Calibration, rng: np.random.Generator, names: list[str], n: int) -> np.ndarray:
    """Correlated standard-normal draws (n, len(names)) with the calibrated correlations."""
    pairs = [(c.a, c.b, c.rho) for c in cal.correlations] + list(EXTRA_CORRELATIONS)
    L = np.linalg.cholesky(tree_correlations(names, pairs))
    return rng.standard_normal((n, len(names))) @ L.T


def _draw_items(cal: Calibration, ins: Instrument, rng: np.random.Generator, n: int):
    """Attributes and raw item values of ``n`` organisations (before scoring)."""
    label = _quota(rng, cal.label_levels, n)
    portfolio = _quota(rng, cal.portfolios, n)
    country = _quota(rng, cal.countries, n)
    items = {c.item: c for c in cal.items}
    (block,) = cal.joint.values()
    # The first item of the joint block stands for the block in the copula.
    names = [c.item for c in cal.items if c.joint is None or c.item == block.items[0]]
    Z = _latent(cal, rng, names, n)
    sign = np.array([{"up": 1.0, "down": -1.0, "none": 0.0}[items[m].direction] for m in names])
    shift = _lookup(cal.generation.label_level_shift, label, 0.0)
    Z += shift[:, None] * sign[None, :]
    z = dict(zip(names, Z.T, strict=True))
    v: dict[str, np.ndarray] = {}

    def put(item: str, x: np.ndarray) -> np.ndarray:
        v[item] = _finish(x, items[item])
        return v[item]

    def draw(item: str, *, add=0.0, times=1.0, **kw) -> np.ndarray:
        """Draw ``item``, then apply a calibrated additive or multiplicative rule."""
        return put(item, _marginal(items[item], z[item], **kw) * times + add)

    members = draw("b-members-total")
    band = size_band_of(members, cal.size_bands)
    large = band == "large"
    age = draw("b-cmo-age-years")
    draw("b-sme-share", add=_lookup(SME_SHARE_POINTS, portfolio, 0.0))
    factor = _lookup(RESEARCH_MEDIAN_FACTOR, portfolio, 1.0)
    v["b-research-members"] = np.minimum(draw("b-research-members", median_factor=factor), members)
    type_counts = np.array([float(k) for k in items["b-member-types"].probabilities])
    types = type_counts[_marginal(items["b-member-types"], z["b-member-types"]).astype(int)]
    put("b-member-types", np.where(members < 20, np.minimum(types, 2), types))
    draw("b-regional-concentration", add=-10.0 * large)

    fte = draw("b-staff-fte")
    draw("b-staff-industry-experience")
    draw("b-staff-turnover", zero_share=np.where(fte < 2, 0.55, np.where(fte > 5, 0.30, 0.40)))
    draw("b-staff-training-days")
    draw("b-board-industry-share")  # the public-body rule needs a legal form: not drawn
    draw("b-board-meetings")

    draw("b-budget-keur")
    shares = _funding_shares(block, z[block.items[0]], portfolio, rng)
    for item, x in shares.items():
        v[item] = x
    draw("b-funding-sources")
    policy = draw("b-policy-recognition")
    draw("b-funding-secured-months", times=np.where(policy == 1, 1.2, 1.0))

    draw("b-services-count")
    draw("b-events-count")
    draw("b-sme-service-reach", times=np.where(large, 0.8, 1.0))
    support = items["b-sme-specialised-support"]
    labelled = 1 - cal.label_levels["none"] / sum(cal.label_levels.values())
    # Every labelled CMO offers it; unlabelled ones so often that the pooled share stays p.
    p_none = min(max((support.p - labelled) / (1 - labelled), 0.0), 1.0)
    draw("b-sme-specialised-support", p=np.where(label == "none", p_none, 1.0))
    catalogue = ins.item("b-service-catalogue")
    option = {o.id: float(k) for k, o in enumerate(catalogue.options)}
    codes = np.array([option[str(key)] for key in items["b-service-catalogue"].probabilities])
    drawn = _marginal(items["b-service-catalogue"], z["b-service-catalogue"])
    v["b-service-catalogue"] = codes[drawn.astype(int)]
    draw(
        "b-international-activities",
        median_factor=_lookup(INTERNATIONAL_ACTIVITIES_FACTOR, portfolio, 1.0),
    )

    satisfaction = draw("b-member-satisfaction")
    no_survey = rng.random(n) < _lookup(
        SATISFACTION_MISSING, label, items["b-member-satisfaction"].missing_share
    )
    satisfaction[no_survey] = np.nan
    draw("b-active-members-share", add=-10.0 * large)
    draw("b-member-visits")
    draw("b-working-groups", median_factor=_lookup(WORKING_GROUPS_FACTOR, band, 1.0))
    draw("b-newsletters")
    draw("b-intra-cluster-cooperations")

    draw("b-media-mentions")
    draw("b-awards", add=np.isin(label, ["silver", "gold"]).astype(float))
    draw("b-projects-funded", median_factor=_lookup(PROJECTS_FACTOR, portfolio, 1.0))
    draw("b-member-growth", add=10.0 * (age < 4))
    small_country = ~np.isin(country, LARGE_COUNTRIES)
    draw("b-international-partners", median_factor=np.where(small_country, 1.2, 1.0))

    attributes = {"portfolio": portfolio, "country": country, "size_band": band, "label": label}
    order = [c.item for c in cal.items]
    return attributes, {item: v[item] for item in order}


def _funding_shares(block: JointBlock, z: np.ndarray, portfolio: np.ndarray, rng) -> dict:
    """Funding shares in % (Dirichlet), the first item from its latent ``z`` (shifted).

    A Dirichlet's first component is Beta(a1, sum - a1) and, given it, the others split the
    rest as a Dirichlet of their own parameters: so the first share follows the copula and
    the other shares fill up the remainder.
    """
    alpha = {k: block.concentration * m / 100 for k, m in block.means.items()}
    first, *rest = block.items
    total = sum(alpha.values())
    public = 100 * beta_ppf(norm_cdf(z), alpha[first], total - alpha[first])
    split = rng.dirichlet([alpha[k] for k in [*rest, block.remainder]], size=len(z))
    moved = np.minimum(public + _lookup(PUBLIC_FUNDING_POINTS, portfolio, 0.0), 100.0)
    shares = {first: np.round(moved, ITEM_DECIMALS) + 0.0}
    left = 100.0 - shares[first]
    for k, item in enumerate(rest):
        shares[item] = np.round(left * split[:, k], ITEM_DECIMALS) + 0.0
    # Rounding may overshoot 100 by 0.1: take it from the largest share.
    excess = np.round(sum(shares.values()) - 100.0, ITEM_DECIMALS)
    stacked = np.stack(list(shares.values()), axis=1)
    top = stacked.argmax(axis=1)
    fix = excess > 0
    stacked[fix, top[fix]] -= excess[fix]
    return {item: np.round(stacked[:, k], ITEM_DECIMALS) + 0.0 for k, item in enumerate(shares)}


def _engine_scores(values: Mapping[str, np.ndarray], ins: Instrument, dims: list[str]) -> dict:
    """``dim:<id>`` columns and ``overall`` scored by the engine from coded answers."""
    compiled = compile_instrument(ins)
    n = len(next(iter(values.values())))
    X = np.full((n, compiled.n_items), np.nan)
    for item, x in values.items():
        X[:, compiled.column(item)] = x
    res = score(X, compiled, item_scores=False)
    out = {}
    for d in dims:
        col = res.dimension_scores[:, compiled.dimension_ids.index(d)]
        out[f"{DIMENSION_PREFIX}{d}"] = np.round(col, SCORE_DECIMALS)
    out[OVERALL] = np.round(res.overall, SCORE_DECIMALS)
    return out


def _unit_ids(prefix: str, n: int) -> np.ndarray:
    width = max(4, len(str(n)))
    return np.array([f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def generate_organisations(
    *, seed: int = DEFAULT_SEED, n: int = N_ORGANISATIONS, calibration: Calibration | None = None
) -> ReferenceSet:
    """Draw ``n`` SYNTHETIC cluster management organisations and score them with the engine.

    Returns
    -------
    ReferenceSet
        ``ids`` ``cmo-0001``...; attributes ``portfolio``, ``country``, ``size_band``,
        ``label``; measures: one per benchmarking item (raw value in the item's unit, the
        option index for ``b-service-catalogue``, 1/0 for yes/no), then ``dim:<id>`` for
        the six benchmarking dimensions and ``overall`` (engine scores in [0, 1]). All of
        shape (n,).
    """
    cal = calibration or load_calibration()
    ins = _instrument(cal.instrument)
    attributes, values = _draw_items(cal, ins, np.random.default_rng(seed), n)
    dims = [
        d.id
        for d, _, _ in ins.iter_dimensions()
        if any(ins.item(i).dimensions.get(d.id) for i in values)
    ]
    meta = {
        "synthetic": True,
        "seed": seed,
        "instrument": ins.id,
        "instrument_version": ins.version,
    }
    return ReferenceSet(
        ids=_unit_ids("cmo", n),
        attributes=attributes,
        measures={**values, **_engine_scores(values, ins, dims)},
        metadata=meta,
    )


# ------------------------------------------------------------------ managers
def generate_managers(
    *, seed: int = DEFAULT_SEED, n: int = N_MANAGERS, calibration: Calibration | None = None
) -> ReferenceSet:
    """Draw ``n`` SYNTHETIC cluster manager profiles with competency self-test answers.

    Each manager has a latent ability per area (correlated areas, rising with experience);
    self-ratings add a personal lenience and noise; situational choices favour
    better-keyed options the abler the manager; some answers are missing and a few managers
    stop half-way. Uses ``default_rng([seed, 1])``, a stream apart from the organisations'.

    Returns
    -------
    ReferenceSet
        ``ids`` ``mgr-0001``...; attributes ``portfolio``, ``country``, ``size_band``;
        measures ``years_experience``, one column per item (coded answer: likert point,
        option index), ``dim:<area>`` for the eight areas and ``overall``. Shape (n,).
    """
    cal = calibration or load_calibration()
    ins = _instrument(SELF_TEST)
    compiled = compile_instrument(ins)
    rng = np.random.default_rng([seed, 1])
    portfolio = _quota(rng, cal.portfolios, n)
    country = _quota(rng, cal.countries, n)
    band = _quota(rng, {b.id: b.share for b in cal.size_bands}, n)
    log_years = math.log(EXPERIENCE_MEDIAN) + EXPERIENCE_SIGMA * rng.standard_normal(n)
    years = np.clip(np.round(np.exp(log_years)), 0, EXPERIENCE_MAX) + 0.0

    areas = [d.id for d, parent, _ in ins.iter_dimensions() if parent is None]
    R = np.full((len(areas), len(areas)), AREA_CORRELATION)
    for a, b, rho in RELATED_AREAS:
        R[areas.index(a), areas.index(b)] = R[areas.index(b), areas.index(a)] = rho
    np.fill_diagonal(R, 1.0)
    theta = rng.standard_normal((n, len(areas))) @ np.linalg.cholesky(R).T
    experience = (np.log1p(years) - math.log1p(EXPERIENCE_MEDIAN)) / EXPERIENCE_SIGMA
    theta += EXPERIENCE_EFFECT * experience[:, None]
    lenience = rng.normal(LENIENCE_MEAN, LENIENCE_SD, n)

    top = {}  # dimension id -> its top-level area
    for d, parent, _ in ins.iter_dimensions():
        top[d.id] = d.id if parent is None else top[parent.id]
    X = np.full((n, compiled.n_items), np.nan)
    for j, item in enumerate(ins.items):
        ability = theta[:, areas.index(top[next(iter(item.dimensions))])]
        if item.type == "likert":
            y = ability + lenience + rng.normal(0.0, RATING_NOISE, n)
            point = 1 + (y[:, None] > LIKERT_CUTS).sum(axis=1)
            X[:, j] = item.points + 1 - point if item.reverse else point
        else:  # situational: multinomial logit on the keyed scores, steeper when abler
            s = np.array([o.score for o in item.options])
            slope = np.maximum(0.0, 1.0 + 1.5 * ability)
            utility = slope[:, None] * (2 * s / s.max() - 1) + rng.gumbel(size=(n, len(s)))
            X[:, j] = utility.argmax(axis=1)
    X[rng.random(X.shape) < MISSING_ANSWER_SHARE] = np.nan
    stops = rng.random(n) < ABANDON_SHARE
    stop_at = rng.integers(compiled.n_items // 2, compiled.n_items, n)
    X[stops[:, None] & (np.arange(compiled.n_items)[None, :] >= stop_at[:, None])] = np.nan

    answers = {item_id: X[:, j] for j, item_id in enumerate(compiled.item_ids)}
    meta = {
        "synthetic": True,
        "seed": seed,
        "instrument": ins.id,
        "instrument_version": ins.version,
    }
    return ReferenceSet(
        ids=_unit_ids("mgr", n),
        attributes={"portfolio": portfolio, "country": country, "size_band": band},
        measures={"years_experience": years, **answers, **_engine_scores(answers, ins, areas)},
        metadata=meta,
    )


# ------------------------------------------------------------------ files
def _decimals(column: str) -> int:
    if column.startswith(DIMENSION_PREFIX) or column == OVERALL:
        return SCORE_DECIMALS
    return DECIMALS.get(column, ITEM_DECIMALS)


def _cells(values: np.ndarray, decimals: int) -> list[str]:
    out = []
    for x in np.round(values, decimals) + 0.0:
        if np.isnan(x):
            out.append("")
        elif decimals == 0 or x == int(x):
            out.append(str(int(x)))
        else:
            out.append(f"{x:.{decimals}f}".rstrip("0"))
    return out


def write_reference_csv(ref: ReferenceSet, path: Path) -> list[str]:
    """Write ``ref`` as a reference CSV (``\\n`` line ends); return its header."""
    header = [ID_COLUMN, *ref.attributes, *ref.measures]
    columns = [list(ref.ids), *(list(a) for a in ref.attributes.values())]
    columns += [_cells(x, _decimals(name)) for name, x in ref.measures.items()]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(zip(*columns, strict=True))
    return header


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_reference_files(
    out: Path,
    *,
    seed: int = DEFAULT_SEED,
    n_organisations: int = N_ORGANISATIONS,
    n_managers: int = N_MANAGERS,
    date: str | None = None,
    on_step: Callable[[str], None] | None = None,
) -> dict:
    """Generate both populations into ``out`` with ``metadata.json``; return the metadata."""
    step = on_step or (lambda _: None)
    out.mkdir(parents=True, exist_ok=True)
    cal_path = REFERENCE_DIR / CALIBRATION_FILE
    cal = load_calibration(cal_path)
    step(f"drawing and scoring {n_organisations} organisations")
    orgs = generate_organisations(seed=seed, n=n_organisations, calibration=cal)
    step(f"drawing and scoring {n_managers} managers")
    managers = generate_managers(seed=seed, n=n_managers, calibration=cal)
    step("writing CSV files")
    files = {}
    for name, ref in ((ORGANISATIONS_FILE, orgs), (MANAGERS_FILE, managers)):
        header = write_reference_csv(ref, out / name)
        files[name] = {
            "n": len(ref),
            "instrument": ref.metadata["instrument"],
            "instrument_version": ref.metadata["instrument_version"],
            "columns": header,
            "sha256": _sha256(out / name),
        }
    step("writing metadata")
    meta = {
        "synthetic": True,
        "notice": "SYNTHETIC data drawn from a documented calibration; not real benchmarking data.",
        "generator": "clusterexcellence.courses.reference",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "date": date or datetime.date.today().isoformat(),
        "numpy_version": np.__version__,
        "calibration": {
            "source": f"{REFERENCE_DIR.name}/{CALIBRATION_FILE}",
            "id": cal.id,
            "version": cal.version,
            "sha256": _sha256(cal_path),
        },
        "files": files,
    }
    (out / METADATA_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


# ------------------------------------------------------------------ bundled data
def bundled_reference_path() -> Path:
    """Path of the bundled SYNTHETIC organisations CSV (the default benchmarking reference)."""
    return REFERENCE_DIR / ORGANISATIONS_FILE


def bundled_metadata() -> dict:
    return json.loads((REFERENCE_DIR / METADATA_FILE).read_text(encoding="utf-8"))


def _load_bundled(name: str) -> ReferenceSet:
    meta = bundled_metadata()
    info = {k: v for k, v in meta.items() if k != "files"} | meta["files"][name]
    return ReferenceSet.from_csv(REFERENCE_DIR / name, metadata=info)


def load_bundled_organisations() -> ReferenceSet:
    """The bundled SYNTHETIC organisations (``metadata["synthetic"]`` is True)."""
    return _load_bundled(ORGANISATIONS_FILE)


def load_bundled_managers() -> ReferenceSet:
    """The bundled SYNTHETIC manager profiles (``metadata["synthetic"]`` is True)."""
    return _load_bundled(MANAGERS_FILE)
