"""API clients: credentials created once, stored as a SHA-256 digest, revocable.

A token is 256 random bits (``cex_`` + URL-safe base64); such a token cannot be guessed,
so a fast digest is enough to store it unrecoverably.

Each process remembers the callers it has authenticated for :data:`CALLER_TTL` seconds
(:class:`CallerCache`), so that a request does not wait for the database to learn who
calls it. A revocation takes effect at once in the process that made it (it empties that
cache) and within :data:`CALLER_TTL` seconds in every other process and server.
"""

from __future__ import annotations

import hashlib
import secrets
import time
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
    """Revoke a client: its token stops working at once in this process, and within
    :data:`CALLER_TTL` seconds in the others (revoking twice keeps the first date)."""
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
        callers.clear()
    return _public(row)


def list_clients(*, session: Session) -> list[dict]:
    rows = session.execute(select(clients).order_by(clients.c.created_at, clients.c.id))
    return [_public(dict(r)) for r in rows.mappings()]


#: Built once: this lookup runs on every request.
_FIND_CALLER = select(clients.c.id, clients.c.name, clients.c.role).where(
    clients.c.token_hash == bindparam("token_hash"), clients.c.revoked_at.is_(None)
)


def find_caller(*, session: Session, token: str) -> Caller | None:
    """The unrevoked client holding ``token``, if any (read from the database, and
    remembered in :data:`callers`)."""
    digest = hash_token(token)
    row = session.execute(_FIND_CALLER, {"token_hash": digest}).first()
    if row is None:
        return None
    caller = Caller(id=row.id, name=row.name, role=row.role)
    callers.put(digest, caller)
    return caller


#: Seconds a process trusts a caller it has authenticated without asking the database.
CALLER_TTL = 1.0


class CallerCache:
    """Callers by token digest, each for ``ttl`` seconds (at most ``size`` of them)."""

    def __init__(self, *, ttl: float = CALLER_TTL, size: int = 10_000) -> None:
        self.ttl, self.size = ttl, size
        self._entries: dict[str, tuple[float, Caller]] = {}

    def get(self, token: str) -> Caller | None:
        """The caller of ``token`` if authenticated less than ``ttl`` seconds ago."""
        digest = hash_token(token)
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if time.monotonic() - entry[0] >= self.ttl:
            self._entries.pop(digest, None)
            return None
        return entry[1]

    def put(self, digest: str, caller: Caller) -> None:
        if len(self._entries) >= self.size:
            self._entries.clear()  # rare: many distinct tokens within one ttl
        self._entries[digest] = (time.monotonic(), caller)

    def clear(self) -> None:
        self._entries.clear()


#: This process's callers (see the module's docstring).
callers = CallerCache()


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "token_hash"}
