"""The competency self-test as a measurement: coverage, scale direction, recommendations.

Each test fails when the bundled content drifts from these rules.
"""

from __future__ import annotations

from collections import defaultdict

from clusterexcellence.courses.loader import load_content
from clusterexcellence.courses.models import CaseModule
from clusterexcellence.courses.paths import CONTENT_ROOT


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
