"""Alembic environment: the connection comes from :mod:`clusterexcellence.api.migrate`."""

from alembic import context

from clusterexcellence.api.tables import metadata


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - migrations always run on a connection
    raise SystemExit("offline migrations are not supported: run them on a database")
run_migrations_online()
