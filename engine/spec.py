"""The scoring spec: a compiled instrument as small, versioned JSON.

The spec is the contract between the Python engine and the JavaScript evaluator of the
SCORM player: it holds everything needed to reproduce item scores, dimension scores,
coverage, levels and label outcomes for one learner, and nothing else (no prompts, no
translations). ``docs/scoring-spec.md`` documents every key;
:mod:`~clusterexcellence.engine.evaluator` evaluates it the way the JS player does.
"""

from __future__ import annotations

from typing import Any

from .compile import EPSILON
from .exceptions import SpecError
from .instrument import Instrument, threshold_target

SPEC_FORMAT = "clusterexcellence.scoring-spec"
SPEC_VERSION = 1


def _item_spec(item, dim_index: dict[str, int]) -> dict[str, Any]:
    return {
        "id": item.id,
        "type": item.type,
        "dimensions": [[dim_index[d], w] for d, w in item.dimensions.items()],
        **item.spec_entry(),
    }


def _rule_spec(rule, instrument: Instrument, item_index: dict[str, int]) -> dict[str, Any]:
    return {
        "id": rule.id,
        "item": item_index[rule.item],
        "on": threshold_target(rule.threshold, instrument.item(rule.item)),
        "op": rule.threshold.op,
        "value": rule.threshold.value,
    }


def scoring_spec(instrument: Instrument) -> dict[str, Any]:
    """Serialise ``instrument`` to the scoring spec (a JSON-ready dict).

    Parameters
    ----------
    instrument : Instrument

    Returns
    -------
    dict
        The spec, version :data:`SPEC_VERSION` (every key in ``docs/scoring-spec.md``).

    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> spec = scoring_spec(tiny_instrument())
    >>> spec["version"], [d["id"] for d in spec["dimensions"]], spec["items"][1]["scores"]
    (1, ['a', 'a.x', 'a.y', 'b'], [0.0, 0.5, 1.0])
    """
    dims = list(instrument.iter_dimensions())
    dim_index = {d.id: i for i, (d, _, _) in enumerate(dims)}
    item_index = {it.id: j for j, it in enumerate(instrument.items)}
    spec: dict[str, Any] = {
        "format": SPEC_FORMAT,
        "version": SPEC_VERSION,
        "instrument": {"id": instrument.id, "version": instrument.version},
        "epsilon": EPSILON,
        "min_coverage": instrument.min_coverage,
        "levels": [{"id": lv.id, "min": lv.min} for lv in instrument.levels],
        "dimensions": [
            {
                "id": d.id,
                "parent": None if p is None else dim_index[p.id],
                "weight": d.weight,
                "leaf": not d.children,
            }
            for d, p, _ in dims
        ],
        "items": [_item_spec(it, dim_index) for it in instrument.items],
        "label": None,
    }
    rules = instrument.label
    if rules is not None:
        level_index = {lv.id: v for v, lv in enumerate(rules.levels)}
        spec["label"] = {
            "indicators": [
                _rule_spec(r, instrument, item_index) | {"points": r.points}
                for r in rules.indicators
            ],
            "requirements": [
                _rule_spec(r, instrument, item_index)
                | {"levels": [level_index[v] for v in r.levels]}
                for r in rules.minimum_requirements
            ],
            "levels": [
                {"id": lv.id, "min_ratio": lv.min_ratio, "min_coverage": lv.min_coverage}
                for lv in rules.levels
            ],
        }
    return spec


def check_spec(spec: Any) -> None:
    """Raise :class:`SpecError` unless ``spec`` is a scoring spec of a supported version.

    Parameters
    ----------
    spec : any
        Parsed JSON.

    >>> check_spec(["not", "a", "spec"])
    Traceback (most recent call last):
    ...
    clusterexcellence.engine.exceptions.SpecError: not a scoring spec: a list, not an object
    """
    if not isinstance(spec, dict):
        raise SpecError(f"not a scoring spec: a {type(spec).__name__}, not an object")
    if spec.get("format") != SPEC_FORMAT:
        raise SpecError(f"not a scoring spec: format is {spec.get('format')!r}")
    if spec.get("version") != SPEC_VERSION:
        raise SpecError(f"scoring spec version {spec.get('version')!r} is not supported")
