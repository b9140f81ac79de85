"""Bulk catalog reads and persistent snapshots, against a local service of its own (250 extra models):
documents from Search pages, the DescribeHubContent fallback when Search is refused, creation-time windows,
and a restarted catalog answering from its snapshot (stale), revalidating, reading only new versions."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_support import add_fault, aws_calls, aws_client, clear_aws_calls, clear_faults, own_service, reset_service

from jumpstart_lab.aws.session import AwsContext, AwsSettings
from jumpstart_lab.browse.catalog import Catalog
from jumpstart_lab.browse.models import ModelQuery

PUBLIC = "SageMakerPublicHub"
FULL = ModelQuery(gated=True, limit=200)  # needs every model's document facts


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    yield from own_service(JUMPSTART_LAB_LOCAL_EXTRA_MODELS="250")


@pytest.fixture(autouse=True)
def clean(service: str) -> Iterator[None]:
    reset_service(service)
    yield
    clear_faults(service)


def calls(service: str) -> Counter[str]:
    log = aws_calls(service)
    clear_aws_calls(service)
    return Counter(c["action"] for c in log if c["service"] == "sagemaker")


def fault(service: str, **rule) -> None:
    add_fault(service, rule)


def catalog(service: str, snapshots: Path | None) -> Catalog:
    aws = AwsContext(AwsSettings(region="us-west-2", endpoint_url=service, local=True))
    return Catalog(aws, local=True, snapshot_dir=snapshots)


def truth(service: str) -> dict[str, dict]:
    """Every public model's latest document, read the slow way."""
    sm = aws_client(service, max_attempts=4)
    names, token = [], None
    while True:
        page = sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", MaxResults=100,
                                    **({"NextToken": token} if token else {}))  # fmt: skip
        names += [i["HubContentName"] for i in page["HubContentSummaries"]]
        token = page.get("NextToken")
        if not token:
            break
    out = {}
    for name in names:
        reply = sm.describe_hub_content(HubName=PUBLIC, HubContentType="Model", HubContentName=name)
        out[name] = json.loads(reply["HubContentDocument"])
    calls(service)  # not the catalog's
    return out


def gated_ids(docs: dict[str, dict]) -> set[str]:
    return {n for n, d in docs.items() if d.get("HostingEulaUri") or d.get("GatedBucket") is True}


def all_ids(cat: Catalog, query: ModelQuery) -> set[str]:
    ids, cursor = set(), None
    while True:
        page = cat.search(PUBLIC, query.model_copy(update={"cursor": cursor}))
        ids |= {m.model_id for m in page.models}
        cursor = page.next_cursor
        if not cursor:
            return ids


def test_search_pages_instead_of_a_describe_per_model(service, tmp_path):
    docs = truth(service)
    cat = catalog(service, tmp_path)
    try:
        assert all_ids(cat, FULL) == gated_ids(docs)
        made = calls(service)
        assert made["DescribeHubContent"] == 0
        # page 1, then the 16 windows its creation times suggest (windows.COLD_WINDOWS), one page each, a few split
        assert 1 <= made["Search"] <= 24 and made["ListHubContents"] <= 25
        status = cat.status()["hubs"][PUBLIC]
        assert status["documents"] == "search" and status["listing"] == "windows"
        on_g5 = {n for n, d in docs.items() if "ml.g5.2xlarge" in d.get("SupportedInferenceInstanceTypes", [])}
        assert all_ids(cat, ModelQuery(instance_type="ml.g5.2xlarge", limit=200)) == on_g5
    finally:
        cat.close()


def test_search_refused_falls_back_to_describe_and_says_so(service, tmp_path):
    docs = truth(service)
    fault(service, action="Search", code="AccessDeniedException", count=-1)
    cat = catalog(service, None)
    try:
        assert all_ids(cat, FULL) == gated_ids(docs)
        made = calls(service)
        assert made["DescribeHubContent"] == len(docs)
        status = cat.status()["hubs"][PUBLIC]
        assert status["documents"] == "describe" and "Search refused" in status["note"]
    finally:
        cat.close()


def test_throttled_describes_are_retried_with_fewer_in_flight(service):
    docs = truth(service)
    fault(service, action="Search", code="AccessDeniedException", count=-1)
    fault(service, action="DescribeHubContent", code="ThrottlingException", count=40)  # beyond botocore's retries
    cat = catalog(service, None)
    try:
        assert all_ids(cat, FULL) == gated_ids(docs)
        assert cat.facts.limit.lowest < cat.facts.limit.high  # AWS throttled: fewer calls were in flight
    finally:
        cat.close()


