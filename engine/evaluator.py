"""A plain, one-learner evaluator of the scoring spec.

It reads nothing but the spec and the learner's answers, one loop at a time, the way the
JavaScript evaluator of the SCORM player does. Tests use it as the yardstick that the
vectorised :func:`~clusterexcellence.engine.scoring.score` must agree with, and the
benchmark uses it as the "plain Python loop" baseline.

Answers are natural values keyed by item id: a likert point (int), an option id, a list
of option ids (multiple choice), a number, or a bool. Missing keys or ``None`` are
unanswered. Answers are assumed valid (the batch scorer validates).
"""

from __future__ import annotations

import math
from typing import Any

from .exceptions import SpecError
from .spec import check_spec

_OPS = {
    ">=": lambda v, t, e: v >= t - e,
    ">": lambda v, t, e: v > t,
    "<=": lambda v, t, e: v <= t + e,
    "<": lambda v, t, e: v < t,
    "==": lambda v, t, e: abs(v - t) <= e,
    "!=": lambda v, t, e: abs(v - t) > e,
}


def item_value(item: dict, answer: Any) -> float:
    """The answer as the number thresholds test (likert point, 1/0, numeric value).

    NaN for choice items, whose answers have no value (thresholds test their score).

    >>> item_value({"type": "boolean"}, True), item_value({"type": "likert"}, 4)
    (1.0, 4.0)
    """
    if item["type"] == "boolean":
        return 1.0 if answer else 0.0
    if item["type"] in ("likert", "numeric"):
        return float(answer)
    return math.nan


def item_score(item: dict, answer: Any) -> float:
    """Score of one answer to one item of a spec, in [0, 1].

    Parameters
    ----------
    item : dict
        The item's entry in the scoring spec.
    answer
        A natural answer (see :func:`evaluate`), assumed valid.

    >>> item_score({"type": "likert", "points": 5, "reverse": True}, 2)
    0.75
    """
    kind = item["type"]
    if kind == "likert":
        s = (answer - 1) / (item["points"] - 1)
        return 1 - s if item["reverse"] else s
    if kind in ("single_choice", "situational"):
        return item["scores"][item["options"].index(answer)]
    if kind == "multiple_choice":
        scores = item["scores"]
        chosen = [item["options"].index(a) for a in answer]
        total = 0.0
        for j in sorted(chosen):
            total += scores[j]
        if item["mode"] == "capped_sum":
            return min(max(total, 0.0), item["cap"]) / item["cap"]
        if item["mode"] == "all_or_nothing":
            key = {j for j, s in enumerate(scores) if s > 0}
            return 1.0 if set(chosen) == key else 0.0
        return max(total, 0.0) / sum(s for s in scores if s > 0)
    if kind == "numeric":
        if "linear" in item:
            z, f = item["linear"]["zero"], item["linear"]["full"]
            return min(max((answer - z) / (f - z), 0.0), 1.0)
        result = 0.0
        for low, s in zip(item["bands"]["from"], item["bands"]["score"], strict=True):
            if answer >= low:
                result = s
        return result
    if kind == "boolean":
        return item["true_score"] if answer else item["false_score"]
    raise SpecError(f"unknown item type {kind!r} in the scoring spec")


def _level(score: float, levels: list[dict], eps: float) -> int:
    found = -1
    if score is None:
        return found
    for v, lv in enumerate(levels):
        if score >= lv["min"] - eps:
            found = v
    return found


