"""Catalog loading with a scripted SageMaker client: page 1 from the first ListHubContents pages of
both content types while the rest is still loading, exact paging across the two streams."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import Any

from jumpstart_lab.browse.catalog import Catalog
from jumpstart_lab.browse.models import ModelQuery

HUB = "BigHub"
KEYWORDS = ["@task:text-generation", "@provider:acme", "@framework:pytorch", "@license:MIT", "@gated:false",
            "@trainable:true", "@model-type:open_weights", "@inference-instance:ml.g5.2xlarge"]  # fmt: skip


def summary(name: str, content_type: str) -> dict[str, Any]:
    return {
        "HubContentName": name,
        "HubContentArn": f"arn:aws:sagemaker:us-west-2:123456789012:hub-content/{HUB}/{content_type}/{name}/1.0.0",
        "HubContentVersion": "1.0.0",
        "HubContentType": content_type,
        "DocumentSchemaVersion": "2.3.0",
        "HubContentSearchKeywords": KEYWORDS,
        "HubContentStatus": "Available",
        "CreationTime": datetime(2025, 1, 1, tzinfo=timezone.utc),
    }


class Client:
    """ListHubContents over 150 Models (even numbers) and 150 ModelReferences (odd); pages of 100. Name-ordered
    pages after the first wait for ``release``; creation-time windows (``SortBy=CreationTime``) are honoured."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls: list[tuple[str, str | None]] = []
        self.windowed: list[tuple[float | None, float | None, str | None]] = []
        self.items = {
            "Model": [summary(f"m{i:03d}", "Model") for i in range(0, 300, 2)],
            "ModelReference": [summary(f"m{i:03d}", "ModelReference") for i in range(1, 300, 2)],
        }

    def list_hub_contents(self, HubName: str, HubContentType: str, MaxResults: int, NextToken: str | None = None,
                          **kw: Any) -> dict[str, Any]:  # fmt: skip
        items = self.items[HubContentType]
        if kw.get("SortBy") == "CreationTime":
            after, before = kw.get("CreationTimeAfter"), kw.get("CreationTimeBefore")
            self.windowed.append((after, before, NextToken))
            items = [i for i in items if (after is None or i["CreationTime"].timestamp() > after)
                     and (before is None or i["CreationTime"].timestamp() < before)]  # fmt: skip
            items = sorted(items, key=lambda i: i["CreationTime"])
        else:
            self.calls.append((HubContentType, NextToken))
            if NextToken:
                assert self.release.wait(10), "second page requested before the test allowed it"
        start = int(NextToken or 0)
        more = start + MaxResults < len(items)
        return {"HubContentSummaries": items[start : start + MaxResults],
                **({"NextToken": str(start + MaxResults)} if more else {})}  # fmt: skip

    def describe_hub_content(self, **_: Any) -> dict[str, Any]:
        raise AssertionError("every fact is in the keywords: no document should be fetched")


class Aws:
    region = "us-west-2"

    def __init__(self) -> None:
        self.sagemaker = Client()

    def client(self, service: str, max_attempts: int | None = None) -> Any:
        return self.sagemaker


def test_first_page_before_the_rest_then_exact_paging():
    aws = Aws()
    catalog = Catalog(aws)  # type: ignore[arg-type]
    try:
        page = catalog.search(HUB, ModelQuery(limit=50))
        assert not page.complete
        assert [m.model_id for m in page.models] == [f"m{i:03d}" for i in range(50)]
        assert {m.content_type for m in page.models} == {"Model", "ModelReference"}
        assert page.models[0].license == "MIT" and page.models[0].trainable is True
        # answered while the second page is still held back: one (parallel) round of first pages
        assert set(aws.sagemaker.calls[:2]) == {("Model", None), ("ModelReference", None)}
        aws.sagemaker.release.set()
        names, cursor = [m.model_id for m in page.models], page.next_cursor
        while cursor:
            nxt = catalog.search(HUB, ModelQuery(limit=50, cursor=cursor))
            assert nxt.complete and nxt.total == 300
            names += [m.model_id for m in nxt.models]
            cursor = nxt.next_cursor
        assert names == [f"m{i:03d}" for i in range(300)]
        assert catalog.search(HUB, ModelQuery(instance_type="ml.g5.2xlarge")).total == 300
        # name order: page 1 of each type, then the references' page 2; the Models' rest in creation-time
        # windows learnt from page 1 (all created in the same second here: the window holding it, paged on)
        assert sorted(aws.sagemaker.calls, key=lambda c: (c[0], c[1] or "")) == [
            ("Model", None), ("ModelReference", None), ("ModelReference", "100")]  # fmt: skip
        assert [w[2] for w in aws.sagemaker.windowed if w[2]] == ["100"]  # every windowed page once
        assert catalog.status()["hubs"][HUB]["listing"] == "windows"
    finally:
        aws.sagemaker.release.set()
        catalog.close()


