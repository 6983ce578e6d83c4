"""The bundled label self-assessment: its knock-out requirements and the rules they share."""

from __future__ import annotations

import numpy as np
import pytest

from clusterexcellence.engine import compile_instrument, label_report, score


def _item_score(compiled, j: int, value: float) -> float:
    """The score of ``value`` as the only answer, to item ``j``."""
    row = np.where(np.arange(compiled.n_items) == j, value, np.nan)
    return score([row], compiled).item_scores[0, j]


def _best_answers(ins, compiled) -> np.ndarray:
    """A coded answer per item that scores highest (an organisation meeting every rule)."""
    best = np.full(compiled.n_items, np.nan)
    for j, it in enumerate(ins.items):
        if it.type == "numeric":
            bands = it.scoring.bands or []
            candidates = [v for v in (it.min, it.max, *(b.from_ for b in bands)) if v is not None]
            best[j] = max(candidates, key=lambda v, j=j: _item_score(compiled, j, v))
        elif it.type == "boolean":
            best[j] = 1.0
        else:
            best[j] = int(np.argmax([o.score for o in it.options]))
    return best


@pytest.fixture(scope="module")
def organisation(label_ins):
    """``report(changes)``: the label report of the best organisation with some answers changed."""
    compiled = compile_instrument(label_ins)
    best = _best_answers(label_ins, compiled)

    def report(**changes: float):
        row = best.copy()
        for item, value in changes.items():
            row[compiled.column(item)] = value
        return label_report(score([row], compiled), 0)

    return report


def test_the_best_organisation_reaches_gold_with_every_point(organisation):
    rep = organisation()
    assert rep.level == "gold" and rep.ratio == 1.0 and rep.requirements_failed == ()


@pytest.mark.parametrize("listed", [0.0, np.nan], ids=["not-listed", "unanswered"])
def test_an_organisation_not_listed_on_the_eccp_reaches_no_label_level(organisation, listed):
    rep = organisation(**{"q-eccp-listing": listed})
    assert rep.level is None
    assert rep.requirements_failed == ("mr-eccp-listing",)
    assert rep.ratio == 1.0  # a knock-out, not points: the score is untouched
    for check in rep.levels:
        assert [r.requirement for r in check.reasons] == ["mr-eccp-listing"], check.level


def test_the_eccp_listing_is_required_for_every_label_level(label_ins):
    [req] = [r for r in label_ins.label.minimum_requirements if r.item == "q-eccp-listing"]
    assert req.levels == [lv.id for lv in label_ins.label.levels]


@pytest.mark.parametrize(
    ("types", "level", "failed", "gaps"),
    [
        (1, None, ("mr-triple-helix",), ("qi-member-mix",)),
        (2, "gold", (), ("qi-member-mix",)),  # the requirement met, the indicator not
        (3, "gold", (), ()),
    ],
)
def test_two_member_types_meet_the_requirement_and_three_earn_the_indicator(
    organisation, types, level, failed, gaps
):
    rep = organisation(**{"b-member-types": types})
    assert rep.level == level
    assert rep.requirements_failed == failed
    assert tuple(g.indicator for g in rep.gaps) == gaps


NUMBER_WORDS = {"en": {2: "two", 3: "three"}, "fr": {2: "deux", 3: "trois"}}


def test_each_rule_on_the_member_types_names_its_own_threshold(label_ins):
    rules = [
        r
        for r in (*label_ins.label.indicators, *label_ins.label.minimum_requirements)
        if r.item == "b-member-types"
    ]
    assert sorted(r.threshold.value for r in rules) == [2, 3]
    for rule in rules:
        for lang, words in NUMBER_WORDS.items():
            title = rule.title[lang].lower()
            assert words[int(rule.threshold.value)] in title, (rule.id, lang)
            others = set(words.values()) - {words[int(rule.threshold.value)]}
            assert not any(w in title for w in others), (rule.id, lang)


def test_triple_helix_names_the_two_type_requirement_only(label_ins):
    rules = (*label_ins.label.indicators, *label_ins.label.minimum_requirements)
    named = {
        (r.id, r.threshold.value)
        for r in rules
        for lang, term in (("en", "triple-helix"), ("en", "triple helix"), ("fr", "triple hélice"))
        if term in r.title[lang].lower()
    }
    assert named == {("mr-triple-helix", 2)}
