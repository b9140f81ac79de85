"""The acceptance store's contract, the same suite on a SQLite file and on a real PostgreSQL server:
idempotent append-only rows, per-user lookups, filters, concurrent writers from many processes, a writer
killed with SIGKILL, migrations applied once by servers starting at once."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from store_support import HUB_ARN, acceptance, legacy_file, legacy_row, rows, writer

from jumpstart_lab.db import Database
from jumpstart_lab.db.migrate import VERSION_TABLE, head
from jumpstart_lab.eula.store import AcceptanceStore

ROOT = Path(__file__).resolve().parents[1]


def test_record_and_find(db_url: str) -> None:
    store = AcceptanceStore(Database(db_url))
    saved = store.record(acceptance(1))
    assert store.find("alice", HUB_ARN, "model-1", "4.19.0", "a" * 64) == saved
    assert saved.accepted_at.tzinfo is not None  # UTC on both backends
    assert store.find("alice", HUB_ARN, "model-1", "4.19.0", "b" * 64) is None  # another EULA text
    assert store.find("alice", HUB_ARN, "model-1", "4.18.0", "a" * 64) is None  # another version
    assert store.find("alice", HUB_ARN + "x", "model-1", "4.19.0", "a" * 64) is None  # another hub
    assert store.accepted_any_text("alice", HUB_ARN, "model-1", "4.19.0")
    assert not store.accepted_any_text("alice", HUB_ARN, "model-1", "4.18.0")
    # per user: alice's acceptance never unlocks the model for bob
    assert store.find("bob", HUB_ARN, "model-1", "4.19.0", "a" * 64) is None
    assert not store.accepted_any_text("bob", HUB_ARN, "model-1", "4.19.0")
    # durable: another store object (another process) reads it
    assert AcceptanceStore(Database(db_url)).all() == [saved]


def test_the_same_acceptance_twice_is_one_row(db_url: str) -> None:
    store = AcceptanceStore(Database(db_url))
    first, created = store.record_new(acceptance(1))
    again, created_again = store.record_new(acceptance(1, accepted_at=first.accepted_at + timedelta(hours=1)))
    assert created and not created_again
    assert again == first  # the earlier row, with its time
    store.record(acceptance(1, action="train"))  # another action is another acceptance
    store.record(acceptance(1, sha="b" * 64))  # so is another text
    deploy, train = ("alice", "model-1", "deploy"), ("alice", "model-1", "train")
    assert rows(db_url) == [deploy, train, deploy]
    assert store.count() == 3 and store.count(username="bob") == 0


def test_query_filters(db_url: str) -> None:
    store = AcceptanceStore(Database(db_url))
    old = datetime(2026, 1, 1, tzinfo=timezone.utc)
    store.record(acceptance(1, accepted_at=old))
    store.record(acceptance(2, user="bob"))
    store.record(acceptance(3, user="bob", hub="other", hub_arn=HUB_ARN.replace("my-private-hub", "other")))
    names = lambda found: [(a.username, a.model_id) for a in found]  # noqa: E731
    assert names(store.query(username="bob")) == [("bob", "model-2"), ("bob", "model-3")]
    assert names(store.query(model_id="model-1")) == [("alice", "model-1")]
    assert names(store.query(hub="other")) == [("bob", "model-3")]
    assert names(store.query(hub=HUB_ARN)) == [("alice", "model-1"), ("bob", "model-2")]
    assert names(store.query(since=old + timedelta(days=1))) == [("bob", "model-2"), ("bob", "model-3")]
    assert names(store.query(limit=1, newest_first=True)) == [("bob", "model-3")]
    assert store.query(username="nobody") == []


def test_migrations_are_applied_once_and_recorded(db_url: str) -> None:
    db = Database(db_url)
    db.ready()
    Database(db_url).ready()  # a second server: nothing to do
    with db.engine.connect() as conn:
        assert conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all() == [head()]
        tables = set(sa.inspect(conn).get_table_names())
    assert {"jumpstart_lab_acceptances", VERSION_TABLE} <= tables


# -- many processes -----------------------------------------------------------------------------


def test_eight_processes_at_once_lose_nothing_and_duplicate_nothing(db_url: str) -> None:
    """8 writers start on an empty database at once (the migration runs once, under the lock), each
    writes 25 rows of its own and the same 25 shared rows."""
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=writer, args=(db_url, w, 25, start)) for w in range(8)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(180)
        assert p.exitcode == 0
    found = rows(db_url)
    assert len(found) == 8 * 25 + 25 and len(set(found)) == len(found)
    assert {m for u, m, _ in found if u == "shared"} == {f"model-{i}" for i in range(25)}
    assert {m for u, m, _ in found if u != "shared"} == {f"model-{w * 1000 + i}" for w in range(8) for i in range(25)}


KILLED_WRITER = """
import sys
from datetime import datetime, timezone
from jumpstart_lab.db import Database
from jumpstart_lab.eula.models import Acceptance
from jumpstart_lab.eula.store import AcceptanceStore
store = AcceptanceStore(Database(sys.argv[1]))
for i in range(100000):
    store.record(Acceptance(username="victim", hub="h", hub_arn="arn:h", model_id=f"m-{i}", version="1.0.0",
                            eula_uri=None, sha256="a" * 64, action="deploy", accepted_at=datetime.now(timezone.utc)))
    print(f"m-{i}", flush=True)  # acknowledged: committed