def test_a_first_page_larger_than_the_loaded_prefix_waits_for_the_catalog():
    aws = Aws()
    aws.sagemaker.release.set()
    catalog = Catalog(aws)  # type: ignore[arg-type]
    try:
        page = catalog.search(HUB, ModelQuery(limit=200))
        assert page.complete and [m.model_id for m in page.models] == [f"m{i:03d}" for i in range(200)]
    finally:
        catalog.close()


class RepeatingClient(Client):
    """A service that answers creation-time windows with the same page for every NextToken (it does not page
    them as AWS documents): the catalog must notice and page the plain listing instead."""

    def list_hub_contents(self, HubName: str, HubContentType: str, MaxResults: int, NextToken: str | None = None,
                          **kw: Any) -> dict[str, Any]:  # fmt: skip
        if kw.get("SortBy") == "CreationTime":
            self.windowed.append((kw.get("CreationTimeAfter"), kw.get("CreationTimeBefore"), NextToken))
            return {"HubContentSummaries": self.items[HubContentType][:MaxResults], "NextToken": "1"}
        return super().list_hub_contents(HubName, HubContentType, MaxResults, NextToken, **kw)


def test_windows_paged_inconsistently_fall_back_to_the_plain_listing():
    aws = Aws()
    aws.sagemaker = RepeatingClient()
    aws.sagemaker.release.set()
    catalog = Catalog(aws)  # type: ignore[arg-type]
    try:
        page = catalog.search(HUB, ModelQuery(limit=200, instance_type="ml.g5.2xlarge"))  # the whole catalog
        assert page.complete and page.total == 300
        assert [m.model_id for m in page.models] == [f"m{i:03d}" for i in range(200)]
        assert catalog.status()["hubs"][HUB]["listing"] == "sequential"
        assert ("Model", "100") in aws.sagemaker.calls  # the Models' page 2 by name, after the windows failed
    finally:
        catalog.close()


class RefClient:
    """A public hub whose summaries carry every fact, and a private hub of 150 bare references to it."""

    def __init__(self) -> None:
        self.describes = 0
        public = [summary(f"p{i:03d}", "Model") for i in range(150)]
        for item in public:
            arn = item["HubContentArn"].replace("123456789012", "aws")
            item["HubContentArn"] = arn.replace(HUB, "SageMakerPublicHub")
        refs = []
        for item in public:
            ref = summary(item["HubContentName"].replace("p", "r"), "ModelReference")
            ref["HubContentSearchKeywords"] = ["@task:text-generation"]
            ref["SageMakerPublicHubContentArn"] = item["HubContentArn"]
            refs.append(ref)
        self.items = {("SageMakerPublicHub", "Model"): public, (HUB, "ModelReference"): refs}

    def list_hub_contents(self, HubName: str, HubContentType: str, MaxResults: int, NextToken: str | None = None,
                          **_: Any) -> dict[str, Any]:  # fmt: skip
        items = self.items.get((HubName, HubContentType), [])
        start = int(NextToken or 0)
        more = start + MaxResults < len(items)
        return {"HubContentSummaries": items[start : start + MaxResults],
                **({"NextToken": str(start + MaxResults)} if more else {})}  # fmt: skip

    def describe_hub_content(self, **_: Any) -> dict[str, Any]:
        self.describes += 1
        raise AssertionError("references of a reference-heavy hub take their facts from the public catalog")


def test_reference_heavy_hub_takes_facts_from_the_public_catalog():
    aws = Aws()
    aws.sagemaker = RefClient()  # type: ignore[assignment]
    catalog = Catalog(aws)  # type: ignore[arg-type]
    try:
        page = catalog.search(HUB, ModelQuery(license="MIT", limit=200))
        assert page.total == 150 and {m.content_type for m in page.models} == {"ModelReference"}
        assert all(m.license == "MIT" and m.trainable and not m.gated for m in page.models)
        assert aws.sagemaker.describes == 0
    finally:
        catalog.close()
