"""The synthetic reference populations, their generator, the bundled files and the importer."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from clusterexcellence.cli.reference import register
from clusterexcellence.courses import reference as ref_mod
from clusterexcellence.courses.exceptions import CalibrationError
from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.courses.reference import (
    DEFAULT_SEED,
    LABEL_LEVELS,
    SIZE_BANDS,
    ReferenceDataError,
    bundled_metadata,
    bundled_reference_path,
    generate_managers,
    generate_organisations,
    import_reference,
    load_bundled_managers,
    load_bundled_organisations,
    load_calibration,
    write_reference_files,
)
from clusterexcellence.courses.reference_import import portfolio_ids
from clusterexcellence.engine import Withheld, compile_instrument, score
from clusterexcellence.engine.benchmark import positions


@pytest.fixture(scope="module")
def cal():
    return load_calibration()


@pytest.fixture(scope="module")
def label_ins():
    return find_instrument("label-self-assessment")


@pytest.fixture(scope="module")
def test_ins():
    return find_instrument("competency-self-test")


@pytest.fixture(scope="module")
def orgs():
    return load_bundled_organisations()


@pytest.fixture(scope="module")
def managers():
    return load_bundled_managers()


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    keep = ~np.isnan(a) & ~np.isnan(b)
    ranks = [np.argsort(np.argsort(x[keep], kind="stable")) for x in (a, b)]
    return float(np.corrcoef(*ranks)[0, 1])


def _shares(values: np.ndarray) -> dict[str, float]:
    kinds, counts = np.unique(values.astype(str), return_counts=True)
    return dict(zip(kinds.tolist(), (counts / counts.sum()).tolist(), strict=True))


# ------------------------------------------------------------------ generator
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
        shipped = (ref_mod.REFERENCE_DIR / name).read_bytes()
        assert (tmp_path / name).read_bytes() == shipped, name
        assert fresh["files"][name] == meta["files"][name]
    assert fresh["calibration"] == meta["calibration"]


def test_metadata_says_synthetic_and_describes_the_files():
    meta = bundled_metadata()
    assert meta["synthetic"] is True
    assert meta["seed"] == DEFAULT_SEED
    assert meta["generator_version"] == ref_mod.GENERATOR_VERSION
    cal_bytes = (ref_mod.REFERENCE_DIR / "calibration.yaml").read_bytes()
    assert meta["calibration"]["sha256"] == hashlib.sha256(cal_bytes).hexdigest()
    for name, info in meta["files"].items():
        path = ref_mod.REFERENCE_DIR / name
        assert path.stat().st_size < 2_000_000
        assert info["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].split(",") == info["columns"]
        assert len(lines) - 1 == info["n"]
    assert load_bundled_organisations().metadata["synthetic"] is True
    assert bundled_reference_path().name == "organisations.csv"


def test_calibration_matches_the_instruments(cal, label_ins):
    b_items = [i.id for i in label_ins.items if i.id.startswith("b-")]
    assert len(b_items) == 36
    assert [c.item for c in cal.items] == b_items
    assert list(cal.portfolios) == list(portfolio_ids(label_ins))
    assert tuple(cal.label_levels) == LABEL_LEVELS
    assert tuple(b.id for b in cal.size_bands) == SIZE_BANDS
    assert cal.synthetic is True


# ------------------------------------------------------------------ distributions
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
    bands = ref_mod.size_band_of(members, load_calibration().size_bands)
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


# ------------------------------------------------------------------ helpers
def test_beta_ppf_matches_the_closed_form():
    u = np.linspace(0.001, 0.999, 99)
    np.testing.assert_allclose(ref_mod.beta_ppf(u, 1.0, 4.0), 1 - (1 - u) ** 0.25, atol=1e-4)
    np.testing.assert_allclose(ref_mod.beta_ppf(u, 1.0, 1.0), u, atol=1e-4)


def test_poisson_ppf_matches_a_plain_loop():
    u = np.array([0.0001, 0.1, 0.5, 0.9, 0.999])
    got = ref_mod.poisson_ppf(u, 3.5, 12)
    for ui, gi in zip(u, got, strict=True):
        k, cdf = 0, math.exp(-3.5)
        while cdf < ui and k < 12:
            k += 1
            cdf += math.exp(-3.5) * 3.5**k / math.factorial(k)
        assert gi == k


def test_tree_correlations_multiply_along_paths_and_refuse_cycles():
    R = ref_mod.tree_correlations(["a", "b", "c", "d"], [("a", "b", 0.5), ("b", "c", 0.8)])
    assert R[0, 2] == pytest.approx(0.4)
    assert R[0, 3] == 0
    assert np.all(np.linalg.eigvalsh(R) > 0)
    with pytest.raises(CalibrationError, match="cycle"):
        ref_mod.tree_correlations(
            ["a", "b", "c"], [("a", "b", 0.5), ("b", "c", 0.5), ("c", "a", 0.5)]
        )


# ------------------------------------------------------------------ importer
def test_importer_accepts_the_shipped_files(label_ins, test_ins, orgs):
    imported = import_reference(bundled_reference_path(), instrument=label_ins)
    assert len(imported) == len(orgs)
    assert all(_same(imported.measures[k], orgs.measures[k]) for k in orgs.measures)
    managers = import_reference(
        ref_mod.REFERENCE_DIR / "managers.csv",
        instrument=test_ins,
        portfolios=portfolio_ids(label_ins),
        extra_measures=["years_experience"],
    )
    assert len(managers) == 2000


HEADER = (
    "unit_id,portfolio,country,size_band,label,"
    "b-members-total,b-staff-fte,b-service-catalogue,dim:structure,overall"
)
GOOD = "cmo-1,ict,DE,small,bronze,120,4.5,2,0.8,0.75"


@pytest.mark.parametrize(
    ("header", "row", "line", "column", "message"),
    [
        ("id," + HEADER[8:], GOOD, 1, None, "first column must be 'unit_id'"),
        (HEADER + ",b-unknown", GOOD + ",1", 1, "b-unknown", "unknown column"),
        (HEADER + ",overall", GOOD + ",0.5", 1, "overall", "duplicate column"),
        (HEADER, "cmo-2,ict,DE,small,bronze,120,4.5", 3, None, "7 cells, the header has 10"),
        (HEADER, GOOD, 3, "unit_id", "duplicate unit id 'cmo-1' (first on line 2)"),
        (HEADER, ",ict,DE,small,bronze,120,4.5,2,0.8,0.75", 3, "unit_id", "empty unit id"),
        (
            HEADER,
            "cmo-2,space,DE,small,bronze,120,4.5,2,0.8,0.75",
            3,
            "portfolio",
            "'space' is not one of",
        ),
        (
            HEADER,
            "cmo-2,ict,Germany,small,bronze,120,4.5,2,0.8,0.75",
            3,
            "country",
            "not an ISO 3166-1",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,tiny,bronze,120,4.5,2,0.8,0.75",
            3,
            "size_band",
            "'tiny' is not one of",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,small,platinum,120,4.5,2,0.8,0.75",
            3,
            "label",
            "'platinum' is not one of",
        ),
        (HEADER, "cmo-2,ict,DE,small,,120,4.5,2,0.8,0.75", 3, "label", "empty value"),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,many,4.5,2,0.8,0.75",
            3,
            "b-members-total",
            "'many' is not a number",
        ),
        (HEADER, "cmo-2,ict,DE,small,bronze,120,inf,2,0.8,0.75", 3, "b-staff-fte", "not finite"),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,-3,4.5,2,0.8,0.75",
            3,
            "b-members-total",
            "-3 is outside [0, 10000]",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,120.5,4.5,2,0.8,0.75",
            3,
            "b-members-total",
            "not a whole number",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,120,4.5,4,0.8,0.75",
            3,
            "b-service-catalogue",
            "outside [0, 3]",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,120,4.5,1.5,0.8,0.75",
            3,
            "b-service-catalogue",
            "whole number",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,120,4.5,2,80,0.75",
            3,
            "dim:structure",
            "outside [0, 1] (a score)",
        ),
    ],
)
def test_importer_rejects_each_error_with_file_line_and_column(
    tmp_path, label_ins, header, row, line, column, message
):
    path = tmp_path / "broken.csv"
    path.write_text(f"{header}\n{GOOD}\n{row}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as info:
        import_reference(path, instrument=label_ins)
    texts = [str(i) for i in info.value.issues]
    prefix = f"{path}:{line}:" + (f" column {column!r}:" if column else "")
    assert any(t.startswith(prefix) and message in t for t in texts), texts


def test_importer_collects_every_error_before_raising(tmp_path, label_ins):
    path = tmp_path / "many.csv"
    rows = [
        HEADER,
        GOOD,
        "cmo-2,space,DE,small,bronze,120,4.5,2,0.8,0.75",
        "cmo-2,ict,DE,small,bronze,-1,4.5,2,0.8,0.75",
        "cmo-4,ict,DE,tiny,gold,12.5,x,2,0.8,2",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as info:
        import_reference(path, instrument=label_ins)
    found = {(i.line, i.column) for i in info.value.issues}
    assert found == {
        (3, "portfolio"),
        (4, "unit_id"),
        (4, "b-members-total"),
        (5, "size_band"),
        (5, "b-members-total"),
        (5, "b-staff-fte"),
        (5, "overall"),
    }
    assert f"{path}:5: column 'overall'" in str(info.value)
    assert "7 problem(s)" in str(info.value)


def test_importer_reports_an_empty_file(tmp_path, label_ins):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"empty\.csv:1: the first column"):
        import_reference(path, instrument=label_ins)


# ------------------------------------------------------------------ benchmarking
def test_benchmarking_the_shipped_data_withholds_groups_under_five(orgs):
    pairs = list(zip(orgs.attributes["country"], orgs.attributes["portfolio"], strict=True))
    kinds, counts = np.unique(np.array([f"{c}|{p}" for c, p in pairs]), return_counts=True)
    small = kinds[(counts >= 1) & (counts < 5)][0].split("|")
    big = kinds[counts >= 5][0].split("|")
    mine = np.array([0.7])
    tiny = orgs.where(country=small[0], portfolio=small[1])
    result = positions(mine, tiny.values("overall"))
    assert isinstance(result, Withheld) and not result
    assert result.n == len(tiny) < 5 and "at least 5" in result.reason
    peers = orgs.where(country=big[0], portfolio=big[1])
    released = positions(mine, peers.values("overall"))
    assert released and released.group_size == len(peers) >= 5
    everyone = positions(mine, orgs.values("overall"))
    assert everyone.group_size == len(orgs)


# ------------------------------------------------------------------ CLI
@pytest.fixture()
def cli():
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Test root."""

    return app


