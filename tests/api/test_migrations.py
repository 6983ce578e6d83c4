"""The migrations: up to head, down to base, up again, on each database; the migrated
schema is what the tables declare, with the same constraint names on both."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from clusterexcellence.api import migrate
from clusterexcellence.api.database import make_engine
from clusterexcellence.api.tables import metadata

from .conftest import DATABASES

TABLES = {"clients", "audit_log", "results", "idempotency_keys", "xapi_statements"}


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def constraint_names(engine) -> dict[str, set[str]]:
    """Table → names of its primary, foreign, unique and check constraints and indexes."""
    insp = inspect(engine)
    out = {}
    for table in _tables(engine):
        names = {insp.get_pk_constraint(table)["name"]}
        names |= {fk["name"] for fk in insp.get_foreign_keys(table)}
        names |= {uq["name"] for uq in insp.get_unique_constraints(table)}
        names |= {ck["name"] for ck in insp.get_check_constraints(table)}
        names |= {ix["name"] for ix in insp.get_indexes(table)}
        out[table] = names - {None}
    return out


@pytest.fixture(params=DATABASES)
def empty_engine(request, fresh_database):
    engine = make_engine(fresh_database(request.param))
    yield engine
    engine.dispose()


def test_upgrade_downgrade_upgrade_round_trip(empty_engine):
    assert migrate.current(empty_engine) is None
    migrate.upgrade(empty_engine)
    assert migrate.current(empty_engine) == migrate.head()
    assert _tables(empty_engine) == TABLES
    migrate.downgrade(empty_engine, "base")
    assert migrate.current(empty_engine) is None
    assert _tables(empty_engine) == set()
    migrate.upgrade(empty_engine)
    assert _tables(empty_engine) == TABLES


def test_the_migrated_schema_matches_the_tables(empty_engine):
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_constraints_are_named_by_the_convention(empty_engine):
    migrate.upgrade(empty_engine)
    names = constraint_names(empty_engine)
    assert "uq_idempotency_keys_client_id_key" in names["idempotency_keys"]
    assert "fk_results_client_id_clients" in names["results"]
    assert "pk_clients" in names["clients"]
    assert "ck_clients_role" in names["clients"]


@pytest.mark.skipif(len(DATABASES) < 2, reason="needs CLUSTEREXCELLENCE_TEST_POSTGRES_URL")
def test_constraint_names_match_on_sqlite_and_postgresql(fresh_database):
    found = []
    for kind in ("sqlite", "postgresql"):
        engine = make_engine(fresh_database(kind))
        migrate.upgrade(engine)
        found.append(constraint_names(engine))
        engine.dispose()
    sqlite, postgres = found
    for table in TABLES:
        assert sqlite[table] == postgres[table]
