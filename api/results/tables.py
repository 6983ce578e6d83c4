"""The ``results`` and ``idempotency_keys`` tables.

A result is what the engine computed from the stored answers (``outcome``: the engine's
JSON), with the consent flags under which it may be shared. An idempotency key is unique
per client; it keeps the first response given for it.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from ..database import UtcDateTime, metadata

results = Table(
    "results",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("client_id", String(36), ForeignKey("clients.id"), nullable=False),
    Column("learner_id", String(128), nullable=False),
    Column("instrument", String(100), nullable=False),
    Column("instrument_version", Integer(), nullable=False),
    Column("answers", JSON(), nullable=False),
    Column("outcome", JSON(), nullable=False),
    Column("overall_score", Float(), nullable=True),
    Column("portfolio", String(64), nullable=True),
    Column("country", String(8), nullable=True),
    Column("size_band", String(16), nullable=True),
    Column("share_with_label_body", Boolean(), nullable=False),
    Column("share_with_club", Boolean(), nullable=False),
    Column("consent_changed_at", UtcDateTime(), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Index(None, "client_id", "learner_id", "created_at"),
    Index(None, "instrument", "instrument_version", "share_with_club"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("client_id", String(36), ForeignKey("clients.id"), nullable=False),
    Column("key", String(255), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer(), nullable=False),
    Column("response", JSON(), nullable=False),
    Column("result_id", String(36), ForeignKey("results.id", ondelete="CASCADE"), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("client_id", "key"),
)