def test_cli_generate_writes_the_files(tmp_path, cli):
    out = tmp_path / "ref"
    result = CliRunner().invoke(
        cli,
        [
            "reference",
            "generate",
            "--out",
            str(out),
            "--seed",
            "3",
            "--organisations",
            "40",
            "--managers",
            "30",
        ],
    )
    assert result.exit_code == 0, result.output
    meta = (out / "metadata.json").read_text(encoding="utf-8")
    assert '"synthetic": true' in meta and '"seed": 3' in meta
    assert len((out / "organisations.csv").read_text().splitlines()) == 41
    assert len((out / "managers.csv").read_text().splitlines()) == 31


def test_cli_import_summarises_a_valid_file(cli):
    result = CliRunner().invoke(cli, ["reference", "import", str(bundled_reference_path())])
    assert result.exit_code == 0, result.output
    # Rich wraps the summary at the console width (a long checkout path moves the break).
    summary = " ".join(result.output.split())
    assert "1300 unit(s), 43 measure(s) — valid" in summary


def test_cli_import_lists_every_error_and_exits_1(tmp_path, cli):
    path = tmp_path / "bad.csv"
    path.write_text(
        f"{HEADER}\n{GOOD}\ncmo-2,space,DE,small,bronze,-1,4.5,2,0.8,0.75\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["reference", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}:3: column 'portfolio'" in result.output
    assert f"{path}:3: column 'b-members-total'" in result.output
    assert "2 problem(s)" in result.output


def test_cli_import_refuses_an_unknown_instrument(cli):
    args = ["reference", "import", str(bundled_reference_path()), "--instrument", "nope"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "no instrument 'nope'" in " ".join(result.output.split())
