"""Writing and reading the audit log. Entries are added in the caller's transaction, so a
change and its entry are committed together or not at all."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..clients.schemas import Caller
from ..database import utcnow
from .tables import audit_log

#: The actor of changes made on the command line.
CLI_ACTOR = "cli"


def learner_record(client_id: str, learner_id: str) -> str:
    """How the audit log names a learner: a digest, so that the log keeps no learner id
    after an erasure."""
    digest = hashlib.sha256(f"{client_id}\x00{learner_id}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


def entry(
    *,
    caller: Caller | None,
    action: str,
    record_type: str,
    record_id: str,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The row of one entry (``caller`` None: the command line), to insert with others."""
    return {
        "at": utcnow(),
        "client_id": caller.id if caller else None,
        "actor": f"{caller.role}:{caller.name}" if caller else CLI_ACTOR,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "detail": detail,
    }


def record(
    *,
    session: Session,
    caller: Caller | None,
    action: str,
    record_type: str,
    record_id: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one entry (``caller`` None: the command line)."""
    add(
        session=session,
        entries=[
            entry(
                caller=caller,
                action=action,
                record_type=record_type,
                record_id=record_id,
                detail=detail,
            )
        ],
    )


def add(*, session: Session, entries: list[dict[str, Any]]) -> None:
    """Add entries made by :func:`entry` (one statement for all of them)."""
    if entries:
        session.execute(insert(audit_log), entries)


def list_entries(*, session: Session, limit: int, offset: int) -> tuple[list[dict], int]:
    """Entries, newest first, and how many there are."""
    rows = session.execute(
        select(audit_log).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
    ).mappings()
    total = session.execute(select(func.count()).select_from(audit_log)).scalar_one()
    return [dict(r) for r in rows], total
