"""Hand-computed scores for every item type, coverage rule and level."""

import numpy as np
import pytest

from clusterexcellence.engine import ResponseError, score

from .conftest import T, make, options

nan = np.nan


def item_scores(compiled, item, answers):
    c = compiled(make([item]))
    return score(np.array(answers, float).reshape(-1, 1), c).item_scores[:, 0].tolist()


@pytest.mark.parametrize(
    ("item", "answers", "expected"),
    [
        ({"id": "q", "type": "likert", "points": 5}, [1, 2, 3, 5], [0.0, 0.25, 0.5, 1.0]),
        ({"id": "q", "type": "likert", "points": 5, "reverse": True}, [1, 2, 5], [1.0, 0.75, 0.0]),
        ({"id": "q", "type": "likert", "points": 2}, [1, 2], [0.0, 1.0]),
        # single choice: option score / best option score
        (
            {"id": "q", "type": "single_choice", "options": options(0, 1, 4)},
            [0, 1, 2],
            [0.0, 0.25, 1.0],
        ),
        (
            {"id": "q", "type": "situational", "scenario": T, "options": options(1, 0.67, 0.33, 0)},
            [0, 1, 3],
            [1.0, 0.67, 0.0],
        ),
        # multiple choice, answers are bit masks: options scored 0.5, 0.5, -0.5
        # partial credit: max(0, sum) / sum of positives (1.0)
        (
            {
                "id": "q",
                "type": "multiple_choice",
                "mode": "partial_credit",
                "options": options(0.5, 0.5, -0.5),
            },
            [0b000, 0b001, 0b011, 0b111, 0b100, 0b101],
            [0.0, 0.5, 1.0, 0.5, 0.0, 0.0],
        ),
        # all or nothing: exactly the positive options
        (
            {
                "id": "q",
                "type": "multiple_choice",
                "mode": "all_or_nothing",
                "options": options(0.5, 0.5, -0.5),
            },
            [0b011, 0b001, 0b111],
            [1.0, 0.0, 0.0],
        ),
        # capped sum: clip(sum, 0, cap) / cap with cap 0.75
        (
            {
                "id": "q",
                "type": "multiple_choice",
                "mode": "capped_sum",
                "cap": 0.75,
                "options": options(0.5, 0.5, -0.5),
            },
            [0b001, 0b011, 0b101],
            [2 / 3, 1.0, 0.0],
        ),
        # numeric bands: 0 below the first bound, then the band's score
        (
            {
                "id": "q",
                "type": "numeric",
                "scoring": {"bands": [{"from": 15, "score": 0.5}, {"from": 50, "score": 1}]},
            },
            [0, 14.99, 15, 49, 50, 1000],
            [0.0, 0.0, 0.5, 0.5, 1.0, 1.0],
        ),
        # numeric linear, decreasing: 0 at 70, 1 at 30 (e.g. share of public funding)
        (
            {"id": "q", "type": "numeric", "scoring": {"linear": {"zero": 70, "full": 30}}},
            [80, 70, 50, 30, 0],
            [0.0, 0.0, 0.5, 1.0, 1.0],
        ),
        ({"id": "q", "type": "boolean"}, [0, 1], [0.0, 1.0]),
        ({"id": "q", "type": "boolean", "true_score": 0.2, "false_score": 0.9}, [0, 1], [0.9, 0.2]),
        ({"id": "q", "type": "likert", "points": 5}, [nan], [nan]),
    ],
)
def test_item_scores_by_type(compiled, item, answers, expected):
    got = item_scores(compiled, item, answers)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def two_level():
    # a (weight 1) = {a.x (weight 1): q1 w1, q2 w3 ; a.y (weight 3): q3}; b (weight 2): q4
    return make(
        [
            {"id": "q1", "type": "likert", "points": 5, "dimensions": {"a.x": 1}},
            {"id": "q2", "type": "boolean", "dimensions": {"a.x": 3}},
            {"id": "q3", "type": "boolean", "dimensions": {"a.y": 1}},
            {"id": "q4", "type": "boolean", "dimensions": {"b": 1}},
        ],
        dimensions=[
            {
                "id": "a",
                "title": T,
                "children": [{"id": "a.x", "title": T}, {"id": "a.y", "title": T, "weight": 3}],
            },
            {"id": "b", "title": T, "weight": 2},
        ],
    )


def test_weighted_means_through_the_hierarchy(compiled):
    c = compiled(two_level())
    r = score([[3, 1, 0, 1]], c)
    # a.x = (1*0.5 + 3*1) / 4 = 0.875; a.y = 0; a = (1*0.875 + 3*0) / 4; b = 1
    a = 0.875 / 4
    expected = {"a": a, "a.x": 0.875, "a.y": 0.0, "b": 1.0}
    assert dict(zip(c.dimension_ids, r.dimension_scores[0].tolist(), strict=True)) == pytest.approx(
        expected
    )
    assert r.overall[0] == pytest.approx((1 * a + 2 * 1.0) / 3)
    assert r.answered_share[0] == 1.0


