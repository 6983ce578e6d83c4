"""The database: one ``MetaData`` with a naming convention, engines and sessions.

SQLite (the embedded default) runs with WAL and foreign keys on, set on every
connection; PostgreSQL URLs use psycopg 3. Constraint names come from
:data:`NAMING_CONVENTION`, so a migration names them the same on both databases.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import os
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import anyio.to_thread
from fastapi import Request
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from . import responses

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Every table of the API lives in this one metadata (see the ``tables`` modules).
metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on both databases (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(dt.UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def normalise_url(url: str | URL) -> URL:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy's default driver is psycopg2)."""
    url = make_url(url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # In WAL mode NORMAL keeps every committed transaction across a process crash
    # (only an OS crash or power loss may lose the last ones).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str | URL, *, pool_size: int = 10) -> Engine:
    """An engine for ``url`` with up to ``2 * pool_size`` connections; SQLite files get
    their folder created and their pragmas."""
    url = normalise_url(url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ValueError("the API needs a SQLite file (a memory database is per connection)")
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            pool_size=pool_size,
            max_overflow=pool_size,
            **_JSON,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, **_JSON
    )


#: JSON columns go through orjson (results store two large documents each).
_JSON = {"json_serializer": responses.dumps, "json_deserializer": responses.loads}


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions on ``engine``. On SQLite, write transactions take turns (a
    :class:`WriteGate` from the first INSERT/UPDATE/DELETE to the end of the transaction):
    SQLite has one writer, and writers that collide there back off in sleeps of up to
    100 ms."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    if engine.dialect.name == "sqlite":
        path = str(Path(engine.url.database).resolve())
        _serialise_writes(sessions, _write_gates.setdefault(path, WriteGate(path + ".writer")))
    return sessions


class WriteGate:
    """Write transactions on one SQLite file take turns: a thread lock within a process
    and an ``flock`` on a lock file beside the database across processes (uvicorn
    workers), so a writer waits in the kernel, not in SQLite's sleeping back-off."""

    def __init__(self, lock_path: str) -> None:
        self.lock_path = lock_path
        self.thread_lock = threading.Lock()
        self.fd: int | None = None

    def acquire(self) -> None:
        self.thread_lock.acquire()
        try:
            if self.fd is None:
                self.fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except BaseException:
            self.thread_lock.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.thread_lock.release()


#: One gate per SQLite file in this process.
_write_gates: dict[str, WriteGate] = {}
_HOLDS_LOCK = "holds_write_lock"


def _serialise_writes(sessions: sessionmaker[Session], lock: WriteGate) -> None:
    @event.listens_for(sessions, "do_orm_execute")
    def _before_write(state) -> None:
        if (state.is_insert or state.is_update or state.is_delete) and not state.session.info.get(
            _HOLDS_LOCK
        ):
            lock.acquire()
            state.session.info[_HOLDS_LOCK] = True

    @event.listens_for(sessions, "after_transaction_end")
    def _after_transaction(session: Session, transaction) -> None:
        if transaction.parent is None and session.info.pop(_HOLDS_LOCK, False):
            lock.release()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for one request (services commit what they change).

    An async dependency: creating a session does no I/O, so it costs no trip to the
    thread pool; closing one that still holds a connection (a read) goes to the pool."""
    session = request.app.state.sessions()
    try:
        yield session
    finally:
        if session.in_transaction():
            # Not in the endpoints' thread pool: a request holding a connection never
            # waits for a thread that a request waiting for a connection holds.
            await anyio.to_thread.run_sync(session.close, limiter=_closing_limiter())
        else:
            session.close()


_CLOSERS: dict[int, anyio.CapacityLimiter] = {}


def _closing_limiter() -> anyio.CapacityLimiter:
    """The threads that close sessions (one limiter per event loop)."""
    loop = id(asyncio.get_running_loop())
    if loop not in _CLOSERS:
        _CLOSERS.clear()  # a new loop (tests): the old one's limiter is of no use
        _CLOSERS[loop] = anyio.CapacityLimiter(64)
    return _CLOSERS[loop]
