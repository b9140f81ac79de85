"""The seeded demo catalog of the local service, read through plain boto3."""

from __future__ import annotations

import json
import uuid

import pytest
from service_support import aws_client

from jumpstart_lab.local import demo_documents, demo_entries
from jumpstart_lab.local.seed import ACME_DOCUMENT

REGION = "us-west-2"
PUBLIC_HUB_ARN = f"arn:aws:sagemaker:{REGION}:aws:hub/SageMakerPublicHub"
COMPANY_ARN = f"arn:aws:sagemaker:{REGION}:123456789012:hub/CompanyHub"
PARTNER_ARN = f"arn:aws:sagemaker:{REGION}:111122223333:hub/PartnerHub"


def list_all(sm, **kwargs):
    items, token = [], None
    while True:
        page = sm.list_hub_contents(**kwargs, **({"NextToken": token} if token else {}))
        items += page["HubContentSummaries"]
        token = page.get("NextToken")
        if not token:
            return items


def documents(sm, hub, ctype="Model"):
    out = {}
    for item in list_all(sm, HubName=hub, HubContentType=ctype, MaxResults=100):
        d = sm.describe_hub_content(HubName=hub, HubContentType=ctype, HubContentName=item["HubContentName"])
        out[item["HubContentName"]] = (d, json.loads(d["HubContentDocument"]))
    return out


@pytest.fixture(scope="module")
def public_docs(local_service):
    return documents(aws_client(local_service, max_attempts=4), "SageMakerPublicHub")


def test_list_hubs_shows_own_and_public_hubs_but_not_shared(boto):
    hubs = {h["HubName"]: h for h in boto("sagemaker").list_hubs()["HubSummaries"]}
    assert {"SageMakerPublicHub", "CompanyHub", "ResearchHub"} <= set(hubs)
    assert "PartnerHub" not in hubs
    assert hubs["SageMakerPublicHub"]["HubArn"] == PUBLIC_HUB_ARN
    assert hubs["CompanyHub"]["HubDisplayName"] == "Allowlisted Models"
    assert hubs["CompanyHub"]["HubDescription"] == "These are allowlisted models taken from the JumpStart Public Hub."
    assert hubs["ResearchHub"]["HubDisplayName"] == "Research sandbox"


def test_public_hub_has_the_demo_catalog(public_docs):
    assert len(public_docs) >= 60
    providers = {doc["Provider"] for _, doc in public_docs.values()}
    assert {"meta", "huggingface", "ai21", "stabilityai", "amazon", "mistral", "cohere"} <= providers
    assert len({doc["Task"] for _, doc in public_docs.values()}) >= 8
    assert len({doc["Framework"] for _, doc in public_docs.values()}) >= 6
    assert len({doc["License"] for _, doc in public_docs.values()}) >= 6
    gated = [n for n, (_, doc) in public_docs.items() if doc.get("HostingEulaUri") or doc.get("GatedBucket") is True]
    assert 10 <= len(gated) < len(public_docs)
    proprietary = [n for n, (_, doc) in public_docs.items() if doc["ModelTypes"] == ["PROPRIETARY"]]
    assert len(proprietary) >= 5
    for name in proprietary:
        doc = public_docs[name][1]
        assert doc["HostingModelPackageArn"].startswith(f"arn:aws:sagemaker:{REGION}:")
        assert doc["ModelSubscriptionLink"].startswith("https://aws.amazon.com/marketplace/")
        assert doc["ListingId"] and doc["ProductId"]
    trainable = [n for n, (_, doc) in public_docs.items() if doc["TrainingSupported"]]
    assert 10 <= len(trainable) < len(public_docs)


def test_every_public_document_is_labelled_and_fills_browse_fields(public_docs):
    for name, (desc, doc) in public_docs.items():
        assert "demo catalog" in desc["HubContentDescription"].lower(), name
        assert "demo catalog" in desc["HubContentMarkdown"].lower(), name
        assert desc["HubContentDisplayName"], name
        words = desc["HubContentSearchKeywords"]
        assert any(w.startswith("@task:") for w in words) and any(w.startswith("@provider:") for w in words), name
        assert any(w.startswith("@framework:") for w in words), name
        for key in (
            "Task",
            "Provider",
            "Framework",
            "License",
            "ModelTypes",
            "Url",
            "MinSdkVersion",
            "DefaultInferenceInstanceType",
            "SupportedInferenceInstanceTypes",
            "Capabilities",
        ):
            assert key in doc, (name, key)
        if doc["TrainingSupported"]:
            assert doc["Hyperparameters"] and doc["DefaultTrainingInstanceType"], name
            assert doc["SupportedTrainingInstanceTypes"], name
        if doc["Task"] == "Text Generation":
            assert "SAGEMAKER_EVALUATE" in doc["Capabilities"], name
        if doc["ModelTypes"] == ["OPEN_WEIGHTS"]:
            assert doc["HostingArtifactUri"].startswith("s3://"), name
            assert doc.get("HostingEcrUri") or doc.get("HostingInstanceTypeVariants"), name
            assert doc["NotebookLocations"]["DemoNotebooks"], name
        if "DefaultPayloads" in doc:
            assert all(p["ContentType"] for p in doc["DefaultPayloads"].values()), name
        assert "us-east-1" not in desc["HubContentDocument"], name


