"""Fixtures of the API tests: every test that takes ``api`` runs on SQLite and, when
``CLUSTEREXCELLENCE_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it), on PostgreSQL.

With that variable set, an unreachable server fails the tests; it is never skipped.
Each test session works in a database of its own (created, migrated once, dropped at
the end), emptied before each test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.engine import make_url

from clusterexcellence.api import migrate
from clusterexcellence.api.clients import service as clients_service
from clusterexcellence.api.database import make_engine, make_sessionmaker, normalise_url
from clusterexcellence.api.main import create_app
from clusterexcellence.api.settings import Settings
from clusterexcellence.api.tables import metadata

POSTGRES_ENV = "CLUSTEREXCELLENCE_TEST_POSTGRES_URL"
DATABASES = ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


@pytest.fixture(scope="session", autouse=True)
def postgres_in_ci():
    """In CI the PostgreSQL run is required: ``.ci/run`` starts the server and sets the URL."""
    if os.environ.get("CI") == "true" and not os.environ.get(POSTGRES_ENV):
        pytest.fail(f"CI=true but {POSTGRES_ENV} is not set: .ci/run must start PostgreSQL")


def postgres_admin_url() -> str:
    url = os.environ[POSTGRES_ENV]
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except Exception as exc:
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL is unreachable: {exc}")
    finally:
        engine.dispose()
    return url


def create_postgres_database(admin_url: str) -> str:
    """A new, empty database on the server of ``admin_url``; its URL."""
    name = f"ce_test_{uuid.uuid4().hex[:12]}"
    engine = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return normalise_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    engine = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


@pytest.fixture(scope="session")
def fresh_database(tmp_path_factory):
    """A factory of new, empty databases of a kind (``sqlite`` or ``postgresql``)."""
    made: list[tuple[str, str]] = []

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'api.db'}"
        admin = postgres_admin_url()
        url = create_postgres_database(admin)
        made.append((admin, url))
        return url

    yield make
    for admin, url in made:
        drop_postgres_database(admin, url)


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, fresh_database) -> str:
    """A migrated database of each kind, shared by the session."""
    url = fresh_database(request.param)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@dataclass(frozen=True)
class Credential:
    id: str
    role: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Api:
    """A test client of the app on a clean database, and a way to make API clients."""

    http: TestClient
    app: object
    url: str

    @property
    def kind(self) -> str:
        return make_url(self.url).get_backend_name()

    def new_client(self, role: str = "lms", name: str | None = None) -> Credential:
        """A new client with ``role`` (made as the command line makes them)."""
        name = name or f"{role}-{uuid.uuid4().hex[:6]}"
        with self.app.state.sessions() as session:
            row, token = clients_service.create_client(
                session=session, name=name, role=role, caller=None
            )
        return Credential(row["id"], role, token)


def empty_tables(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(delete(table))
    engine.dispose()


@pytest.fixture
def api(database_url) -> Iterator[Api]:
    empty_tables(database_url)
    app = create_app(Settings(database_url=database_url))
    with TestClient(app, raise_server_exceptions=False) as http:
        yield Api(http=http, app=app, url=database_url)
    app.state.engine.dispose()


@pytest.fixture
def sessions(api):
    return make_sessionmaker(api.app.state.engine)
