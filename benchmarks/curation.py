"""Curation benchmark: allowlisting models into a private hub and deleting it, ours vs the blog's loop.

Starts the local service with ``JUMPSTART_LAB_LOCAL_LATENCY_MS`` (default 100) and
``JUMPSTART_LAB_LOCAL_EXTRA_MODELS`` (default 300, a seventh of them by provider ``meta``), then
times, per trial, on a fresh hub:

- ours: ``CurationService.add_references(filter={"provider": "meta"})`` with the catalog warm, and the
  same with a cold catalog (first use after start); then ``delete_hub`` (empties the hub, deletes it);
- baseline, the private-hubs blog's admin loop: list the public hub, pick the models, one
  ``CreateHubContentReference`` at a time (what ``Hub.create_model_reference`` does per model; in
  sagemaker 3.27 that method calls a Session method that no longer exists, so plain boto3 is used), and
  one ``DeleteHubContentReference`` at a time before ``DeleteHub``.

Both sides run in this process against the same service, so the figures compare request patterns.
Usage: ``.venv/bin/python benchmarks/curation.py [--latency-ms 100] [--extra-models 300] [--trials 3]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jumpstart_lab.aws.session import AwsContext, AwsSettings  # noqa: E402
from jumpstart_lab.browse.catalog import Catalog  # noqa: E402
from jumpstart_lab.curation.models import AddReferencesRequest  # noqa: E402
from jumpstart_lab.curation.service import CurationService  # noqa: E402
from jumpstart_lab.local.process import LocalServiceProcess  # noqa: E402

PUBLIC = "SageMakerPublicHub"


def public_models(sm: Any) -> list[dict[str, Any]]:
    items, token = [], None
    while True:
        page = sm.list_hub_contents(
            HubName=PUBLIC, HubContentType="Model", MaxResults=100, **({"NextToken": token} if token else {})
        )
        items += page["HubContentSummaries"]
        token = page.get("NextToken")
        if not token:
            return items


def blog_loop_add(sm: Any, hub: str) -> int:
    """The blog's admin loop: list public models, keep the meta ones, reference them one by one."""
    chosen = [m for m in public_models(sm) if "@provider:meta" in (m.get("HubContentSearchKeywords") or [])]
    for m in chosen:
        arn = m["HubContentArn"].removesuffix("/" + m["HubContentVersion"])
        sm.create_hub_content_reference(
            HubName=hub, SageMakerPublicHubContentArn=arn, HubContentName=m["HubContentName"]
        )
    return len(chosen)


def blog_loop_delete(sm: Any, hub: str) -> None:
    refs, token = [], None
    while True:
        page = sm.list_hub_contents(
            HubName=hub, HubContentType="ModelReference", MaxResults=100, **({"NextToken": token} if token else {})
        )
        refs += [i["HubContentName"] for i in page["HubContentSummaries"]]
        token = page.get("NextToken")
        if not token:
            break
    for name in refs:
        sm.delete_hub_content_reference(HubName=hub, HubContentType="ModelReference", HubContentName=name)
    sm.delete_hub(HubName=hub)


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--extra-models", type=int, default=300)
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()

    env = {"JUMPSTART_LAB_LOCAL_LATENCY_MS": str(args.latency_ms),
           "JUMPSTART_LAB_LOCAL_EXTRA_MODELS": str(args.extra_models)}  # fmt: skip
    service = LocalServiceProcess(env=env)
    endpoint = service.start()
    try:
        aws = AwsContext(AwsSettings(region="us-west-2", endpoint_url=endpoint, local=True))
        catalog = Catalog(aws, local=True)
        curation = CurationService(aws, catalog)
        sm = aws.client("sagemaker")
        request = AddReferencesRequest.model_validate({"filter": {"provider": "meta"}})
        rows: dict[str, list[float]] = {k: [] for k in ("ours add", "ours delete", "loop add", "loop delete")}
        count = 0
        for trial in range(args.trials + 1):  # trial 0: cold catalog
            hub = f"Bench-{uuid.uuid4().hex[:8]}"
            sm.create_hub(HubName=hub, HubDescription="curation benchmark")
            seconds, result = timed(curation.add_references, hub, request)
            assert result.failed == 0 and result.added == result.requested, result
            count = result.added
            if trial == 0:
                cold_add = seconds
            else:
                rows["ours add"].append(seconds)
            seconds, summary = timed(curation.delete_hub, hub)
            assert len(summary.removed) == count
            if trial:  # trial 0 also pays the service's first-call costs
                rows["ours delete"].append(seconds)

            hub = f"Bench-{uuid.uuid4().hex[:8]}"
            sm.create_hub(HubName=hub, HubDescription="curation benchmark")
            add_seconds, added = timed(blog_loop_add, sm, hub)
            assert added == count, (added, count)
            delete_seconds = timed(blog_loop_delete, sm, hub)[0]
            if trial:
                rows["loop add"].append(add_seconds)
                rows["loop delete"].append(delete_seconds)
    finally:
        service.stop()

    print(f"local service: latency {args.latency_ms} ms per call, {args.extra_models} extra public models; "
          f"{count} models with provider meta; {args.trials} trials (median)")  # fmt: skip
    print(f"  ours, add by filter, cold catalog (first use): {cold_add:7.2f} s")
    for key, values in rows.items():
        print(f"  {key:<48}{statistics.median(values):7.2f} s")


if __name__ == "__main__":
    main()
