"""The bundled synthetic reference files: their metadata, and benchmarking on them."""

from __future__ import annotations

import hashlib

import numpy as np

from clusterexcellence.courses.population.bundled import (
    bundled_metadata,
    bundled_reference_path,
    load_bundled_organisations,
)
from clusterexcellence.courses.population.calibration import REFERENCE_DIR
from clusterexcellence.courses.population.generate import DEFAULT_SEED, GENERATOR_VERSION
from clusterexcellence.engine import Withheld
from clusterexcellence.engine.benchmark import positions


def test_metadata_says_synthetic_and_describes_the_files():
    meta = bundled_metadata()
    assert meta["synthetic"] is True
    assert meta["seed"] == DEFAULT_SEED
    assert meta["generator_version"] == GENERATOR_VERSION
    cal_bytes = (REFERENCE_DIR / "calibration.yaml").read_bytes()
    assert meta["calibration"]["sha256"] == hashlib.sha256(cal_bytes).hexdigest()
    for name, info in meta["files"].items():
        path = REFERENCE_DIR / name
        assert path.stat().st_size < 2_000_000
        assert info["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].split(",") == info["columns"]
        assert len(lines) - 1 == info["n"]
    assert load_bundled_organisations().metadata["synthetic"] is True
    assert bundled_reference_path().name == "organisations.csv"


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