"""


def test_awriter_killed_mid_write_loses_only_what_it_had_not_acknowledged(db_url: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, db_url],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    acknowledged = [proc.stdout.readline().strip() for _ in range(60)]
    os.kill(proc.pid, signal.SIGKILL)  # mid-stream: most likely inside a transaction
    proc.wait(30)
    acknowledged += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]
    stored = [m for u, m, _ in rows(db_url) if u == "victim"]
    assert set(acknowledged) <= set(stored)  # nothing acknowledged is lost
    assert len(stored) - len(acknowledged) <= 1  # at most the one committed before its acknowledgement
    assert stored == [f"m-{i}" for i in range(len(stored))]  # no gap, no duplicate, no partial row
    # the database is usable at once by the others (no lock left behind)
    store = AcceptanceStore(Database(db_url))
    store.record(acceptance(1))
    assert store.count() == len(stored) + 1


def test_an_old_acceptance_file_used_as_the_database_is_migrated_in_place(tmp_path: Path) -> None:
    """JumpStartLab.eula_store_path alone (the deprecated alias): the old file is the database; its first
    migration copies the old rows (one per key, the earliest) and leaves the old table as it was."""
    import sqlite3

    path = tmp_path / "eula-acceptances.sqlite3"
    rows_before = [
        legacy_row("alice", "m1", "2026-03-01T10:00:00+00:00"),
        legacy_row("alice", "m1", "2026-03-02T10:00:00+00:00"),  # the same acceptance again
        legacy_row("bob", "m1", "2026-03-03T10:00:00"),  # a naive time: UTC
    ]
    legacy_file(path, rows_before)
    store = AcceptanceStore(path)
    found = store.all()
    assert [(a.username, a.model_id, a.accepted_at.day) for a in found] == [("alice", "m1", 1), ("bob", "m1", 3)]
    assert all(a.accepted_at.tzinfo is not None for a in found)
    assert store.find("alice", found[0].hub_arn, "m1", "1.0.0", "c" * 64) == found[0]
    assert len(sqlite3.connect(path).execute("SELECT * FROM acceptances").fetchall()) == 3  # untouched
    store.record(acceptance(9))
    assert AcceptanceStore(path).count() == 3  # migrated once: a new process adds nothing


def test_the_audit_page_escapes_everything() -> None:
    from jumpstart_lab.audit.query import page

    hostile = acceptance(1, user='<script>alert("x")</script>', hub="<b>hub</b>")
    html = page("<img src=x onerror=alert(1)>", "/services/x/", [hostile], 1)
    assert "<script>" not in html and "<img" not in html and "<b>hub" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html
