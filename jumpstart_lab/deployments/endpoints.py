"""The endpoints jumpstart-lab made, as SageMaker reports them: their status, settings and failure reason.

Endpoints are "ours" when they carry the ``jumpstart-lab:model-id`` tag; anything else is invisible here
(404), so the API never touches endpoints it did not create.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..aws.session import AwsContext
from ..errors import InvalidInput, NotFound
from .errors import deployment_errors, failure_advice
from .models import Deployment
from .plan import TAG_HUB, TAG_MODEL_ID, TAG_VERSION

#: ``map(fn, items)``: the service's thread pool (each thread keeps its boto3 clients).
Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]]


class Endpoints:
    """Read our endpoints: one by name (with its tags), or every one in the region."""

    def __init__(self, aws: AwsContext) -> None:
        self.aws = aws

    @property
    def _sm(self) -> Any:
        return self.aws.client("sagemaker")

    def describe_ours(self, name: str) -> tuple[dict[str, Any], dict[str, str]]:
        """DescribeEndpoint + its tags; NotFound unless jumpstart-lab created it."""
        try:
            with deployment_errors(f"Endpoint {name}"):
                endpoint = self._sm.describe_endpoint(EndpointName=name)
        except InvalidInput as exc:
            if "could not find" in exc.message.lower():
                raise NotFound(f"No deployment named {name!r}.", code="NotFound") from exc
            raise
        tags = self.tags(endpoint["EndpointArn"])
        if TAG_MODEL_ID not in tags:
            raise NotFound(f"Endpoint {name!r} was not deployed by jumpstart-lab.", code="NotFound")
        return endpoint, tags

    def tags(self, arn: str) -> dict[str, str]:
        with deployment_errors("Reading endpoint tags"):
            pages = self._sm.get_paginator("list_tags").paginate(ResourceArn=arn)
            return {t["Key"]: t["Value"] for page in pages for t in page.get("Tags", [])}

    def config(self, config_name: str | None) -> dict[str, Any] | None:
        """DescribeEndpointConfig (None if there is none or it is gone)."""
        if not config_name:
            return None
        try:
            with deployment_errors("Reading the endpoint configuration"):
                return self._sm.describe_endpoint_config(EndpointConfigName=config_name)
        except (NotFound, InvalidInput):
            return None

    def deployment(self, endpoint: dict[str, Any], tags: dict[str, str]) -> Deployment:
        """A Deployment from DescribeEndpoint and the endpoint's tags (its first production variant's settings)."""
        config = self.config(endpoint.get("EndpointConfigName")) or {}
        variant = (config.get("ProductionVariants") or [{}])[0]
        status = endpoint.get("EndpointStatus", "Unknown")
        reason = endpoint.get("FailureReason") or None
        return Deployment(
            endpoint_name=endpoint["EndpointName"],
            status=status,
            hub=tags.get(TAG_HUB),
            model_id=tags.get(TAG_MODEL_ID),
            version=tags.get(TAG_VERSION),
            instance_type=variant.get("InstanceType"),
            instance_count=variant.get("InitialInstanceCount"),
            created_at=endpoint.get("CreationTime"),
            failure_reason=reason,
            advice=failure_advice(reason, variant.get("InstanceType"), endpoint["EndpointName"])
            if status == "Failed"
            else None,
        )

    def all_ours(self, pool_map: Mapper) -> tuple[list[Deployment], set[str]]:
        """Our deployments, newest first, and the names of every endpoint in the region.

        One ListTags per endpoint and one DescribeEndpointConfig per deployment, run through ``pool_map`` so
        a long endpoint list stays fast.
        """
        with deployment_errors("Listing endpoints"):
            pages = self._sm.get_paginator("list_endpoints").paginate(SortBy="CreationTime", SortOrder="Descending")
            summaries = [s for page in pages for s in page.get("Endpoints", [])]
        found = [d for d in pool_map(self._summary_to_deployment, summaries) if d is not None]
        return found, {s["EndpointName"] for s in summaries}

    def _summary_to_deployment(self, summary: dict[str, Any]) -> Deployment | None:
        try:
            tags = self.tags(summary["EndpointArn"])
            if TAG_MODEL_ID not in tags:
                return None
            with deployment_errors(f"Endpoint {summary['EndpointName']}"):  # the summary lacks config and reason
                endpoint = self._sm.describe_endpoint(EndpointName=summary["EndpointName"])
        except (NotFound, InvalidInput):  # deleted meanwhile
            return None
        return self.deployment(endpoint, tags)
