"""The local service's Price List API and Service Quotas for SageMaker, through plain boto3 clients."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from economics_support import start_service
from service_support import aws_client

from jumpstart_lab.deployments.pricing import hosting_price
from jumpstart_lab.local.economics import DEFAULT_ENDPOINT_QUOTAS, parse_quotas


@pytest.fixture(scope="module")
def local_service():
    yield from start_service(JUMPSTART_LAB_LOCAL_QUOTAS="ml.g5.12xlarge=5,ml.m5.large=0")


def client(url: str, service: str, region: str = "us-west-2"):
    return aws_client(url, service, region=region)


def term(field: str, value: str) -> dict:
    return {"Type": "TERM_MATCH", "Field": field, "Value": value}


def test_get_products_filters_by_instance_region_and_component(local_service):
    pricing = client(local_service, "pricing", "us-east-1")
    base = [term("instanceName", "ml.g5.12xlarge"), term("regionCode", "us-west-2")]
    every = pricing.get_products(ServiceCode="AmazonSageMaker", Filters=base)["PriceList"]
    components = sorted(json.loads(p)["product"]["attributes"]["component"] for p in every)
    assert components == ["Hosting", "Notebook", "Training"]  # why the component must be filtered
    hosting = pricing.get_products(ServiceCode="AmazonSageMaker", Filters=[*base, term("component", "Hosting")])
    assert hosting["FormatVersion"] == "aws_v1" and len(hosting["PriceList"]) == 1
    item = json.loads(hosting["PriceList"][0])
    (dimension,) = [d for t in item["terms"]["OnDemand"].values() for d in t["priceDimensions"].values()]
    assert (dimension["unit"], float(dimension["pricePerUnit"]["USD"])) == ("Hrs", 7.09)
    assert hosting_price(every, "ml.g5.12xlarge", "us-west-2") == (7.09, None)  # our parser keeps Hosting only


def test_get_products_pages_and_rejects_bad_input(local_service):
    pricing = client(local_service, "pricing", "us-east-1")
    pages = pricing.get_paginator("get_products").paginate(
        ServiceCode="AmazonSageMaker",
        Filters=[term("regionCode", "us-west-2"), term("component", "Hosting")],
        PaginationConfig={"PageSize": 10},
    )
    sizes = [len(p["PriceList"]) for p in pages]
    assert len(sizes) > 1 and max(sizes) == 10
    assert pricing.get_products(ServiceCode="AmazonEC2", Filters=[])["PriceList"] == []
    with pytest.raises(ClientError) as err:
        pricing.get_products(ServiceCode="AmazonSageMaker", Filters=[{"Type": "CONTAINS", "Field": "x", "Value": "y"}])
    assert err.value.response["Error"]["Code"] == "InvalidParameterException"


def test_service_quotas_applied_from_the_knob_and_aws_defaults(local_service):
    quotas = client(local_service, "service-quotas")
    applied = {
        q["QuotaName"]: q
        for page in quotas.get_paginator("list_service_quotas").paginate(ServiceCode="sagemaker")
        for q in page["Quotas"]
    }
    g5 = applied["ml.g5.12xlarge for endpoint usage"]
    assert (g5["Value"], g5["ServiceCode"], g5["Unit"]) == (5.0, "sagemaker", "None")
    assert g5["QuotaArn"].endswith(f":sagemaker/{g5['QuotaCode']}")
    assert applied["ml.m5.large for endpoint usage"]["Value"] == 0.0
    assert applied["ml.p4d.24xlarge for endpoint usage"]["Value"] == 0.0  # the default leaves it at 0
    assert "ml.g5.12xlarge for training job usage" in applied
    defaults = {
        q["QuotaName"]: q["Value"]
        for page in quotas.get_paginator("list_aws_default_service_quotas").paginate(ServiceCode="sagemaker")
        for q in page["Quotas"]
    }
    assert defaults["ml.g5.12xlarge for endpoint usage"] == 1.0
    with pytest.raises(ClientError) as err:
        quotas.list_service_quotas(ServiceCode="nosuchservice")
    assert err.value.response["Error"]["Code"] == "NoSuchResourceException"


def test_quota_knob_parsing():
    assert parse_quotas("ml.g5.12xlarge=2, ml.p4d.24xlarge=0,") == {"ml.g5.12xlarge": 2, "ml.p4d.24xlarge": 0}
    for bad in ("g5=2", "ml.g5.12xlarge", "ml.g5.12xlarge=-1", "ml.g5.12xlarge=two"):
        with pytest.raises(ValueError, match="JUMPSTART_LAB_LOCAL_QUOTAS"):
            parse_quotas(bad)
    assert 0 in DEFAULT_ENDPOINT_QUOTAS.values() and max(DEFAULT_ENDPOINT_QUOTAS.values()) > 0


def test_hosting_price_needs_exactly_one_rate():
    def item(component: str, usd: str, name: str = "ml.x.large") -> str:
        dims = {"d": {"unit": "Hrs", "pricePerUnit": {"USD": usd}}}
        attributes = {"component": component, "instanceName": name, "regionCode": "us-west-2"}
        return json.dumps(
            {"product": {"attributes": attributes}, "terms": {"OnDemand": {"t": {"priceDimensions": dims}}}}
        )

    assert hosting_price([item("Training", "2"), item("Hosting", "1.5")], "ml.x.large", "us-west-2") == (1.5, None)
    value, reason = hosting_price([item("Training", "2")], "ml.x.large", "us-west-2")
    assert value is None and "no on-demand hosting price" in reason
    value, reason = hosting_price([item("Hosting", "1"), item("Hosting", "3")], "ml.x.large", "us-west-2")
    assert value is None and "several" in reason
