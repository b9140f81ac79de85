"""Durable record of EULA acceptances: one SQLite file shared by every server and kernel process.

WAL journal plus a busy timeout let several processes write at once; each operation opens
its own short-lived connection, so the store is safe from any thread. Every SQLite failure
(a corrupt file, a read-only directory, a lock held too long) becomes :class:`StoreError`,
and callers refuse gated actions rather than let them through.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from ..errors import StoreError
from .models import Acceptance

SCHEMA = """
CREATE TABLE IF NOT EXISTS acceptances (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    hub TEXT NOT NULL,
    hub_arn TEXT NOT NULL,
    model_id TEXT NOT NULL,
    version TEXT NOT NULL,
    eula_uri TEXT,
    sha256 TEXT NOT NULL,
    action TEXT NOT NULL,
    accepted_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acceptances_key ON acceptances (hub_arn, model_id, version, sha256);
CREATE INDEX IF NOT EXISTS acceptances_user_key ON acceptances (username, hub_arn, model_id, version, sha256);
"""
COLUMNS = ("username", "hub", "hub_arn", "model_id", "version", "eula_uri", "sha256", "action", "accepted_at")


class AcceptanceStore:
    """Append-only log of acceptances in the SQLite file at ``path`` (created on first use)."""

    def __init__(self, path: Path, *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._ready = False
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            if not self._ready:
                self._initialise()
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
                yield conn
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"The EULA acceptance store {self.path} cannot be used ({exc}). Gated models stay locked until it "
                "is fixed: check that the file and its folder are writable, or move a damaged file aside "
                "(JumpStartLab.eula_store_path sets another location).",
                path=str(self.path),
            ) from exc

    def _initialise(self) -> None:
        with self._lock:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise sqlite3.OperationalError(f"journal mode is {mode}, WAL is required")
                conn.executescript(SCHEMA)
                (check,) = conn.execute("PRAGMA quick_check").fetchone()
                if check != "ok":
                    raise sqlite3.DatabaseError(f"integrity check failed: {check}")
            finally:
                conn.close()
            self._ready = True

    def record(self, acceptance: Acceptance) -> Acceptance:
        """Append ``acceptance`` durably (committed before this returns)."""
        values = acceptance.model_dump()
        values["accepted_at"] = acceptance.accepted_at.isoformat()
        with self._connect() as conn:
            conn.execute(
                f"INSERT INTO acceptances ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",  # noqa: S608
                [values[c] for c in COLUMNS],
            )
        return acceptance

    def find(self, username: str, hub_arn: str, model_id: str, version: str, sha256: str) -> Acceptance | None:
        """The latest acceptance by ``username`` of exactly this EULA text for this model version, if any
        (one user's acceptance never unlocks a model for another user of a shared server)."""
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT {', '.join(COLUMNS)} FROM acceptances "  # noqa: S608
                "WHERE username = ? AND hub_arn = ? AND model_id = ? AND version = ? AND sha256 = ? "
                "ORDER BY id DESC LIMIT 1",
                (username, hub_arn, model_id, version, sha256),
            ).fetchone()
        return _row(row) if row else None

    def accepted_any_text(self, username: str, hub_arn: str, model_id: str, version: str) -> bool:
        """Whether ``username`` ever accepted any EULA text of this model version (to say "the text changed")."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT 1 FROM acceptances WHERE username = ? AND hub_arn = ? AND model_id = ? AND version = ? LIMIT 1",
                (username, hub_arn, model_id, version),
            ).fetchone()
        return row is not None

    def all(self) -> list[Acceptance]:
        """Every acceptance, oldest first (the audit log)."""
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM acceptances ORDER BY id").fetchall()  # noqa: S608
        return [_row(r) for r in rows]


def _row(row: tuple) -> Acceptance:
    data = dict(zip(COLUMNS, row, strict=True))
    data["accepted_at"] = datetime.fromisoformat(data["accepted_at"])
    return Acceptance.model_validate(data)
