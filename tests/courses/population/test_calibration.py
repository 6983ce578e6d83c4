"""The calibration of the synthetic population and its distribution helpers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from clusterexcellence.courses.exceptions import CalibrationError
from clusterexcellence.courses.population.calibration import (
    beta_ppf,
    poisson_ppf,
    tree_correlations,
)
from clusterexcellence.engine.reference import LABEL_LEVELS, SIZE_BANDS, portfolio_ids


def test_calibration_matches_the_instruments(cal, label_ins):
    b_items = [i.id for i in label_ins.items if i.id.startswith("b-")]
    assert len(b_items) == 36
    assert [c.item for c in cal.items] == b_items
    assert list(cal.portfolios) == list(portfolio_ids(label_ins))
    assert tuple(cal.label_levels) == LABEL_LEVELS
    assert tuple(b.id for b in cal.size_bands) == SIZE_BANDS
    assert cal.synthetic is True


def test_beta_ppf_matches_the_closed_form():
    u = np.linspace(0.001, 0.999, 99)
    np.testing.assert_allclose(beta_ppf(u, 1.0, 4.0), 1 - (1 - u) ** 0.25, atol=1e-4)
    np.testing.assert_allclose(beta_ppf(u, 1.0, 1.0), u, atol=1e-4)


def test_poisson_ppf_matches_a_plain_loop():
    u = np.array([0.0001, 0.1, 0.5, 0.9, 0.999])
    got = poisson_ppf(u, 3.5, 12)
    for ui, gi in zip(u, got, strict=True):
        k, cdf = 0, math.exp(-3.5)
        while cdf < ui and k < 12:
            k += 1
            cdf += math.exp(-3.5) * 3.5**k / math.factorial(k)
        assert gi == k


def test_tree_correlations_multiply_along_paths_and_refuse_cycles():
    R = tree_correlations(["a", "b", "c", "d"], [("a", "b", 0.5), ("b", "c", 0.8)])
    assert R[0, 2] == pytest.approx(0.4)
    assert R[0, 3] == 0
    assert np.all(np.linalg.eigvalsh(R) > 0)
    with pytest.raises(CalibrationError, match="cycle"):
        tree_correlations(["a", "b", "c"], [("a", "b", 0.5), ("b", "c", 0.5), ("c", "a", 0.5)])
