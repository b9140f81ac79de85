"""SQLAlchemy Core tables (the schema's source of truth; migrations create them)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

# Named constraints and indexes: migrations and every backend agree on their names.
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# BIGINT on PostgreSQL; SQLite only autoincrements an INTEGER PRIMARY KEY.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class UtcDateTime(sa.TypeDecorator):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps no zone: stored as UTC, read back as UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# One row per acceptance, never updated or deleted. The same user accepting the same EULA text of the same
# model version for the same action again is the same row (idempotent): ACCEPTANCE_KEY is unique.
ACCEPTANCE_KEY = ("username", "hub_arn", "model_id", "version", "sha256", "action")
acceptances = sa.Table(
    "jumpstart_lab_acceptances",
    metadata,
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
    sa.UniqueConstraint(*ACCEPTANCE_KEY, name="uq_jumpstart_lab_acceptances_key"),
    sa.Index(None, "accepted_at"),
    sa.Index(None, "model_id"),
)


# Saved deployments (jumpstart_lab/deployments/records.py): the settings of each endpoint deployed through
# jumpstart-lab, one row per region and endpoint name, kept (marked deleted) after the endpoint is deleted.
deployments = sa.Table(
    "jumpstart_lab_deployments",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("endpoint_name", sa.String(63), nullable=False),
    sa.Column("hub", sa.String(2048), nullable=False),  # as the request named it: a hub name or ARN
    sa.Column("hub_arn", sa.String(2048), nullable=True),
    sa.Column("model_id", sa.String(255), nullable=False),
    sa.Column("version", sa.String(64), nullable=True),
    sa.Column("instance_type", sa.String(64), nullable=True),
    sa.Column("instance_count", sa.Integer(), nullable=False),
    sa.Column("created_by", sa.String(255), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("deleted_at", UtcDateTime(), nullable=True),
    sa.Column("deleted_by", sa.String(255), nullable=True),
    sa.UniqueConstraint("region", "endpoint_name", name="uq_jumpstart_lab_deployments_endpoint"),
)
