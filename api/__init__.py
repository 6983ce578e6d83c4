"""The outcome API: results intake, xAPI, benchmarks and consent over HTTP.

FastAPI by domain (``api/<domain>/{router,schemas,service,dependencies}.py``), SQLAlchemy
tables apart from the pydantic schemas, Alembic migrations in :mod:`.migrations`. It
imports :mod:`clusterexcellence.engine` and :mod:`clusterexcellence.courses` only. The
app is built by :func:`clusterexcellence.api.main.create_app`.
"""
