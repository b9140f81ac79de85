"""The local service's content writes through plain boto3: import, update, delete, references, presigned URLs."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from local_api_support import ACCOUNT, DOC, FLAN, LLAMA, PUBLIC, REGION, code_of, public_content_arn


def test_import_update_delete_hub_content(sm, boto_hub):
    name, arn = boto_hub
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


def test_hub_content_references(sm, boto_hub):
    name, arn = boto_hub
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


def test_every_content_operation_takes_the_hub_arn_and_versions_page_past_100(sm, boto_hub):
    name, arn = boto_hub
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
