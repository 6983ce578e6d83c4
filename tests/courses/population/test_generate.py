"""The generator of the synthetic populations: determinism, distributions, rules and scores."""

from __future__ import annotations

import math

import numpy as np
import pytest

from clusterexcellence.courses.population.bundled import bundled_metadata
from clusterexcellence.courses.population.calibration import (
    REFERENCE_DIR,
    load_calibration,
    size_band_of,
)
from clusterexcellence.courses.population.generate import (
    generate_managers,
    generate_organisations,
    write_reference_files,
)
from clusterexcellence.engine import compile_instrument, score
from clusterexcellence.engine.reference import LABEL_LEVELS


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    keep = ~np.isnan(a) & ~np.isnan(b)
    ranks = [np.argsort(np.argsort(x[keep], kind="stable")) for x in (a, b)]
    return float(np.corrcoef(*ranks)[0, 1])


def _shares(values: np.ndarray) -> dict[str, float]:
    kinds, counts = np.unique(values.astype(str), return_counts=True)
    return dict(zip(kinds.tolist(), (counts / counts.sum()).tolist(), strict=True))


def test_generation_is_deterministic_for_a_seed():
    a = generate_organisations(seed=11, n=150)
    b = generate_organisations(seed=11, n=150)
    c = generate_organisations(seed=12, n=150)
    assert list(a.measures) == list(b.measures)
    assert all(_same(a.measures[k], b.measures[k]) for k in a.measures)
    assert all(_same(a.attributes[k], b.attributes[k]) for k in a.attributes)
    assert not _same(a.measures["b-staff-fte"], c.measures["b-staff-fte"])
    m1, m2 = generate_managers(seed=11, n=100), generate_managers(seed=11, n=100)
    assert all(_same(m1.measures[k], m2.measures[k]) for k in m1.measures)


def test_shipped_files_equal_a_fresh_generation(tmp_path):
    meta = bundled_metadata()
    fresh = write_reference_files(
        tmp_path,
        seed=meta["seed"],
        n_organisations=meta["files"]["organisations.csv"]["n"],
        n_managers=meta["files"]["managers.csv"]["n"],
        date=meta["date"],
    )
    for name in ("organisations.csv", "managers.csv"):
        shipped = (REFERENCE_DIR / name).read_bytes()
        assert (tmp_path / name).read_bytes() == shipped, name
        assert fresh["files"][name] == meta["files"][name]
    assert fresh["calibration"] == meta["calibration"]


def test_attribute_shares_match_the_calibration(orgs, cal):
    for attr, target, tol in (
        ("label", cal.label_levels, 0.005),
        ("portfolio", cal.portfolios, 0.005),
        ("country", cal.countries, 0.005),
        ("size_band", {b.id: b.share for b in cal.size_bands}, 0.03),
    ):
        got = _shares(orgs.attributes[attr])
        assert set(got) == set(target), attr
        for key, share in target.items():
            assert got[key] == pytest.approx(share, abs=tol), (attr, key)
    assert len(orgs) == cal.population_size


def test_headline_figures_match_the_calibration(orgs):
    public = orgs.values("b-public-funding-share")
    assert public.mean() == pytest.approx(45, abs=2.5)
    fte = orgs.values("b-staff-fte")
    assert 3.5 <= np.median(fte) <= 4.5
    assert np.mean((fte >= 2) & (fte <= 15)) == pytest.approx(0.73, abs=0.04)
    assert np.mean(fte < 0.5) < 0.01
    members = orgs.values("b-members-total")
    assert 0.01 < np.mean(members < 15) < 0.05  # about 3 % cannot reach a label
    assert np.mean(members >= 15) > 0.95
    services = orgs.values("b-services-count")
    assert np.mean(services < 3) < 0.05


@pytest.mark.parametrize("item", [c.item for c in load_calibration().items])
def test_each_item_follows_its_marginal(orgs, cal, item):
    spec = next(c for c in cal.items if c.item == item)
    x = orgs.values(item)
    if item == "b-member-types":  # capped at 2 below 20 members: compare the others
        x = x[orgs.values("b-members-total") >= 20]
    x = x[~np.isnan(x)]
    if spec.distribution == "lognormal":
        nonzero = x[x > 0] if spec.zero_share else x
        # Rounding to whole numbers moves a small median by up to one step.
        assert np.median(nonzero) == pytest.approx(spec.median, rel=0.15, abs=1)
        if spec.zero_share:
            assert np.mean(x == 0) == pytest.approx(spec.zero_share, abs=0.04)
    elif spec.distribution in ("beta", "normal"):
        assert x.mean() == pytest.approx(spec.mean, abs=2.5)
    elif spec.distribution == "poisson":
        assert x.mean() == pytest.approx(spec.mean, abs=0.3)
    elif spec.distribution == "bernoulli":
        assert x.mean() == pytest.approx(spec.p, abs=0.03)
    else:
        probs = np.array(list(spec.probabilities.values()))
        codes = np.arange(len(probs)) if isinstance(next(iter(spec.probabilities)), str) else None
        values = codes if codes is not None else np.array(list(spec.probabilities), float)
        got = np.array([np.mean(x == v) for v in values])
        assert np.abs(got - probs).max() < 0.05


