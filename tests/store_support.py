"""EULA acceptances for store tests: rows, a writer process, and files of the versions before the database."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import sqlalchemy as sa

from jumpstart_lab.db import Database, acceptances
from jumpstart_lab.eula.models import Acceptance
from jumpstart_lab.eula.store import AcceptanceStore

HUB_ARN = "arn:aws:sagemaker:us-west-2:123456789012:hub/my-private-hub"


def acceptance(n: int = 0, *, sha: str = "a" * 64, user: str = "alice", action: str = "deploy", **extra) -> Acceptance:
    values = {
        "username": user,
        "hub": "my-private-hub",
        "hub_arn": HUB_ARN,
        "model_id": f"model-{n}",
        "version": "4.19.0",
        "eula_uri": "s3://jumpstart-cache-prod-us-west-2/fmhMetadata/eula/llamaEula.txt",
        "sha256": sha,
        "action": action,
        "accepted_at": datetime.now(timezone.utc),
    }
    return Acceptance(**(values | extra))


def rows(db_url: str) -> list[tuple]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            c = acceptances.c
            return [tuple(r) for r in conn.execute(sa.select(c.username, c.model_id, c.action).order_by(c.id))]
    finally:
        engine.dispose()


def writer(db_url: str, worker: int, count: int, start) -> None:  # a child process: one "server"
    store = AcceptanceStore(Database(db_url))
    start.wait()
    for i in range(count):
        store.record(acceptance(worker * 1000 + i, user=f"user{worker}"))  # its own
        store.record(acceptance(i, user="shared"))  # the same rows as every other writer: one row each


LEGACY_SCHEMA = """
CREATE TABLE acceptances (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, hub TEXT NOT NULL,
    hub_arn TEXT NOT NULL, model_id TEXT NOT NULL, version TEXT NOT NULL, eula_uri TEXT, sha256 TEXT NOT NULL,
    action TEXT NOT NULL, accepted_at TEXT NOT NULL);
CREATE INDEX acceptances_key ON acceptances (hub_arn, model_id, version, sha256);
"""


def legacy_file(path, rows: list[tuple]) -> None:
    """A SQLite file in the schema of the versions before the database (eula/store.py until 2026-12)."""
    with sqlite3.connect(path) as conn:
        conn.executescript(LEGACY_SCHEMA)
        conn.executemany(
            "INSERT INTO acceptances (username, hub, hub_arn, model_id, version, eula_uri, sha256, action, "
            "accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def legacy_row(user: str, model: str, when: str = "2026-03-01T10:00:00.123456+00:00") -> tuple:
    arn = "arn:aws:sagemaker:us-west-2:123456789012:hub/CompanyHub"
    return (user, "CompanyHub", arn, model, "1.0.0", None, "c" * 64, "deploy", when)
