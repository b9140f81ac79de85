"""Durable record of EULA acceptances in the extension's database (:mod:`jumpstart_lab.db`).

SQLite by default, PostgreSQL for a team: the same contract on both. Acceptances are append-only,
each written in one transaction, and idempotent: the same user accepting the same EULA text of the
same model version for the same action again is the one row already there. Every database failure
(a corrupt file, a read-only folder, a PostgreSQL server down) becomes :class:`StoreError` (503), and
callers refuse gated actions rather than let them through.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..db import Database, acceptances
from ..errors import StoreError
from .models import Acceptance

COLUMNS = ("username", "hub", "hub_arn", "model_id", "version", "eula_uri", "sha256", "action", "accepted_at")
HINT = (
    " Gated models stay locked until it is fixed: check that the database server is running and reachable, or "
    "for a file that it and its folder are writable and not damaged (JumpStartLab.db_url sets another location)."
)


def _insert(dialect: str) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING for the backends we support."""
    if dialect == "postgresql":
        return postgresql.insert(acceptances).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(acceptances).on_conflict_do_nothing()
    raise StoreError(f"The {dialect} database backend is not supported; use SQLite or PostgreSQL.")


class AcceptanceStore:
    """Append-only log of acceptances in ``db`` (a :class:`Database`, or a SQLite file path)."""

    def __init__(self, db: Database | Path | str) -> None:
        if isinstance(db, Path) or (isinstance(db, str) and "://" not in db):
            db = Database(f"sqlite:///{Path(db)}")
        self.db = db if isinstance(db, Database) else Database(db)

    @property
    def shared(self) -> bool:
        return self.db.shared

    def _run(self, work: Any) -> Any:
        return self.db.run(work, what="The EULA acceptance store", error=StoreError, hint=HINT)

    def ready(self) -> None:
        """Migrate now (at start) instead of at first use; raises :class:`StoreError`."""
        self._run(lambda conn: None)

    def record(self, acceptance: Acceptance) -> Acceptance:
        """Append ``acceptance`` durably (committed before this returns); the stored row, which is the
        earlier one when this exact acceptance was recorded before."""
        return self.record_new(acceptance)[0]

    def record_new(self, acceptance: Acceptance) -> tuple[Acceptance, bool]:
        """Like :meth:`record`, and whether the row is new."""
        values = acceptance.model_dump()

        def work(conn: Connection) -> tuple[Acceptance, bool]:
            inserted = conn.execute(_insert(conn.dialect.name).values(**values).returning(acceptances.c.id))
            created = inserted.first() is not None
            key = [acceptances.c[k] == values[k] for k in ("username", "hub_arn", "model_id", "version", "sha256")]
            row = conn.execute(
                sa.select(*(acceptances.c[c] for c in COLUMNS)).where(*key, acceptances.c.action == values["action"])
            ).one()
            return _row(row), created

        return self._run(work)

    def find(self, username: str, hub_arn: str, model_id: str, version: str, sha256: str) -> Acceptance | None:
        """The latest acceptance by ``username`` of exactly this EULA text for this model version, if any
        (one user's acceptance never unlocks a model for another user)."""
        c = acceptances.c
        query = (
            sa.select(*(c[k] for k in COLUMNS))
            .where(c.username == username, c.hub_arn == hub_arn, c.model_id == model_id)
            .where(c.version == version, c.sha256 == sha256)
            .order_by(c.id.desc())
            .limit(1)
        )
        row = self._run(lambda conn: conn.execute(query).first())
        return _row(row) if row else None

    def accepted_any_text(self, username: str, hub_arn: str, model_id: str, version: str) -> bool:
        """Whether ``username`` ever accepted any EULA text of this model version (to say "the text changed")."""
        c = acceptances.c
        query = (
            sa.select(c.id)
            .where(c.username == username, c.hub_arn == hub_arn, c.model_id == model_id, c.version == version)
            .limit(1)
        )
        return self._run(lambda conn: conn.execute(query).first()) is not None

    def query(
        self,
        *,
        username: str | None = None,
        model_id: str | None = None,
        hub: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Acceptance]:
        """Acceptances, oldest first, filtered (``hub``: a hub name or ARN; ``since``: accepted at or after)."""
        c = acceptances.c
        query = sa.select(*(c[k] for k in COLUMNS)).order_by(c.id.desc() if newest_first else c.id)
        if username is not None:
            query = query.where(c.username == username)
        if model_id is not None:
            query = query.where(c.model_id == model_id)
        if hub is not None:
            query = query.where(sa.or_(c.hub == hub, c.hub_arn == hub))
        if since is not None:
            query = query.where(c.accepted_at >= since)
        if limit is not None:
            query = query.limit(limit)
        rows = self._run(lambda conn: conn.execute(query).all())
        return [_row(r) for r in rows]

    def count(self, *, username: str | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(acceptances)
        if username is not None:
            query = query.where(acceptances.c.username == username)
        return int(self._run(lambda conn: conn.execute(query).scalar_one()))

    def all(self) -> list[Acceptance]:
        """Every acceptance, oldest first (the audit log)."""
        return self.query()


def _row(row: Any) -> Acceptance:
    return Acceptance.model_validate(dict(zip(COLUMNS, row, strict=True)))
