"""The ``audit_log`` table: who changed what, when, on which record."""

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, Table

from ..database import UtcDateTime, metadata

audit_log = Table(
    "audit_log",
    metadata,
    # BIGINT on PostgreSQL; INTEGER on SQLite, where only that is an alias of the rowid.
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("client_id", String(36), ForeignKey("clients.id"), nullable=True),
    Column("actor", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("record_type", String(32), nullable=False),
    Column("record_id", String(200), nullable=False),
    Column("detail", JSON(), nullable=True),
    Index(None, "record_type", "record_id"),
)
