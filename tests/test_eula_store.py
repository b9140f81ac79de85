"""AcceptanceStore: durable, safe across processes, and loud when it cannot be used."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from jumpstart_lab.errors import StoreError
from jumpstart_lab.eula.models import Acceptance
from jumpstart_lab.eula.store import AcceptanceStore

HUB_ARN = "arn:aws:sagemaker:us-west-2:123456789012:hub/my-private-hub"


def acceptance(n: int = 0, *, sha: str = "a" * 64, user: str = "alice", version: str = "4.19.0") -> Acceptance:
    return Acceptance(
        username=user,
        hub="my-private-hub",
        hub_arn=HUB_ARN,
        model_id=f"model-{n}",
        version=version,
        eula_uri="s3://jumpstart-cache-prod-us-west-2/fmhMetadata/eula/llamaEula.txt",
        sha256=sha,
        action="deploy",
        accepted_at=datetime.now(timezone.utc),
    )


def test_record_and_find_match_hub_model_version_and_text(tmp_path: Path) -> None:
    store = AcceptanceStore(tmp_path / "sub" / "store.sqlite3")
    saved = store.record(acceptance(1))
    found = store.find("alice", HUB_ARN, "model-1", "4.19.0", "a" * 64)
    assert found == saved
    assert store.find("alice", HUB_ARN, "model-1", "4.19.0", "b" * 64) is None  # another EULA text
    assert store.find("alice", HUB_ARN, "model-1", "4.18.0", "a" * 64) is None  # another version
    assert store.find("alice", HUB_ARN.replace("my-private-hub", "other"), "model-1", "4.19.0", "a" * 64) is None
    assert store.accepted_any_text("alice", HUB_ARN, "model-1", "4.19.0") and not store.accepted_any_text(
        "alice", HUB_ARN, "model-1", "4.18.0"
    )
    # per user: alice's acceptance does not unlock the model for bob on the same server
    assert store.find("bob", HUB_ARN, "model-1", "4.19.0", "a" * 64) is None
    assert not store.accepted_any_text("bob", HUB_ARN, "model-1", "4.19.0")
    # durable: a new store object (another process) sees it, and the journal is WAL
    assert AcceptanceStore(tmp_path / "sub" / "store.sqlite3").all() == [saved]
    with sqlite3.connect(tmp_path / "sub" / "store.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# Many processes at once, a writer killed with SIGKILL: tests/test_db_store.py (SQLite and PostgreSQL alike).


def test_corrupt_store_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(b"this is not a database" * 200)
    store = AcceptanceStore(path)
    with pytest.raises(StoreError) as err:
        store.find("alice", HUB_ARN, "model-1", "4.19.0", "a" * 64)
    assert err.value.code == "AcceptanceStoreUnavailable"
    assert str(path) in err.value.message
    with pytest.raises(StoreError):
        store.record(acceptance())


def test_unwritable_location_raises_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = AcceptanceStore(blocker / "store.sqlite3")  # its folder cannot be created
    with pytest.raises(StoreError) as err:
        store.record(acceptance())
    assert "writable" in err.value.message


def test_audit_csv_neutralises_formulas() -> None:
    import csv
    import io

    from jumpstart_lab.eula.audit import CSV_COLUMNS, to_csv

    rows = list(csv.reader(io.StringIO(to_csv([acceptance(1, user='=HYPERLINK("http://x")'), acceptance(2)]))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 3
    record = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert record["username"] == '\'=HYPERLINK("http://x")' and record["model_id"] == "model-1"
    assert dict(zip(CSV_COLUMNS, rows[2], strict=True))["username"] == "alice"