def test_every_seeded_document_validates_against_sagemaker_core():
    from sagemaker.core.jumpstart.models import HubContentDocument

    entries = demo_entries.load_entries() + demo_entries.synthetic_entries(7)
    models = demo_documents.public_models(entries, REGION)
    assert len(models) > 70
    for m in models:
        HubContentDocument(**m.document)  # raises on any schema error
    HubContentDocument(**ACME_DOCUMENT)


def test_named_models(boto, public_docs):
    desc, doc = public_docs["meta-textgeneration-llama-2-13b-f"]
    assert doc["HostingEulaUri"] == "s3://jumpstart-cache-prod-us-west-2/fmhMetadata/eula/llamaEula.txt"
    assert doc["TrainingSupported"] is True and doc["Framework"] == "meta"
    _, flan = public_docs["huggingface-text2text-flan-t5-base"]
    assert "HostingEulaUri" not in flan and flan["GatedBucket"] is False
    sm = boto("sagemaker")
    versions = sm.list_hub_content_versions(
        HubName="SageMakerPublicHub", HubContentType="Model", HubContentName="meta-textgeneration-llama-2-13b-f"
    )
    assert [v["HubContentVersion"] for v in versions["HubContentSummaries"]] == ["4.18.0", "4.19.0"]
    assert desc["HubContentVersion"] == "4.19.0"
    multi = [e for e in demo_entries.load_entries() if len(e.versions) >= 2]
    assert len(multi) >= 5


def test_company_hub_references_every_meta_model(boto, public_docs):
    sm = boto("sagemaker")
    meta = {n for n, (_, doc) in public_docs.items() if doc["Framework"] == "meta"}
    refs = list_all(sm, HubName="CompanyHub", HubContentType="ModelReference")
    assert {r["HubContentName"] for r in refs} == meta
    assert list_all(sm, HubName="CompanyHub", HubContentType="Model") == []
    d = sm.describe_hub_content(
        HubName=COMPANY_ARN, HubContentType="ModelReference", HubContentName="meta-textgeneration-llama-2-13b-f"
    )
    assert d["SageMakerPublicHubContentArn"] == (
        f"arn:aws:sagemaker:{REGION}:aws:hub-content/SageMakerPublicHub/Model/meta-textgeneration-llama-2-13b-f/4.19.0"
    )
    assert d["HubContentArn"].startswith(
        f"arn:aws:sagemaker:{REGION}:123456789012:hub-content/CompanyHub/ModelReference/"
    )
    assert json.loads(d["HubContentDocument"]) == public_docs["meta-textgeneration-llama-2-13b-f"][1]


def test_research_hub_holds_an_imported_private_model(boto):
    sm = boto("sagemaker")
    models = list_all(sm, HubName="ResearchHub", HubContentType="Model")
    assert [m["HubContentName"] for m in models] == ["acme-custom-llm"]
    d = sm.describe_hub_content(HubName="ResearchHub", HubContentType="Model", HubContentName="acme-custom-llm")
    assert "SageMakerPublicHubContentArn" not in d
    assert json.loads(d["HubContentDocument"])["Provider"] == "acme"


def test_partner_hub_is_shared_through_ram_not_listed(boto):
    resources = boto("ram").list_resources(resourceOwner="OTHER-ACCOUNTS", resourceType="sagemaker:Hub")["resources"]
    assert [r["arn"] for r in resources] == [PARTNER_ARN]
    # Hubs this account shares (other tests may share some) never include the partner's hub.
    own = boto("ram").list_resources(resourceOwner="SELF", resourceType="sagemaker:Hub")["resources"]
    assert PARTNER_ARN not in [r["arn"] for r in own]
    sm = boto("sagemaker")
    assert "PartnerHub" not in {h["HubName"] for h in sm.list_hubs()["HubSummaries"]}
    hub = sm.describe_hub(HubName=PARTNER_ARN)
    assert hub["HubArn"] == PARTNER_ARN
    assert list_all(sm, HubName=PARTNER_ARN, HubContentType="ModelReference")
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.describe_hub(HubName="PartnerHub")  # not the caller's hub by name


