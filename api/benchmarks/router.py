"""``/benchmarks``: peer statistics; ``/results/{id}/benchmark``: a result's position."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from clusterexcellence.engine import CompiledInstrument

from ..clients.dependencies import CurrentCaller, allow
from ..clients.tables import ROLES
from ..database import get_session
from ..exceptions import NotFound
from ..instruments import service as instruments
from ..instruments.dependencies import published_instrument
from ..results import service as results
from ..results.dependencies import ResultId
from . import service
from .schemas import Attribute, BenchmarkRead, ResultPositions

router = APIRouter(tags=["benchmarks"])

DbSession = Annotated[Session, Depends(get_session)]
# str with a None default: "a string, optional" (a query string cannot hold a null).
AttrQuery = Annotated[str, Query(min_length=1, max_length=64)]


@router.get(
    "/benchmarks/{instrument_id}/versions/{version}",
    summary="Peer statistics per dimension for a peer group",
    description="Computed by the engine over the bundled reference data and the results "
    "shared with the club, filtered by the attributes given. A measure of a group under "
    "k peers (5) has no figure, only the reason (`withheld`).",
    **allow(*ROLES, errors=(404, 422)),
)
def peer_statistics(
    request: Request,
    compiled: Annotated[CompiledInstrument, Depends(published_instrument)],
    session: DbSession,
    portfolio: AttrQuery = None,
    country: AttrQuery = None,
    size_band: AttrQuery = None,
    label: AttrQuery = None,
) -> BenchmarkRead:
    given = {"portfolio": portfolio, "country": country, "size_band": size_band, "label": label}
    where = {a: v for a, v in given.items() if v is not None}
    k = request.app.state.settings.benchmark_k
    return BenchmarkRead.model_validate(
        service.statistics(session=session, compiled=compiled, where=where, k=k)
    )


@router.get(
    "/results/{result_id}/benchmark",
    summary="Where a result stands among its peers",
    description="Percentile, quartile, z-score and gap to the best 10 %, per measure, "
    "among the peers that share the attributes named by `same` (none: every peer); the "
    "result itself is left out. Readable by whoever may read the result.",
    **allow(*ROLES, errors=(404, 422)),
)
def result_benchmark(
    request: Request,
    result_id: ResultId,
    caller: CurrentCaller,
    session: DbSession,
    same: Annotated[list[Attribute], Query(max_length=4)] = [],  # noqa: B006 - FastAPI copies it
) -> ResultPositions:
    row = results.get_row(session=session, caller=caller, result_id=result_id)
    compiled = instruments.find(row["instrument"], row["instrument_version"])
    if compiled is None:  # pragma: no cover - results are only stored for published ones
        raise NotFound(f"the instrument of result {result_id!r} is no longer published")
    k = request.app.state.settings.benchmark_k
    same = list(dict.fromkeys(same))
    positions = service.result_positions(
        session=session, compiled=compiled, row=row, same=same, k=k
    )
    return ResultPositions(result_id=result_id, same=same, k=k, positions=positions)
