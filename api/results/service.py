"""Results: scored by the engine from raw answers, stored with their consent, read by the
roles allowed to see them.

Idempotency: a key is unique per client (a database constraint). The same key with the
same body gives the first response again, whatever happened since; with another body, a
422. Concurrent duplicates are settled by the constraint: the loser's insert fails, its
transaction is rolled back and it answers with the winner's stored response.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterexcellence.engine import RespondentResult, ResponseError, score_answers
from clusterexcellence.engine.compile import CompiledInstrument
from clusterexcellence.engine.reference import portfolio_ids

from ..audit import service as audit
from ..clients.schemas import Caller
from ..database import utcnow
from ..exceptions import NotFound, Unprocessable
from ..instruments import service as instruments
from .schemas import ConsentUpdate, ResultCreate
from .tables import idempotency_keys, results

#: Roles that read results shared with the label body.
LABEL_BODY_ROLES = ("label-body", "assessor")


def request_hash(body: ResultCreate) -> str:
    """A digest of the request's content (key order and spacing do not matter)."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _portfolios() -> tuple[str, ...]:
    """The portfolio choices of the newest published label self-assessment."""
    versions = instruments.versions("label-self-assessment")
    label = instruments.find("label-self-assessment", max(versions)) if versions else None
    return portfolio_ids(label.instrument) if label is not None else ()


def compiled_for(body: ResultCreate) -> CompiledInstrument:
    """The compiled instrument ``body`` answers, or a 422 naming the field; its
    peer-group portfolio checked too."""
    compiled = instruments.find(body.instrument.id, body.instrument.version)
    if compiled is None:
        known = instruments.versions(body.instrument.id)
        if not known:
            raise Unprocessable.field(
                "instrument.id", f"no published instrument {body.instrument.id!r}"
            )
        raise Unprocessable.field(
            "instrument.version",
            f"{body.instrument.id!r} has no version {body.instrument.version} (published: {known})",
        )
    portfolio = body.peer_group.portfolio
    if portfolio is not None and portfolio not in _portfolios():
        raise Unprocessable.field(
            "peer_group.portfolio", f"{portfolio!r} is not one of {', '.join(_portfolios())}"
        )
    return compiled


def outcome_json(result: RespondentResult) -> dict[str, Any]:
    """What a result stores of the engine's result (the instrument is in its own columns)."""
    out = result.to_json()
    del out["instrument"]
    return out


def score(body: ResultCreate) -> dict[str, Any]:
    """The engine's result of ``body`` as JSON, or a 422 naming the field."""
    compiled = compiled_for(body)
    try:
        [result] = score_answers(compiled, [body.answers])
    except ResponseError as err:
        raise answer_problem(err) from None
    return outcome_json(result)


def answer_problem(err: ResponseError) -> Unprocessable:
    """The 422 of an answer the engine refused (the engine names the respondent first:
    the field is enough here)."""
    return Unprocessable.field(f"answers.{err.item}", str(err).split(": ", 1)[-1])


def to_read(row: Any) -> dict[str, Any]:
    """A stored result as ``ResultRead`` JSON: what
    ``ResultRead.model_validate(...).model_dump(mode="json")`` gives (a test holds them
    equal), built directly because every submission and read returns one."""
    return {
        "id": row["id"],
        "instrument": {"id": row["instrument"], "version": row["instrument_version"]},
        "learner_id": row["learner_id"],
        "client_id": row["client_id"],
        "created_at": _iso(row["created_at"]),
        "consent": {
            "share_with_label_body": row["share_with_label_body"],
            "share_with_club": row["share_with_club"],
            "changed_at": _iso(row["consent_changed_at"]),
        },
        "peer_group": {
            "portfolio": row["portfolio"],
            "country": row["country"],
            "size_band": row["size_band"],
        },
        "answers": dict(row["answers"]),
        "outcome": row["outcome"],
    }


