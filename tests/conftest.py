"""Fixtures shared by the tests: the bundled instruments and the bundled organisations."""

from __future__ import annotations

import pytest

from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.courses.population.bundled import load_bundled_organisations


@pytest.fixture(scope="module")
def label_ins():
    return find_instrument("label-self-assessment")


@pytest.fixture(scope="module")
def test_ins():
    return find_instrument("competency-self-test")


@pytest.fixture(scope="module")
def orgs():
    return load_bundled_organisations()
