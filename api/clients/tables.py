"""The ``clients`` table: API credentials (a SHA-256 of each token, never the token)."""

from sqlalchemy import CheckConstraint, Column, String, Table

from ..database import UtcDateTime, metadata

#: Roles a client may hold (``docs``: see the OpenAPI description of each endpoint).
ROLES = ("lms", "label-body", "assessor", "club-admin", "admin")

clients = Table(
    "clients",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
    CheckConstraint("role IN ({})".format(", ".join(f"'{r}'" for r in ROLES)), name="role"),
)
