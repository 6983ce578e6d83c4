"""``/instruments``: the published instruments, their versions and scoring specs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from clusterexcellence.engine import CompiledInstrument, Instrument

from ..clients.dependencies import allow
from ..clients.tables import ROLES
from ..exceptions import NotFound
from . import service
from .dependencies import InstrumentId, published_instrument
from .schemas import DimensionRead, InstrumentList, InstrumentRead

router = APIRouter(prefix="/instruments", tags=["instruments"])


def _read(instrument: Instrument) -> InstrumentRead:
    return InstrumentRead(
        id=instrument.id,
        title=dict(instrument.title),
        version=instrument.version,
        versions=service.versions(instrument.id),
        items=len(instrument.items),
        levels=[lv.id for lv in instrument.levels],
        dimensions=[
            DimensionRead(id=d.id, title=dict(d.title), children=[c.id for c in d.children])
            for d in instrument.dimensions
        ],
        label_rules=instrument.label is not None,
    )


@router.get("", summary="List the published instruments", **allow(*ROLES))
def list_instruments() -> InstrumentList:
    return InstrumentList(items=[_read(i) for i in service.list_instruments()])


@router.get(
    "/{instrument_id}", summary="One published instrument", **allow(*ROLES, errors=(404, 422))
)
def get_instrument(instrument_id: InstrumentId) -> InstrumentRead:
    known = service.versions(instrument_id)
    if not known:
        raise NotFound(f"no published instrument {instrument_id!r}")
    return _read(service.find(instrument_id, known[-1]).instrument)


@router.get(
    "/{instrument_id}/versions/{version}/spec",
    summary="Download the scoring spec of a version",
    description="The versioned JSON the players evaluate (`docs/scoring-spec.md`); it holds "
    "the answer keys, so only authenticated clients get it.",
    **allow(*ROLES, errors=(404, 422)),
)
def get_spec(
    compiled: Annotated[CompiledInstrument, Depends(published_instrument)],
) -> dict[str, Any]:
    return service.spec(compiled.instrument.id, compiled.instrument.version)
