"""Factories for small instruments written out in full, so expected scores can be hand-computed."""

from __future__ import annotations

import copy

import pytest

from clusterexcellence.engine import compile_instrument, load_instrument

T = {"en": "t"}


def make(items, *, dimensions=None, levels=None, min_coverage=0.5, label=None, **extra):
    """An instrument dict: by default one dimension ``d`` that every item links to."""
    items = [
        {"prompt": T, "dimensions": {"d": 1}} | it if "dimensions" not in it else {"prompt": T} | it
        for it in items
    ]
    data = {
        "id": "test",
        "title": T,
        "min_coverage": min_coverage,
        "levels": levels
        if levels is not None
        else [
            {"id": "low", "min": 0.0, "title": T},
            {"id": "mid", "min": 0.5, "title": T},
            {"id": "high", "min": 0.8, "title": T},
        ],
        "dimensions": dimensions or [{"id": "d", "title": T}],
        "items": items,
        **extra,
    }
    if label is not None:
        data["label"] = label
    return data


def options(*scores):
    return [{"id": f"o{i}", "text": T, "score": s} for i, s in enumerate(scores)]


@pytest.fixture
def compiled():
    def build(data):
        return compile_instrument(load_instrument(copy.deepcopy(data)))

    return build


@pytest.fixture
def poison_empty(monkeypatch):
    """Call it to make np.empty in the scorer hand back inf (floats) or 1 (others), so
    that any read of fresh memory before a write shows in the results."""
    import numpy as np

    from clusterexcellence.engine import scoring

    real_empty = np.empty

    def poisoned(shape, dtype=float, **kw):
        out = real_empty(shape, dtype, **kw)
        out.fill(np.inf if np.dtype(dtype).kind == "f" else 1)
        return out

    return lambda: monkeypatch.setattr(scoring.np, "empty", poisoned)
