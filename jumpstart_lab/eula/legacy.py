"""Carry acceptances over from the pre-database SQLite file (``eula-acceptances.sqlite3``) into the database.

Idempotent: a row already there (same user, hub, model, version, EULA hash, action) is kept as it is,
so running it at every start loses nothing and duplicates nothing. The old file is only read.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from .models import Acceptance
from .store import COLUMNS, AcceptanceStore

log = logging.getLogger(__name__)


def read_legacy(path: Path) -> list[Acceptance]:
    """Every row of the old file's ``acceptances`` table, oldest first ([] when it has none)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "acceptances" not in tables:
            return []
        rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM acceptances ORDER BY id").fetchall()  # noqa: S608
    finally:
        conn.close()
    result = []
    for row in rows:
        data = dict(zip(COLUMNS, row, strict=True))
        stamp = datetime.fromisoformat(data["accepted_at"])
        data["accepted_at"] = stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
        result.append(Acceptance.model_validate(data))
    return result


def import_legacy(path: Path, store: AcceptanceStore) -> int:
    """Copy the old file's acceptances into ``store``; returns how many were new there.

    Raises ``sqlite3.Error`` / ``OSError`` for an unreadable file and :class:`StoreError` for the database.
    """
    if store.db.sqlite_path is not None and store.db.sqlite_path.resolve() == path.resolve():
        return 0  # the database is that file: its first migration copied them
    added = sum(store.record_new(row)[1] for row in read_legacy(path))
    if added:
        log.info("jumpstart_lab: %d EULA acceptances carried over from %s", added, path)
    return added
