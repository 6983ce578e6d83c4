"""Every table of the API, imported once so that :data:`database.metadata` is complete."""

from .audit.tables import audit_log
from .clients.tables import clients
from .database import metadata
from .results.tables import idempotency_keys, results
from .xapi.tables import xapi_statements

__all__ = ["audit_log", "clients", "idempotency_keys", "metadata", "results", "xapi_statements"]
