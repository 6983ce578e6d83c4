"""Small instruments for doctests, tests and the documentation."""

from __future__ import annotations

import numpy as np

from .instrument import Instrument
from .items import ITEM_TYPES


def _choice(item_id: str, scores: dict[str, float], dimension: str) -> dict:
    """A single-choice item with one option per ``scores`` entry, linked to ``dimension``."""
    t = {"en": "t"}
    return {
        "id": item_id,
        "type": "single_choice",
        "prompt": t,
        "options": [{"id": o, "text": t, "score": s} for o, s in scores.items()],
        "dimensions": {dimension: 1},
    }


def tiny_instrument() -> Instrument:
    """Three items in two top-level dimensions, one of them with two children.

    ``q1`` likert 1..5 → ``a.x``; ``q2`` single choice scored 0/1/2 → ``a.y``;
    ``q3`` boolean → ``b``.
    """
    t = {"en": "t"}
    return Instrument.model_validate(
        {
            "id": "tiny",
            "title": t,
            "min_coverage": 0.5,
            "levels": [
                {"id": "low", "min": 0, "title": t},
                {"id": "high", "min": 0.8, "title": t},
            ],
            "dimensions": [
                {
                    "id": "a",
                    "title": t,
                    "children": [{"id": "a.x", "title": t}, {"id": "a.y", "title": t}],
                },
                {"id": "b", "title": t},
            ],
            "items": [
                {"id": "q1", "type": "likert", "points": 5, "prompt": t, "dimensions": {"a.x": 1}},
                _choice("q2", {"no": 0, "some": 1, "yes": 2}, "a.y"),
                {"id": "q3", "type": "boolean", "prompt": t, "dimensions": {"b": 1}},
            ],
        }
    )


def labelled_instrument() -> Instrument:
    """Three items with label rules: two indicators, one knock-out, Bronze and Gold.

    ``has-strategy`` boolean and ``survey`` single choice (no/yes) → ``gov``; ``events``
    numeric 0..100 → ``act``. Indicators ``qi-strategy`` (has a strategy, 2 points) and
    ``qi-events`` (40 events or more, 2 points); requirement ``mr-survey`` (a member
    survey) applies to Gold; Bronze needs half the items answered, Gold a ratio of 0.5.
    """
    t = {"en": "t"}
    return Instrument.model_validate(
        {
            "id": "labelled",
            "title": t,
            "dimensions": [{"id": "gov", "title": t}, {"id": "act", "title": t}],
            "items": [
                {"id": "has-strategy", "type": "boolean", "prompt": t, "dimensions": {"gov": 1}},
                _choice("survey", {"no": 0, "yes": 1}, "gov"),
                {
                    "id": "events",
                    "type": "numeric",
                    "prompt": t,
                    "min": 0,
                    "max": 100,
                    "scoring": {"linear": {"zero": 0, "full": 50}},
                    "dimensions": {"act": 1},
                },
            ],
            "label": {
                "indicators": [
                    {
                        "id": "qi-strategy",
                        "item": "has-strategy",
                        "threshold": {"op": "==", "value": 1},
                        "points": 2,
                        "title": t,
                    },
                    {
                        "id": "qi-events",
                        "item": "events",
                        "threshold": {"op": ">=", "value": 40},
                        "points": 2,
                        "title": t,
                        "modules": ["member-engagement-services"],
                    },
                ],
                "minimum_requirements": [
                    {
                        "id": "mr-survey",
                        "item": "survey",
                        "threshold": {"op": ">=", "value": 1},
                        "title": t,
                        "levels": ["gold"],
                    }
                ],
                "levels": [
                    {"id": "bronze", "title": t, "min_coverage": 0.5},
                    {"id": "gold", "title": t, "min_ratio": 0.5, "valid_months": 24},
                ],
            },
        }
    )


