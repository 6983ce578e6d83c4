"""Clients, audit log, results, idempotency keys, xAPI statements.

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-01 09:05:41.397268
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "role IN ('lms', 'label-body', 'assessor', 'club-admin', 'admin')",
            name=op.f("ck_clients_role"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_clients_token_hash")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_audit_log_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_log_record_type_record_id"),
            ["record_type", "record_id"],
            unique=False,
        )

    op.create_table(
        "results",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("learner_id", sa.String(length=128), nullable=False),
        sa.Column("instrument", sa.String(length=100), nullable=False),
        sa.Column("instrument_version", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("overall_score", sa.Float(), nullable=True),
        sa.Column("portfolio", sa.String(length=64), nullable=True),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("size_band", sa.String(length=16), nullable=True),
        sa.Column("share_with_label_body", sa.Boolean(), nullable=False),
        sa.Column("share_with_club", sa.Boolean(), nullable=False),
        sa.Column("consent_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_results_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results")),
    )
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_results_client_id_learner_id_created_at"),
            ["client_id", "learner_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_results_instrument_instrument_version_share_with_club"),
            ["instrument", "instrument_version", "share_with_club"],
            unique=False,
        )

    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("result_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_idempotency_keys_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["results.id"],
            name=op.f("fk_idempotency_keys_result_id_results"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("client_id", "key", name=op.f("uq_idempotency_keys_client_id_key")),
    )
    op.create_table(
        "xapi_statements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("learner_id", sa.String(length=255), nullable=False),
        sa.Column("verb", sa.String(length=500), nullable=False),
        sa.Column("object_id", sa.String(length=2000), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("statement", sa.JSON(), nullable=False),
        sa.Column("result_id", sa.String(length=36), nullable=True),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_xapi_statements_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["results.id"],
            name=op.f("fk_xapi_statements_result_id_results"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_statements")),
    )
    with op.batch_alter_table("xapi_statements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_xapi_statements_client_id_learner_id"),
            ["client_id", "learner_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("xapi_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_xapi_statements_client_id_learner_id"))

    op.drop_table("xapi_statements")
    op.drop_table("idempotency_keys")
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_results_instrument_instrument_version_share_with_club"))
        batch_op.drop_index(batch_op.f("ix_results_client_id_learner_id_created_at"))

    op.drop_table("results")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_record_type_record_id"))

    op.drop_table("audit_log")
    op.drop_table("clients")
