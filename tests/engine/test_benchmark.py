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
    Excellence,
    benchmark,
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


@pytest.mark.parametrize("k", [0, 1, -3])
def test_k_anonymity_cannot_be_switched_off(k):
    ref = np.arange(10.0)
    for call in (
        lambda: positions([1.0], ref, k=k),
        lambda: distribution(ref, k=k),
        lambda: excellence_gap([1.0], ref, k=k),
        lambda: top_peers(reference(), "m", k=k),
    ):
        with pytest.raises(BenchmarkError, match=f"k={k}: groups smaller than 2"):
            call()
    assert positions([1.0], [1.0, 2.0], k=2).group_size == 2


def units(ids, portfolio, m):
    return ReferenceSet(
        np.array(ids, dtype=object),
        {"portfolio": np.array(portfolio, dtype=object)},
        {"m": np.array(m, float)},
    )


def test_benchmark_positions_each_unit_among_its_own_peers():
    ref = units([f"u{i}" for i in range(13)], ["ict"] * 10 + ["food"] * 3, list(range(13)))
    got = benchmark(
        units(["me", "you", "her"], ["ict", "food", "ict"], [5.0, 11.0, np.nan]),
        ref,
        same=["portfolio"],
        excellence=Excellence(top_share=0.5),
    )
    assert [(p.unit_id, p.measure) for p in got] == [("me", "m"), ("her", "m"), ("you", "m")]
    me, her, you = got
    assert (me.group_n, me.percentile, me.quartile) == (10, 55.0, 3)
    assert me.z == pytest.approx((5 - 4.5) / np.std(np.arange(10.0), ddof=1))
    assert (me.excellence_n, me.excellence_gap, me.withheld) == (5, 2.0, ())  # mean(5..9) - 5
    assert her.percentile is None and her.quartile is None and her.excellence_gap is None
    assert her.withheld == ()
    assert you.group_n == 3 and you.percentile is None
    assert len(you.withheld) == 2 and "at least 5 are needed" in you.withheld[0]


def test_benchmark_refuses_what_it_cannot_compare():
    ref = units(["a"] * 1, ["ict"], [1.0])
    with pytest.raises(BenchmarkError, match="share no measure"):
        benchmark(ReferenceSet(np.array(["x"]), {}, {"other": np.array([1.0])}), ref)
    with pytest.raises(BenchmarkError, match="peer group by 'country'"):
        benchmark(ref, ref, same=["country"])
    with pytest.raises(BenchmarkError, match="excellence group by 'label'"):
        benchmark(ref, ref, excellence=Excellence(where={"label": "gold"}))
    with pytest.raises(BenchmarkError, match="k=1"):
        benchmark(ref, ref, k=1)
    with pytest.raises(BenchmarkError, match=r"top share 1.5 is not in \(0, 1\]"):
        Excellence.parse("top=1.5")
