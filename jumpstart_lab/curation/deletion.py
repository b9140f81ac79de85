"""Emptying and deleting a private hub in the order AWS requires: references, owned content, the hub."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from ..aws.errors import aws_errors
from ..aws.session import AwsContext
from ..errors import Conflict
from .contents import OWNED_TYPES, list_contents, list_versions
from .models import RemovedContent

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (what was just done, done, total)
# Seconds between DeleteHub attempts while AWS finishes deleting content (about a minute in all).
DELETE_HUB_WAITS: tuple[float, ...] = (0.5, 1, 2, 4, 8, 15, 30)


class HubEmptier:
    """Lists and removes a hub's content on a worker pool, then deletes the hub."""

    def __init__(self, aws: AwsContext, pool: Executor) -> None:
        self.aws = aws
        self.pool = pool

    def contents(self, hub: str) -> list[RemovedContent]:
        """Every reference, and every version of every owned item (listed in parallel)."""

        def listing(content_type: str) -> list[dict[str, Any]]:
            return list_contents(self.aws.client("sagemaker"), hub, content_type)

        def versions(key: tuple[str, str]) -> list[RemovedContent]:
            content_type, name = key
            found = list_versions(self.aws.client("sagemaker"), hub, content_type, name)
            return [RemovedContent(content_type=content_type, model_id=name, version=v) for v in found]

        types = ("ModelReference", *OWNED_TYPES)
        listed = dict(zip(types, self.pool.map(listing, types), strict=True))
        items = [
            RemovedContent(content_type="ModelReference", model_id=i["HubContentName"])
            for i in listed.pop("ModelReference")
        ]
        keys = [(t, i["HubContentName"]) for t, found in listed.items() for i in found]
        return items + [item for group in self.pool.map(versions, keys) for item in group]

    def remove(
        self,
        hub: str,
        name: str,
        items: list[RemovedContent],
        progress: Progress,
        removed: list[RemovedContent] | None = None,
    ) -> list[RemovedContent]:
        """References first, then owned content (each group in parallel); the removed items in order.

        Each removed item is appended to ``removed`` as it goes, so after a failure it holds exactly
        what was removed: the failing item's group still finishes, the next group is not started,
        and the first error of the group is raised.
        """
        total = len(items) + 1

        def remove_one(item: RemovedContent) -> RemovedContent:
            client = self.aws.client("sagemaker")
            with aws_errors(f"{item.content_type} {item.model_id} in hub {name}"):
                if item.version is None:
                    client.delete_hub_content_reference(
                        HubName=hub, HubContentType="ModelReference", HubContentName=item.model_id
                    )
                else:
                    client.delete_hub_content(
                        HubName=hub, HubContentType=item.content_type, HubContentName=item.model_id,
                        HubContentVersion=item.version,
                    )  # fmt: skip
            return item

        removed = [] if removed is None else removed
        for group in ([i for i in items if i.version is None], [i for i in items if i.version is not None]):
            failure: Exception | None = None
            for future in [self.pool.submit(remove_one, item) for item in group]:
                try:
                    item = future.result()
                except Exception as exc:  # the others of the group still count: report them all
                    failure = failure or exc
                    continue
                removed.append(item)
                progress(
                    f"removed {item.content_type} {item.model_id} {item.version or ''}".strip(), len(removed), total
                )
            if failure is not None:
                raise failure
        return removed

    def delete_hub(self, hub: str, name: str) -> None:
        """DeleteHub, retried while AWS still finishes deleting content (ResourceInUse)."""
        for delay in (*DELETE_HUB_WAITS, None):
            try:
                with aws_errors(f"hub {name}"):
                    self.aws.client("sagemaker").delete_hub(HubName=hub)
                return
            except Conflict as exc:
                if delay is None:
                    raise Conflict(
                        f"Hub {name} is empty of references now, but AWS is still deleting some of its content "
                        f"({exc.message}). Delete the hub again in a minute.",
                        code="HubNotEmpty",
                    ) from exc
                log.info("jumpstart_lab: hub %s not empty yet, retrying DeleteHub in %.1f s", name, delay)
                time.sleep(delay)
