"""The scoring spec: what each item type writes, and how a spec is checked."""

import json

import pytest

from clusterexcellence.engine import SpecError, load_instrument, scoring_spec
from clusterexcellence.engine.evaluator import evaluate
from clusterexcellence.engine.examples import labelled_instrument
from clusterexcellence.engine.spec import SPEC_FORMAT, check_spec

from .conftest import make, options


@pytest.mark.parametrize(
    ("item", "keys"),
    [
        ({"type": "likert", "points": 4, "reverse": True}, {"points": 4, "reverse": True}),
        (
            {"type": "single_choice", "options": options(1, 4)},
            {"options": ["o0", "o1"], "scores": [0.25, 1.0]},
        ),
        (
            {"type": "multiple_choice", "options": options(2, -1), "mode": "capped_sum", "cap": 2},
            {"options": ["o0", "o1"], "scores": [2.0, -1.0], "mode": "capped_sum", "cap": 2.0},
        ),
        (
            {"type": "numeric", "min": 0, "scoring": {"bands": [{"from": 1, "score": 1}]}},
            {"min": 0.0, "max": None, "integer": False, "bands": {"from": [1.0], "score": [1.0]}},
        ),
        (
            {"type": "numeric", "scoring": {"linear": {"zero": 5, "full": 1}}},
            {"min": None, "max": None, "integer": False, "linear": {"zero": 5.0, "full": 1.0}},
        ),
        ({"type": "boolean", "true_score": 0.5}, {"true_score": 0.5, "false_score": 0.0}),
    ],
)
def test_each_item_type_writes_its_keys(item, keys):
    spec = scoring_spec(load_instrument(make([{"id": "q"} | item])))
    entry = spec["items"][0]
    assert entry == {"id": "q", "type": item["type"], "dimensions": [[0, 1.0]]} | keys


def test_label_rules_name_items_and_levels_by_index():
    spec = scoring_spec(labelled_instrument())
    assert spec["label"]["indicators"][1] == {
        "id": "qi-events",
        "item": 2,
        "on": "value",
        "op": ">=",
        "value": 40.0,
        "points": 2.0,
    }
    assert spec["label"]["requirements"][0]["levels"] == [1]
    assert spec["label"]["requirements"][0]["on"] == "score"
    assert json.loads(json.dumps(spec)) == spec  # plain JSON


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (["a", "list"], "a list, not an object"),
        ("text", "a str, not an object"),
        ({"format": "other"}, "format is 'other'"),
        ({"format": SPEC_FORMAT, "version": 99}, "version 99 is not supported"),
    ],
)
def test_check_spec_refuses_what_is_not_a_supported_spec(spec, message):
    with pytest.raises(SpecError, match=message):
        check_spec(spec)


def test_the_evaluator_refuses_an_unknown_item_type():
    spec = scoring_spec(labelled_instrument())
    spec["items"][0]["type"] = "ranking"
    with pytest.raises(SpecError, match="unknown item type 'ranking'"):
        evaluate(spec, {"has-strategy": True})
