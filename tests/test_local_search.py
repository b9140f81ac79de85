"""The local service's Search(Resource="HubContent") and ListHubContents filters, through plain boto3."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

PUBLIC = "SageMakerPublicHub"
LLAMA = "meta-textgeneration-llama-2-13b-f"


def search_all(sm, **kwargs):
    records, token, calls = [], None, 0
    while True:
        reply = sm.search(Resource="HubContent", **kwargs, **({"NextToken": token} if token else {}))
        calls += 1
        records += [r["HubContent"] for r in reply["Results"]]
        token = reply.get("NextToken")
        if not token:
            return records, calls


def listing(sm, **kwargs):
    items, token = [], None
    while True:
        more = {"NextToken": token} if token else {}
        page = sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", **kwargs, **more)
        items += page["HubContentSummaries"]
        token = page.get("NextToken")
        if not token:
            return items


def hub_filter(*more):
    return {"Filters": [{"Name": "HubName", "Operator": "Equals", "Value": PUBLIC}, *more]}


def test_search_pages_every_public_version_with_its_document(boto):
    sm = boto("sagemaker")
    versions = sum(
        len(sm.list_hub_content_versions(HubName=PUBLIC, HubContentType="Model", HubContentName=i["HubContentName"])[
            "HubContentSummaries"])
        for i in listing(sm, MaxResults=100)
    )  # fmt: skip
    records, calls = search_all(sm, SearchExpression=hub_filter(), MaxResults=25)
    assert len(records) == versions and calls == -(-versions // 25)
    assert len({r["HubContentArn"] for r in records}) == versions
    llama = next(r for r in records if r["HubContentName"] == LLAMA and r["HubContentVersion"] == "4.19.0")
    described = sm.describe_hub_content(HubName=PUBLIC, HubContentType="Model", HubContentName=LLAMA)
    assert json.loads(llama["HubContentDocument"]) == json.loads(described["HubContentDocument"])
    assert llama["HubName"] == PUBLIC and llama["HubContentSearchKeywords"] == described["HubContentSearchKeywords"]
    # default order: LastModifiedTime descending; default page size 10
    first = sm.search(Resource="HubContent", SearchExpression=hub_filter())["Results"]
    assert len(first) == 10
    times = [r["HubContent"]["LastModifiedTime"] for r in first]
    assert times == sorted(times, reverse=True)


def test_search_filters_on_fields_and_document_metadata(boto):
    sm = boto("sagemaker")
    every, _ = search_all(sm, SearchExpression=hub_filter(), MaxResults=100)
    docs = {r["HubContentArn"]: json.loads(r["HubContentDocument"]) for r in every}

    def arns(*filters, **kwargs):
        records, _ = search_all(sm, SearchExpression=hub_filter(*filters), MaxResults=100, **kwargs)
        return {r["HubContentArn"] for r in records}

    meta = arns({"Name": "Metadata.Provider", "Operator": "Equals", "Value": "meta"})
    assert meta and meta == {a for a, d in docs.items() if d.get("Provider") == "meta"}
    gated = arns({"Name": "Metadata.HostingEulaUri", "Operator": "Exists"})
    assert gated and gated == {a for a, d in docs.items() if d.get("HostingEulaUri")}
    assert arns({"Name": "Metadata.HostingEulaUri", "Operator": "NotExists"}) == set(docs) - gated
    custom = arns({"Name": "Metadata.Capabilities", "Operator": "Contains", "Value": "CUSTOMIZATION"})
    assert custom and custom == {a for a, d in docs.items() if "CUSTOMIZATION" in d.get("Capabilities", [])}
    sizes = arns({"Name": "Metadata.ModelSize", "Operator": "In", "Value": "7b,13b"})
    assert sizes == {a for a, d in docs.items() if d.get("ModelSize") in ("7b", "13b")} and sizes
    keyword = arns({"Name": "HubContentSearchKeywords", "Operator": "Contains", "Value": "@task:text-generation"})
    assert keyword == {a for a, d in docs.items() if d.get("Task") == "Text Generation"}
    created = sorted(r["CreationTime"].timestamp() for r in every)
    middle = created[len(created) // 2]
    newer = arns({"Name": "CreationTime", "Operator": "GreaterThanOrEqualTo", "Value": str(middle)})
    assert newer == {r["HubContentArn"] for r in every if r["CreationTime"].timestamp() >= middle}
    either = sm.search(
        Resource="HubContent",
        MaxResults=100,
        SearchExpression={
            "Filters": [{"Name": "HubName", "Operator": "Equals", "Value": PUBLIC}],
            "SubExpressions": [
                {
                    "Operator": "Or",
                    "Filters": [
                        {"Name": "HubContentName", "Operator": "Equals", "Value": LLAMA},
                        {"Name": "HubContentName", "Operator": "Equals", "Value": "huggingface-text2text-flan-t5-base"},
                    ],
                },
            ],
        },
        SortBy="HubContentVersion",
        SortOrder="Ascending",
    )["Results"]
    names = [(r["HubContent"]["HubContentName"], r["HubContent"]["HubContentVersion"]) for r in either]
    wanted = {LLAMA, "huggingface-text2text-flan-t5-base"}
    expected = [(r["HubContentName"], r["HubContentVersion"]) for r in every if r["HubContentName"] in wanted]
    assert sorted(names) == sorted(expected)
    assert [v for _, v in names] == sorted(v for _, v in names)
    # private hubs' content is searchable too; a reference carries the public document
    refs, _ = search_all(sm, SearchExpression={"Filters": [
        {"Name": "HubName", "Operator": "Equals", "Value": "CompanyHub"},
        {"Name": "HubContentName", "Operator": "Equals", "Value": LLAMA}]}, MaxResults=100)  # fmt: skip
    assert [r["HubContentType"] for r in refs] == ["ModelReference"]
    assert json.loads(refs[0]["HubContentDocument"])["HostingEulaUri"]


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"MaxResults": 101}, "less than or equal to 100"),
        ({"SearchExpression": {"Filters": [{"Name": "NoSuchField", "Operator": "Equals", "Value": "x"}]}},
         "not valid for the HubContent resource"),
        ({"SearchExpression": {"Filters": [{"Name": "HubName", "Operator": "Equals"}]}}, "Value is required"),
        ({"SearchExpression": {"Filters": [{"Name": "CreationTime", "Operator": "GreaterThan", "Value": "soon"}]}},
         "not a number or a timestamp"),
        ({"SortBy": "Nope"}, "SortBy property Nope"),
        ({"NextToken": "garbage"}, "NextToken is not valid"),
        ({"SearchExpression": {"NestedFilters": [{"NestedPropertyName": "Tags", "Filters": [
            {"Name": "Tags.Key", "Operator": "Equals", "Value": "a"}]}]}}, "NestedFilters"),
    ],
)  # fmt: skip
def test_search_rejects_bad_requests_as_aws_does(boto, kwargs, fragment):
    with pytest.raises(ClientError) as info:
        boto("sagemaker").search(Resource="HubContent", **kwargs)
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert fragment in info.value.response["Error"]["Message"]


def test_search_token_belongs_to_its_query(boto):
    sm = boto("sagemaker")
    token = sm.search(Resource="HubContent", SearchExpression=hub_filter(), MaxResults=5)["NextToken"]
    with pytest.raises(ClientError) as info:
        sm.search(Resource="HubContent", MaxResults=5, NextToken=token)
    assert "not valid for this request" in info.value.response["Error"]["Message"]


def test_list_hub_contents_time_name_and_sort_filters(boto):
    sm = boto("sagemaker")
    every = listing(sm, MaxResults=100)
    times = sorted(i["CreationTime"] for i in every)
    low, high = times[len(times) // 4], times[3 * len(times) // 4]
    window = listing(sm, MaxResults=7, CreationTimeAfter=low, CreationTimeBefore=high)
    inside = {i["HubContentName"] for i in every if low < i["CreationTime"] < high}
    assert window and {i["HubContentName"] for i in window} == inside
    named = listing(sm, MaxResults=100, NameContains="LLAMA")
    llamas = {i["HubContentName"] for i in every if "llama" in i["HubContentName"]}
    assert named and {i["HubContentName"] for i in named} == llamas
    newest = sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", SortBy="CreationTime", SortOrder="Descending",
                                  MaxResults=3)["HubContentSummaries"]  # fmt: skip
    assert [i["CreationTime"] for i in newest] == sorted(times, reverse=True)[:3]
    by_name = listing(sm, MaxResults=100, SortBy="HubContentName", SortOrder="Descending")
    assert [i["HubContentName"] for i in by_name] == sorted((i["HubContentName"] for i in every), reverse=True)
    with pytest.raises(ClientError) as info:
        sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", NameContains="bad name!")
    assert info.value.response["Error"]["Code"] == "ValidationException"