def test_leaf_below_min_coverage_is_missing_not_zero(compiled):
    c = compiled(two_level())
    # q2 unanswered: a.x coverage = 1/4 < 0.5 → missing; a = a.y only (coverage 3/4)
    r = score([[5, nan, 1, nan]], c)
    dims = dict(zip(c.dimension_ids, r.dimension_scores[0].tolist(), strict=True))
    cov = dict(zip(c.dimension_ids, r.dimension_coverage[0].tolist(), strict=True))
    assert np.isnan(dims["a.x"]) and cov["a.x"] == 0.25
    assert dims["a.y"] == 1.0 and dims["a"] == 1.0 and cov["a"] == 0.75
    # b unanswered: overall from a alone, coverage 1/3 < 0.5 → missing
    assert np.isnan(dims["b"]) and np.isnan(r.overall[0])
    assert r.overall_coverage[0] == pytest.approx(1 / 3)
    assert r.overall_level[0] == -1


def test_coverage_exactly_at_the_minimum_counts(compiled):
    data = make(
        [{"id": "q1", "type": "boolean"}, {"id": "q2", "type": "boolean"}],
        min_coverage=0.5,
    )
    r = score([[1, nan], [nan, nan]], compiled(data))
    assert r.dimension_scores[:, 0].tolist()[0] == 1.0
    assert np.isnan(r.dimension_scores[1, 0])


@pytest.mark.parametrize(
    ("answer", "level"),
    [(1, "low"), (2, "low"), (3, "low"), (4, "mid"), (5, "high"), (6, "high")],
)
def test_levels_at_cut_scores(compiled, answer, level):
    # likert 6 points: scores 0, .2, .4, .6, .8, 1; levels low >= 0, mid >= 0.5, high >= 0.8
    c = compiled(make([{"id": "q", "type": "likert", "points": 6}]))
    r = score([[answer]], c)
    assert c.level_ids[r.overall_level[0]] == level
    assert c.level_ids[r.dimension_levels[0, 0]] == level


def test_score_a_hair_below_a_cut_by_rounding_still_reaches_it(compiled):
    # (0.6 * 1 + 0.9 * 2) / 3 is 0.8 in exact arithmetic, 0.7999999999999999 in floating
    # point: the level at 0.8 is reached all the same (the cut allows EPSILON).
    data = make(
        [
            {"id": "q1", "type": "single_choice", "options": options(0.6, 1)},
            {"id": "q2", "type": "single_choice", "options": options(0.9, 1)},
        ]
    )
    data["items"][0]["dimensions"] = {"d": 1}
    data["items"][1]["dimensions"] = {"d": 2}
    c = compiled(data)
    r = score([[0, 0]], c)
    assert r.overall[0] < 0.8 and r.overall[0] == pytest.approx(0.8, abs=1e-15)
    assert c.level_ids[r.overall_level[0]] == "high"
    assert c.level_ids[r.dimension_levels[0, 0]] == "high"


def test_out_of_range_answer_names_the_respondent_and_item(compiled):
    c = compiled(
        make([{"id": "q1", "type": "boolean"}, {"id": "q2", "type": "likert", "points": 5}])
    )
    with pytest.raises(
        ResponseError, match=r"respondent 'r2', item 'q2': answer 6 is outside 1\.\.5"
    ):
        score([[1, 5], [0, 6]], c, respondent_ids=["r1", "r2"])
    with pytest.raises(
        ResponseError,
        match=r"respondent 1, item 'q2': answer 2\.5 is outside 1\.\.5 \(whole numbers\)",
    ):
        score([[1, 5], [0, 2.5]], c)


def test_out_of_range_numeric_and_infinite_answers_are_refused(compiled):
    item = {
        "id": "q",
        "type": "numeric",
        "min": 0,
        "max": 10,
        "scoring": {"linear": {"zero": 0, "full": 10}},
    }
    c = compiled(make([item]))
    with pytest.raises(ResponseError, match="answer 11 is outside 0..10"):
        score([[11]], c)
    c = compiled(make([{k: v for k, v in item.items() if k not in ("min", "max")}]))
    with pytest.raises(ResponseError, match="answer inf"):
        score([[np.inf]], c)
    assert score([[2.5]], c).item_scores[0, 0] == 0.25


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_the_first_bad_row_is_named_whichever_thread_meets_a_bad_row_first(compiled, threads):
    c = compiled(make([{"id": "q", "type": "likert", "points": 5}]))
    X = np.full((200_000, 1), 3.0)
    # Each thread takes a contiguous run of rows. Bad rows lie all along the later part,
    # so the threads after the first meet one at once, before the first bad row is met.
    bad = [65_990, 66_005, 100_005, 133_005, 150_000, 199_999]
    X[bad, 0] = [2.5, 7, 9, 0, 6, 1e9]
    for _ in range(3):  # the answer must not depend on which thread gets there first
        with pytest.raises(ResponseError, match=r"respondent 65990, item 'q': answer 2\.5"):
            score(X, c, chunk_rows=1000, threads=threads)
    r = score(X, c, chunk_rows=1000, threads=threads, invalid="missing")
    assert np.isnan(r.item_scores[bad, 0]).all()
    assert np.count_nonzero(np.isnan(r.item_scores)) == len(bad)