def evaluate(spec: dict, answers: dict[str, Any]) -> dict[str, Any]:
    """Evaluate one learner's answers against a scoring spec.

    Parameters
    ----------
    spec : dict
        A scoring spec (``docs/scoring-spec.md``); checked with :func:`check_spec`.
    answers : dict
        Item id → natural answer: a likert point (int), an option id, a list of option
        ids (multiple choice), a number, or a bool; missing or None is unanswered.

    Returns
    -------
    dict
        ``items``: id → score or None; ``dimensions``: id → {score, coverage, level};
        ``overall``: {score, coverage, level}; ``answered_share``; and ``label``
        ({indicators_met, requirements_met, points, ratio, level}) when the spec has one.
        Levels are indices (-1: none), scores None when missing.

    Examples
    --------
    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> from clusterexcellence.engine.spec import scoring_spec
    >>> out = evaluate(scoring_spec(tiny_instrument()), {"q1": 5, "q2": "some"})
    >>> out["overall"], out["dimensions"]["b"]["score"]
    ({'score': 0.75, 'coverage': 0.5, 'level': 0}, None)
    """
    check_spec(spec)
    eps, min_cov = spec["epsilon"], spec["min_coverage"]
    items, dims = spec["items"], spec["dimensions"]
    scores: list[float | None] = []
    for item in items:
        a = answers.get(item["id"])
        scores.append(None if a is None else item_score(item, a))

    num = [0.0] * len(dims)
    den = [0.0] * len(dims)
    tot = [0.0] * len(dims)
    for item, s in zip(items, scores, strict=True):
        for d, w in item["dimensions"]:
            tot[d] += w
            if s is not None:
                num[d] += w * s
                den[d] += w
    dim_score: list[float | None] = [None] * len(dims)
    dim_cov = [0.0] * len(dims)
    # Depth-first order: walking backwards meets every child before its parent.
    for i in range(len(dims) - 1, -1, -1):
        if dims[i]["leaf"]:
            cov = den[i] / tot[i]
            value = num[i] / den[i] if den[i] > 0 else None
        else:
            kids = [k for k in range(len(dims)) if dims[k]["parent"] == i]
            have = [k for k in kids if dim_score[k] is not None]
            weight = sum(dims[k]["weight"] for k in kids)
            got = sum(dims[k]["weight"] for k in have)
            cov = got / weight
            value = sum(dims[k]["weight"] * dim_score[k] for k in have) / got if have else None
        dim_cov[i] = cov
        dim_score[i] = value if cov >= min_cov - eps else None

    tops = [k for k in range(len(dims)) if dims[k]["parent"] is None]
    have = [k for k in tops if dim_score[k] is not None]
    got = sum(dims[k]["weight"] for k in have)
    overall_cov = got / sum(dims[k]["weight"] for k in tops)
    overall = sum(dims[k]["weight"] * dim_score[k] for k in have) / got if have else None
    if overall_cov < min_cov - eps:
        overall = None
    answered = sum(s is not None for s in scores) / len(items)

    result: dict[str, Any] = {
        "items": {it["id"]: s for it, s in zip(items, scores, strict=True)},
        "dimensions": {
            d["id"]: {
                "score": dim_score[i],
                "coverage": dim_cov[i],
                "level": _level(dim_score[i], spec["levels"], eps),
            }
            for i, d in enumerate(dims)
        },
        "overall": {
            "score": overall,
            "coverage": overall_cov,
            "level": _level(overall, spec["levels"], eps),
        },
        "answered_share": answered,
        "label": None,
    }
    if spec["label"] is not None:
        result["label"] = _evaluate_label(spec, answers, scores, answered)
    return result


def _rule_met(rule: dict, spec: dict, answers: dict, scores: list) -> bool:
    item = spec["items"][rule["item"]]
    answer = answers.get(item["id"])
    if answer is None:
        return False
    v = scores[rule["item"]] if rule["on"] == "score" else item_value(item, answer)
    return _OPS[rule["op"]](v, rule["value"], spec["epsilon"])


def _evaluate_label(spec, answers, scores, answered) -> dict[str, Any]:
    label, eps = spec["label"], spec["epsilon"]
    met = [r["id"] for r in label["indicators"] if _rule_met(r, spec, answers, scores)]
    points = sum(r["points"] for r in label["indicators"] if r["id"] in met)
    ratio = points / sum(r["points"] for r in label["indicators"])
    req_met = [r["id"] for r in label["requirements"] if _rule_met(r, spec, answers, scores)]
    level = -1
    for v, lv in enumerate(label["levels"]):
        knocked_out = any(
            v in r["levels"] and r["id"] not in req_met for r in label["requirements"]
        )
        if (
            not knocked_out
            and ratio >= lv["min_ratio"] - eps
            and answered >= lv["min_coverage"] - eps
        ):
            level = v
    return {
        "indicators_met": met,
        "requirements_met": req_met,
        "points": points,
        "ratio": ratio,
        "level": level,
    }
