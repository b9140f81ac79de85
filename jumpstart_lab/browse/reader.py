"""The AWS reads of a hub's catalog: ListHubContents pages (whole, or one creation-time window),
``Search(Resource="HubContent")`` pages with documents, DescribeHubContent. Errors come out phrased for the
panel (``hub_errors``); nothing here caches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .. import validation
from ..aws.errors import aws_errors
from ..errors import AccessDenied, NotFound
from .discovery import unavailable_message
from .lean_search import lean

PAGE_SIZE = 100


@contextmanager
def hub_errors(ref: str, *, missing: str | None = None) -> Iterator[None]:
    """AWS errors of a hub call, phrased for the panel: a denied hub, an unknown hub (or ``missing``)."""
    name = validation.hub_name_from(ref)
    try:
        with aws_errors(f"hub {name}"):
            yield
    except AccessDenied as exc:
        message = unavailable_message(name, "", exc)
        raise AccessDenied(message, code="AccessDenied", aws_code=exc.details.get("aws_code")) from exc
    except NotFound as exc:
        message = missing or unavailable_message(name, "", exc)
        raise NotFound(message, code="NotFound", aws_code=exc.details.get("aws_code")) from exc


@dataclass(frozen=True)
class Window:
    """Creation times ``after < t < before`` (epoch seconds; None = unbounded)."""

    after: float | None = None
    before: float | None = None

    def holds(self, created: float) -> bool:
        return (self.after is None or created > self.after) and (self.before is None or created < self.before)


Page = tuple[list[dict[str, Any]], str | None]


class HubReader:
    """One hub's reads through ``client("sagemaker")``."""

    def __init__(self, client: Callable[[str], Any], ref: str) -> None:
        self.client = client
        self.ref = ref
        self.name = validation.hub_name_from(ref)

    def list_page(self, content_type: str, token: str | None = None, window: Window | None = None) -> Page:
        """A ListHubContents page: in name order, or (``window`` given) in creation-time order within it."""
        kwargs: dict[str, Any] = {"HubName": self.ref, "HubContentType": content_type, "MaxResults": PAGE_SIZE}
        if window is None:
            kwargs.update(SortBy="HubContentName", SortOrder="Ascending")
        else:
            kwargs.update(SortBy="CreationTime", SortOrder="Ascending")
            if window.after is not None:
                kwargs["CreationTimeAfter"] = window.after
            if window.before is not None:
                kwargs["CreationTimeBefore"] = window.before
        if token:
            kwargs["NextToken"] = token
        with hub_errors(self.ref):
            reply = self.client("sagemaker").list_hub_contents(**kwargs)
        return reply.get("HubContentSummaries", []), reply.get("NextToken")

    def search_page(self, content_type: str, window: Window, token: str | None = None) -> Page:
        """A ``Search(Resource="HubContent")`` page (records with documents) of this hub's contents created in
        ``window``, in creation-time order."""
        hub = ("HubArn", self.ref) if self.ref.startswith("arn:") else ("HubName", self.ref)
        filters = [
            {"Name": hub[0], "Operator": "Equals", "Value": hub[1]},
            {"Name": "HubContentType", "Operator": "Equals", "Value": content_type},
        ]
        if window.after is not None:
            filters.append({"Name": "CreationTime", "Operator": "GreaterThan", "Value": repr(window.after)})
        if window.before is not None:
            filters.append({"Name": "CreationTime", "Operator": "LessThan", "Value": repr(window.before)})
        kwargs: dict[str, Any] = {
            "Resource": "HubContent",
            "SearchExpression": {"Filters": filters},
            "SortBy": "CreationTime",
            "SortOrder": "Ascending",
            "MaxResults": PAGE_SIZE,
        }
        if self.ref.startswith("arn:") and ":aws:hub/" not in self.ref:
            kwargs["CrossAccountFilterOption"] = "CrossAccount"
        if token:
            kwargs["NextToken"] = token
        with hub_errors(self.ref), lean():  # three fields of each record, not botocore's walk of all of them
            reply = self.client("sagemaker").search(**kwargs)
        records = [r["HubContent"] for r in reply.get("Results", []) if isinstance(r.get("HubContent"), dict)]
        return records, reply.get("NextToken")

    def describe(self, content_type: str, model_id: str, version: str | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"HubName": self.ref, "HubContentType": content_type, "HubContentName": model_id}
        if version:
            kwargs["HubContentVersion"] = version
        which = f"Version {version} of model {model_id}" if version else f"Model {model_id}"
        with hub_errors(self.ref, missing=f"{which} is not in hub {self.name}."):
            return self.client("sagemaker").describe_hub_content(**kwargs)
