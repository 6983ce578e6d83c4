"""Decision graphs of the bundled cases, and their compilation into engine instruments."""

from __future__ import annotations

import numpy as np
import pytest

from clusterexcellence.courses.decisions import (
    case_instrument,
    case_result,
    graph_problems,
    path_lengths,
)
from clusterexcellence.courses.loader import load_content
from clusterexcellence.courses.models import END
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.engine import compile_instrument, score

CONTENT = load_content(CONTENT_ROOT)
CASES = [m for m in CONTENT.modules() if m.kind == "case"]


def all_paths(case) -> list[list[tuple[str, str]]]:
    """Every (point, option) path from start to end, by plain recursion (graphs are DAGs)."""
    points = {p.id: p for p in case.decisions.points}

    def walk(pid, seen):
        assert pid not in seen, f"loop through {pid}"
        for opt in points[pid].options:
            step = [(pid, opt.id)]
            if opt.next == END:
                yield step
            else:
                for rest in walk(opt.next, {*seen, pid}):
                    yield step + rest

    return list(walk(case.decisions.start, set()))


def test_there_are_seven_bundled_cases_in_course_order():
    course = next(c for c in CONTENT.courses if c.model.id == "case-studies")
    assert [m.id for m in course.modules] == [
        "financing-after-public-funding",
        "member-engagement-services",
        "strategy-refresh",
        "international-partnership",
        "governance-conflict",
        "gold-audit-evidence",
        "innovation-project-delivery",
    ]


@pytest.mark.parametrize("module", CASES, ids=lambda m: m.id)
def test_every_point_is_reachable_and_every_path_finishes(module):
    case = module.model
    assert list(graph_problems(case)) == []
    paths = all_paths(case)
    visited = {pid for path in paths for pid, _ in path}
    assert visited == {p.id for p in case.decisions.points}
    lengths = [len(p) for p in paths]
    assert (min(lengths), max(lengths)) == path_lengths(case)
    assert any(len({o.next for o in p.options}) > 1 for p in case.decisions.points), "no branching"


@pytest.mark.parametrize("module", CASES, ids=lambda m: m.id)
def test_case_scores_are_the_engines_option_scores(module):
    case = module.model
    compiled = compile_instrument(case_instrument(case))
    graded = [p for p in case.decisions.points if p.graded]
    assert compiled.item_ids == tuple(p.id for p in graded)
    assert set(compiled.dimension_ids) == {c for p in graded for c in p.competencies}
    # Answer option j of every graded point (wrapping): item score = score / best score.
    for j in range(4):
        X = np.array([[j % len(p.options) for p in graded]], dtype=float)
        res = score(X, compiled)
        expected = [
            p.options[j % len(p.options)].score / max(o.score for o in p.options) for p in graded
        ]
        np.testing.assert_allclose(res.item_scores[0], expected)


def test_a_path_scores_only_the_points_visited():
    module = CASES[0]
    compiled = compile_instrument(case_instrument(module.model))
    path = all_paths(module.model)[0]
    X = np.full((1, compiled.n_items), np.nan)
    for pid, oid in path:
        item = compiled.instrument.item(pid)
        X[0, compiled.column(pid)] = [o.id for o in item.options].index(oid)
    res = score(X, compiled)
    assert not np.isnan(res.overall[0])
    assert np.isnan(res.item_scores[0]).sum() == compiled.n_items - len(path)


@pytest.mark.parametrize("module", CASES, ids=lambda m: m.id)
def test_case_result_of_every_path_is_the_engines_score_of_its_choices(module):
    case = module.model
    compiled = compile_instrument(case_instrument(case))
    for path in all_paths(case):
        result = case_result(case, path, compiled=compiled)
        X = np.full((1, compiled.n_items), np.nan)
        for pid, oid in path:
            if pid in compiled.columns:
                X[0, compiled.column(pid)] = compiled.instrument.item(pid).option_ids.index(oid)
        want = score(X, compiled)
        assert result.overall.score == pytest.approx(float(want.overall[0]))
        visited = {pid for pid, _ in path}
        for pid, s in result.items.items():
            assert (s is None) == (pid not in visited)
        scored = {d.id for d in result.dimensions if d.score is not None}
        trained = {
            c for p in case.decisions.points if p.id in visited and p.graded for c in p.competencies
        }
        assert scored == trained


def test_case_result_ignores_choices_that_name_no_graded_point_or_option():
    case = CASES[0].model
    first = case.decisions.points[0]
    good = case_result(case, [(first.id, first.options[0].id)])
    noisy = case_result(
        case, [("no-such-point", "a"), (first.id, "zz"), (first.id, first.options[0].id)]
    )
    assert noisy == good
    assert case_result(case, []).overall.score is None
