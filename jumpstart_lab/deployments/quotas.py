"""SageMaker endpoint instance quotas (Service Quotas) and the instances the account's endpoints use.

Quotas: ``ListServiceQuotas(ServiceCode="sagemaker")`` names them "``<instance type>`` for endpoint usage";
a type the applied list lacks is looked up in ``ListAWSDefaultServiceQuotas``. In use: every endpoint of the
account (not only ours) that is Creating, Updating or InService, counted from its endpoint configuration
(instance type x initial count of each production variant). A figure that cannot be had is ``None`` with the
reason; deployment is then not blocked.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..aws.errors import aws_errors
from ..aws.session import AwsContext
from ..errors import AccessDenied, InvalidInput, JumpStartLabError, NotFound

log = logging.getLogger(__name__)

SERVICE_CODE = "sagemaker"
QUOTA_TTL_SECONDS = 300.0  # quotas change when an increase is granted: look again every five minutes
ACTIVE_STATUSES = frozenset({"Creating", "Updating", "InService"})
_ENDPOINT_QUOTA = re.compile(r"^(ml\.[a-z0-9-]+\.[a-z0-9]+) for endpoint usage$")


def request_increase_url(region: str, quota_code: str | None) -> str | None:
    """The Service Quotas console page of that quota, where an increase is requested."""
    if not quota_code:
        return None
    return f"https://{region}.console.aws.amazon.com/servicequotas/home/services/{SERVICE_CODE}/quotas/{quota_code}"


@dataclass(frozen=True)
class Quota:
    """The endpoint quota of one instance type, or why it is unknown."""

    instance_type: str
    value: int | None
    code: str | None
    reason: str | None = None
    source: str | None = None  # "applied" or "AWS default"


@dataclass
class QuotaTable:
    """One read of the account's SageMaker endpoint quotas."""

    fetched_at: float
    applied: dict[str, tuple[int, str]] = field(default_factory=dict)
    defaults: dict[str, tuple[int, str]] | None = None  # read when a type is not in ``applied``
    error: str | None = None
    defaults_error: str | None = None


def endpoint_quotas(quotas: list[dict[str, Any]]) -> dict[str, tuple[int, str]]:
    """``{instance type: (value, quota code)}`` of the "<type> for endpoint usage" quotas."""
    result: dict[str, tuple[int, str]] = {}
    for quota in quotas:
        match = _ENDPOINT_QUOTA.match(str(quota.get("QuotaName", "")))
        value = quota.get("Value")
        if match and isinstance(value, (int, float)):
            result[match[1]] = (int(value), str(quota.get("QuotaCode") or ""))
    return result


class QuotaBook:
    """The account's endpoint instance quotas, read at most every ``ttl`` seconds."""

    def __init__(
        self, aws: AwsContext, *, ttl: float = QUOTA_TTL_SECONDS, clock: Callable[[], float] = time.time
    ) -> None:
        self.aws = aws
        self.ttl = ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._table: QuotaTable | None = None

    source = "Service Quotas (servicequotas:ListServiceQuotas)"

    def table(self) -> QuotaTable:
        with self._lock:
            table = self._table
            if table is None or self.clock() - table.fetched_at >= self.ttl:
                table = self._table = self._read(self._list_quotas, "ListServiceQuotas")
            return table

    def quota(self, instance_type: str) -> Quota:
        table = self.table()
        if table.error:
            return Quota(instance_type, None, None, table.error)
        if instance_type in table.applied:
            value, code = table.applied[instance_type]
            return Quota(instance_type, value, code, source="applied")
        with self._lock:
            if table.defaults is None and table.defaults_error is None:
                defaults = self._read(self._list_defaults, "ListAWSDefaultServiceQuotas")
                table.defaults, table.defaults_error = (defaults.applied, defaults.error)
        if table.defaults and instance_type in table.defaults:
            value, code = table.defaults[instance_type]
            return Quota(instance_type, value, code, source="AWS default")
        reason = table.defaults_error or f"Service Quotas lists no quota named '{instance_type} for endpoint usage'."
        return Quota(instance_type, None, None, reason)

    def _read(self, call: Callable[[], list[dict[str, Any]]], operation: str) -> QuotaTable:
        now = self.clock()
        try:
            with aws_errors("Reading the SageMaker quotas"):
                return QuotaTable(now, endpoint_quotas(call()))
        except AccessDenied as exc:
            return QuotaTable(now, error=f"Not allowed to read quotas (servicequotas:{operation}): {exc.message}")
        except JumpStartLabError as exc:
            log.info("jumpstart_lab: quotas unknown: %s", exc.message)
            return QuotaTable(now, error=f"Service Quotas did not answer: {exc.message}")

    def _list_quotas(self) -> list[dict[str, Any]]:
        pages = (
            self.aws.client("service-quotas").get_paginator("list_service_quotas").paginate(ServiceCode=SERVICE_CODE)
        )
        return [q for page in pages for q in page.get("Quotas", [])]

    def _list_defaults(self) -> list[dict[str, Any]]:
        paginator = self.aws.client("service-quotas").get_paginator("list_aws_default_service_quotas")
        return [q for page in paginator.paginate(ServiceCode=SERVICE_CODE) for q in page.get("Quotas", [])]


@dataclass(frozen=True)
class Usage:
    """Instances per type held by the account's active endpoints (``counts`` None: unknown, with ``reason``)."""

    counts: dict[str, int] | None
    fetched_at: float
    reason: str | None = None
    endpoints: int = 0


def in_use(sm: Any, mapper: Callable[..., Any] = map, clock: Callable[[], float] = time.time) -> Usage:
    """Count the instances of every Creating / Updating / InService endpoint of the account, by type."""
    now = clock()
    try:
        with aws_errors("Listing endpoints"):
            summaries = [
                s
                for page in sm.get_paginator("list_endpoints").paginate()
                for s in page.get("Endpoints", [])
                if s.get("EndpointStatus") in ACTIVE_STATUSES
            ]
        counts: dict[str, int] = {}
        for variants in mapper(lambda s: _variants(sm, s["EndpointName"]), summaries):
            for instance_type, count in variants:
                counts[instance_type] = counts.get(instance_type, 0) + count
    except JumpStartLabError as exc:
        log.info("jumpstart_lab: instances in use unknown: %s", exc.message)
        return Usage(None, now, f"The endpoints in use could not be counted: {exc.message}")
    return Usage(counts, now, endpoints=len(summaries))


def _variants(sm: Any, name: str) -> list[tuple[str, int]]:
    """(instance type, count) of each instance-based production variant of that endpoint ([] if it is gone)."""
    try:
        with aws_errors(f"Endpoint {name}"):
            endpoint = sm.describe_endpoint(EndpointName=name)
            config = sm.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
    except (NotFound, InvalidInput):  # deleted meanwhile
        return []
    return [
        (v["InstanceType"], int(v.get("InitialInstanceCount") or 0))
        for v in config.get("ProductionVariants") or []
        if v.get("InstanceType")
    ]