def test_restart_answers_from_the_snapshot_then_revalidates(service, tmp_path):
    docs = truth(service)
    first = catalog(service, tmp_path)
    try:
        assert all_ids(first, FULL) == gated_ids(docs)
    finally:
        first.close()
    files = list(tmp_path.glob("catalog-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text())["format"] == "jumpstart-lab-catalog-snapshot"
    calls(service)
    # AWS is down for listings: the restarted catalog still answers at once, from the snapshot
    fault(service, action="ListHubContents", code="InternalFailure", status=500, count=-1)
    restarted = catalog(service, tmp_path)
    try:
        page = restarted.search(PUBLIC, FULL)
        assert page.stale and page.complete and page.age_seconds is not None and page.age_seconds >= 0
        assert {m.model_id for m in page.models} == gated_ids(docs)
        clear_faults(service)
    finally:
        restarted.close()
    calls(service)
    restarted = catalog(service, tmp_path)
    try:
        assert restarted.search(PUBLIC, FULL).stale
        load = restarted._load(PUBLIC)
        load.fresh.result(timeout=60)  # the background revalidation: one listing, no documents
        page = restarted.search(PUBLIC, FULL)
        assert not page.stale and page.age_seconds is None
        assert {m.model_id for m in page.models} == gated_ids(docs)
        made = calls(service)
        assert made["DescribeHubContent"] == 0 and made["Search"] == 0 and made["ListHubContents"] >= 1
    finally:
        restarted.close()


def test_a_new_version_is_the_only_document_read_again(service, tmp_path):
    sm = aws_client(service, max_attempts=4)
    hub = "ResearchHub"
    cat = catalog(service, tmp_path)
    try:
        assert cat.search(hub, ModelQuery(gated=False)).total == 1
    finally:
        cat.close()
    old = json.loads(sm.describe_hub_content(HubName=hub, HubContentType="Model", HubContentName="acme-custom-llm")[
        "HubContentDocument"])  # fmt: skip
    doc = {**old, "HostingEulaUri": "s3://bucket/acme-eula.txt"}
    sm.import_hub_content(HubName=hub, HubContentType="Model", HubContentName="acme-custom-llm",
                          HubContentVersion="2.0.0", DocumentSchemaVersion="2.3.0",
                          HubContentDocument=json.dumps(doc))  # fmt: skip
    calls(service)
    restarted = catalog(service, tmp_path)
    try:
        assert restarted.search(hub, ModelQuery(gated=False)).stale  # still the stored 1.1.0
        restarted._load(hub).fresh.result(timeout=60)
        page = restarted.search(hub, ModelQuery(gated=True))
        assert [(m.model_id, m.version) for m in page.models] == [("acme-custom-llm", "2.0.0")]
        made = calls(service)
        assert made["DescribeHubContent"] == 1 and made["Search"] == 0
    finally:
        restarted.close()


def test_refresh_lists_again_instead_of_serving_the_snapshot(service, tmp_path):
    cat = catalog(service, tmp_path)
    try:
        cat.search(PUBLIC, ModelQuery())
        cat._load(PUBLIC).done.result(timeout=60)
    finally:
        cat.close()
    calls(service)
    restarted = catalog(service, tmp_path)
    try:
        page = restarted.search(PUBLIC, FULL.model_copy(update={"refresh": True}))
        assert not page.stale and page.complete
        assert calls(service)["ListHubContents"] >= 3
    finally:
        restarted.close()


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"format": "something-else", "version": 1}),
     json.dumps({"format": "jumpstart-lab-catalog-snapshot", "version": 99}), "[]"],
    ids=["corrupt", "foreign", "newer-version", "not-an-object"],
)  # fmt: skip
def test_corrupt_or_foreign_snapshots_are_ignored_with_a_log_line(service, tmp_path, caplog, content):
    cat = catalog(service, tmp_path)
    try:
        path = cat.snapshots.path(PUBLIC)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        with caplog.at_level(logging.WARNING, logger="jumpstart_lab.browse.snapshots"):
            page = cat.search(PUBLIC, FULL)
        assert not page.stale and page.complete and page.total > 0
        assert any("ignoring" in r.getMessage() and str(path) in r.getMessage() for r in caplog.records)
        cat._load(PUBLIC).done.result(timeout=60)
        cat.close()  # writes the snapshot of the load just done (saved in the background)
        assert json.loads(path.read_text())["format"] == "jumpstart-lab-catalog-snapshot"  # replaced atomically
        assert not list(tmp_path.glob(".catalog-*.tmp"))
    finally:
        cat.close()
