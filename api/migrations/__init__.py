"""Alembic migrations of the API's database (static, reversible, batch mode on SQLite).

Run them with ``cluster-excellence db upgrade|downgrade|current`` or
:mod:`clusterexcellence.api.migrate`.
"""
