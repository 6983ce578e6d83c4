"""Label rules at their edges: the 0.80 ratio, knock-outs, coverage, gaps."""

import numpy as np
import pytest

from clusterexcellence.engine import LabelRulesError, label_report, score

from .conftest import T, make


def label_instrument():
    # Ten boolean indicators of 1 point, plus a numeric staff item used by a knock-out.
    items = [{"id": f"q{i}", "type": "boolean"} for i in range(10)]
    items.append(
        {
            "id": "staff",
            "type": "numeric",
            "min": 0,
            "max": 100,
            "scoring": {"linear": {"zero": 0, "full": 5}},
        }
    )
    points = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    points[9] = 1
    return make(
        items,
        label={
            "indicators": [
                {
                    "id": f"i{i}",
                    "item": f"q{i}",
                    "threshold": {"op": "==", "value": 1},
                    "points": p,
                    "title": T,
                    "modules": [f"m{i}"],
                }
                for i, p in enumerate(points)
            ],
            "minimum_requirements": [
                {
                    "id": "mr-staff",
                    "item": "staff",
                    "threshold": {"op": ">=", "value": 0.5},
                    "title": T,
                    "levels": ["silver", "gold"],
                }
            ],
            "levels": [
                {
                    "id": "bronze",
                    "title": T,
                    "min_ratio": 0.0,
                    "min_coverage": 0.9,
                    "valid_months": 24,
                },
                {"id": "silver", "title": T, "min_ratio": 0.5, "valid_months": 24},
                {"id": "gold", "title": T, "min_ratio": 0.8, "valid_months": 36},
            ],
        },
    )


def answers(met: int, staff: float = 2.0) -> list[float]:
    return [1.0] * met + [0.0] * (10 - met) + [staff]


@pytest.mark.parametrize(
    ("met", "ratio", "level"),
    [
        (10, 1.0, "gold"),
        (8, 0.8, "gold"),
        (7, 0.7, "silver"),
        (5, 0.5, "silver"),
        (4, 0.4, "bronze"),
        (0, 0.0, "bronze"),
    ],
)
def test_highest_reachable_level_by_ratio(compiled, met, ratio, level):
    res = score([answers(met)], compiled(label_instrument()))
    rep = label_report(res, 0)
    assert rep.ratio == pytest.approx(ratio)
    assert rep.level == level
    assert rep.max_points == 10


def test_ratio_of_exactly_080_reaches_gold_with_uneven_points(compiled):
    data = label_instrument()
    # Points 0.1, 0.2 and 0.7 on the first three indicators (none on the others' answers):
    # meeting 0.1 and 0.7 is 0.8 of 1.0 in exact arithmetic, 0.7999999999999999 in
    # floating point; gold (0.8) is reached all the same.
    pts = [0.1, 0.2, 0.7]
    indicators = data["label"]["indicators"][:3]
    for ind, p in zip(indicators, pts, strict=True):
        ind["points"] = p
    data["label"]["indicators"] = indicators
    res = score([[1.0, 0.0, 1.0] + [0.0] * 7 + [2.0]], compiled(data))
    rep = label_report(res, 0)
    assert rep.ratio < 0.8 and rep.ratio == pytest.approx(0.8, abs=1e-15)
    assert rep.level == "gold"
    assert [c.reachable for c in rep.levels] == [True, True, True]


def test_one_failed_knock_out_refuses_the_levels_it_applies_to(compiled):
    res = score([answers(10, staff=0.4)], compiled(label_instrument()))
    rep = label_report(res, 0)
    assert rep.level == "bronze"  # mr-staff applies to silver and gold only
    assert rep.requirements_failed == ("mr-staff",)
    gold = next(c for c in rep.levels if c.level == "gold")
    assert not gold.reachable and tuple(map(str, gold.reasons)) == (
        "minimum requirement 'mr-staff' not met",
    )


def test_unanswered_knock_out_fails_and_low_coverage_refuses_bronze(compiled):
    row = answers(10)
    row[10] = np.nan  # staff unanswered: 10 of 11 items answered (0.909 >= 0.9)
    rep = label_report(score([row], compiled(label_instrument())), 0)
    assert rep.level == "bronze" and rep.requirements_failed == ("mr-staff",)
    row[0] = row[1] = np.nan  # 8 of 11 answered: below bronze's 0.9 coverage
    rep = label_report(score([row], compiled(label_instrument())), 0)
    assert rep.level is None
    bronze = rep.levels[0]
    assert tuple(map(str, bronze.reasons)) == ("73% of items answered, 90% needed",)


def test_gaps_list_unmet_indicators_by_points_lost_with_modules(compiled):
    data = label_instrument()
    for ind, p in zip(data["label"]["indicators"], [1, 5, 1, 3, 1, 1, 1, 1, 1, 1], strict=True):
        ind["points"] = p
    row = [0.0, 0.0, 1.0, 0.0, np.nan] + [1.0] * 5 + [2.0]
    rep = label_report(score([row], compiled(data)), 0)
    assert [(g.indicator, g.points) for g in rep.gaps] == [
        ("i1", 5),
        ("i3", 3),
        ("i0", 1),
        ("i4", 1),
    ]
    assert rep.gaps[0].modules == ("m1",)
    assert [g.answered for g in rep.gaps] == [True, True, True, False]
    assert rep.valid_months == 24  # silver: 11 / 16 points


def test_report_needs_label_rules(compiled):
    res = score([[1]], compiled(make([{"id": "q", "type": "boolean"}])))
    with pytest.raises(LabelRulesError, match="has no label rules"):
        label_report(res, 0)


def test_bundled_label_self_assessment_strong_and_weak_organisations():
    from clusterexcellence.courses.instruments import find_instrument
    from clusterexcellence.engine import compile_instrument

    ins = find_instrument("label-self-assessment")
    c = compile_instrument(ins)
    best = np.full(c.n_items, np.nan)
    for j, it in enumerate(ins.items):
        if it.type == "numeric":
            # the value that scores highest within the item's range
            cands = [v for v in (it.min, it.max) if v is not None]
            best[j] = max(
                cands,
                key=lambda v: score(
                    [np.where(np.arange(c.n_items) == j, v, np.nan)], c, invalid="missing"
                ).item_scores[0, j],
            )
        elif it.type == "boolean":
            best[j] = 1.0
        else:
            best[j] = int(np.argmax([o.score for o in it.options]))
    rep = label_report(score([best], c), 0)
    assert rep.level == "gold" and rep.ratio == 1.0 and rep.gaps == ()
    worst = best.copy()
    worst[[c.column(r.item) for r in ins.label.minimum_requirements]] = np.nan
    assert label_report(score([worst], c), 0).level is None
