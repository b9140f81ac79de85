"""How the local service refuses bad input through plain boto3 and on the wire, and how it pages past 100 items."""

from __future__ import annotations

import json
import urllib.request

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from local_api_support import LLAMA, PUBLIC, PUBLIC_ARN, code_of
from service_support import aws_client, own_service

# --- validation (server side, from botocore's model) ---------------------------------------------


@pytest.mark.parametrize(
    ("call", "kwargs", "where"),
    [
        ("list_hub_contents", {"HubName": PUBLIC, "HubContentType": "Bogus"}, "hubContentType"),
        ("list_hub_contents", {"HubName": PUBLIC, "HubContentType": "Model", "MaxResults": 101}, "maxResults"),
        (
            "list_hub_contents",
            {"HubName": PUBLIC, "HubContentType": "Model", "NameContains": "bad name!"},
            "nameContains",
        ),
        ("list_hubs", {"MaxResults": 500}, "maxResults"),
        ("describe_hub", {"HubName": "bad_hub_name"}, "hubName"),
        ("describe_hub", {"HubName": "arn:aws:sagemaker:us-west-2:12:hub/x"}, "hubName"),
        ("create_hub", {"HubName": "ok-name", "HubDescription": "x" * 1024}, "hubDescription"),
        (
            "create_hub",
            {"HubName": "ok-name", "HubDescription": "d", "HubSearchKeywords": ["Upper"]},
            "hubSearchKeywords",
        ),
        ("create_hub", {"HubName": "a" * 64, "HubDescription": "d"}, "hubName"),
        (
            "describe_hub_content",
            {"HubName": PUBLIC, "HubContentType": "Model", "HubContentName": LLAMA, "HubContentVersion": "v1.0.0"},
            "hubContentVersion",
        ),
        (
            "create_hub_content_reference",
            {"HubName": "CompanyHub", "SageMakerPublicHubContentArn": "arn:aws:s3:::bucket"},
            "sageMakerPublicHubContentArn",
        ),
    ],
)
def test_server_side_validation(sm, call, kwargs, where):
    with pytest.raises(ClientError) as exc:
        getattr(sm, call)(**kwargs)
    assert code_of(exc) == "ValidationException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert f"at '{where}" in exc.value.response["Error"]["Message"]


def test_client_side_min_checks_still_apply(sm):
    with pytest.raises(ParamValidationError):
        sm.list_hubs(MaxResults=0)


def test_bad_next_token(sm):
    with pytest.raises(ClientError) as exc:
        sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", NextToken="garbage")
    assert code_of(exc) == "ValidationException"
    token = sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", MaxResults=1)["NextToken"]
    with pytest.raises(ClientError) as exc:
        sm.list_hub_contents(HubName="CompanyHub", HubContentType="ModelReference", NextToken=token)
    assert code_of(exc) == "ValidationException"


# --- wire format of errors -----------------------------------------------------------------------


def test_error_wire_shape(local_service):
    body = json.dumps({"HubName": "does-not-exist"}).encode()
    req = urllib.request.Request(local_service, data=body, method="POST")
    req.add_header("X-Amz-Target", "SageMaker.DescribeHub")
    req.add_header("Content-Type", "application/x-amz-json-1.1")
    req.add_header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AK/20260101/us-west-2/sagemaker/aws4_request, SignedHeaders=host, Signature=0",
    )
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req)
    err = exc.value
    assert err.code == 400
    assert err.headers["x-amzn-ErrorType"].startswith("ResourceNotFound:")
    assert err.headers["x-amzn-RequestId"]
    payload = json.loads(err.read())
    assert payload == {"__type": "ResourceNotFound", "message": "Hub does-not-exist does not exist."}


# --- paging over more than 100 items (separate service with synthetic models) ---------------------


@pytest.fixture(scope="module")
def big_service():
    yield from own_service(JUMPSTART_LAB_LOCAL_EXTRA_MODELS="150")


def test_paging_over_more_than_100_models(big_service):
    sm = aws_client(big_service, max_attempts=0)  # no retries: a transient error fails the paging check
    names, token, pages = [], None, 0
    while True:
        page = sm.list_hub_contents(
            HubName=PUBLIC_ARN, HubContentType="Model", MaxResults=100, **({"NextToken": token} if token else {})
        )
        pages += 1
        assert len(page["HubContentSummaries"]) <= 100
        names += [c["HubContentName"] for c in page["HubContentSummaries"]]
        token = page.get("NextToken")
        if not token:
            break
    assert pages == 3 and len(names) == len(set(names)) == 70 + 150
    assert names == sorted(names)
    small = sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", MaxResults=7)
    assert len(small["HubContentSummaries"]) == 7 and small["NextToken"]
    synthetic = sm.describe_hub_content(HubName=PUBLIC, HubContentType="Model", HubContentName=names[-1])
    assert json.loads(synthetic["HubContentDocument"])["ModelTypes"] == ["OPEN_WEIGHTS"]