def random_instrument(
    rng, *, n_items: int = 48, n_areas: int = 8, children: int = 0, with_label: bool = False
) -> Instrument:
    """A valid instrument with items of every type, for property tests and benchmarks.

    ``rng`` is a ``numpy.random.Generator``. Areas get ``children`` sub-dimensions each
    (0: areas are leaves). Item ``j`` links to leaf ``j mod n_leaves`` (and sometimes a
    second leaf), so every leaf has items when ``n_items >= n_leaves``.
    """
    t = {"en": "t"}
    dims, leaves = [], []
    for a in range(n_areas):
        kids = [
            {"id": f"d{a}.c{c}", "title": t, "weight": float(rng.integers(1, 4))}
            for c in range(children)
        ]
        dims.append(
            {"id": f"d{a}", "title": t, "weight": float(rng.integers(1, 4)), "children": kids}
        )
        leaves += [k["id"] for k in kids] or [f"d{a}"]
    kinds = list(ITEM_TYPES)
    items = []
    for j in range(n_items):
        kind = kinds[j % len(kinds)]
        links = {leaves[j % len(leaves)]: float(rng.integers(1, 4))}
        if rng.random() < 0.2:
            links[leaves[int(rng.integers(len(leaves)))]] = 1.0
        item = {"id": f"i{j}", "type": kind, "prompt": t, "dimensions": links}
        if kind == "likert":
            item |= {"points": int(rng.integers(2, 8)), "reverse": bool(rng.random() < 0.3)}
        elif kind in ("single_choice", "situational", "multiple_choice"):
            n_opt = int(rng.integers(2, 6))
            scores = rng.integers(0, 4, n_opt).astype(float)
            scores[int(rng.integers(n_opt))] = 3.0
            if kind == "multiple_choice":
                scores -= rng.integers(0, 2, n_opt)  # some wrong options cost points
                item["mode"] = ["capped_sum", "all_or_nothing", "partial_credit"][j % 3]
                item["cap"] = 4.0
            item["options"] = [
                {"id": f"o{o}", "text": t, "score": float(s)} for o, s in enumerate(scores)
            ]
            if kind == "situational":
                item["scenario"] = t
        elif kind == "numeric":
            item |= {"min": 0, "max": 100}
            if rng.random() < 0.5:
                lows = np.sort(rng.choice(np.arange(0, 100, 5), size=3, replace=False))
                item["scoring"] = {
                    "bands": [
                        {"from": float(x), "score": s}
                        for x, s in zip(lows, (0.2, 0.6, 1.0), strict=True)
                    ]
                }
            else:
                zero, full = (
                    float(v) for v in rng.choice([0, 20, 50, 80, 100], size=2, replace=False)
                )
                item["scoring"] = {"linear": {"zero": zero, "full": full}}
        items.append(item)
    data = {
        "id": "random",
        "title": t,
        "min_coverage": float(rng.choice([0.3, 0.5, 0.7])),
        "levels": [
            {"id": f"l{v}", "min": m, "title": t} for v, m in enumerate((0.0, 0.4, 0.6, 0.8))
        ],
        "dimensions": dims,
        "items": items,
    }
    if with_label:
        data["label"] = _random_label(rng, items)
    return Instrument.model_validate(data)


def _random_label(rng, items) -> dict:
    t = {"en": "t"}
    ops = [">=", ">", "<=", "<", "==", "!="]

    def rule(k, prefix):
        it = items[int(rng.integers(len(items)))]
        if it["type"] == "numeric":
            th = {"op": ops[k % 6], "value": float(rng.integers(0, 100))}
        elif it["type"] == "boolean":
            th = {"op": "==", "value": 1.0}
        elif it["type"] == "likert":
            th = {"op": ops[k % 4], "value": float(rng.integers(1, it["points"] + 1))}
        else:
            th = {"op": ">=", "value": float(rng.choice([0.0, 0.5, 1.0]))}
        return {"id": f"{prefix}{k}", "item": it["id"], "threshold": th, "title": t}

    return {
        "indicators": [rule(k, "qi") | {"points": float(rng.integers(1, 5))} for k in range(10)],
        "minimum_requirements": [
            rule(k, "mr") | {"levels": ["bronze", "silver", "gold"][int(rng.integers(3)) :]}
            for k in range(3)
        ],
        "levels": [
            {"id": "bronze", "title": t, "min_ratio": 0.0, "min_coverage": 0.5},
            {"id": "silver", "title": t, "min_ratio": 0.5},
            {"id": "gold", "title": t, "min_ratio": 0.8},
        ],
    }


def random_answers(instrument: Instrument, n: int, rng, *, missing: float = 0.1) -> list[dict]:
    """``n`` natural answer mappings (item id → answer), each cell missing with that chance."""
    rows = []
    for _ in range(n):
        row = {}
        for it in instrument.items:
            if rng.random() < missing:
                continue
            row[it.id] = it.example_answer(rng)
        rows.append(row)
    return rows


def random_codes(compiled, n: int, rng, *, missing: float = 0.1) -> np.ndarray:
    """Coded answers (n, n_items) drawn uniformly in each item's range, vectorised."""
    lo = np.where(np.isfinite(compiled.lo), compiled.lo, 0.0)
    hi = np.where(np.isfinite(compiled.hi), compiled.hi, 100.0)
    X = rng.random((n, compiled.n_items))
    X *= hi - lo + compiled.integral
    X += lo
    np.floor(X, out=X, where=np.broadcast_to(compiled.integral, X.shape))
    np.minimum(X, hi, out=X)
    X[rng.random((n, compiled.n_items)) < missing] = np.nan
    return X
