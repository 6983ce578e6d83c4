"""Typed results of respondents: the same numbers as the batch and the spec evaluator."""

import json
import math

import numpy as np
import pytest

from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.engine import (
    compile_instrument,
    encode_rows,
    label_report,
    respondent_result,
    score,
    score_answers,
    scoring_spec,
)
from clusterexcellence.engine.evaluator import evaluate
from clusterexcellence.engine.examples import labelled_instrument, random_answers, random_instrument


def same(a, b):
    return (a is None and b is None) or (
        a is not None and b is not None and a == pytest.approx(b, abs=1e-12)
    )


def check_against_the_evaluator(instrument, rows):
    compiled = compile_instrument(instrument)
    spec = scoring_spec(instrument)
    levels = compiled.level_ids
    for r, result in enumerate(score_answers(compiled, rows)):
        want = evaluate(spec, rows[r])
        assert same(result.overall.score, want["overall"]["score"])
        assert result.overall.coverage == pytest.approx(want["overall"]["coverage"])
        assert result.overall.level == (
            levels[want["overall"]["level"]] if want["overall"]["level"] >= 0 else None
        )
        for d in result.dimensions:
            w = want["dimensions"][d.id]
            assert same(d.score, w["score"]) and d.coverage == pytest.approx(w["coverage"])
        for item_id, s in result.items.items():
            assert same(s, want["items"][item_id])
        assert result.answered_share == pytest.approx(want["answered_share"])
        if result.label is not None:
            lab, wl = result.label, want["label"]
            assert set(lab.indicators_met) == set(wl["indicators_met"])
            assert set(lab.requirements_met) == set(wl["requirements_met"])
            assert lab.ratio == pytest.approx(wl["ratio"])
            ids = compiled.label.level_ids
            assert lab.level == (ids[wl["level"]] if wl["level"] >= 0 else None)


@pytest.mark.parametrize("module_id", ["competency-self-test", "label-self-assessment"])
def test_results_of_bundled_instruments_equal_the_spec_evaluator(module_id):
    ins = find_instrument(module_id)
    check_against_the_evaluator(ins, random_answers(ins, 60, np.random.default_rng(9), missing=0.3))


def test_results_of_random_labelled_instruments_equal_the_spec_evaluator():
    rng = np.random.default_rng(12)
    for _ in range(5):
        ins = random_instrument(rng, n_items=18, n_areas=3, children=2, with_label=True)
        check_against_the_evaluator(ins, random_answers(ins, 30, rng, missing=0.4))


def test_a_level_is_reachable_exactly_when_it_has_no_reason_against_it():
    rng = np.random.default_rng(3)
    for _ in range(5):
        ins = random_instrument(rng, n_items=18, n_areas=3, with_label=True)
        for result in score_answers(
            compile_instrument(ins), random_answers(ins, 40, rng, missing=0.5)
        ):
            lab = result.label
            assert [c.reachable for c in lab.levels] == [not c.reasons for c in lab.levels]
            reachable = [c.level for c in lab.levels if c.reachable]
            assert lab.level == (reachable[-1] if reachable else None)
            points = [g.points for g in lab.gaps]
            assert points == sorted(points, reverse=True)
            assert lab.points + sum(points) == pytest.approx(lab.max_points)


def test_label_report_works_without_item_scores():
    c = compile_instrument(labelled_instrument())
    X = encode_rows(c, [{"survey": "yes", "events": 10}, {"has-strategy": True}])
    full, lean = score(X, c), score(X, c, item_scores=False)
    assert lean.item_scores is None
    for row in (0, 1):
        assert label_report(lean, row) == label_report(full, row)
    gap = label_report(lean, 1).gaps
    assert [(g.indicator, g.answered) for g in gap] == [("qi-events", False)]
    assert respondent_result(lean, 0).items is None


def test_json_form_is_plain_json_with_every_part():
    c = compile_instrument(labelled_instrument())
    [result] = score_answers(c, [{"has-strategy": True, "survey": "no", "events": 30}])
    data = json.loads(json.dumps(result.to_json()))
    assert data["instrument"] == {"id": "labelled", "version": 1}
    assert data["overall"] == {"score": pytest.approx(0.55), "coverage": 1.0, "level": None}
    assert list(data["dimensions"]) == ["gov", "act"]
    assert data["items"] == {"has-strategy": 1.0, "survey": 0.0, "events": pytest.approx(0.6)}
    label = data["label"]
    assert label["level"] == "bronze" and label["points"] == 2 and label["ratio"] == 0.5
    assert label["indicators_met"] == ["qi-strategy"] and label["requirements_failed"] == [
        "mr-survey"
    ]
    assert label["levels"][1] == {
        "level": "gold",
        "reachable": False,
        "reasons": [
            {
                "kind": "requirement",
                "requirement": "mr-survey",
                "actual": None,
                "needed": None,
                "message": "minimum requirement 'mr-survey' not met",
            }
        ],
    }
    assert label["gaps"] == [
        {
            "indicator": "qi-events",
            "points": 2.0,
            "answered": True,
            "modules": ["member-engagement-services"],
        }
    ]
    assert label["valid_months"] is None  # bronze has none


def test_missing_scores_are_none_not_nan():
    c = compile_instrument(labelled_instrument())
    [result] = score_answers(c, [{}])
    data = result.to_json()
    assert data["overall"]["score"] is None and data["dimensions"]["gov"]["score"] is None
    assert all(v is None for v in data["items"].values())
    assert not any(
        isinstance(v, float) and math.isnan(v) for v in data["dimensions"]["gov"].values()
    )
