"""Compiling an instrument: what it means as arrays, apart from the scorer's layout."""

import dataclasses

import numpy as np
import pytest

from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.engine import compile_instrument, load_instrument
from clusterexcellence.engine.examples import (
    labelled_instrument,
    random_instrument,
    tiny_instrument,
)

from .conftest import make


def test_meaning_of_the_tiny_instrument():
    c = compile_instrument(tiny_instrument())
    assert c.item_ids == ("q1", "q2", "q3")
    assert c.item_types == ("likert", "single_choice", "boolean")
    assert dict(c.columns) == {"q1": 0, "q2": 1, "q3": 2}
    assert c.lo.tolist() == [1, 0, 0] and c.hi.tolist() == [5, 2, 1]
    assert c.integral.tolist() == [True, True, True]
    assert c.dimension_ids == ("a", "a.x", "a.y", "b") and c.parent.tolist() == [-1, 0, 0, -1]
    assert c.leaf_cols.tolist() == [1, 2, 3]
    assert c.item_leaf_weights.tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert c.level_ids == ("low", "high") and c.cuts.tolist() == [0.0, 0.8]
    assert c.label is None


def test_the_layout_puts_each_discrete_item_between_two_zero_guards():
    c = compile_instrument(tiny_instrument())
    lay = c.layout
    for j, item in enumerate(c.instrument.items):
        scores = item.score_table()
        first = lay.offsets[j] + int(c.lo[j])  # table index of the lowest code
        assert lay.table[first - 1] == 0 and lay.table[first + len(scores)] == 0
        np.testing.assert_array_equal(lay.table[first : first + len(scores)], scores)


def test_numeric_items_are_grouped_by_rule():
    data = make(
        [
            {
                "id": "n1",
                "type": "numeric",
                "min": 0,
                "max": 10,
                "integer": True,
                "scoring": {"bands": [{"from": 0, "score": 0.5}, {"from": 5, "score": 1}]},
            },
            {"id": "b", "type": "boolean"},
            {"id": "n2", "type": "numeric", "scoring": {"linear": {"zero": 10, "full": 20}}},
        ]
    )
    lay = compile_instrument(load_instrument(data)).layout
    assert lay.bands.cols.tolist() == [0] and lay.linear.cols.tolist() == [2]
    assert lay.bands.lows.tolist() == [[0, 5]] and lay.bands.scores.tolist() == [[0, 0.5, 1]]
    assert lay.bands.whole.tolist() == [True] and lay.linear.whole.tolist() == [False]
    assert lay.linear.zero.tolist() == [10] and lay.linear.span.tolist() == [10]
    assert np.isfinite(lay.linear.lo).all() and np.isfinite(lay.linear.hi).all()


def test_label_rules_are_compiled_into_a_frozen_instrument():
    c = compile_instrument(labelled_instrument())
    assert c.label.indicator_ids == ("qi-strategy", "qi-events")
    assert c.label.ind_cols.tolist() == [0, 2] and c.label.ind_on_score.tolist() == [False, False]
    assert c.label.requirement_ids == ("mr-survey",) and c.label.req_on_score.tolist() == [True]
    assert c.label.req_levels.tolist() == [[False, True]]
    assert c.label.gap_order.tolist() == [0, 1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.label = None


def test_scale_items_gather_each_dimensions_leaves():
    ins = random_instrument(np.random.default_rng(4), n_items=20, n_areas=3, children=2)
    c = compile_instrument(ins)
    scales = c.scale_items()
    for d, dim in enumerate(c.dimension_ids):
        kids = [k for k in range(len(c.dimension_ids)) if c.parent[k] == d]
        if kids:
            assert scales[dim] == sorted(set().union(*(scales[c.dimension_ids[k]] for k in kids)))
        else:
            assert scales[dim] == np.flatnonzero(c.item_dim_weights[:, d]).tolist()


def test_scales_cover_the_items_of_their_leaves():
    c = compile_instrument(find_instrument("competency-self-test"))
    scales = c.scale_items()
    area = scales["strategy"]
    kids = [d for d in c.dimension_ids if d.startswith("strategy.")]
    assert sorted(sum((scales[k] for k in kids), [])) == area
    assert all(c.item_ids[j].split("-")[1] == "strategy" for j in area)
