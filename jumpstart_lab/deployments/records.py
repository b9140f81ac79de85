"""Saved deployments: the settings of every deployment made through jumpstart-lab (SQLAlchemy Core).

One row per endpoint name, written when the endpoint is created (or created again by redeploy) and marked
deleted when it is deleted through us; a row whose endpoint is gone is listed as a deleted deployment that
can be redeployed with the same settings. The table lives on its own ``MetaData`` and is created with
``create_all`` (to be folded into the Alembic migrations of ``jumpstart_lab/db`` when that lands).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, String, Table, create_engine, event, select
from sqlalchemy.exc import SQLAlchemyError

from ..errors import ServiceUnavailable

log = logging.getLogger(__name__)

metadata = MetaData()
deployments = Table(
    "deployments",
    metadata,
    Column("endpoint_name", String(63), primary_key=True),
    Column("hub", String(256), nullable=False),
    Column("hub_arn", String(256), nullable=True),
    Column("model_id", String(256), nullable=False),
    Column("version", String(64), nullable=True),
    Column("instance_type", String(64), nullable=True),
    Column("instance_count", Integer, nullable=False, default=1),
    Column("created_by", String(256), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Column("deleted_by", String(256), nullable=True),
)


@dataclass(frozen=True)
class DeploymentRecord:
    endpoint_name: str
    hub: str
    model_id: str
    version: str | None
    instance_type: str | None
    instance_count: int
    created_by: str
    created_at: datetime
    hub_arn: str | None = None
    deleted_at: datetime | None = None
    deleted_by: str | None = None


def sqlite_engine(path: Path) -> Engine:
    """An engine on the SQLite file (the acceptance store's file by default), waiting for other writers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


def _utc(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


class DeploymentRecords:
    """Read and write saved deployments through ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._ready = False

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            if not self._ready:
                metadata.create_all(self.engine)
                self._ready = True
            yield
        except SQLAlchemyError as exc:
            log.warning("jumpstart_lab: deployment records: %s failed: %s", what, type(exc).__name__)
            raise ServiceUnavailable(
                f"The saved deployments could not be {what}; try again shortly.", code="DeploymentStoreUnavailable"
            ) from exc

    def save(self, record: DeploymentRecord) -> None:
        """Insert or replace the settings of ``record.endpoint_name`` (not deleted)."""
        values = {k: v for k, v in record.__dict__.items()}
        with self._errors("saved"), self.engine.begin() as conn:
            conn.execute(deployments.delete().where(deployments.c.endpoint_name == record.endpoint_name))
            conn.execute(deployments.insert().values(**values))

    def mark_deleted(self, name: str, user: str, when: datetime | None = None) -> None:
        when = when or datetime.now(timezone.utc)
        with self._errors("updated"), self.engine.begin() as conn:
            conn.execute(
                deployments.update()
                .where(deployments.c.endpoint_name == name, deployments.c.deleted_at.is_(None))
                .values(deleted_at=when, deleted_by=user)
            )

    def get(self, name: str) -> DeploymentRecord | None:
        with self._errors("read"), self.engine.connect() as conn:
            row = conn.execute(select(deployments).where(deployments.c.endpoint_name == name)).mappings().first()
        return _record(row) if row is not None else None

    def all(self) -> list[DeploymentRecord]:
        """Every saved deployment, newest first."""
        with self._errors("read"), self.engine.connect() as conn:
            rows = conn.execute(select(deployments).order_by(deployments.c.created_at.desc())).mappings().all()
        return [_record(r) for r in rows]


def _record(row: Any) -> DeploymentRecord:
    data = dict(row)
    data["created_at"] = _utc(data["created_at"])
    data["deleted_at"] = _utc(data.get("deleted_at"))
    return DeploymentRecord(**data)