def test_eula_objects_manifest_and_specs_in_the_content_bucket(boto, public_docs):
    s3 = boto("s3")
    bucket = "jumpstart-cache-prod-us-west-2"
    for name, (_, doc) in public_docs.items():
        if doc.get("HostingEulaUri"):
            eula_bucket, key = doc["HostingEulaUri"][5:].split("/", 1)
            text = s3.get_object(Bucket=eula_bucket, Key=key)["Body"].read().decode()
            assert "DEMO EULA TEXT" in text, name
    manifest = json.loads(s3.get_object(Bucket=bucket, Key="models_manifest.json")["Body"].read())
    listed = {m["model_id"] for m in manifest}
    open_models = {n for n, (_, doc) in public_docs.items() if doc["ModelTypes"] == ["OPEN_WEIGHTS"]}
    assert open_models <= listed
    item = next(
        m for m in manifest if m["model_id"] == "meta-textgeneration-llama-2-13b-f" and m["version"] == "4.19.0"
    )
    spec = json.loads(s3.get_object(Bucket=bucket, Key=item["spec_key"])["Body"].read())
    assert spec["model_id"] == "meta-textgeneration-llama-2-13b-f" and spec["version"] == "4.19.0"
    assert spec["hosting_eula_key"] == "fmhMetadata/eula/llamaEula.txt" and spec["gated_bucket"] is True
    proprietary = json.loads(s3.get_object(Bucket=bucket, Key="proprietary-sdk-manifest.json")["Body"].read())
    assert {m["model_id"] for m in proprietary} >= {"ai21-jurassic-2-light", "cohere-command-r-plus"}


def test_execution_role_exists_with_sagemaker_trust(boto):
    role = boto("iam").get_role(RoleName="SageMakerRole")["Role"]
    assert role["Arn"] == "arn:aws:iam::123456789012:role/SageMakerRole"
    policy = role["AssumeRolePolicyDocument"]
    policy = json.loads(policy) if isinstance(policy, str) else policy
    assert policy["Statement"][0]["Principal"]["Service"] == "sagemaker.amazonaws.com"


def test_ram_resource_share_of_a_private_hub(boto):
    sm, ram = boto("sagemaker"), boto("ram")
    name = f"ShareHub-{uuid.uuid4().hex[:6]}"
    arn = sm.create_hub(HubName=name, HubDescription="shared")["HubArn"]
    perm = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerHubReadAndUse"
    share = ram.create_resource_share(
        name=f"{name}-share", resourceArns=[arn], principals=["444455556666"], permissionArns=[perm]
    )["resourceShare"]
    assert share["status"] == "ACTIVE" and share["owningAccountId"] == "123456789012"
    arn_share = share["resourceShareArn"]
    principals = ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[arn_share])
    assert [(a["associatedEntity"], a["status"]) for a in principals["resourceShareAssociations"]] == [
        ("444455556666", "ASSOCIATED")
    ]
    resources = ram.get_resource_share_associations(associationType="RESOURCE", resourceArn=arn)
    assert [a["resourceShareArn"] for a in resources["resourceShareAssociations"]] == [arn_share]
    perms = ram.list_resource_share_permissions(resourceShareArn=arn_share)["permissions"]
    assert [p["arn"] for p in perms] == [perm]
    mine = ram.list_resources(resourceOwner="SELF", resourceType="sagemaker:Hub")["resources"]
    assert arn in {r["arn"] for r in mine}
    shares = ram.get_resource_shares(resourceOwner="SELF", resourceShareArns=[arn_share])["resourceShares"]
    assert [s["name"] for s in shares] == [f"{name}-share"]
    ram.associate_resource_share(resourceShareArn=arn_share, principals=["777788889999"])
    ram.disassociate_resource_share(resourceShareArn=arn_share, principals=["444455556666"])
    live = ram.get_resource_share_associations(
        associationType="PRINCIPAL", resourceShareArns=[arn_share], associationStatus="ASSOCIATED"
    )["resourceShareAssociations"]
    assert [a["associatedEntity"] for a in live] == ["777788889999"]
    assert ram.delete_resource_share(resourceShareArn=arn_share)["returnValue"] is True
    assert ram.get_resource_shares(resourceOwner="SELF", resourceShareArns=[arn_share])["resourceShares"] == []
    with pytest.raises(ram.exceptions.UnknownResourceException):
        ram.create_resource_share(name="x", resourceArns=[f"{arn}-missing"], principals=["444455556666"])
    with pytest.raises(ram.exceptions.UnknownResourceException):
        ram.associate_resource_share(resourceShareArn=arn_share, principals=["444455556666"])
    sm.delete_hub(HubName=name)
    partner = ram.get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"]
    assert [s["owningAccountId"] for s in partner] == ["111122223333"]
