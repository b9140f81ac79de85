"""Saved deployments: the settings of every deployment made through jumpstart-lab, in the extension's
database (``jumpstart_lab.db``, table ``jumpstart_lab_deployments``, migration 0002).

One row per region and endpoint name, written when the endpoint is created (or created again by redeploy)
and marked deleted when it is deleted through us; a row whose endpoint is gone is listed as a deleted
deployment that can be redeployed with the same settings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..db import Database
from ..db.tables import deployments
from ..errors import DatabaseUnavailable
from .models import Deployment


class DeploymentStoreUnavailable(DatabaseUnavailable):
    """The saved deployments cannot be read or written (503)."""

    code = "DeploymentStoreUnavailable"


@dataclass(frozen=True)
class DeploymentRecord:
    endpoint_name: str
    hub: str  # as the request named it: a hub name or ARN
    model_id: str
    version: str | None
    instance_type: str | None
    instance_count: int
    created_by: str
    created_at: datetime
    hub_arn: str | None = None
    deleted_at: datetime | None = None
    deleted_by: str | None = None


class DeploymentRecords:
    """Saved deployments of one region in ``db``."""

    def __init__(self, db: Database, region: str) -> None:
        self.db = db
        self.region = region

    def _run(self, work: Any) -> Any:
        return self.db.run(work, what="The saved deployments in", error=DeploymentStoreUnavailable)

    def _key(self, name: str) -> Any:
        return (deployments.c.region == self.region) & (deployments.c.endpoint_name == name)

    def save(self, record: DeploymentRecord) -> None:
        """Insert or replace the settings of ``record.endpoint_name`` (not deleted)."""
        values = {**asdict(record), "region": self.region}

        def work(conn: Connection) -> None:
            conn.execute(deployments.delete().where(self._key(record.endpoint_name)))
            conn.execute(deployments.insert().values(**values))

        self._run(work)

    def mark_deleted(self, name: str, user: str, when: datetime | None = None) -> None:
        stamp = when or datetime.now(timezone.utc)
        update = (
            deployments.update()
            .where(self._key(name), deployments.c.deleted_at.is_(None))
            .values(deleted_at=stamp, deleted_by=user)
        )
        self._run(lambda conn: conn.execute(update))

    def get(self, name: str) -> DeploymentRecord | None:
        query = select(*_COLUMNS).where(self._key(name))
        row = self._run(lambda conn: conn.execute(query).mappings().first())
        return DeploymentRecord(**row) if row is not None else None

    def all(self) -> list[DeploymentRecord]:
        """Every saved deployment of the region, newest first."""
        query = select(*_COLUMNS).where(deployments.c.region == self.region).order_by(deployments.c.created_at.desc())
        return [DeploymentRecord(**row) for row in self._run(lambda conn: conn.execute(query).mappings().all())]


def deleted_deployment(record: DeploymentRecord) -> Deployment:
    """A saved deployment whose endpoint is gone."""
    hub = record.hub.rsplit("/", 1)[-1] if record.hub.startswith("arn:") else record.hub
    return Deployment(
        endpoint_name=record.endpoint_name,
        status="Deleted",
        hub=hub,
        model_id=record.model_id,
        version=record.version,
        instance_type=record.instance_type,
        instance_count=record.instance_count,
        created_at=record.created_at,
        failure_reason=None,
        deleted_at=record.deleted_at,
        redeployable=True,
    )


_COLUMNS = [deployments.c[name] for name in DeploymentRecord.__dataclass_fields__]
