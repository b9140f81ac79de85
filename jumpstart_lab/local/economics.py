"""Deploy economics of the local service: the AWS Price List API (``pricing:GetProducts``) for SageMaker and
Service Quotas for SageMaker (``ListServiceQuotas``, ``ListAWSDefaultServiceQuotas``), shaped as botocore's
models describe them. moto has no pricing service and a minimal servicequotas, so the hub layer routes both here.

Prices are demo figures close to the public on-demand list prices of us-west-2 (USD per hour); every instance
type has a Hosting, a Training and a Notebook product, so a client that does not filter ``component`` gets the
wrong one, as on AWS. Quotas: each type has an "<type> for endpoint usage" and "<type> for training job usage"
quota; the applied endpoint values come from ``JUMPSTART_LAB_LOCAL_QUOTAS`` over :data:`DEFAULT_ENDPOINT_QUOTAS`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from .errors import AwsError
from .settings import ACCOUNT

SERVICES = ("pricing", "servicequotas")
SAGEMAKER_PRICING_CODE = "AmazonSageMaker"
QUOTA_SERVICE = "sagemaker"
PAGE_SIZE = 100
LOCATIONS = {"us-west-2": "US West (Oregon)", "us-east-1": "US East (N. Virginia)", "eu-west-1": "EU (Ireland)"}
REGION_PREFIX = {"us-west-2": "USW2", "us-east-1": "USE1", "eu-west-1": "EU"}

#: On-demand Hosting USD per instance-hour (us-west-2 list prices, rounded; demo figures).
HOSTING_PRICES: dict[str, float] = {
    "ml.m4.large": 0.14,
    "ml.m4.xlarge": 0.28,
    "ml.m5.large": 0.115,
    "ml.m5.xlarge": 0.23,
    "ml.m5.2xlarge": 0.461,
    "ml.c5.xlarge": 0.204,
    "ml.c5.2xlarge": 0.408,
    "ml.g4dn.xlarge": 0.7364,
    "ml.g4dn.12xlarge": 4.89,
    "ml.g5.xlarge": 1.408,
    "ml.g5.2xlarge": 1.515,
    "ml.g5.4xlarge": 2.03,
    "ml.g5.8xlarge": 3.06,
    "ml.g5.12xlarge": 7.09,
    "ml.g5.16xlarge": 5.12,
    "ml.g5.24xlarge": 10.18,
    "ml.g5.48xlarge": 20.36,
    "ml.g6.12xlarge": 6.6816,
    "ml.g6.24xlarge": 9.4,
    "ml.g6.48xlarge": 16.4,
    "ml.p3.2xlarge": 3.825,
    "ml.p3.8xlarge": 14.688,
    "ml.p3.16xlarge": 28.152,
    "ml.p3dn.24xlarge": 35.894,
    "ml.p4d.24xlarge": 37.688,
    "ml.p4de.24xlarge": 47.11,
    "ml.p5.48xlarge": 113.07,
}
#: Training and notebook instances cost a little more than hosting ones; only there to be filtered out.
OTHER_COMPONENTS = {"Training": 1.25, "Notebook": 1.3}

#: Applied "<type> for endpoint usage" values when the knob does not name the type: most types have a few
#: instances, the largest GPU types none (as in a new account), so the demo shows both cases.
DEFAULT_ENDPOINT_QUOTAS: dict[str, int] = {
    **{name: 2 for name in HOSTING_PRICES},
    "ml.m5.large": 4,
    "ml.m5.xlarge": 4,
    "ml.g5.48xlarge": 1,
    "ml.p3dn.24xlarge": 0,
    "ml.p4d.24xlarge": 0,
    "ml.p4de.24xlarge": 0,
    "ml.p5.48xlarge": 0,
}
#: AWS's own defaults (ListAWSDefaultServiceQuotas), before any increase.
AWS_DEFAULT_ENDPOINT_QUOTAS: dict[str, int] = {
    name: (0 if value == 0 else 1) for name, value in DEFAULT_ENDPOINT_QUOTAS.items()
}


def parse_quotas(raw: str) -> dict[str, int]:
    """``"ml.g5.12xlarge=2,ml.p4d.24xlarge=0"`` -> ``{type: value}``; ValueError naming a malformed entry."""
    result: dict[str, int] = {}
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name.startswith("ml.") or not value.strip().isdigit():
            raise ValueError(f"JUMPSTART_LAB_LOCAL_QUOTAS: {part!r} is not <instance type>=<count>")
        result[name] = int(value)
    return result


def quota_code(name: str) -> str:
    """A stable ``L-XXXXXXXX`` code for a quota name (AWS's codes look like this)."""
    return "L-" + hashlib.sha1(name.encode()).hexdigest()[:8].upper()  # noqa: S324 - an identifier, not security


class Economics:
    """Answers ``pricing`` and ``servicequotas`` calls for SageMaker."""

    def __init__(self, quotas: Mapping[str, int] | None = None) -> None:
        self.endpoint_quotas = {**DEFAULT_ENDPOINT_QUOTAS, **(quotas or {})}

    def handle(self, service: str, region: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
        if service == "pricing" and action == "GetProducts":
            return self.get_products(params)
        if service == "servicequotas" and action == "ListServiceQuotas":
            return self.list_quotas(region, params, applied=True)
        if service == "servicequotas" and action == "ListAWSDefaultServiceQuotas":
            return self.list_quotas(region, params, applied=False)
        raise AwsError("UnknownOperationException", f"The local service does not implement {service}:{action}.")

    # -- pricing:GetProducts -------------------------------------------------------------------------
    def get_products(self, params: dict[str, Any]) -> dict[str, Any]:
        code = params.get("ServiceCode")
        if not isinstance(code, str) or not code:
            raise AwsError("InvalidParameterException", "ServiceCode is required.")
        if params.get("FormatVersion", "aws_v1") != "aws_v1":
            raise AwsError("InvalidParameterException", "Only FormatVersion aws_v1 is supported.")
        filters = params.get("Filters") or []
        for f in filters:
            if not isinstance(f, dict) or f.get("Type") not in ("TERM_MATCH", "EQUALS") or not f.get("Field"):
                raise AwsError("InvalidParameterException", f"Unsupported filter {f!r} (TERM_MATCH or EQUALS).")
        products = [] if code != SAGEMAKER_PRICING_CODE else self._products()
        matching = [
            p
            for p in products
            if all(str(p["product"]["attributes"].get(f["Field"], "")) == str(f.get("Value")) for f in filters)
        ]
        return _page(matching, params, "PriceList", lambda p: json.dumps(p), extra={"FormatVersion": "aws_v1"})

    def _products(self) -> list[dict[str, Any]]:
        out = []
        for region, location in LOCATIONS.items():
            for name, price in HOSTING_PRICES.items():
                out.append(_product(region, location, name, "Hosting", price))
                for component, factor in OTHER_COMPONENTS.items():
                    out.append(_product(region, location, name, component, round(price * factor, 4)))
        return out

    # -- servicequotas --------------------------------------------------------------------------------
    def list_quotas(self, region: str, params: dict[str, Any], *, applied: bool) -> dict[str, Any]:
        code = params.get("ServiceCode")
        if not isinstance(code, str) or not code:
            raise AwsError("IllegalArgumentException", "ServiceCode is required.")
        if code != QUOTA_SERVICE:
            raise AwsError("NoSuchResourceException", f"The service {code} does not exist or has no quotas.")
        quotas = []
        values = self.endpoint_quotas if applied else AWS_DEFAULT_ENDPOINT_QUOTAS
        for name in sorted(HOSTING_PRICES):
            quotas.append(_quota(region, f"{name} for endpoint usage", values.get(name, 0)))
            quotas.append(_quota(region, f"{name} for training job usage", 2 if applied else 0))
        quotas.append(_quota(region, "Number of endpoints", 20))
        if params.get("QuotaCode"):
            quotas = [q for q in quotas if q["QuotaCode"] == params["QuotaCode"]]
        return _page(quotas, params, "Quotas", lambda q: q)


def _product(region: str, location: str, name: str, component: str, price: float) -> dict[str, Any]:
    sku = hashlib.sha1(f"{region}/{name}/{component}".encode()).hexdigest()[:16].upper()  # noqa: S324
    usage = {"Hosting": "Host", "Training": "Train", "Notebook": "Notebk"}[component]
    term = f"{sku}.JRTCKXETXF"
    return {
        "product": {
            "productFamily": "ML Instance",
            "attributes": {
                "regionCode": region,
                "servicecode": SAGEMAKER_PRICING_CODE,
                "location": location,
                "locationType": "AWS Region",
                "instanceName": name,
                "component": component,
                "usagetype": f"{REGION_PREFIX[region]}-{usage}:{name}",
                "operation": f"Run{component}",
                "servicename": "Amazon SageMaker",
            },
            "sku": sku,
        },
        "serviceCode": SAGEMAKER_PRICING_CODE,
        "terms": {
            "OnDemand": {
                term: {
                    "priceDimensions": {
                        f"{term}.6YS6EN2CT7": {
                            "unit": "Hrs",
                            "endRange": "Inf",
                            "description": f"${price} per {component} {name} hour in {location}",
                            "appliesTo": [],
                            "rateCode": f"{term}.6YS6EN2CT7",
                            "beginRange": "0",
                            "pricePerUnit": {"USD": f"{price:.10f}"},
                        }
                    },
                    "sku": sku,
                    "effectiveDate": "2025-11-01T00:00:00Z",
                    "offerTermCode": "JRTCKXETXF",
                    "termAttributes": {},
                }
            }
        },
        "version": "20251101000000",
        "publicationDate": "2025-11-01T00:00:00Z",
    }


def _quota(region: str, name: str, value: int) -> dict[str, Any]:
    code = quota_code(name)
    return {
        "ServiceCode": QUOTA_SERVICE,
        "ServiceName": "Amazon SageMaker",
        "QuotaArn": f"arn:aws:servicequotas:{region}:{ACCOUNT}:{QUOTA_SERVICE}/{code}",
        "QuotaCode": code,
        "QuotaName": name,
        "Value": float(value),
        "Unit": "None",
        "Adjustable": True,
        "GlobalQuota": False,
        "QuotaAppliedAtLevel": "ACCOUNT",
    }


def _page(items: list[Any], params: dict[str, Any], key: str, encode: Any, extra: dict | None = None) -> dict:
    """One page of ``items`` (``MaxResults``, ``NextToken`` as an offset)."""
    try:
        size = int(params.get("MaxResults") or PAGE_SIZE)
        start = int(params.get("NextToken") or 0)
    except (TypeError, ValueError):
        raise AwsError("InvalidNextTokenException", "The NextToken is not valid.") from None
    size = max(1, min(size, PAGE_SIZE))
    page = items[start : start + size]
    reply: dict[str, Any] = {**(extra or {}), key: [encode(i) for i in page]}
    if start + size < len(items):
        reply["NextToken"] = str(start + size)
    return reply
