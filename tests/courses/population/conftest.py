"""Fixtures of the population tests: the calibration and the bundled manager profiles."""

from __future__ import annotations

import pytest

from clusterexcellence.courses.population.bundled import load_bundled_managers
from clusterexcellence.courses.population.calibration import load_calibration


@pytest.fixture(scope="module")
def cal():
    return load_calibration()


@pytest.fixture(scope="module")
def managers():
    return load_bundled_managers()
