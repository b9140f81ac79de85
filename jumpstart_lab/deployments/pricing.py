"""On-demand prices of SageMaker hosting instances from the AWS Price List API, cached for a day.

``pricing:GetProducts(ServiceCode="AmazonSageMaker", Filters=[instanceName, regionCode, component=Hosting])``;
each ``PriceList`` item is a JSON string whose on-demand USD rate is under
``terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD`` (unit ``Hrs``). The items are checked again here (the
component and instance name of every product, exactly one price): the SageMaker SDK's own lookup takes the
first item and can answer a training or notebook price. A price that cannot be had is ``None`` with the reason.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..aws.errors import aws_errors
from ..aws.session import AwsContext
from ..errors import AccessDenied, JumpStartLabError

log = logging.getLogger(__name__)

SERVICE_CODE = "AmazonSageMaker"
COMPONENT = "Hosting"
CURRENCY = "USD"
PRICE_TTL_SECONDS = 24 * 3600.0
FAILURE_TTL_SECONDS = 300.0  # a denied or failed lookup is tried again after five minutes


def endpoint_region(region: str) -> str:
    """The Price List API's endpoint nearest to ``region`` (it has three: us-east-1, eu-central-1, ap-south-1)."""
    if region.startswith(("eu-", "me-", "af-", "il-")):
        return "eu-central-1"
    if region.startswith("ap-"):
        return "ap-south-1"
    return "us-east-1"


@dataclass(frozen=True)
class Price:
    """USD per instance-hour of one instance type, or why it is unknown."""

    instance_type: str
    per_hour: float | None
    fetched_at: float
    reason: str | None = None

    @property
    def currency(self) -> str | None:
        return CURRENCY if self.per_hour is not None else None


def hosting_price(
    items: Iterable[str], instance_type: str, region: str, component: str = COMPONENT
) -> tuple[float | None, str | None]:
    """The one on-demand hourly USD rate of the ``component`` (Hosting, Training) products among ``items``
    (``(None, reason)`` if not exactly one)."""
    rates: set[float] = set()
    for raw in items:
        try:
            item = json.loads(raw) if isinstance(raw, str) else raw
            attributes = item["product"]["attributes"]
        except (ValueError, KeyError, TypeError):
            continue
        if attributes.get("component") != component or attributes.get("instanceName") != instance_type:
            continue
        if attributes.get("regionCode", region) != region:
            continue
        for term in (item.get("terms") or {}).get("OnDemand", {}).values():
            for dimension in (term.get("priceDimensions") or {}).values():
                usd = (dimension.get("pricePerUnit") or {}).get(CURRENCY)
                if dimension.get("unit") != "Hrs" or usd is None:
                    continue
                try:
                    rates.add(float(usd))
                except ValueError:
                    continue
    if len(rates) == 1:
        return rates.pop(), None
    kind = component.lower()
    if not rates:
        return None, f"The AWS Price List has no on-demand {kind} price for {instance_type} in {region}."
    listed = ", ".join(f"{r:g}" for r in sorted(rates))
    return None, f"The AWS Price List has several {kind} prices for {instance_type} in {region} ({listed})."


class PriceBook:
    """Hourly hosting prices per instance type for one region, cached for ``ttl`` seconds."""

    def __init__(
        self,
        aws: AwsContext,
        *,
        ttl: float = PRICE_TTL_SECONDS,
        failure_ttl: float = FAILURE_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.aws = aws
        self.ttl = ttl
        self.failure_ttl = failure_ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, str], Price] = {}

    @property
    def region(self) -> str:
        return self.aws.region

    @property
    def source(self) -> str:
        return f"AWS Price List API (pricing:GetProducts, {endpoint_region(self.region)})"

    def price(self, instance_type: str, component: str = COMPONENT) -> Price:
        """The cached price, or a fresh lookup when it is older than a day (five minutes for a failure);
        ``component`` "Training" for training jobs."""
        key = (self.region, component, instance_type)
        now = self.clock()
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and now - cached.fetched_at < (
            self.ttl if cached.per_hour is not None else self.failure_ttl
        ):
            return cached
        price = self._fetch(instance_type, now, component)
        with self._lock:
            self._cache[key] = price
        return price

    def cached(self, instance_type: str) -> Price | None:
        """The cached price (any age) without calling AWS."""
        with self._lock:
            return self._cache.get((self.region, COMPONENT, instance_type))

    def _fetch(self, instance_type: str, now: float, component: str) -> Price:
        region = self.region
        client = self.aws.client("pricing", region=endpoint_region(region))
        filters = [
            {"Type": "TERM_MATCH", "Field": "instanceName", "Value": instance_type},
            {"Type": "TERM_MATCH", "Field": "regionCode", "Value": region},
            {"Type": "TERM_MATCH", "Field": "component", "Value": component},
        ]
        try:
            with aws_errors("Reading the price"):
                pages = client.get_paginator("get_products").paginate(
                    ServiceCode=SERVICE_CODE, Filters=filters, FormatVersion="aws_v1"
                )
                items = [item for page in pages for item in page.get("PriceList", [])]
        except AccessDenied as exc:
            reason = f"Not allowed to read prices (pricing:GetProducts): {exc.message}"
            return Price(instance_type, None, now, reason)
        except JumpStartLabError as exc:
            log.info("jumpstart_lab: price of %s unknown: %s", instance_type, exc.message)
            return Price(instance_type, None, now, f"The AWS Price List API did not answer: {exc.message}")
        value, reason = hosting_price(items, instance_type, region, component)
        return Price(instance_type, value, now, reason)


def hourly(price: Price | None, count: int | None) -> float | None:
    """``count`` instances at ``price`` per hour (None if either is unknown)."""
    if price is None or price.per_hour is None or count is None:
        return None
    return round(price.per_hour * count, 4)


def prices(book: PriceBook, types: list[str], mapper: Callable[..., Any] = map) -> dict[str, Price]:
    """Prices of several types (``mapper``: a thread pool's ``map`` to look them up in parallel)."""
    return dict(zip(types, mapper(book.price, types), strict=True))
