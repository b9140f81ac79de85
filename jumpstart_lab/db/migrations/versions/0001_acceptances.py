"""EULA acceptances, carried over from the pre-database SQLite store when it is the same file

The first jumpstart-lab versions kept acceptances in an ``acceptances`` table of their own SQLite file
(``JumpStartLab.eula_store_path``). When the database is that file, its rows are copied into the new
table (duplicates of one key become one row, the earliest); the old table is left as it was.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LEGACY_TABLE = "acceptances"
LEGACY_COLUMNS = ("username", "hub", "hub_arn", "model_id", "version", "eula_uri", "sha256", "action", "accepted_at")
KEY = ("username", "hub_arn", "model_id", "version", "sha256", "action")


def upgrade() -> None:
    from jumpstart_lab.db.tables import BigId, UtcDateTime

    table = op.create_table(
        "jumpstart_lab_acceptances",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(255), nullable=False),
        sa.Column("hub", sa.String(255), nullable=False),
        sa.Column("hub_arn", sa.String(2048), nullable=False),
        sa.Column("model_id", sa.String(255), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("eula_uri", sa.String(2048), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("accepted_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_jumpstart_lab_acceptances"),
        sa.UniqueConstraint(*KEY, name="uq_jumpstart_lab_acceptances_key"),
    )
    op.create_index("ix_jumpstart_lab_acceptances_accepted_at", "jumpstart_lab_acceptances", ["accepted_at"])
    op.create_index("ix_jumpstart_lab_acceptances_model_id", "jumpstart_lab_acceptances", ["model_id"])
    bind = op.get_bind()
    if LEGACY_TABLE in sa.inspect(bind).get_table_names():
        copy_legacy(bind, table)


def copy_legacy(bind: sa.Connection, table: sa.Table) -> int:
    """Copy the legacy rows, oldest first; returns how many rows are new in ``table``."""
    legacy = sa.table(LEGACY_TABLE, sa.column("id"), *(sa.column(c) for c in LEGACY_COLUMNS))
    rows = bind.execute(sa.select(*(legacy.c[c] for c in LEGACY_COLUMNS)).order_by(legacy.c.id)).mappings().all()
    seen: set[tuple] = set()
    batch = []
    for row in rows:
        values = dict(row)
        values["accepted_at"] = _timestamp(values["accepted_at"])
        key = tuple(values[k] for k in KEY)
        if key not in seen:
            seen.add(key)
            batch.append(values)
    if batch:
        bind.execute(table.insert(), batch)
    return len(batch)


def _timestamp(value: object) -> datetime:
    stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return stamp.replace(tzinfo=timezone.utc) if stamp.tzinfo is None else stamp.astimezone(timezone.utc)


def downgrade() -> None:
    op.drop_table("jumpstart_lab_acceptances")
