"""The generator of the SYNTHETIC benchmarking reference populations and their files.

Nothing here is real benchmarking data (the official database is not public). Two
populations are drawn, deterministically from a seed:

- cluster management organisations: the 36 benchmarking (``b-``) items of the label
  self-assessment, drawn from ``content/reference/calibration.yaml`` with a Gaussian
  copula, then scored by the engine into the six benchmarking dimensions and ``overall``;
- cluster managers: competency self-test answers from a latent ability per area, scored
  by the engine into the eight area scores and ``overall``.

Real reference data comes in through
:func:`~clusterexcellence.engine.reference.read_reference_csv`, which checks it.
Columns, distributions and the seed are documented in ``content/reference/README.md``;
the bundled files are read by :mod:`.bundled`.
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

import numpy as np

from clusterexcellence.engine import ReferenceSet, compile_instrument, score
from clusterexcellence.engine.instrument import Instrument
from clusterexcellence.engine.reference import DIMENSION_PREFIX, ID_COLUMN, OVERALL

from ..instruments import find_instrument
from .bundled import MANAGERS_FILE, METADATA_FILE, ORGANISATIONS_FILE
from .calibration import (
    CALIBRATION_FILE,
    DECIMALS,
    ITEM_DECIMALS,
    REFERENCE_DIR,
    Calibration,
    JointBlock,
    beta_ppf,
    finish,
    latent,
    load_calibration,
    lookup,
    marginal,
    norm_cdf,
    quota,
    size_band_of,
)

GENERATOR_VERSION = "1"
#: Seed of the bundled files (the reference period 2016-2017 ends in 2017).
DEFAULT_SEED = 2017
N_ORGANISATIONS = 1300
N_MANAGERS = 2000
SELF_TEST = "competency-self-test"
#: Decimals written for scores.
SCORE_DECIMALS = 4

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


@lru_cache(maxsize=4)
def _instrument(ref: str) -> Instrument:
    """A bundled instrument, loaded once per process (loading parses a large YAML file)."""
    return find_instrument(ref)


# ------------------------------------------------------------------ organisations
def _draw_items(cal: Calibration, ins: Instrument, rng: np.random.Generator, n: int):
    """Attributes and raw item values of ``n`` organisations (before scoring)."""
    label = quota(rng, cal.label_levels, n)
    portfolio = quota(rng, cal.portfolios, n)
    country = quota(rng, cal.countries, n)
    items = {c.item: c for c in cal.items}
    (block,) = cal.joint.values()
    # The first item of the joint block stands for the block in the copula.
    names = [c.item for c in cal.items if c.joint is None or c.item == block.items[0]]
    Z = latent(cal, rng, names, n)
    sign = np.array([{"up": 1.0, "down": -1.0, "none": 0.0}[items[m].direction] for m in names])
    shift = lookup(cal.generation.label_level_shift, label, 0.0)
    Z += shift[:, None] * sign[None, :]
    z = dict(zip(names, Z.T, strict=True))
    v: dict[str, np.ndarray] = {}

    def put(item: str, x: np.ndarray) -> np.ndarray:
        v[item] = finish(x, items[item])
        return v[item]

    def draw(item: str, *, add=0.0, times=1.0, **kw) -> np.ndarray:
        """Draw ``item``, then apply a calibrated additive or multiplicative rule."""
        return put(item, marginal(items[item], z[item], **kw) * times + add)

    members = draw("b-members-total")
    band = size_band_of(members, cal.size_bands)
    large = band == "large"
    age = draw("b-cmo-age-years")
    draw("b-sme-share", add=lookup(SME_SHARE_POINTS, portfolio, 0.0))
    factor = lookup(RESEARCH_MEDIAN_FACTOR, portfolio, 1.0)
    v["b-research-members"] = np.minimum(draw("b-research-members", median_factor=factor), members)
    type_counts = np.array([float(k) for k in items["b-member-types"].probabilities])
    types = type_counts[marginal(items["b-member-types"], z["b-member-types"]).astype(int)]
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
    drawn = marginal(items["b-service-catalogue"], z["b-service-catalogue"])
    v["b-service-catalogue"] = codes[drawn.astype(int)]
    draw(
        "b-international-activities",
        median_factor=lookup(INTERNATIONAL_ACTIVITIES_FACTOR, portfolio, 1.0),
    )

    satisfaction = draw("b-member-satisfaction")
    no_survey = rng.random(n) < lookup(
        SATISFACTION_MISSING, label, items["b-member-satisfaction"].missing_share
    )
    satisfaction[no_survey] = np.nan
    draw("b-active-members-share", add=-10.0 * large)
    draw("b-member-visits")
    draw("b-working-groups", median_factor=lookup(WORKING_GROUPS_FACTOR, band, 1.0))
    draw("b-newsletters")
    draw("b-intra-cluster-cooperations")

    draw("b-media-mentions")
    draw("b-awards", add=np.isin(label, ["silver", "gold"]).astype(float))
    draw("b-projects-funded", median_factor=lookup(PROJECTS_FACTOR, portfolio, 1.0))
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
    moved = np.minimum(public + lookup(PUBLIC_FUNDING_POINTS, portfolio, 0.0), 100.0)
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


def _synthetic_set(
    prefix: str,
    n: int,
    *,
    seed: int,
    ins: Instrument,
    attributes: dict[str, np.ndarray],
    measures: dict[str, np.ndarray],
) -> ReferenceSet:
    """``n`` drawn units as a SYNTHETIC :class:`ReferenceSet` (ids ``<prefix>-0001``...)."""
    meta = {
        "synthetic": True,
        "seed": seed,
        "instrument": ins.id,
        "instrument_version": ins.version,
    }
    return ReferenceSet(
        ids=_unit_ids(prefix, n), attributes=attributes, measures=measures, metadata=meta
    )


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
    measures = {**values, **_engine_scores(values, ins, dims)}
    return _synthetic_set("cmo", n, seed=seed, ins=ins, attributes=attributes, measures=measures)


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
    portfolio = quota(rng, cal.portfolios, n)
    country = quota(rng, cal.countries, n)
    band = quota(rng, {b.id: b.share for b in cal.size_bands}, n)
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
    attributes = {"portfolio": portfolio, "country": country, "size_band": band}
    measures = {"years_experience": years, **answers, **_engine_scores(answers, ins, areas)}
    return _synthetic_set("mgr", n, seed=seed, ins=ins, attributes=attributes, measures=measures)


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
        "generator": "clusterexcellence.courses.population.generate",
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
