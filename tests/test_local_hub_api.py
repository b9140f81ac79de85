"""The 15 hub operations of the local service through plain boto3: behaviour, paging, validation, errors."""

from __future__ import annotations

import json
import urllib.request
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

from jumpstart_lab.local.process import LocalServiceProcess

REGION = "us-west-2"
ACCOUNT = "123456789012"
PUBLIC = "SageMakerPublicHub"
PUBLIC_ARN = f"arn:aws:sagemaker:{REGION}:aws:hub/{PUBLIC}"
LLAMA = "meta-textgeneration-llama-2-13b-f"
FLAN = "huggingface-text2text-flan-t5-base"


def public_content_arn(name: str, version: str | None = None) -> str:
    arn = f"arn:aws:sagemaker:{REGION}:aws:hub-content/{PUBLIC}/Model/{name}"
    return f"{arn}/{version}" if version else arn


def code_of(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return exc.value.response["Error"]["Code"]


@pytest.fixture
def sm(boto):
    return boto("sagemaker")


@pytest.fixture
def hub(sm):
    """A fresh private hub (deleted with its contents afterwards); yields (name, arn)."""
    name = f"test-hub-{uuid.uuid4().hex[:8]}"
    arn = sm.create_hub(HubName=name, HubDescription="test hub", HubDisplayName="Test hub")["HubArn"]
    yield name, arn
    for ctype in ("Model", "ModelReference", "Notebook"):
        for item in sm.list_hub_contents(HubName=name, HubContentType=ctype)["HubContentSummaries"]:
            if ctype == "ModelReference":
                sm.delete_hub_content_reference(
                    HubName=name, HubContentType=ctype, HubContentName=item["HubContentName"]
                )
                continue
            versions = sm.list_hub_content_versions(
                HubName=name, HubContentType=ctype, HubContentName=item["HubContentName"]
            )
            for v in versions["HubContentSummaries"]:
                sm.delete_hub_content(
                    HubName=name,
                    HubContentType=ctype,
                    HubContentName=item["HubContentName"],
                    HubContentVersion=v["HubContentVersion"],
                )
    sm.delete_hub(HubName=name)


def both(name: str, arn: str) -> list[str]:
    return [name, arn]


# --- hubs --------------------------------------------------------------------------------------


def test_hub_lifecycle_by_name_and_arn(sm):
    name = f"life-{uuid.uuid4().hex[:8]}"
    arn = sm.create_hub(
        HubName=name,
        HubDescription="d",
        HubSearchKeywords=["team-a"],
        S3StorageConfig={"S3OutputPath": "s3://bucket/hubs/"},
    )["HubArn"]
    assert arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:hub/{name}"
    with pytest.raises(ClientError) as exc:
        sm.create_hub(HubName=name, HubDescription="again")
    assert code_of(exc) == "ResourceInUse"
    for ref in (name, arn):
        d = sm.describe_hub(HubName=ref)
        assert (d["HubName"], d["HubArn"], d["HubStatus"]) == (name, arn, "InService")
        assert d["S3StorageConfig"] == {"S3OutputPath": "s3://bucket/hubs/"}
    assert sm.update_hub(HubName=arn, HubDescription="new", HubDisplayName="New name")["HubArn"] == arn
    d = sm.describe_hub(HubName=name)
    assert (d["HubDescription"], d["HubDisplayName"]) == ("new", "New name")
    assert name in {h["HubName"] for h in sm.list_hubs(NameContains=name[:8])["HubSummaries"]}
    sm.delete_hub(HubName=arn)
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.describe_hub(HubName=name)
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.delete_hub(HubName=name)


def test_public_and_shared_hubs_are_read_only(sm):
    for call in (
        lambda: sm.delete_hub(HubName=PUBLIC),
        lambda: sm.update_hub(HubName=PUBLIC_ARN, HubDescription="x"),
        lambda: sm.delete_hub(HubName=f"arn:aws:sagemaker:{REGION}:111122223333:hub/PartnerHub"),
        lambda: sm.create_hub_content_reference(
            HubName=f"arn:aws:sagemaker:{REGION}:111122223333:hub/PartnerHub",
            SageMakerPublicHubContentArn=public_content_arn(LLAMA),
        ),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert code_of(exc) == "AccessDeniedException"


def test_delete_hub_with_content_is_in_use(sm, hub):
    name, _ = hub
    sm.create_hub_content_reference(HubName=name, SageMakerPublicHubContentArn=public_content_arn(FLAN))
    with pytest.raises(ClientError) as exc:
        sm.delete_hub(HubName=name)
    assert code_of(exc) == "ResourceInUse"


def test_list_hubs_sort_and_filters(sm, hub):
    name, _ = hub
    names = [h["HubName"] for h in sm.list_hubs(SortBy="HubName", SortOrder="Descending")["HubSummaries"]]
    assert names == sorted(names, key=str.lower, reverse=True)
    assert [h["HubName"] for h in sm.list_hubs(NameContains=name)["HubSummaries"]] == [name]
    page = sm.list_hubs(MaxResults=1)
    assert len(page["HubSummaries"]) == 1 and page["NextToken"]
    rest = sm.list_hubs(MaxResults=100, NextToken=page["NextToken"])["HubSummaries"]
    assert page["HubSummaries"][0]["HubName"] not in {h["HubName"] for h in rest}


# --- content: list / versions / describe ---------------------------------------------------------


@pytest.mark.parametrize("hub_ref", [PUBLIC, PUBLIC_ARN])
def test_list_describe_versions_accept_name_or_arn(sm, hub_ref):
    listed = sm.list_hub_contents(HubName=hub_ref, HubContentType="Model", NameContains="flan-t5-base")
    assert [c["HubContentName"] for c in listed["HubContentSummaries"]] == [FLAN]
    summary = listed["HubContentSummaries"][0]
    assert summary["HubContentVersion"] == "2.3.0"  # latest version per name
    assert "HubContentDocument" not in summary and "HubContentMarkdown" not in summary
    versions = sm.list_hub_content_versions(HubName=hub_ref, HubContentType="Model", HubContentName=FLAN)
    assert [v["HubContentVersion"] for v in versions["HubContentSummaries"]] == ["2.2.3", "2.3.0"]
    old = sm.describe_hub_content(
        HubName=hub_ref, HubContentType="Model", HubContentName=FLAN, HubContentVersion="2.2.3"
    )
    assert old["HubContentVersion"] == "2.2.3" and old["HubArn"] == PUBLIC_ARN
    assert old["HubContentArn"] == public_content_arn(FLAN, "2.2.3")
    assert isinstance(old["HubContentDocument"], str) and json.loads(old["HubContentDocument"])["Url"]


def test_list_contents_sorting_and_filters(sm):
    desc = sm.list_hub_contents(
        HubName=PUBLIC, HubContentType="Model", SortBy="HubContentName", SortOrder="Descending", MaxResults=100
    )["HubContentSummaries"]
    names = [c["HubContentName"] for c in desc]
    assert names == sorted(names, reverse=True)
    assert sm.list_hub_contents(HubName=PUBLIC, HubContentType="Notebook")["HubContentSummaries"] == []
    by_time = sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", SortBy="CreationTime", MaxResults=100)
    times = [c["CreationTime"] for c in by_time["HubContentSummaries"]]
    assert times == sorted(times)
    late = sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", CreationTimeAfter=times[-3], MaxResults=100)
    assert len(late["HubContentSummaries"]) == 2


def test_versions_min_version_and_not_found(sm):
    v = sm.list_hub_content_versions(HubName=PUBLIC, HubContentType="Model", HubContentName=LLAMA, MinVersion="4.19.0")
    assert [x["HubContentVersion"] for x in v["HubContentSummaries"]] == ["4.19.0"]
    # v2 SDK relies on ResourceNotFound when a name has no versions of that type
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.list_hub_content_versions(HubName="CompanyHub", HubContentType="Model", HubContentName=LLAMA)
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.describe_hub_content(HubName=PUBLIC, HubContentType="Model", HubContentName=LLAMA, HubContentVersion="9.9.9")
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.describe_hub_content(HubName=PUBLIC, HubContentType="Model", HubContentName="no-such-model")
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.list_hub_contents(HubName="no-such-hub", HubContentType="Model")


# --- imported content ----------------------------------------------------------------------------

DOC = json.dumps(
    {
        "Url": "https://example.com",
        "ModelTypes": ["OPEN_WEIGHTS"],
        "TrainingSupported": False,
        "IncrementalTrainingSupported": False,
        "Task": "Text Generation",
    }
)


def test_import_update_delete_hub_content(sm, hub):
    name, arn = hub
    for version in ("1.0.0", "1.2.0"):
        r = sm.import_hub_content(
            HubName=arn,
            HubContentName="my-model",
            HubContentVersion=version,
            HubContentType="Model",
            DocumentSchemaVersion="2.3.0",
            HubContentDocument=DOC,
            HubContentDisplayName="My model",
            HubContentSearchKeywords=["@task:text-generation"],
        )
        assert r["HubContentArn"] == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:hub-content/{name}/Model/my-model/{version}"
        assert r["HubArn"] == arn
    with pytest.raises(ClientError) as exc:
        sm.import_hub_content(
            HubName=name,
            HubContentName="my-model",
            HubContentVersion="1.0.0",
            HubContentType="Model",
            DocumentSchemaVersion="2.3.0",
            HubContentDocument=DOC,
        )
    assert code_of(exc) == "ResourceInUse"
    with pytest.raises(ClientError) as exc:
        sm.import_hub_content(
            HubName=name,
            HubContentName="bad-doc",
            HubContentType="Model",
            DocumentSchemaVersion="2.3.0",
            HubContentDocument="{not json",
        )
    assert code_of(exc) == "ValidationException"
    d = sm.describe_hub_content(HubName=name, HubContentType="Model", HubContentName="my-model")
    assert d["HubContentVersion"] == "1.2.0" and json.loads(d["HubContentDocument"])["Task"] == "Text Generation"
    sm.update_hub_content(
        HubName=name,
        HubContentType="Model",
        HubContentName="my-model",
        HubContentVersion="1.2.0",
        HubContentDescription="updated",
        SupportStatus="Deprecated",
    )
    d = sm.describe_hub_content(HubName=name, HubContentType="Model", HubContentName="my-model")
    assert (d["HubContentDescription"], d["SupportStatus"]) == ("updated", "Deprecated")
    with pytest.raises(ClientError) as exc:
        sm.update_hub_content(
            HubName=name, HubContentType="Model", HubContentName="my-model", HubContentVersion="1.2.0"
        )
    assert code_of(exc) == "ValidationException"
    sm.delete_hub_content(HubName=name, HubContentType="Model", HubContentName="my-model", HubContentVersion="1.2.0")
    d = sm.describe_hub_content(HubName=name, HubContentType="Model", HubContentName="my-model")
    assert d["HubContentVersion"] == "1.0.0"
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.delete_hub_content(
            HubName=name, HubContentType="Model", HubContentName="my-model", HubContentVersion="1.2.0"
        )


def test_import_into_public_hub_is_denied(sm):
    with pytest.raises(ClientError) as exc:
        sm.import_hub_content(
            HubName=PUBLIC,
            HubContentName="x",
            HubContentType="Model",
            DocumentSchemaVersion="2.3.0",
            HubContentDocument=DOC,
        )
    assert code_of(exc) == "AccessDeniedException"


# --- references ----------------------------------------------------------------------------------


def test_hub_content_references(sm, hub):
    name, arn = hub
    r = sm.create_hub_content_reference(
        HubName=arn, SageMakerPublicHubContentArn=public_content_arn(LLAMA, "4.18.0"), MinVersion="4.18.0"
    )
    assert (
        r["HubContentArn"] == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:hub-content/{name}/ModelReference/{LLAMA}/4.18.0"
    )
    alias = sm.create_hub_content_reference(
        HubName=name, SageMakerPublicHubContentArn=public_content_arn(FLAN), HubContentName="flan-alias"
    )
    assert alias["HubContentArn"].endswith("/ModelReference/flan-alias/2.3.0")
    with pytest.raises(ClientError) as exc:
        sm.create_hub_content_reference(HubName=name, SageMakerPublicHubContentArn=public_content_arn(LLAMA))
    assert code_of(exc) == "ResourceInUse"
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.create_hub_content_reference(HubName=name, SageMakerPublicHubContentArn=public_content_arn("no-such-model"))
    d = sm.describe_hub_content(HubName=name, HubContentType="ModelReference", HubContentName=LLAMA)
    assert d["SageMakerPublicHubContentArn"] == public_content_arn(LLAMA, "4.18.0")
    assert d["ReferenceMinVersion"] == "4.18.0"
    public_doc = sm.describe_hub_content(
        HubName=PUBLIC, HubContentType="Model", HubContentName=LLAMA, HubContentVersion="4.18.0"
    )["HubContentDocument"]
    assert d["HubContentDocument"] == public_doc
    alias_doc = sm.describe_hub_content(HubName=name, HubContentType="ModelReference", HubContentName="flan-alias")
    assert json.loads(alias_doc["HubContentDocument"])["Url"] == "https://huggingface.co/google/flan-t5-base"
    sm.update_hub_content_reference(
        HubName=name, HubContentName=LLAMA, HubContentType="ModelReference", MinVersion="4.0.0"
    )
    d = sm.describe_hub_content(HubName=arn, HubContentType="ModelReference", HubContentName=LLAMA)
    assert d["ReferenceMinVersion"] == "4.0.0"
    with pytest.raises(ClientError) as exc:
        sm.update_hub_content_reference(HubName=name, HubContentName=LLAMA, HubContentType="Model")
    assert code_of(exc) == "ValidationException"
    sm.delete_hub_content_reference(HubName=name, HubContentType="ModelReference", HubContentName="flan-alias")
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.delete_hub_content_reference(HubName=name, HubContentType="ModelReference", HubContentName="flan-alias")
    listed = sm.list_hub_contents(HubName=name, HubContentType="ModelReference")["HubContentSummaries"]
    assert [(c["HubContentName"], c["SageMakerPublicHubContentArn"]) for c in listed] == [
        (LLAMA, public_content_arn(LLAMA, "4.18.0"))
    ]


# --- presigned URLs ------------------------------------------------------------------------------


def test_presigned_urls_require_eula_for_gated_models(sm):
    with pytest.raises(ClientError) as exc:
        sm.create_hub_content_presigned_urls(HubName=PUBLIC, HubContentType="Model", HubContentName=LLAMA)
    assert code_of(exc) == "ValidationException"
    assert "AcceptEula value must be explicitly defined as True" in exc.value.response["Error"]["Message"]
    pages = sm.get_paginator("create_hub_content_presigned_urls").paginate(
        HubName="CompanyHub",
        HubContentType="ModelReference",
        HubContentName=LLAMA,
        AccessConfig={"AcceptEula": True},
        PaginationConfig={"PageSize": 3},
    )
    configs = [c for page in pages for c in page["AuthorizedUrlConfigs"]]
    assert len(configs) >= 4 and len({c["LocalPath"] for c in configs}) == len(configs)
    assert all(c["Url"].startswith("https://jumpstart-private-cache-prod-us-west-2.s3.") for c in configs)
    open_model = sm.create_hub_content_presigned_urls(HubName=PUBLIC, HubContentType="Model", HubContentName=FLAN)
    assert open_model["AuthorizedUrlConfigs"]


def test_every_content_operation_takes_the_hub_arn_and_versions_page_past_100(sm, hub):
    name, arn = hub
    versions = [f"1.0.{n}" for n in range(105)]
    for version in versions:
        sm.import_hub_content(
            HubName=arn,
            HubContentName="many",
            HubContentVersion=version,
            HubContentType="Model",
            DocumentSchemaVersion="2.3.0",
            HubContentDocument=DOC,
        )
    sizes, listed, token = [], [], None
    while True:  # botocore has no paginator for ListHubContentVersions
        page = sm.list_hub_content_versions(
            HubName=arn,
            HubContentType="Model",
            HubContentName="many",
            MaxResults=100,
            **({"NextToken": token} if token else {}),
        )
        sizes.append(len(page["HubContentSummaries"]))
        listed += [c["HubContentVersion"] for c in page["HubContentSummaries"]]
        token = page.get("NextToken")
        if not token:
            break
    assert sizes == [100, 5] and sorted(listed) == sorted(versions)

    sm.update_hub_content(
        HubName=arn,
        HubContentType="Model",
        HubContentName="many",
        HubContentVersion="1.0.104",
        SupportStatus="Deprecated",
    )
    sm.delete_hub_content(HubName=arn, HubContentType="Model", HubContentName="many", HubContentVersion="1.0.104")
    latest = sm.describe_hub_content(HubName=name, HubContentType="Model", HubContentName="many")
    assert latest["HubContentVersion"] == "1.0.103"

    sm.create_hub_content_reference(HubName=arn, SageMakerPublicHubContentArn=public_content_arn(FLAN))
    sm.update_hub_content_reference(
        HubName=arn, HubContentName=FLAN, HubContentType="ModelReference", MinVersion="1.0.0"
    )
    urls = sm.create_hub_content_presigned_urls(HubName=arn, HubContentType="ModelReference", HubContentName=FLAN)
    assert urls["AuthorizedUrlConfigs"]
    sm.delete_hub_content_reference(HubName=arn, HubContentType="ModelReference", HubContentName=FLAN)
    assert not sm.list_hub_contents(HubName=name, HubContentType="ModelReference")["HubContentSummaries"]
    for version in versions[:104]:
        sm.delete_hub_content(HubName=name, HubContentType="Model", HubContentName="many", HubContentVersion=version)


def test_hub_limit_is_resource_limit_exceeded(local_service):
    """50 private hubs per account and region (another region than the other tests use)."""
    sm = boto3.client(
        "sagemaker",
        endpoint_url=local_service,
        region_name="us-east-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    names = [f"limit-hub-{n}" for n in range(60)]
    created = []
    try:
        with pytest.raises(ClientError) as exc:
            for name in names:
                sm.create_hub(HubName=name, HubDescription="limit test")
                created.append(name)
        assert code_of(exc) == "ResourceLimitExceeded" and "limit of 50 hubs" in exc.value.response["Error"]["Message"]
        assert len(created) == len([h for h in sm.list_hubs(MaxResults=100)["HubSummaries"] if h["HubName"] in names])
    finally:
        for name in created:
            sm.delete_hub(HubName=name)


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
    proc = LocalServiceProcess(env={"JUMPSTART_LAB_LOCAL_EXTRA_MODELS": "150"})
    yield proc.start()
    proc.stop()


def test_paging_over_more_than_100_models(big_service):
    sm = boto3.client(
        "sagemaker",
        endpoint_url=big_service,
        region_name=REGION,
        aws_access_key_id="t",
        aws_secret_access_key="t",
        config=Config(retries={"max_attempts": 0}),
    )
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
