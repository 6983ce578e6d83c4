"""xAPI: results as statements, and statements received from an LRS or a cmi5 AU.

A statement's id is its idempotency key: the same id with the same content is taken once;
with other content it is a 409 (xAPI's rule). A statement about one of our instruments
that carries the learner's answers (``result.extensions[<base>/extensions/answers]``)
becomes a result, scored here like any submission; any score in the statement is
ignored.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterexcellence.engine.exceptions import format_loc

from ..audit import service as audit
from ..clients.schemas import Caller
from ..database import utcnow
from ..exceptions import Conflict, FieldProblem, Unprocessable
from ..instruments import service as instruments
from ..results import service as results
from ..results.schemas import ResultCreate
from .schemas import (
    ACTIVITY_ASSESSMENT,
    MAX_STATEMENTS,
    VERB_COMPLETED,
    XAPI_VERSION,
    activity_iri,
    extension_iri,
)
from .tables import xapi_statements

#: Properties the LRS sets; they do not make two statements different.
_LRS_PROPERTIES = ("stored", "authority", "version")


# ------------------------------------------------------------------ results as xAPI


def result_statement(row: dict[str, Any], *, base: str) -> dict[str, Any]:
    """The xAPI 1.0.3 statement of a stored result (its id derives from the result's)."""
    outcome = row["outcome"]
    score = outcome["overall"]["score"]
    compiled = instruments.find(row["instrument"], row["instrument_version"])
    title = dict(compiled.instrument.title) if compiled is not None else {"en": row["instrument"]}
    extensions: dict[str, Any] = {
        extension_iri(base, "dimensions"): {
            d: m["score"] for d, m in outcome["dimensions"].items()
        },
        extension_iri(base, "level"): outcome["overall"]["level"],
        extension_iri(base, "answered-share"): outcome["answered_share"],
    }
    if outcome.get("label") is not None:
        label = outcome["label"]
        extensions[extension_iri(base, "label")] = {
            "level": label["level"],
            "ratio": label["ratio"],
            "gaps": [g["indicator"] for g in label["gaps"]],
        }
    result: dict[str, Any] = {"completion": True, "extensions": extensions}
    if score is not None:
        result["score"] = {"scaled": score, "raw": score, "min": 0, "max": 1}
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/results/{row['id']}")),
        "actor": {
            "objectType": "Agent",
            "account": {
                "homePage": f"{base}/clients/{row['client_id']}",
                "name": row["learner_id"],
            },
        },
        "verb": {"id": VERB_COMPLETED, "display": {"en-US": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": activity_iri(base, row["instrument"], row["instrument_version"]),
            "definition": {
                "type": ACTIVITY_ASSESSMENT,
                "name": {_language_tag(k): v for k, v in title.items()},
            },
        },
        "result": result,
        "context": {
            "platform": "Cluster Excellence outcome API",
            "extensions": {extension_iri(base, "result-id"): row["id"]},
        },
        "timestamp": row["created_at"].isoformat().replace("+00:00", "Z"),
        "version": XAPI_VERSION,
    }


def _language_tag(lang: str) -> str:
    return {"en": "en-US", "fr": "fr-FR"}.get(lang, lang)


# ------------------------------------------------------------------ statements received


def _validated(statement: dict[str, Any], where: tuple) -> BaseXapiStatement:
    try:
        return BaseXapiStatement.model_validate(statement)
    except ValidationError as err:
        problems = [
            FieldProblem("body", format_loc(where + tuple(e["loc"])) or "body", e["msg"])
            for e in err.errors()
        ]
        raise Unprocessable(
            "; ".join(f"{p.field}: {p.message}" for p in problems), errors=problems
        ) from None


def _content_hash(statement: dict[str, Any]) -> str:
    content = {k: v for k, v in statement.items() if k not in _LRS_PROPERTIES}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _learner(actor: dict[str, Any]) -> str:
    """The learner of a statement: the account name, or the inverse functional id."""
    account = actor.get("account")
    if isinstance(account, dict) and account.get("name"):
        who = str(account["name"])
    else:
        who = next(
            (str(actor[k]) for k in ("mbox", "mbox_sha1sum", "openid") if actor.get(k)),
            "group:" + hashlib.sha256(json.dumps(actor, sort_keys=True).encode()).hexdigest(),
        )
    return who if len(who) <= 255 else "sha256:" + hashlib.sha256(who.encode()).hexdigest()


def _answers_submission(
    statement: dict[str, Any], *, base: str, learner: str, where: tuple
) -> ResultCreate | None:
    """The submission carried by a statement about one of our instruments, if any."""
    object_id = str(statement.get("object", {}).get("id", ""))
    prefix = f"{base}/instruments/"
    extensions = (statement.get("result") or {}).get("extensions") or {}
    answers_iri = extension_iri(base, "answers")
    if not object_id.startswith(prefix) or answers_iri not in extensions:
        return None
    instrument, _, version = object_id[len(prefix) :].partition("/versions/")
    consent = ((statement.get("context") or {}).get("extensions") or {}).get(
        extension_iri(base, "consent"), {}
    )
    try:
        return ResultCreate.model_validate(
            {
                "instrument": {
                    "id": instrument,
                    "version": int(version) if version.isdigit() else 0,
                },
                "learner_id": learner,
                "answers": extensions[answers_iri],
                "consent": consent,
            }
        )
    except ValidationError as err:
        names = {"answers": ("result", "extensions", answers_iri), "instrument": ("object", "id")}
        problems = []
        for e in err.errors():
            loc = tuple(e["loc"])
            head = names.get(loc[0], ("context", "extensions", extension_iri(base, "consent")))
            problems.append(FieldProblem("body", format_loc(where + head + loc[1:]), e["msg"]))
        raise Unprocessable(
            "; ".join(f"{p.field}: {p.message}" for p in problems), errors=problems
        ) from None


def store_statements(
    *, session: Session, caller: Caller, body: dict | list, base: str
) -> dict[str, list]:
    """Validate, deduplicate and store statements (all or none)."""
    batch = body if isinstance(body, list) else [body]
    if not batch or len(batch) > MAX_STATEMENTS:
        raise Unprocessable.field("body", f"send 1 to {MAX_STATEMENTS} statements")
    prepared: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for i, statement in enumerate(batch):
        where = (i,) if isinstance(body, list) else ()
        model = _validated(statement, where)
        statement_id = str(model.id) if model.id is not None else str(uuid.uuid4())
        statement = {**statement, "id": statement_id}
        digest = _content_hash(statement)
        if statement_id in prepared:
            if prepared[statement_id]["content_hash"] != digest:
                raise Conflict(
                    f"statement {statement_id} is twice in the batch, with other content"
                )
            order.append(statement_id)
            continue
        learner = _learner(statement["actor"])
        prepared[statement_id] = {
            "statement": statement,
            "content_hash": digest,
            "learner": learner,
            "submission": _answers_submission(statement, base=base, learner=learner, where=where),
            "where": where,
        }
        order.append(statement_id)
    known = _known(session, list(prepared))
    for statement_id, digest in known.items():
        if prepared[statement_id]["content_hash"] != digest:
            raise Conflict(f"statement {statement_id} exists with other content")
    result_of: dict[str, str | None] = _results_of(session, list(known))
    now = utcnow()
    for statement_id, p in prepared.items():
        if statement_id in known:
            continue
        result_id = None
        if p["submission"] is not None:
            try:
                stored = results.insert_result(session=session, caller=caller, body=p["submission"])
            except Unprocessable as err:
                raise _relocated(err, p["where"]) from None
            result_id = stored["id"]
        session.execute(
            insert(xapi_statements).values(
                id=statement_id,
                client_id=caller.id,
                learner_id=p["learner"],
                verb=str(p["statement"]["verb"]["id"])[:500],
                object_id=str(p["statement"]["object"].get("id", ""))[:2000],
                content_hash=p["content_hash"],
                statement=p["statement"] | {"stored": now.isoformat().replace("+00:00", "Z")},
                result_id=result_id,
                stored=now,
            )
        )
        audit.record(
            session=session,
            caller=caller,
            action="xapi.statement",
            record_type="xapi_statement",
            record_id=statement_id,
            detail={"result": result_id} if result_id else None,
        )
        result_of[statement_id] = result_id
    try:
        session.commit()
    except IntegrityError:
        # A concurrent request stored one of these ids first: settle as if it came before.
        session.rollback()
        known = _known(session, list(prepared))
        if set(known) != set(prepared):
            raise
        for statement_id, digest in known.items():
            if prepared[statement_id]["content_hash"] != digest:
                raise Conflict(f"statement {statement_id} exists with other content") from None
        result_of = _results_of(session, list(known))
    return {"ids": order, "results": [result_of.get(i) for i in order]}


def _relocated(err: Unprocessable, where: tuple) -> Unprocessable:
    """A scoring error of a statement's answers, named where they are in the statement."""
    prefix = f"{format_loc(where)}." if where else ""
    problems = []
    for p in err.errors or []:
        field = p.field
        if field.startswith("answers."):
            field = f"{prefix}result.extensions.answers.{field[len('answers.') :]}"
        elif field.startswith("instrument."):
            field = f"{prefix}object.id"
        problems.append(FieldProblem(p.location, field, p.message))
    return Unprocessable("; ".join(f"{p.field}: {p.message}" for p in problems), errors=problems)


def _known(session: Session, ids: list[str]) -> dict[str, str]:
    rows = session.execute(
        select(xapi_statements.c.id, xapi_statements.c.content_hash).where(
            xapi_statements.c.id.in_(ids)
        )
    )
    return {r.id: r.content_hash for r in rows}


def _results_of(session: Session, ids: list[str]) -> dict[str, str | None]:
    if not ids:
        return {}
    rows = session.execute(
        select(xapi_statements.c.id, xapi_statements.c.result_id).where(
            xapi_statements.c.id.in_(ids)
        )
    )
    return {r.id: r.result_id for r in rows}


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
