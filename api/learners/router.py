"""``/learners/{learner_id}``: a learner's results, data export and erasure (the LMS acts
for its learners; a learner id names a learner of the calling LMS only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlalchemy.orm import Session

from ..clients.dependencies import CurrentCaller, allow
from ..database import get_session
from ..pagination import Limit, Offset, page
from ..responses import JSONResponse
from ..results import service as results
from ..results.schemas import ResultPage
from . import service
from .schemas import LearnerErasure, LearnerExport

router = APIRouter(prefix="/learners", tags=["learners"])

DbSession = Annotated[Session, Depends(get_session)]
LearnerPath = Annotated[
    str, Path(min_length=1, max_length=128, pattern=r"^[\x21-\x7e]+$", examples=["learner-4f2a9c"])
]


@router.get(
    "/{learner_id}/results",
    response_model=ResultPage,
    summary="A learner's results, oldest first (paginated)",
    **allow("lms", errors=(422,)),
)
def learner_results(
    learner_id: LearnerPath,
    caller: CurrentCaller,
    session: DbSession,
    limit: Limit = 20,
    offset: Offset = 0,
) -> JSONResponse:
    items, total = results.list_for_learner(
        session=session, caller=caller, learner_id=learner_id, limit=limit, offset=offset
    )
    return page(items, total, limit=limit, offset=offset)


@router.get(
    "/{learner_id}/export",
    response_model=LearnerExport,
    summary="Export everything stored about a learner (JSON)",
    description="Recorded in the audit log.",
    **allow("lms", errors=(422,)),
)
def export_learner(learner_id: LearnerPath, caller: CurrentCaller, session: DbSession):
    return JSONResponse(service.export(session=session, caller=caller, learner_id=learner_id))


@router.delete(
    "/{learner_id}",
    summary="Erase a learner: results and statements deleted",
    description="Deletes every result and xAPI statement of the learner; they stop counting "
    "in peer statistics at once. Recorded in the audit log (by a digest of the id).",
    **allow("lms", errors=(422,)),
)
def erase_learner(
    learner_id: LearnerPath, caller: CurrentCaller, session: DbSession
) -> LearnerErasure:
    return LearnerErasure(**service.erase(session=session, caller=caller, learner_id=learner_id))
