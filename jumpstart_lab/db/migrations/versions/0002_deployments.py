"""Saved deployments: the settings of each endpoint deployed through jumpstart-lab (redeploy after delete).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from jumpstart_lab.db.tables import BigId, UtcDateTime

    op.create_table(
        "jumpstart_lab_deployments",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("endpoint_name", sa.String(63), nullable=False),
        sa.Column("hub", sa.String(2048), nullable=False),
        sa.Column("hub_arn", sa.String(2048), nullable=True),
        sa.Column("model_id", sa.String(255), nullable=False),
        sa.Column("version", sa.String(64), nullable=True),
        sa.Column("instance_type", sa.String(64), nullable=True),
        sa.Column("instance_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("deleted_at", UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_jumpstart_lab_deployments"),
        sa.UniqueConstraint("region", "endpoint_name", name="uq_jumpstart_lab_deployments_endpoint"),
    )


def downgrade() -> None:
    op.drop_table("jumpstart_lab_deployments")
