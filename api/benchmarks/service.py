"""Peer statistics and positions, computed by the engine from the bundled reference data
and the consented results (shared with the club) of the same instrument version.

Peers have the attributes ``portfolio``, ``country``, ``size_band`` and (reference
organisations only) ``label``; a result without an attribute is in no group filtered by
it. No statistic is given for a group under ``k`` (engine: ``Withheld`` with a reason).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from clusterexcellence.engine import ReferenceSet
from clusterexcellence.engine.benchmark import Withheld, benchmark, distribution
from clusterexcellence.engine.compile import CompiledInstrument
from clusterexcellence.engine.reference import ATTRIBUTES, DIMENSION_PREFIX, OVERALL

from ..exceptions import Unprocessable
from ..results import service as results

#: The attribute value of a peer that lacks the attribute: it matches no filter.
_NONE = ""


def reference_for(instrument_id: str) -> ReferenceSet | None:
    """The bundled reference population of an instrument (None: it has none)."""
    from clusterexcellence.courses.population import bundled

    return bundled.reference_for(instrument_id)


def measures(compiled: CompiledInstrument) -> list[str]:
    """``overall`` and each top-level dimension."""
    return [OVERALL] + [f"{DIMENSION_PREFIX}{d.id}" for d in compiled.instrument.dimensions]


def _result_values(outcome: dict[str, Any], measure: str) -> float:
    if measure == OVERALL:
        score = outcome["overall"]["score"]
    else:
        score = outcome["dimensions"].get(measure[len(DIMENSION_PREFIX) :], {}).get("score")
    return np.nan if score is None else float(score)


def _results_set(rows: list[dict[str, Any]], names: list[str]) -> ReferenceSet:
    return ReferenceSet(
        ids=np.array([f"result:{r['id']}" for r in rows], dtype=object),
        attributes={
            a: np.array([r.get(a) or _NONE for r in rows], dtype=object) for a in ATTRIBUTES
        },
        measures={m: np.array([_result_values(r["outcome"], m) for r in rows]) for m in names},
    )


def _concat(a: ReferenceSet, b: ReferenceSet, names: list[str]) -> ReferenceSet:
    n_a = len(a)

    def attr(s: ReferenceSet, name: str) -> np.ndarray:
        return s.attributes.get(name, np.full(len(s), _NONE, dtype=object))

    def values(s: ReferenceSet, name: str) -> np.ndarray:
        return s.measures.get(name, np.full(len(s), np.nan))

    return ReferenceSet(
        ids=np.concatenate([a.ids.astype(object), b.ids]) if n_a else b.ids,
        attributes={n: np.concatenate([attr(a, n), attr(b, n)]) for n in ATTRIBUTES},
        measures={m: np.concatenate([values(a, m), values(b, m)]) for m in names},
    )


def peers(
    *, session: Session, compiled: CompiledInstrument, exclude: str | None = None
) -> tuple[ReferenceSet, int]:
    """Every peer (reference units, then consented results): the set and how many of it
    are reference units."""
    ins = compiled.instrument
    names = measures(compiled)
    rows = [
        r
        for r in results.consented(session=session, instrument=ins.id, version=ins.version)
        if r["id"] != exclude
    ]
    mine = _results_set(rows, names)
    reference = reference_for(ins.id)
    if reference is None:
        return mine, 0
    return _concat(reference, mine, names), len(reference)


def statistics(
    *, session: Session, compiled: CompiledInstrument, where: dict[str, str], k: int
) -> dict[str, Any]:
    everyone, n_reference = peers(session=session, compiled=compiled)
    keep = everyone.mask(**where) if where else np.ones(len(everyone), bool)
    group = everyone.subset(keep)
    out = []
    for m in measures(compiled):
        stats = distribution(group.values(m), k=k)
        if isinstance(stats, Withheld):
            out.append({"measure": m, "n": stats.n, "statistics": None, "withheld": stats.reason})
        else:
            out.append({"measure": m, "n": stats.n, "statistics": stats.__dict__, "withheld": None})
    return {
        "instrument": {"id": compiled.instrument.id, "version": compiled.instrument.version},
        "peer_group": where,
        "k": k,
        "sources": {
            "reference_units": int(keep[:n_reference].sum()),
            "reference_synthetic": bool(
                (reference_for(compiled.instrument.id) or _EMPTY).metadata.get("synthetic", False)
            ),
            "results": int(keep[n_reference:].sum()),
        },
        "measures": out,
    }


_EMPTY = ReferenceSet(np.array([], dtype=object), {}, {})


def result_positions(
    *, session: Session, compiled: CompiledInstrument, row: dict[str, Any], same: list[str], k: int
) -> list[dict[str, Any]]:
    """Where a result stands among its peers (itself left out), per measure."""
    for attr in same:
        if not row.get(attr):
            raise Unprocessable.field(
                "same", f"the result has no {attr}: it has no peer group by it", location="query"
            )
    names = measures(compiled)
    everyone, _ = peers(session=session, compiled=compiled, exclude=row["id"])
    unit = _results_set([row], names)
    positions = benchmark(unit, everyone, same=same, k=k, measures=names)
    return [
        {
            "measure": p.measure,
            "group_n": p.group_n,
            "percentile": p.percentile,
            "quartile": p.quartile,
            "z": p.z,
            "excellence_n": p.excellence_n,
            "excellence_gap": p.excellence_gap,
            "withheld": list(p.withheld),
        }
        for p in positions
    ]
