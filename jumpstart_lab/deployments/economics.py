"""What a deployment costs and whether the account's quota allows it: ``deploy-options``, the QuotaExceeded
check before any Create call, and the price and running cost of deployments (estimates, infrastructure only)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from ..aws.session import AwsContext
from ..browse import documents
from ..errors import InvalidInput
from . import hosting as hosting_rules
from .models import Capacity, CapacityList, Deployment, DeploymentList, DeployOptions, FigureSource, InstanceOption
from .pricing import PriceBook, hourly
from .quotas import ACTIVE_STATUSES, QuotaBook, Usage, in_use, request_increase_url

MARKETPLACE_NOTE = (
    "This is an AWS Marketplace model: its software price (see its Marketplace listing) is billed on top of the "
    "instance price shown here."
)
INSTANCE_NOTE = "Prices are on-demand instance prices per hour; endpoints are billed until deleted."
DEMO_NOTE = "Demo figures of the local service, not AWS prices or your account's quotas."


def _when(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, timezone.utc) if epoch is not None else None


class Economics:
    """Prices (a day's cache), quotas (five minutes) and the instances the account's endpoints use (live)."""

    def __init__(self, aws: AwsContext, *, prices: PriceBook | None = None, quotas: QuotaBook | None = None) -> None:
        self.aws = aws
        self.prices = prices or PriceBook(aws)
        self.quotas = quotas or QuotaBook(aws)
        self.clock: Callable[[], float] = time.time

    @property
    def demo(self) -> bool:
        return self.aws.settings.local

    def usage(self, mapper: Callable[..., Any] = map) -> Usage:
        return in_use(self.aws.client("sagemaker"), mapper, self.clock)

    # -- deploy-options --------------------------------------------------------------------
    def options(self, doc: Any, mapper: Callable[..., Any] = map) -> DeployOptions:
        """Every supported inference instance type of ``doc`` with its price, quota, use and free count."""
        document = doc.document
        default = hosting_rules.default_instance_type(document)
        types = hosting_rules.supported_instance_types(document)
        if default and default not in types:
            types.insert(0, default)
        prices = dict(zip(types, mapper(self.prices.price, types), strict=True))
        usage = self.usage(mapper)
        region = self.aws.region
        rows = []
        quota_times: list[float] = []
        for name in types:
            price = prices[name]
            quota = self.quotas.quota(name)
            used = usage.counts.get(name, 0) if usage.counts is not None else None
            reason = quota.reason or (usage.reason if quota.value is not None and used is None else None)
            rows.append(
                InstanceOption(
                    name=name,
                    default=name == default,
                    price_per_hour=price.per_hour,
                    currency=price.currency,
                    price_reason=price.reason,
                    quota=quota.value,
                    quota_code=quota.code,
                    quota_reason=reason,
                    in_use=used,
                    available=max(quota.value - used, 0) if quota.value is not None and used is not None else None,
                    request_increase_url=request_increase_url(region, quota.code),
                )
            )
        quota_times.append(self.quotas.table().fetched_at)
        marketplace = documents.marketplace(document) is not None
        now = self.clock()
        oldest_price = min((p.fetched_at for p in prices.values()), default=None)
        return DeployOptions(
            hub=doc.hub_name,
            model_id=doc.model_id,
            version=doc.version,
            region=region,
            instance_types=rows,
            marketplace=marketplace,
            note=" ".join(
                [INSTANCE_NOTE, *([MARKETPLACE_NOTE] if marketplace else []), *([DEMO_NOTE] if self.demo else [])]
            ),
            sources={
                "price": self._source(self.prices.source, oldest_price, now),
                "quota": self._source(self.quotas.source, min(quota_times), now),
                "in_use": self._source("SageMaker ListEndpoints / DescribeEndpointConfig", usage.fetched_at, now),
            },
        )

    def _source(self, source: str, fetched: float | None, now: float) -> FigureSource:
        return FigureSource(
            source=source,
            fetched_at=_when(fetched),
            age_seconds=round(max(now - fetched, 0.0), 1) if fetched is not None else None,
            demo=self.demo,
        )

    def capacity(self, mapper: Callable[..., Any] = map) -> CapacityList:
        """Every instance type with an applied endpoint quota, with its use and free count."""
        table = self.quotas.table()
        usage = self.usage(mapper)
        region = self.aws.region
        rows = [
            Capacity(
                name=name,
                quota=value,
                quota_code=code or None,
                in_use=usage.counts.get(name, 0) if usage.counts is not None else None,
                available=max(value - usage.counts.get(name, 0), 0) if usage.counts is not None else None,
                request_increase_url=request_increase_url(region, code),
            )
            for name, (value, code) in sorted(table.applied.items())
        ]
        now = self.clock()
        return CapacityList(
            instance_types=rows,
            reason=table.error or usage.reason,
            sources={
                "quota": self._source(self.quotas.source, table.fetched_at, now),
                "in_use": self._source("SageMaker ListEndpoints / DescribeEndpointConfig", usage.fetched_at, now),
            },
        )

    # -- the quota check -----------------------------------------------------------------
    def check(self, instance_type: str, count: int, mapper: Callable[..., Any] = map) -> None:
        """QuotaExceeded (400) when ``count`` more instances of the type do not fit the quota; unknown passes."""
        quota = self.quotas.quota(instance_type)
        if quota.value is None:
            return
        usage = self.usage(mapper)
        if usage.counts is None:
            return
        used = usage.counts.get(instance_type, 0)
        if used + count <= quota.value:
            return
        free = max(quota.value - used, 0)
        url = request_increase_url(self.aws.region, quota.code)
        raise InvalidInput(
            f"Your account's quota for {instance_type} for endpoint usage is {quota.value}; {used} in use by running "
            f"endpoints, {free} free, and this deployment asks for {count}. Choose another instance type, delete an "
            f"endpoint, or request a quota increase" + (f": {url}" if url else " in the Service Quotas console."),
            code="QuotaExceeded",
            field="instance_count" if free else "instance_type",
            instance_type=instance_type,
            quota=quota.value,
            in_use=used,
            requested=count,
            available=free,
            quota_code=quota.code,
            request_increase_url=url,
        )

    # -- running cost -----------------------------------------------------------------------
    def annotate(self, deployment: Deployment, *, lookup: bool = True) -> Deployment:
        """``deployment`` with its hourly price and estimated cost so far."""
        if not deployment.instance_type:
            return deployment
        price = self.prices.price(deployment.instance_type) if lookup else self.prices.cached(deployment.instance_type)
        per_hour = hourly(price, deployment.instance_count)
        cost = None
        deleted = deployment.status == "Deleted"
        if (
            per_hour is not None
            and deployment.created_at is not None
            and deployment.status != "Failed"
            and (deployment.deleted_at is not None or not deleted)  # deleted elsewhere: when is not known
        ):
            end = deployment.deleted_at or datetime.fromtimestamp(self.clock(), timezone.utc)
            hours = max((end - deployment.created_at).total_seconds(), 0.0) / 3600
            cost = round(per_hour * hours, 4)
        return deployment.model_copy(
            update={
                "price_per_hour": per_hour,
                "currency": price.currency if price is not None and per_hour is not None else None,
                "cost_so_far": cost,
                "price_reason": price.reason if price is not None else None,
            }
        )

    def totals(self, deployments: list[Deployment]) -> DeploymentList:
        """The list with the running count and the sums the Endpoints view shows."""
        running = [d for d in deployments if d.status in ACTIVE_STATUSES]
        hourly_prices = [d.price_per_hour for d in running]
        costs = [d.cost_so_far for d in deployments if d.cost_so_far is not None]
        known = all(p is not None for p in hourly_prices)
        return DeploymentList(
            deployments=deployments,
            running=len(running),
            total_price_per_hour=round(sum(p or 0.0 for p in hourly_prices), 4) if known else None,
            total_cost_so_far=round(sum(costs), 4) if costs else (0.0 if not deployments else None),
            currency="USD" if costs or (known and running) else None,
            demo_prices=self.demo,
        )
