import numpy as np
import pytest

from clusterexcellence.engine.psychometrics import cronbach_alpha, item_analysis


def test_alpha_by_hand():
    # items [1,0,1], [1,0,0], [1,1,1]: item variances 1/3, 1/3, 0; totals [3,1,2] variance 1
    # alpha = 3/2 * (1 - (2/3) / 1) = 0.5
    a = cronbach_alpha([[1, 1, 1], [0, 0, 1], [1, 0, 1]])
    assert a.alpha == pytest.approx(0.5) and a.n_respondents == 3 and a.n_items == 3


def test_alpha_drops_incomplete_respondents():
    a = cronbach_alpha([[1, 1, 1], [0, 0, 1], [1, 0, 1], [np.nan, 1, 0]])
    assert a.alpha == pytest.approx(0.5) and a.n_respondents == 3


def test_alpha_is_nan_with_a_warning_when_undefined():
    with pytest.warns(UserWarning, match="no variance"):
        assert np.isnan(cronbach_alpha([[1, 1], [1, 1], [1, 1]]).alpha)
    with pytest.warns(UserWarning, match="2 items"):
        assert np.isnan(cronbach_alpha([[1], [0]]).alpha)


def loop_item_analysis(X):
    n, k = X.shape
    diff, rit = [], []
    totals = [np.nanmean(X[i]) if not np.all(np.isnan(X[i])) else np.nan for i in range(n)]
    for j in range(k):
        col = [X[i, j] for i in range(n) if not np.isnan(X[i, j])]
        diff.append(sum(col) / len(col))
        xs, ys = [], []
        for i in range(n):
            others = [X[i, h] for h in range(k) if h != j and not np.isnan(X[i, h])]
            if not np.isnan(X[i, j]) and others:
                xs.append(X[i, j])
                ys.append(sum(others) / len(others))
        rit.append(np.corrcoef(xs, ys)[0, 1])
    order = sorted((t, i) for i, t in enumerate(totals) if not np.isnan(t))
    g = int(np.floor(0.27 * len(order)))
    low = [i for _, i in order[:g]]
    high = [i for _, i in order[-g:]]
    disc = [np.nanmean(X[high, j]) - np.nanmean(X[low, j]) for j in range(k)]
    return diff, rit, disc


def test_item_analysis_matches_a_plain_loop_with_missing_answers():
    rng = np.random.default_rng(11)
    ability = rng.normal(size=(60, 1))
    X = (ability + rng.normal(size=(60, 5)) > 0).astype(float)
    X[rng.random(X.shape) < 0.1] = np.nan
    # distinct totals so the 27 % groups do not depend on tie order
    X[:, 0] = np.where(np.isnan(X[:, 0]), np.nan, X[:, 0] * 0.999 + rng.random(60) * 1e-3)
    res = item_analysis(X)
    diff, rit, disc = loop_item_analysis(X)
    np.testing.assert_allclose(res.difficulty, diff)
    np.testing.assert_allclose(res.item_rest_correlation, rit)
    np.testing.assert_allclose(res.discrimination, disc)
    assert (res.item_rest_correlation > 0).all()  # items measure the same ability


def test_discrimination_shares_the_places_at_the_cut_among_ties():
    # 8 respondents: g = floor(0.27 * 8) = 2 places per group. Totals 0, .5, .5, .5, 1, 1, 1, 1.
    # Lower group: the 0 (weight 1) and the three tied at .5 share the last place (1/3 each);
    # upper group: the four tied at 1 share both places (1/2 each).
    X = np.array([[0, 0], [1, 0], [0, 1], [1, 0], [1, 1], [1, 1], [1, 1], [1, 1]], float)
    lower = [(0 + 2 / 3) / 2, (0 + 1 / 3) / 2]
    want = [1 - lower[0], 1 - lower[1]]
    np.testing.assert_allclose(item_analysis(X).discrimination, want)
    rng = np.random.default_rng(5)
    for _ in range(20):  # whatever the order of the rows
        perm = rng.permutation(len(X))
        np.testing.assert_allclose(item_analysis(X[perm]).discrimination, want)


def test_discrimination_does_not_depend_on_row_order_with_many_ties():
    rng = np.random.default_rng(8)
    X = rng.integers(0, 2, size=(101, 6)).astype(float)  # totals in sixths: many ties
    X[rng.random(X.shape) < 0.1] = np.nan
    first = item_analysis(X).discrimination
    for _ in range(10):
        np.testing.assert_allclose(item_analysis(X[rng.permutation(101)]).discrimination, first)
