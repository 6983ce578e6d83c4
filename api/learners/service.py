"""A learner's personal data: export and erasure, each in the audit log.

Erasure deletes the learner's results, idempotency records and xAPI statements: nothing
is left to count in a benchmark or to trace back. The audit log names the learner by a
digest only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..audit import service as audit
from ..clients.schemas import Caller
from ..database import utcnow
from ..results import service as results
from ..xapi import service as xapi

_ALL = 1_000_000_000


def export(*, session: Session, caller: Caller, learner_id: str) -> dict[str, Any]:
    items, _ = results.list_for_learner(
        session=session, caller=caller, learner_id=learner_id, limit=_ALL, offset=0
    )
    statements = xapi.statements_of(session=session, caller=caller, learner_id=learner_id)
    audit.record(
        session=session,
        caller=caller,
        action="learner.export",
        record_type="learner",
        record_id=audit.learner_record(caller.id, learner_id),
        detail={"results": len(items), "statements": len(statements)},
    )
    session.commit()
    return {
        "learner_id": learner_id,
        "exported_at": utcnow().isoformat().replace("+00:00", "Z"),
        "results": items,
        "xapi_statements": statements,
    }


def erase(*, session: Session, caller: Caller, learner_id: str) -> dict[str, Any]:
    erased_statements = xapi.erase_learner(session=session, caller=caller, learner_id=learner_id)
    erased = results.erase_learner(session=session, caller=caller, learner_id=learner_id)
    audit.record(
        session=session,
        caller=caller,
        action="learner.erase",
        record_type="learner",
        record_id=audit.learner_record(caller.id, learner_id),
        detail={"results": len(erased), "statements": erased_statements},
    )
    session.commit()
    return {
        "learner_id": learner_id,
        "erased_results": len(erased),
        "erased_statements": erased_statements,
    }
