"""The competency self-test as a measurement: coverage, scale direction, recommendations, cuts.

The rules are those of ``docs/competency-self-test.md``; each test fails when the bundled
content drifts from them.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from clusterexcellence.courses.loader import load_content
from clusterexcellence.courses.models import CaseModule
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.engine import compile_instrument, score


def _areas(ins) -> dict[str, str]:
    """Leaf dimension id -> the id of its area (top-level dimension)."""
    top = {}
    for d, parent, _ in ins.iter_dimensions():
        top[d.id] = d.id if parent is None else top[parent.id]
    return top


def test_every_competency_has_a_self_rating_and_a_situation(test_ins):
    leaves = {d.id for d, parent, _ in test_ins.iter_dimensions() if parent is not None}
    types = defaultdict(set)
    for item in test_ins.items:
        for dim in item.dimensions:
            types[dim].add(item.type)
    missing = {d: sorted({"likert", "situational"} - types[d]) for d in sorted(leaves)}
    assert {d: m for d, m in missing.items() if m} == {}


def test_scale_direction_varies_in_every_area(test_ins):
    likert = [i for i in test_ins.items if i.type == "likert"]
    reversed_ = [i for i in likert if i.reverse]
    assert 1 / 3 <= len(reversed_) / len(likert) <= 1 / 2
    area = _areas(test_ins)
    areas = {area[next(iter(i.dimensions))] for i in reversed_}
    assert areas == {d.id for d in test_ins.dimensions}


def test_each_area_recommends_exactly_the_cases_that_train_it(test_ins):
    area = _areas(test_ins)
    content = load_content(CONTENT_ROOT)
    trains = defaultdict(set)
    for module in content.modules():
        if isinstance(module.model, CaseModule):
            for point in module.model.decisions.points:
                for competency in point.competencies:
                    trains[area[competency]].add(module.id)
    listed = {d.id: set(d.modules) for d in test_ins.dimensions}
    assert listed == {d.id: trains[d.id] for d in test_ins.dimensions}


def _profile_area_scores(ins) -> np.ndarray:
    """Area scores, shape (n_areas, 4), of the four typical answer profiles.

    Profile k (0 foundation ... 3 expert) answers every self-rating with the anchor of
    its level (point k + 2; mirrored on reverse-keyed scales) and every situation with
    the (4 - k)-th best option (worst, third, second, best).
    """
    compiled = compile_instrument(ins)
    X = np.full((4, compiled.n_items), np.nan)
    for item in ins.items:
        j = compiled.column(item.id)
        for k in range(4):
            if item.type == "likert":
                X[k, j] = item.points - 1 - k if item.reverse else k + 2
            else:
                by_score = sorted(range(len(item.options)), key=lambda o: item.options[o].score)
                X[k, j] = by_score[k]
    res = score(X, compiled, item_scores=False)
    cols = [compiled.dimension_ids.index(d.id) for d in ins.dimensions]
    return res.dimension_scores[:, cols].T


def test_typical_profiles_reach_their_own_level_in_every_area(test_ins):
    S = _profile_area_scores(test_ins)
    cuts = np.array([level.min for level in test_ins.levels])
    assert (np.searchsorted(cuts, S, side="right") - 1 == np.arange(4)).all()


def test_cut_scores_are_the_midpoints_between_typical_profiles(test_ins):
    S = _profile_area_scores(test_ins)
    midpoints = ((S[:, :-1] + S[:, 1:]) / 2).mean(axis=0)
    cuts = [level.min for level in test_ins.levels[1:]]
    assert cuts == pytest.approx(midpoints, abs=0.025)
