"""``/xapi``: statements in (from an LRS or a cmi5 AU) and results out as statements."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Request, Response
from sqlalchemy.orm import Session

from ..clients.dependencies import CurrentCaller, allow
from ..clients.tables import ROLES
from ..database import get_session
from ..responses import JSONResponse
from ..results import service as results
from ..results.dependencies import ResultId
from . import service
from .schemas import (
    VERSION_HEADER,
    VERSION_PATTERN,
    XAPI_VERSION,
    StatementBody,
    StatementIds,
    XapiStatementRead,
)

router = APIRouter(tags=["xapi"])

DbSession = Annotated[Session, Depends(get_session)]
XapiVersion = Annotated[
    str,
    Header(
        alias=VERSION_HEADER,
        pattern=VERSION_PATTERN,
        max_length=20,
        description="The xAPI version of the request: 1.0.x (missing or other: 400).",
        examples=[XAPI_VERSION],
    ),
]


@router.post(
    "/xapi/statements",
    response_model=StatementIds,
    summary="Store xAPI statements (one, or a list of up to 100)",
    description="The statement id is the idempotency key: the same id and content are "
    "stored once; the same id with other content is a 409 and nothing of the batch is "
    "stored. A statement whose object is one of our instrument activities "
    "(`<base>/instruments/<id>/versions/<n>`) and which carries the answers in "
    "`result.extensions[<base>/extensions/answers]` is scored into a result (consent from "
    "`context.extensions[<base>/extensions/consent]`); any score it carries is ignored.",
    **allow("lms", errors=(400, 409, 413, 415, 422)),
)
def post_statements(
    request: Request,
    caller: CurrentCaller,
    session: DbSession,
    version: XapiVersion,
    body: Annotated[StatementBody, Body()],
) -> JSONResponse:
    stored = service.store_statements(
        session=session, caller=caller, body=body, base=request.app.state.settings.xapi_base_iri
    )
    return JSONResponse(stored, headers={VERSION_HEADER: XAPI_VERSION})


@router.get(
    "/results/{result_id}/xapi",
    response_model=XapiStatementRead,
    summary="A result as an xAPI 1.0.3 statement",
    description="Readable by whoever may read the result (see `GET /results/{result_id}`).",
    **allow(*ROLES, errors=(404, 422)),
)
def result_as_statement(
    request: Request, result_id: ResultId, caller: CurrentCaller, session: DbSession
) -> Response:
    row = results.get_row(session=session, caller=caller, result_id=result_id)
    statement = service.result_statement(row, base=request.app.state.settings.xapi_base_iri)
    return JSONResponse(statement, headers={VERSION_HEADER: XAPI_VERSION})
