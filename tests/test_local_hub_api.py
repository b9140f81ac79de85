"""The local service's hub operations and content reads through plain boto3: behaviour, sorting, paging, limits."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError
from local_api_support import ACCOUNT, FLAN, LLAMA, PUBLIC, PUBLIC_ARN, REGION, code_of, public_content_arn
from service_support import aws_client

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


def test_delete_hub_with_content_is_in_use(sm, boto_hub):
    name, _ = boto_hub
    sm.create_hub_content_reference(HubName=name, SageMakerPublicHubContentArn=public_content_arn(FLAN))
    with pytest.raises(ClientError) as exc:
        sm.delete_hub(HubName=name)
    assert code_of(exc) == "ResourceInUse"


def test_list_hubs_sort_and_filters(sm, boto_hub):
    name, _ = boto_hub
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


def test_hub_limit_is_resource_limit_exceeded(local_service):
    """50 private hubs per account and region (another region than the other tests use)."""
    sm = aws_client(local_service, region="us-east-2", max_attempts=4)
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