def test_calibrated_correlations_hold_with_their_sign(orgs, cal):
    for c in cal.correlations:
        rho = _spearman(orgs.values(c.a), orgs.values(c.b))
        assert rho > 0, (c.a, c.b)
        assert rho == pytest.approx(c.rho, abs=0.1), (c.a, c.b)
    # Implied by the tree: bigger clusters have bigger teams.
    assert _spearman(orgs.values("b-members-total"), orgs.values("b-staff-fte")) > 0.2


def test_label_levels_shift_the_population(orgs):
    overall = [np.mean(orgs.where(label=lv).values("overall")) for lv in LABEL_LEVELS]
    assert overall == sorted(overall)
    public = [np.mean(orgs.where(label=lv).values("b-public-funding-share")) for lv in LABEL_LEVELS]
    assert public[-1] < public[0] - 10
    missing = {
        lv: np.mean(np.isnan(orgs.where(label=lv).values("b-member-satisfaction")))
        for lv in LABEL_LEVELS
    }
    assert missing["gold"] == 0
    assert missing["silver"] == pytest.approx(0.10, abs=0.07)
    assert missing["bronze"] == pytest.approx(0.40, abs=0.06)


def test_rules_between_items_hold(orgs):
    members = orgs.values("b-members-total")
    assert np.all(orgs.values("b-research-members") <= members)
    assert np.all(orgs.values("b-member-types")[members < 20] <= 2)
    labelled = orgs.mask(label=["bronze", "silver", "gold"])
    assert np.all(orgs.values("b-sme-specialised-support")[labelled] == 1)
    assert np.all(orgs.values("b-awards")[orgs.mask(label=["silver", "gold"])] >= 1)
    funding = sum(
        orgs.values(k)
        for k in ("b-public-funding-share", "b-membership-fee-share", "b-services-income-share")
    )
    assert funding.max() <= 100 + 1e-9
    bands = size_band_of(members, load_calibration().size_bands)
    assert np.array_equal(bands, orgs.attributes["size_band"])


def test_values_respect_item_ranges_and_integers(orgs, managers, cal, label_ins, test_ins):
    for spec in cal.items:
        item = label_ins.item(spec.item)
        x = orgs.values(spec.item)
        x = x[~np.isnan(x)]
        lo, hi = spec.clip if spec.clip else (-math.inf, math.inf)
        if item.type == "numeric":
            lo, hi = max(lo, item.min), min(hi, item.max)
        assert lo <= x.min() and x.max() <= hi, spec.item
        if spec.integer or item.type != "numeric" or item.integer:
            assert np.all(x == np.round(x)), spec.item
    compiled = compile_instrument(test_ins)
    for j, item_id in enumerate(compiled.item_ids):
        x = managers.values(item_id)
        x = x[~np.isnan(x)]
        assert compiled.lo[j] <= x.min() and x.max() <= compiled.hi[j]
        assert np.all(x == np.round(x))
    years = managers.values("years_experience")
    assert years.min() >= 0 and years.max() <= 40 and np.all(years == np.round(years))


@pytest.mark.parametrize("population", ["organisations", "managers"])
def test_scores_equal_the_engine_recomputed_from_raw_columns(
    population, orgs, managers, label_ins, test_ins
):
    ref, ins = (orgs, label_ins) if population == "organisations" else (managers, test_ins)
    compiled = compile_instrument(ins)
    X = np.full((len(ref), compiled.n_items), np.nan)
    for j, item_id in enumerate(compiled.item_ids):
        if item_id in ref.measures:
            X[:, j] = ref.values(item_id)
    res = score(X, compiled)
    dims = [k for k in ref.measures if k.startswith("dim:")]
    assert len(dims) == (6 if population == "organisations" else 8)
    for d in dims:
        want = res.dimension_scores[:, compiled.dimension_ids.index(d[4:])]
        np.testing.assert_allclose(ref.values(d), want, atol=5.1e-5)
    np.testing.assert_allclose(ref.values("overall"), res.overall, atol=5.1e-5)
    assert not np.isnan(ref.values("overall")).any()


def test_managers_are_plausible(managers, test_ins):
    areas = [k for k in managers.measures if k.startswith("dim:")]
    D = np.column_stack([managers.values(a) for a in areas])
    full = ~np.isnan(D).any(axis=1)
    R = np.corrcoef(D[full].T)
    assert np.all(R[np.triu_indices(len(areas), 1)] > 0.2)  # areas are correlated
    assert _spearman(managers.values("years_experience"), managers.values("overall")) > 0.15
    items = [i.id for i in test_ins.items]
    missing = np.mean([np.isnan(managers.values(i)) for i in items])
    assert 0.01 < missing < 0.08
    assert len(managers) == 2000
    assert set(managers.attributes) == {"portfolio", "country", "size_band"}
