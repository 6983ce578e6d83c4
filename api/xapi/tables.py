"""The ``xapi_statements`` table: statements received from an LRS or a cmi5 AU."""

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table

from ..database import UtcDateTime, metadata

xapi_statements = Table(
    "xapi_statements",
    metadata,
    Column("id", String(36), primary_key=True),  # the statement id (a UUID)
    Column("client_id", String(36), ForeignKey("clients.id"), nullable=False),
    Column("learner_id", String(255), nullable=False),
    Column("verb", String(500), nullable=False),
    Column("object_id", String(2000), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("statement", JSON(), nullable=False),
    Column("result_id", String(36), ForeignKey("results.id", ondelete="SET NULL"), nullable=True),
    Column("stored", UtcDateTime(), nullable=False),
    Index(None, "client_id", "learner_id"),
)
