import pytest

from clusterexcellence.engine import InstrumentError, load_instrument
from clusterexcellence.engine.instrument import instrument_json_schema
from clusterexcellence.engine.items import ITEM_TYPES

from .conftest import T, make, options


def problems(data):
    with pytest.raises(InstrumentError) as info:
        load_instrument(data)
    return {(p.path, p.msg) for p in info.value.problems}


def test_valid_instrument_loads():
    ins = load_instrument(make([{"id": "q", "type": "likert", "points": 5}]))
    assert ins.item("q").points == 5


@pytest.mark.parametrize(
    ("item", "path", "message"),
    [
        (
            {"id": "q", "type": "likert", "points": 1},
            "items[0].points",
            "greater than or equal to 2",
        ),
        (
            {"id": "q", "type": "likert", "points": 3, "labels": [T, T]},
            "items[0]",
            "2 labels for 3 points",
        ),
        (
            {"id": "q", "type": "single_choice", "options": options(1, -1)},
            "items[0]",
            "negative score",
        ),
        (
            {"id": "q", "type": "single_choice", "options": options(0, 0)},
            "items[0]",
            "no option has a positive score",
        ),
        (
            {"id": "q", "type": "multiple_choice", "options": options(*[1] * 17)},
            "items[0].options",
            "at most 16",
        ),
        (
            {
                "id": "q",
                "type": "numeric",
                "scoring": {"bands": [{"from": 5, "score": 0.5}, {"from": 5, "score": 1}]},
            },
            "items[0].scoring",
            "increase strictly",
        ),
        (
            {"id": "q", "type": "numeric", "scoring": {}},
            "items[0].scoring",
            "exactly one of 'bands' or 'linear'",
        ),
        ({"id": "Bad Id", "type": "boolean"}, "items[0].id", "should match pattern"),
        ({"id": "q", "type": "essay"}, "items[0]", "does not match any of the expected tags"),
        (
            {"id": "q", "type": "boolean", "colour": "red"},
            "items[0].colour",
            "Extra inputs are not permitted",
        ),
    ],
)
def test_structural_errors_name_the_path(item, path, message):
    found = problems(make([item]))
    assert any(p == path and message in m for p, m in found), found


def test_cross_reference_errors_are_reported_together_with_paths():
    data = make(
        [
            {"id": "q", "type": "boolean", "dimensions": {"nowhere": 1}},
            {"id": "q", "type": "boolean", "dimensions": {"a": 1}},
        ],
        dimensions=[
            {"id": "a", "title": T, "children": [{"id": "a.x", "title": T}]},
            {"id": "b", "title": T},
        ],
    )
    found = problems(data)
    assert ("items[0].dimensions.nowhere", "unknown dimension 'nowhere'") in found
    assert ("items[1].id", "duplicate id 'q' (first at items[0])") in found
    assert ("items[1].dimensions.a", "dimension 'a' has children; link items to leaves") in found
    assert ("dimensions[0].children[0].id", "dimension 'a.x' has no items") in found
    assert ("dimensions[1].id", "dimension 'b' has no items") in found


def test_levels_must_ascend():
    data = make(
        [{"id": "q", "type": "boolean"}],
        levels=[{"id": "a", "min": 0.5, "title": T}, {"id": "b", "min": 0.5, "title": T}],
    )
    assert ("levels[1].min", "levels must ascend: 0.5 after 0.5") in problems(data)


def test_label_rules_are_checked_against_items_and_levels():
    label = {
        "indicators": [
            {
                "id": "i1",
                "item": "ghost",
                "threshold": {"op": ">=", "value": 1},
                "points": 1,
                "title": T,
            },
            {
                "id": "i2",
                "item": "c",
                "threshold": {"op": ">=", "value": 1, "on": "value"},
                "points": 1,
                "title": T,
            },
        ],
        "minimum_requirements": [
            {
                "id": "m1",
                "item": "q",
                "threshold": {"op": "==", "value": 1},
                "title": T,
                "levels": ["platinum"],
            }
        ],
        "levels": [{"id": "gold", "title": T, "min_ratio": 0.8}],
    }
    data = make(
        [
            {"id": "q", "type": "boolean"},
            {"id": "c", "type": "single_choice", "options": options(0, 1)},
        ],
        label=label,
    )
    found = problems(data)
    assert ("label.indicators[0].item", "unknown item 'ghost'") in found
    assert (
        "label.indicators[1].threshold.on",
        "item 'c' is a single_choice; test its score (on: score)",
    ) in found
    assert ("label.minimum_requirements[0].levels[0]", "unknown label level 'platinum'") in found


def test_json_schema_tells_items_apart_by_type_and_uses_from_alias():
    schema = instrument_json_schema()
    union = schema["properties"]["items"]["items"]
    assert union["discriminator"]["propertyName"] == "type"
    mapping = union["discriminator"]["mapping"]
    assert set(mapping) == set(ITEM_TYPES)
    for kind, ref in mapping.items():
        name = ref.rsplit("/", 1)[1]
        assert schema["$defs"][name]["properties"]["type"]["const"] == kind
    assert "from" in schema["$defs"]["Band"]["properties"]
