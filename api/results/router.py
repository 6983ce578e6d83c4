"""``/results``: submit raw answers (scored here), read results, change consent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy.orm import Session

from ..clients.dependencies import CurrentCaller, allow
from ..clients.tables import ROLES
from ..database import get_session
from ..pagination import Limit, Offset, page
from ..responses import JSONResponse
from . import service
from .dependencies import IdempotencyKey, ResultId
from .schemas import ConsentUpdate, ResultCreate, ResultPage, ResultRead

router = APIRouter(prefix="/results", tags=["results"])

DbSession = Annotated[Session, Depends(get_session)]
READERS = ROLES
VISIBILITY = (
    "An `lms` reads the results it submitted; `label-body` and `assessor` those shared "
    "with the label body; `club-admin` those shared with the club; `admin` all."
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ResultRead,
    summary="Submit raw answers; the server scores them",
    description="The engine scores the answers (the client sends no score). With an "
    "`Idempotency-Key`, the same key and body return the first response (same status "
    "and body, header `Idempotent-Replayed: true`); the same key with another body is a "
    "422. An unknown instrument or version, an unknown item or an answer out of range is "
    "a 422 naming the field (`instrument.version`, `answers.<item>`); nothing is stored.",
    **allow("lms", errors=(400, 413, 415, 422)),
)
async def submit_result(
    body: ResultCreate,
    caller: CurrentCaller,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    # Scoring and storing run in a worker thread, in batches with the submissions that
    # arrive meanwhile (group commit): numpy scoring never blocks the event loop.
    code, content, replayed = await request.app.state.submissions.submit(
        caller=caller, body=body, idempotency_key=idempotency_key
    )
    headers = {"Location": f"/results/{content['id']}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(content, status_code=code, headers=headers)


@router.get(
    "",
    response_model=ResultPage,
    summary="List the results this client may read",
    description=VISIBILITY,
    **allow(*READERS, errors=(422,)),
)
def list_results(
    caller: CurrentCaller,
    session: DbSession,
    # Typed str with a None default: the schema says "a string, optional" (not "or null",
    # which a query string cannot say).
    instrument: Annotated[str, Query(min_length=1, max_length=100)] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> JSONResponse:
    items, total = service.list_visible(
        session=session, caller=caller, instrument=instrument, limit=limit, offset=offset
    )
    return page(items, total, limit=limit, offset=offset)


@router.get(
    "/{result_id}",
    response_model=ResultRead,
    summary="Read a result",
    description=VISIBILITY + " Any other result is a 404.",
    **allow(*READERS, errors=(404, 422)),
)
def get_result(result_id: ResultId, caller: CurrentCaller, session: DbSession) -> JSONResponse:
    row = service.get_row(session=session, caller=caller, result_id=result_id)
    return JSONResponse(service.to_read(row))


@router.patch(
    "/{result_id}/consent",
    response_model=ResultRead,
    summary="Change (withdraw or give) a result's consent",
    description="Only the LMS that submitted the result. A withdrawal takes effect at once: "
    "the result is no longer shown to that party nor counted in peer statistics.",
    **allow("lms", errors=(400, 404, 413, 415, 422)),
)
def update_consent(
    result_id: ResultId, change: ConsentUpdate, caller: CurrentCaller, session: DbSession
) -> JSONResponse:
    return JSONResponse(
        service.update_consent(session=session, caller=caller, result_id=result_id, change=change)
    )
