"""``/audit``: the audit log, read by admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from ..clients.dependencies import allow
from ..database import get_session
from ..pagination import Limit, Offset
from . import service
from .schemas import AuditEntryRead, AuditPage

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", summary="Read the audit log, newest first", **allow("admin", errors=(422,)))
def list_audit(
    session: Annotated[Session, Depends(get_session)], limit: Limit = 50, offset: Offset = 0
) -> AuditPage:
    rows, total = service.list_entries(session=session, limit=limit, offset=offset)
    return AuditPage(
        items=[AuditEntryRead(**{k: v for k, v in r.items() if k != "client_id"}) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
    )