def _iso(at: dt.datetime | None) -> str | None:
    """A UTC datetime as pydantic writes it in JSON (``...Z``)."""
    if at is None:
        return None
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Scored:
    """A submission the engine has scored, ready to be stored."""

    caller: Caller
    body: ResultCreate
    outcome: dict[str, Any]
    idempotency_key: str | None = None


def add_scored(*, session: Session, scored: list[Scored]) -> list[dict[str, Any]]:
    """Add scored results, their audit entries and idempotency keys, one statement per
    table (the caller commits; a key already used fails the commit with an
    ``IntegrityError``): the ``ResultRead`` JSON of each."""
    rows, keys, entries, responses = [], [], [], []
    for s in scored:
        body, caller, outcome = s.body, s.caller, s.outcome
        row = {
            "id": str(uuid.uuid4()),
            "client_id": caller.id,
            "learner_id": body.learner_id,
            "instrument": body.instrument.id,
            "instrument_version": body.instrument.version,
            "answers": body.answers,
            "outcome": outcome,
            "overall_score": outcome["overall"]["score"],
            "portfolio": body.peer_group.portfolio,
            "country": body.peer_group.country,
            "size_band": body.peer_group.size_band,
            "share_with_label_body": body.consent.share_with_label_body,
            "share_with_club": body.consent.share_with_club,
            "consent_changed_at": None,
            "created_at": utcnow(),
        }
        response = to_read(row)
        rows.append(row)
        responses.append(response)
        entries.append(
            audit.entry(
                caller=caller,
                action="result.create",
                record_type="result",
                record_id=row["id"],
                detail={"instrument": body.instrument.id, "version": body.instrument.version},
            )
        )
        if s.idempotency_key is not None:
            keys.append(
                {
                    "client_id": caller.id,
                    "key": s.idempotency_key,
                    "request_hash": request_hash(body),
                    "status_code": 201,
                    "response": response,
                    "result_id": row["id"],
                    "created_at": row["created_at"],
                }
            )
    # Constant statements with the rows as parameters: compiled once, cached.
    session.execute(insert(results), rows)
    audit.add(session=session, entries=entries)
    if keys:
        # On PostgreSQL a concurrent duplicate waits here for the first one's commit,
        # then fails on the (client_id, key) constraint.
        session.execute(insert(idempotency_keys), keys)
    return responses


def insert_result(*, session: Session, caller: Caller, body: ResultCreate) -> dict[str, Any]:
    """Score ``body`` and add the result and its audit entry (the caller commits): its
    ``ResultRead`` JSON."""
    [response] = add_scored(session=session, scored=[Scored(caller, body, score(body))])
    return response


def replayed(
    *, session: Session, caller: Caller, body: ResultCreate, key: str
) -> tuple[int, dict[str, Any], bool] | None:
    """The stored response of an idempotency key already used (None: a new key); a 422
    when it was used with another body."""
    stored = _stored_response(session, caller, key)
    return None if stored is None else _replay(stored, request_hash(body))