def test_invalid_answers_can_be_treated_as_missing(compiled):
    c = compiled(
        make([{"id": "q1", "type": "boolean"}, {"id": "q2", "type": "likert", "points": 5}])
    )
    X = np.array([[1, 7], [1, 5]], float)
    r = score(X, c, invalid="missing")
    assert np.isnan(r.item_scores[0, 1]) and r.item_scores[1, 1] == 1.0
    assert X[0, 1] == 7  # the caller's array is untouched


def test_respondent_ids_must_match_the_rows(compiled):
    c = compiled(make([{"id": "q", "type": "boolean"}]))
    with pytest.raises(ResponseError, match="1 respondent ids for 2 rows"):
        score([[1], [0]], c, respondent_ids=["only-one"])


def test_empty_batch_is_fine(compiled):
    c = compiled(make([{"id": "q", "type": "boolean"}]))
    r = score(np.empty((0, 1)), c)
    assert r.n == 0 and r.dimension_scores.shape == (0, 1)


def test_wrong_number_of_columns_is_refused(compiled):
    c = compiled(make([{"id": "q", "type": "boolean"}]))
    with pytest.raises(ResponseError, match=r"expected \(n, 1\)"):
        score(np.zeros((2, 3)), c)


def test_chunks_and_threads_do_not_change_results(compiled):
    from clusterexcellence.engine import compile_instrument
    from clusterexcellence.engine.examples import random_codes, random_instrument

    rng = np.random.default_rng(5)
    c = compile_instrument(
        random_instrument(rng, n_items=30, n_areas=4, children=2, with_label=True)
    )
    X = random_codes(c, 5000, rng, missing=0.3)
    one = score(X, c, threads=1, chunk_rows=100_000)
    many = score(X, c, threads=2, chunk_rows=333)
    for field in (
        "item_scores",
        "dimension_scores",
        "dimension_coverage",
        "overall",
        "overall_level",
    ):
        np.testing.assert_array_equal(getattr(one, field), getattr(many, field))
    np.testing.assert_array_equal(one.label.level, many.label.level)


def test_item_scores_can_be_left_out(compiled):
    c = compiled(make([{"id": "q", "type": "boolean"}]))
    r = score([[1]], c, item_scores=False)
    assert r.item_scores is None and r.overall[0] == 1.0


def test_scoring_never_reads_uninitialised_output_memory(compiled, poison_empty):
    expected = score([[3, 1, 0, 1], [np.nan, 1, 1, np.nan]], compiled(two_level()))
    poison_empty()
    got = score([[3, 1, 0, 1], [np.nan, 1, 1, np.nan]], compiled(two_level()))
    for field in ("dimension_scores", "dimension_coverage", "dimension_levels", "overall"):
        np.testing.assert_array_equal(getattr(got, field), getattr(expected, field))


def test_threshold_operators_at_their_edges_match_plain_comparisons():
    from clusterexcellence.engine.compile import EPSILON, OPERATORS
    from clusterexcellence.engine.scoring import compare

    plain = {
        ">=": lambda v, t: v >= t - EPSILON,
        ">": lambda v, t: v > t,
        "<=": lambda v, t: v <= t + EPSILON,
        "<": lambda v, t: v < t,
        "==": lambda v, t: abs(v - t) <= EPSILON,
        "!=": lambda v, t: abs(v - t) > EPSILON,
    }
    for t in (0.8, 0.0, -3.0, 50.0, 1e6):
        around = [t, np.nextafter(t, np.inf), np.nextafter(t, -np.inf), t + EPSILON]
        around += [t - EPSILON, t + 2 * EPSILON, t - 2 * EPSILON, t + 1, t - 1, np.nan]
        values = np.array(around)[:, None].repeat(len(OPERATORS), axis=1)
        met = compare(values, np.arange(len(OPERATORS)), np.full(len(OPERATORS), t))
        for k, op in enumerate(OPERATORS):
            want = [not np.isnan(v) and bool(plain[op](v, t)) for v in around]
            assert met[:, k].tolist() == want, (t, op)


def test_a_fully_answered_instrument_has_coverage_and_share_exactly_one(compiled):
    # 24 items (24 * (1/24) is not 1 in floating point) of total weight 49 (nor is
    # 49 * (1/49)): shares and coverage are divisions, not products by an inverse.
    items = [
        {"id": f"q{j}", "type": "boolean", "dimensions": {"d": 3 if j == 0 else 2}}
        for j in range(24)
    ]
    r = score(np.ones((3, 24)), compiled(make(items)))
    assert r.answered_share.tolist() == [1.0] * 3
    assert r.dimension_coverage[:, 0].tolist() == [1.0] * 3
    assert r.overall_coverage.tolist() == [1.0] * 3
