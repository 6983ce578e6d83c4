"""API clients: credentials created once, stored as a SHA-256 digest, revocable.

A token is 256 random bits (``cex_`` + URL-safe base64); such a token cannot be guessed,
so a fast digest is enough to store it unrecoverably.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ..audit import service as audit
from ..database import utcnow
from ..exceptions import NotFound
from .schemas import Caller
from .tables import ROLES, clients

TOKEN_PREFIX = "cex_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_client(
    *, session: Session, name: str, role: str, caller: Caller | None
) -> tuple[dict, str]:
    """A new client and its token (the only time the token exists in clear)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = {
        "id": str(uuid.uuid4()),
        "name": name,
        "role": role,
        "token_hash": hash_token(token),
        "created_at": utcnow(),
        "revoked_at": None,
    }
    session.execute(insert(clients).values(**row))
    audit.record(
        session=session,
        caller=caller,
        action="client.create",
        record_type="client",
        record_id=row["id"],
        detail={"name": name, "role": role},
    )
    session.commit()
    return _public(row), token


def revoke_client(*, session: Session, client_id: str, caller: Caller | None) -> dict:
    """Revoke a client: its token stops working at once (revoking twice keeps the first
    date)."""
    row = session.execute(select(clients).where(clients.c.id == client_id)).mappings().first()
    if row is None:
        raise NotFound(f"no client {client_id!r}")
    row = dict(row)
    if row["revoked_at"] is None:
        row["revoked_at"] = utcnow()
        session.execute(
            update(clients).where(clients.c.id == client_id).values(revoked_at=row["revoked_at"])
        )
        audit.record(
            session=session,
            caller=caller,
            action="client.revoke",
            record_type="client",
            record_id=client_id,
        )
        session.commit()
    return _public(row)


def list_clients(*, session: Session) -> list[dict]:
    rows = session.execute(select(clients).order_by(clients.c.created_at, clients.c.id))
    return [_public(dict(r)) for r in rows.mappings()]


#: Built once: this lookup runs on every request.
_FIND_CALLER = select(clients.c.id, clients.c.name, clients.c.role).where(
    clients.c.token_hash == bindparam("token_hash"), clients.c.revoked_at.is_(None)
)


def find_caller(*, session: Session, token: str) -> Caller | None:
    """The unrevoked client holding ``token``, if any."""
    row = session.execute(_FIND_CALLER, {"token_hash": hash_token(token)}).first()
    return None if row is None else Caller(id=row.id, name=row.name, role=row.role)


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "token_hash"}
