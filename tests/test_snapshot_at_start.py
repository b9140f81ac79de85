"""A restarted Jupyter server reads its hub snapshots when it starts (in the background), so its first query that
needs the whole catalog answers from memory: marked stale with its age, complete, before any listing; it then
revalidates with one listing and no document read. A corrupt snapshot at start is ignored with a log line, and
a snapshot of another endpoint is not served."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from service_support import aws_calls, clear_aws_calls, own_service

from jumpstart_lab.aws.session import AwsContext, AwsSettings
from jumpstart_lab.browse.catalog import Catalog
from jumpstart_lab.browse.models import ModelQuery
from jumpstart_lab.browse.snapshots import SnapshotStore

PUBLIC = "SageMakerPublicHub"
FULL = {"gated": "true", "limit": "200"}  # needs every model's document facts
LISTINGS = ("ListHubContents", "Search", "DescribeHubContent")


def writing_catalog(endpoint: str, directory: Path) -> Catalog:
    """A catalog with the scope of the test's server (local mode on ``endpoint``)."""
    return Catalog(AwsContext(AwsSettings(endpoint_url=endpoint, local=True)), local=True, snapshot_dir=directory)


def write_snapshot(endpoint: str, directory: Path) -> set[str]:
    """Load the public hub once and keep its snapshot (written on close); returns the gated model ids."""
    cat = writing_catalog(endpoint, directory)
    try:
        page = cat.search(PUBLIC, ModelQuery(gated=True, limit=200))
        assert page.complete and not page.next_cursor
        return {m.model_id for m in page.models}
    finally:
        cat.close()


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def local_service() -> Iterator[str]:
    """These tests assert which AWS calls their server makes: a service of their own (see service_support)."""
    yield from own_service()


@pytest.fixture
def on_disk() -> str:
    """What the snapshot folder holds when the server starts (a test parametrizes it)."""
    return "snapshot"


@pytest.fixture
def snapshot_dir(eula_store_path) -> Path:
    return Path(eula_store_path).parent / "catalog-snapshots"  # the test server's (conftest.server_config)


@pytest.fixture
def snapshot_log() -> Iterator[Records]:
    records = Records()
    logger = logging.getLogger("jumpstart_lab.browse.snapshots")
    logger.addHandler(records)
    yield records
    logger.removeHandler(records)


