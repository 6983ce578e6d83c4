"""xAPI statements received, stored per client."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..clients.schemas import Caller
from .tables import xapi_statements


def statements_of(*, session: Session, caller: Caller, learner_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(xapi_statements.c.statement)
        .where(xapi_statements.c.client_id == caller.id, xapi_statements.c.learner_id == learner_id)
        .order_by(xapi_statements.c.stored, xapi_statements.c.id)
    ).scalars()
    return list(rows)


def erase_learner(*, session: Session, caller: Caller, learner_id: str) -> int:
    """Delete a learner's statements; how many. The caller commits."""
    return session.execute(
        delete(xapi_statements).where(
            xapi_statements.c.client_id == caller.id, xapi_statements.c.learner_id == learner_id
        )
    ).rowcount
