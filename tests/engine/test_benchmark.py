import re
from fractions import Fraction

import numpy as np
import pytest

from clusterexcellence.engine import (
    BenchmarkError,
    ReferenceSet,
    Withheld,
    distribution,
    percentile_positions,
    positions,
)
from clusterexcellence.engine.benchmark import (
    excellence_gap,
    excellence_values,
    top_peers,
)


def loop_percentile(v, ref):
    ref = [r for r in ref if not np.isnan(r)]
    below = sum(r < v for r in ref)
    equal = sum(r == v for r in ref)
    return (below + 0.5 * equal) / len(ref) * 100


def test_percentile_counts_ties_as_half():
    ref = [10, 20, 20, 20, 30]
    assert percentile_positions([20], ref).tolist() == [50.0]  # (1 + 1.5) / 5
    assert percentile_positions([10, 30, 5, 35], ref).tolist() == [10.0, 90.0, 0.0, 100.0]


def test_percentile_matches_a_plain_loop_with_missing_values():
    rng = np.random.default_rng(3)
    ref = rng.integers(0, 20, 300).astype(float)
    ref[::7] = np.nan
    vals = np.append(rng.integers(-2, 22, 200).astype(float), np.nan)
    got = percentile_positions(vals, ref)
    with np.errstate(all="raise"):
        want = [loop_percentile(v, ref) if not np.isnan(v) else np.nan for v in vals]
    np.testing.assert_allclose(got, want)


def test_a_percentile_exactly_on_a_quartile_boundary_starts_the_next_quartile():
    p = positions([0.0], [-1.0] * 48 + [0.0] + [1.0] * 48)  # (48 + 0.5) / 97 = exactly 50 %
    assert p.percentile.tolist() == [50.0] and p.quartile.tolist() == [3]
    p = positions(
        [0.0, 2.0, 3.0, 5.0, 7.0], np.arange(8.0), k=2
    )  # 6.25, 31.25, 43.75, 68.75, 93.75
    assert p.quartile.tolist() == [1, 2, 2, 3, 4]
    p = positions([1.0, 3.0, 5.0], [0.0, 2.0, 2.0, 4.0, 4.0, 6.0])  # 3 of 6 below 3: 50 %
    assert p.percentile[1] == 50.0 and p.quartile.tolist() == [1, 3, 4]


def test_percentiles_and_quartiles_equal_exact_fractions():
    for n in range(5, 80):
        ref = np.arange(n, dtype=float) // 2  # pairs of ties
        values = np.arange(-1.0, n // 2 + 1.0, 0.5)
        p = positions(values, ref)
        cells = zip(values.tolist(), p.percentile.tolist(), p.quartile.tolist(), strict=True)
        for v, pct, q in cells:
            below, equal = int(np.sum(ref < v)), int(np.sum(ref == v))
            exact = Fraction(2 * below + equal, 2 * n) * 100
            assert pct == float(exact), (n, v)
            assert q == min(exact // 25 + 1, 4), (n, v, float(exact))


def test_groups_smaller_than_k_are_withheld_with_a_reason():
    pos = positions([1.0], [1, 2, 3, 4], k=5)
    assert isinstance(pos, Withheld) and not pos
    assert pos.reason == "group has 4 unit(s) with a value; at least 5 are needed"
    assert isinstance(distribution([1, 2, np.nan, 3, 4, np.nan], k=5), Withheld)
    assert positions([1.0], [1, 2, 3, 4, 5], k=5).group_size == 5


def test_positions_z_scores_and_distribution():
    ref = np.array([2.0, 4, 4, 4, 5, 5, 7, 9])
    pos = positions([5.0, np.nan], ref)
    sd = ref.std(ddof=1)
    assert pos.z[0] == pytest.approx((5 - 5) / sd)
    assert np.isnan(pos.percentile[1]) and pos.quartile[1] == 0
    d = distribution(ref)
    assert (d.n, d.mean, d.median) == (8, 5.0, 4.5)
    assert d.p10 == pytest.approx(np.percentile(ref, 10))


def test_no_spread_gives_nan_z():
    pos = positions([3.0], [3.0] * 6)
    assert pos.percentile[0] == 50.0 and np.isnan(pos.z[0])


def reference():
    n = 12
    return ReferenceSet(
        ids=np.array([f"u{i}" for i in range(n)], dtype=object),
        attributes={
            "portfolio": np.array(["ict"] * 6 + ["food"] * 6, dtype=object),
            "label": np.array(["gold", "none"] * 6, dtype=object),
        },
        measures={"m": np.arange(n, dtype=float)},
    )


def test_peer_groups_and_excellence_group():
    ref = reference()
    assert ref.where(portfolio="ict").measures["m"].tolist() == [0, 1, 2, 3, 4, 5]
    assert len(ref.where(portfolio=["ict", "food"], label="gold")) == 6
    top = excellence_values(ref, "m", top_share=0.25)
    assert top.tolist() == [9.0, 10.0, 11.0]
    gold = excellence_values(ref, "m", where={"label": "gold"})
    assert gold.tolist() == [0, 2, 4, 6, 8, 10]
    gap = excellence_gap([4.0], gold, k=5)
    assert gap.tolist() == [1.0]
    assert isinstance(excellence_gap([4.0], top, k=5), Withheld)
    with pytest.raises(BenchmarkError, match="unknown attribute 'size'"):
        ref.where(size="big")


def test_learn_from_the_best_uses_stable_anonymous_ids():
    ref = reference()
    best = top_peers(ref, "m", top=3, salt="s")
    assert [v for _, v in best] == [11.0, 10.0, 9.0]
    assert all(a.startswith("peer-") and "u1" not in a for a, _ in best)
    assert best == top_peers(ref, "m", top=3, salt="s")
    assert best[0][0] != top_peers(ref, "m", top=3, salt="other")[0][0]
    assert isinstance(top_peers(ref.where(portfolio="ict", label="gold"), "m"), Withheld)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,portfolio,m\nu1,ict,1\n", "1: the first column must be 'unit_id'"),
        (
            "unit_id,portfolio,m\nu1,ict,1\nu1,ict,2\n",
            "3: column 'unit_id': duplicate unit id 'u1' (first on line 2)",
        ),
        ("unit_id,portfolio,m\nu1,ict,abc\n", "2: column 'm': 'abc' is not a number"),
        ("unit_id,portfolio,m\nu1,ict\n", "2: 2 cells, the header has 3"),
    ],
)
def test_reference_csv_errors_give_file_and_line(tmp_path, text, message):
    path = tmp_path / "ref.csv"
    path.write_text(text)
    with pytest.raises(BenchmarkError, match=re.escape(f"ref.csv:{message}")):
        ReferenceSet.from_csv(path)


def test_reference_csv_reads_attributes_and_missing_values(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("unit_id,portfolio,m,n\nu1,ict,1,\nu2,food,2.5,3\n")
    ref = ReferenceSet.from_csv(path)
    assert ref.attributes["portfolio"].tolist() == ["ict", "food"]
    assert ref.measures["m"].tolist() == [1.0, 2.5] and np.isnan(ref.measures["n"][0])