@pytest.fixture
def stored(on_disk, local_service, snapshot_dir, snapshot_log) -> dict[str, Any]:
    """Prepares the folder before the server starts; the service's call log then starts empty."""
    out: dict[str, Any] = {}
    if on_disk == "snapshot":
        out["gated"] = write_snapshot(local_service, snapshot_dir)
    elif on_disk == "corrupt":
        path = writing_catalog(local_service, snapshot_dir).snapshots.path(PUBLIC)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"format": "jumpstart-lab-catalog-snapshot", "version": 1, "entries": [{"Hub')
        out["path"] = path
    elif on_disk == "other-endpoint":  # the same data dir, used by a server on another AWS endpoint
        write_snapshot(local_service, snapshot_dir)
        ours = writing_catalog(local_service, snapshot_dir).snapshots.path(PUBLIC)
        other = SnapshotStore(snapshot_dir, "https://sagemaker.example.com|eu-west-1|")
        snapshot = json.loads(ours.read_text())
        other.path(PUBLIC).write_text(json.dumps({**snapshot, "scope": other.scope}))
        ours.unlink()
    clear_aws_calls(local_service)
    return out


@pytest.fixture
def jumpstart_settings(stored) -> dict[str, Any]:
    return {}  # the server starts after `stored` prepared its snapshot folder


def calls(local_service: str, before: float | None = None) -> list[str]:
    log = aws_calls(local_service)
    return [c["action"] for c in log if c["service"] == "sagemaker" and (before is None or c["time"] < before)]


async def status(api) -> dict[str, Any]:
    r = await api("GET", "status")
    assert r.code == 200, r.body
    return r.json()["catalog"]


async def until(api, predicate, what: str) -> dict[str, Any]:
    """The catalog status once ``predicate(status)`` holds (polled; bounded)."""
    for _ in range(600):
        catalog = await status(api)
        if predicate(catalog):
            return catalog
        await asyncio.sleep(0.1)
    raise AssertionError(f"never: {what}")


async def test_a_restarted_server_answers_its_first_full_query_from_the_snapshot_read_at_start(
    api, local_service, stored, snapshot_log
):
    catalog = await until(api, lambda c: c["restored"] is not None, "snapshots read at start")
    assert catalog["restored"] == [PUBLIC]

    r = await api("GET", f"hubs/{PUBLIC}/models", params=FULL)
    received = time.time()
    assert r.code == 200, r.body
    page = r.json()
    assert page["stale"] is True and page["complete"] is True and page["age_seconds"] >= 0
    assert {m["model_id"] for m in page["models"]} == stored["gated"]
    assert [a for a in calls(local_service, before=received) if a in LISTINGS] == []  # answered from memory

    catalog = await until(api, lambda c: c["hubs"].get(PUBLIC, {}).get("stale") is False, "revalidated")
    made = calls(local_service)
    assert made.count("ListHubContents") >= 1 and "Search" not in made and "DescribeHubContent" not in made
    assert catalog["hubs"][PUBLIC]["documents"] == "none"  # every version's facts were known
    r = await api("GET", f"hubs/{PUBLIC}/models", params=FULL)
    page = r.json()
    assert page["stale"] is False and page["age_seconds"] is None
    assert {m["model_id"] for m in page["models"]} == stored["gated"]
    assert snapshot_log.messages == []


@pytest.mark.parametrize("on_disk", ["corrupt"])
async def test_a_corrupt_snapshot_at_start_is_ignored_with_a_log_line(api, local_service, stored, snapshot_log):
    catalog = await until(api, lambda c: c["restored"] is not None, "snapshots read at start")
    assert catalog["restored"] == []
    assert any("ignoring catalog snapshot" in m and str(stored["path"]) in m for m in snapshot_log.messages)

    r = await api("GET", f"hubs/{PUBLIC}/models", params=FULL)
    assert r.code == 200, r.body
    page = r.json()
    assert page["stale"] is False and page["complete"] is True and page["total"] > 0
    assert "ListHubContents" in calls(local_service)  # listed afresh


@pytest.mark.parametrize("on_disk", ["other-endpoint"])
async def test_a_snapshot_of_another_endpoint_is_not_served(api, local_service, stored, snapshot_log):
    catalog = await until(api, lambda c: c["restored"] is not None, "snapshots read at start")
    assert catalog["restored"] == []
    assert snapshot_log.messages == []  # another scope's file is not an error

    r = await api("GET", f"hubs/{PUBLIC}/models", params=FULL)
    assert r.code == 200, r.body
    assert r.json()["stale"] is False and "ListHubContents" in calls(local_service)


async def test_refresh_as_the_first_query_lists_afresh_reading_no_known_document(api, local_service, stored):
    await until(api, lambda c: c["restored"] == [PUBLIC], "snapshots read at start")
    r = await api("GET", f"hubs/{PUBLIC}/models", params={**FULL, "refresh": "true"})
    assert r.code == 200, r.body
    page = r.json()
    assert page["stale"] is False and page["complete"] is True
    assert {m["model_id"] for m in page["models"]} == stored["gated"]
    made = calls(local_service)
    assert made.count("ListHubContents") >= 1 and "Search" not in made and "DescribeHubContent" not in made


def test_a_query_before_the_start_time_read_is_done_waits_for_it(local_service, snapshot_dir, stored):
    cat = writing_catalog(local_service, snapshot_dir)
    try:
        cat.restore_snapshots()
        page = cat.search(PUBLIC, ModelQuery(gated=True, limit=200))  # at once: the read may still be going on
        received = time.time()
        assert page.stale and page.complete and {m.model_id for m in page.models} == stored["gated"]
        assert [a for a in calls(local_service, before=received) if a in LISTINGS] == []
        assert cat.status()["restored"] == [PUBLIC]
    finally:
        cat.close()
