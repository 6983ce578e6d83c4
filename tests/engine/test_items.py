"""Item types: each type's behaviour is found from its class, and unknown types are refused."""

import math

import numpy as np
import pytest

from clusterexcellence.engine import InstrumentError, load_instrument
from clusterexcellence.engine.examples import random_instrument
from clusterexcellence.engine.exceptions import AnswerError
from clusterexcellence.engine.items import ITEM_CLASSES, ITEM_TYPES, ItemBase

from .conftest import make, options


def items_of_every_type():
    return {
        it.type: it
        for it in random_instrument(np.random.default_rng(1), n_items=12, n_areas=2).items
    }


def test_every_item_type_is_listed_once_with_its_type_name():
    assert list(ITEM_TYPES) == [
        "likert",
        "single_choice",
        "situational",
        "multiple_choice",
        "numeric",
        "boolean",
    ]
    assert tuple(ITEM_TYPES.values()) == ITEM_CLASSES


@pytest.mark.parametrize("name", list(ITEM_TYPES))
def test_every_item_type_implements_all_of_its_behaviour(name):
    item = items_of_every_type()[name]
    cls = ITEM_TYPES[name]
    for method in ("encode", "code_range", "score_table", "spec_entry", "example_answer"):
        assert getattr(cls, method) is not getattr(ItemBase, method), (name, method)
    rng = np.random.default_rng(0)
    lo, hi, whole = item.code_range()
    table = item.score_table()
    for _ in range(20):
        code = item.encode(item.example_answer(rng))
        assert lo <= code <= hi and (not whole or code == math.floor(code))
        if table is not None:
            assert 0 <= table[int(code - lo)] <= 1
    assert item.threshold_default in ("value", "score")


def test_an_unknown_item_type_is_refused_with_its_path():
    data = make([{"id": "q", "type": "ranking"}])
    with pytest.raises(InstrumentError) as info:
        load_instrument(data)
    assert [p.path for p in info.value.problems] == ["items[0]"]
    assert "ranking" in str(info.value) and "likert" in str(info.value)


@pytest.mark.parametrize(
    ("item", "value", "code"),
    [
        ({"type": "likert", "points": 5}, " 4 ", 4.0),
        ({"type": "likert", "points": 5}, 2, 2.0),
        ({"type": "single_choice", "options": options(0, 1, 2)}, " o2 ", 2.0),
        ({"type": "multiple_choice", "options": options(1, 1, 1)}, "o2 | o0", 5.0),
        ({"type": "multiple_choice", "options": options(1, 1, 1)}, ["o1", "o1"], 2.0),
        ({"type": "numeric", "scoring": {"linear": {"zero": 0, "full": 1}}}, "12.5", 12.5),
        ({"type": "boolean"}, " Yes", 1.0),
        ({"type": "boolean"}, False, 0.0),
    ],
)
def test_natural_answers_are_coded_by_their_type(item, value, code):
    ins = load_instrument(make([{"id": "q"} | item]))
    assert ins.items[0].encode(value) == code


@pytest.mark.parametrize(
    ("item", "value", "message"),
    [
        ({"type": "likert", "points": 5}, "nan", "not a finite number"),
        ({"type": "likert", "points": 5}, "inf", "not a finite number"),
        ({"type": "likert", "points": 5}, True, "not a number"),
        ({"type": "numeric", "scoring": {"linear": {"zero": 0, "full": 1}}}, "-inf", "finite"),
        ({"type": "numeric", "scoring": {"linear": {"zero": 0, "full": 1}}}, "1,5", "not a number"),
        ({"type": "single_choice", "options": options(0, 1)}, "o9", "unknown option 'o9'"),
        ({"type": "multiple_choice", "options": options(1, 1)}, 3, "not a list of option ids"),
        ({"type": "boolean"}, "maybe", "not a boolean"),
    ],
)
def test_unreadable_answers_raise_answer_error(item, value, message):
    ins = load_instrument(make([{"id": "q"} | item]))
    with pytest.raises(AnswerError, match=message):
        ins.items[0].encode(value)


def test_threshold_defaults_follow_the_type():
    assert {name: cls.threshold_default for name, cls in ITEM_TYPES.items()} == {
        "likert": "value",
        "single_choice": "score",
        "situational": "score",
        "multiple_choice": "score",
        "numeric": "value",
        "boolean": "value",
    }
    assert [name for name, cls in ITEM_TYPES.items() if not cls.has_value] == [
        "single_choice",
        "situational",
        "multiple_choice",
    ]


def test_multiple_choice_tables_by_mode():
    def table(mode, *scores, cap=1.0):
        data = make([{"id": "q", "type": "multiple_choice", "mode": mode, "cap": cap}])
        data["items"][0]["options"] = options(*scores)
        return load_instrument(data).items[0].score_table().tolist()

    # masks 0..3: {}, {o0}, {o1}, {o0, o1}
    assert table("partial_credit", 2, -1) == [0.0, 1.0, 0.0, 0.5]
    assert table("all_or_nothing", 2, -1) == [0.0, 1.0, 0.0, 0.0]
    assert table("capped_sum", 1, 1, cap=1.5) == [0.0, 2 / 3, 2 / 3, 1.0]
