"""Migrating the database with Alembic, from code and from the command line.

The migrations ship in the package (:mod:`clusterexcellence.api.migrations`); no
``alembic.ini`` is needed.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision shipped."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def current(engine: Engine) -> str | None:
    """The database's revision (None: not migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