def submit(
    *, session: Session, caller: Caller, body: ResultCreate, idempotency_key: str | None
) -> tuple[int, dict[str, Any], bool]:
    """Score and store a submission in its own transaction: (status, response body,
    replayed)."""
    if idempotency_key is not None:
        replay = replayed(session=session, caller=caller, body=body, key=idempotency_key)
        if replay is not None:
            return replay
    outcome = score(body)
    try:
        [response] = add_scored(
            session=session, scored=[Scored(caller, body, outcome, idempotency_key)]
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        replay = (
            replayed(session=session, caller=caller, body=body, key=idempotency_key)
            if idempotency_key
            else None
        )
        if replay is None:
            raise
        return replay
    return 201, response, False


def _stored_response(session: Session, caller: Caller, key: str):
    return session.execute(
        select(
            idempotency_keys.c.request_hash,
            idempotency_keys.c.status_code,
            idempotency_keys.c.response,
        ).where(idempotency_keys.c.client_id == caller.id, idempotency_keys.c.key == key)
    ).first()


def _replay(stored, digest: str) -> tuple[int, dict[str, Any], bool]:
    if stored.request_hash != digest:
        raise Unprocessable.field(
            "idempotency-key",
            "this key was used with another body; use a new key for a new submission",
            location="header",
        )
    return stored.status_code, stored.response, True


def visibility(caller: Caller):
    """A SQL condition: the results ``caller`` may read."""
    if caller.role == "admin":
        return true()
    if caller.role == "lms":
        return results.c.client_id == caller.id
    if caller.role in LABEL_BODY_ROLES:
        return results.c.share_with_label_body.is_(True)
    if caller.role == "club-admin":
        return results.c.share_with_club.is_(True)
    raise AssertionError(f"no visibility rule for role {caller.role!r}")


def get_row(*, session: Session, caller: Caller, result_id: str) -> dict[str, Any]:
    """A stored row the caller may read (404 otherwise: whether it exists is not told)."""
    row = (
        session.execute(select(results).where(results.c.id == result_id, visibility(caller)))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no result {result_id!r}")
    return dict(row)


def list_visible(
    *, session: Session, caller: Caller, instrument: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    where = [visibility(caller)]
    if instrument is not None:
        where.append(results.c.instrument == instrument)
    return _page(session, where, limit, offset)


def list_for_learner(
    *, session: Session, caller: Caller, learner_id: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    where = [results.c.client_id == caller.id, results.c.learner_id == learner_id]
    return _page(session, where, limit, offset)


def _page(session: Session, where: list, limit: int, offset: int):
    rows = session.execute(
        select(results)
        .where(*where)
        .order_by(results.c.created_at, results.c.id)
        .limit(limit)
        .offset(offset)
    ).mappings()
    items = [to_read(r) for r in rows]
    total = session.execute(select(func.count()).select_from(results).where(*where)).scalar_one()
    return items, total


def update_consent(
    *, session: Session, caller: Caller, result_id: str, change: ConsentUpdate
) -> dict[str, Any]:
    """Change a result's consent (its own LMS only); recorded in the audit log."""
    row = get_row(session=session, caller=caller, result_id=result_id)
    if row["client_id"] != caller.id:
        raise NotFound(f"no result {result_id!r}")
    values = {k: v for k, v in change.model_dump().items() if v is not None}
    before = {k: row[k] for k in values}
    if values and values != before:
        row.update(values, consent_changed_at=utcnow())
        session.execute(
            update(results)
            .where(results.c.id == result_id)
            .values(**values, consent_changed_at=row["consent_changed_at"])
        )
        audit.record(
            session=session,
            caller=caller,
            action="result.consent",
            record_type="result",
            record_id=result_id,
            detail={"before": before, "after": values},
        )
        session.commit()
    return to_read(row)


def erase_learner(*, session: Session, caller: Caller, learner_id: str) -> list[str]:
    """Delete a learner's results (and, by cascade, their idempotency records); the ids
    of the deleted results. The caller commits."""
    ids = list(
        session.execute(
            select(results.c.id).where(
                results.c.client_id == caller.id, results.c.learner_id == learner_id
            )
        ).scalars()
    )
    if ids:
        session.execute(delete(idempotency_keys).where(idempotency_keys.c.result_id.in_(ids)))
        session.execute(delete(results).where(results.c.id.in_(ids)))
    return ids


def consented(*, session: Session, instrument: str, version: int) -> list[dict[str, Any]]:
    """Results that count in peer statistics: shared with the club."""
    rows = session.execute(
        select(
            results.c.id,
            results.c.outcome,
            results.c.portfolio,
            results.c.country,
            results.c.size_band,
        ).where(
            results.c.instrument == instrument,
            results.c.instrument_version == version,
            results.c.share_with_club.is_(True),
        )
    ).mappings()
    return [dict(r) for r in rows]
