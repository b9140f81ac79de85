"""The hub browsing API against the real server (pytest-jupyter) and the local service: hubs, paging,
facets, filters, sort, hubs by name or ARN."""

from __future__ import annotations

import json
import urllib.parse
from collections import Counter

import pytest
from hubs_api_support import (
    COMPANY_ARN,
    FLAN,
    LLAMA,
    PARTNER_ARN,
    PUBLIC,
    PUBLIC_ARN,
    all_pages,
    complete_page,
    counts,
    document,
    public_models,
)

# -- hubs ------------------------------------------------------------------------------------


async def test_list_hubs_public_private_and_ram_shared(api):
    r = await api("GET", "hubs")
    assert r.code == 200
    body = r.json()
    hubs = {h["name"]: h for h in body["hubs"]}
    assert body["unavailable"] == []
    assert hubs[PUBLIC]["kind"] == "public" and hubs[PUBLIC]["owner_account"] == "aws"
    assert hubs[PUBLIC]["arn"] == PUBLIC_ARN
    company = hubs["CompanyHub"]
    assert company["kind"] == "private" and company["owner_account"] == "123456789012"
    assert company["display_name"] == "Allowlisted Models"
    assert company["description"] == "These are allowlisted models taken from the JumpStart Public Hub."
    assert company["status"] == "InService"
    assert hubs["ResearchHub"]["kind"] == "private"
    # PartnerHub is only discoverable through RAM (not ListHubs)
    assert hubs["PartnerHub"]["kind"] == "shared" and hubs["PartnerHub"]["owner_account"] == "111122223333"
    assert hubs["PartnerHub"]["arn"] == PARTNER_ARN
    assert body["hubs"][0]["kind"] == "public"


# -- models: paging, facets, filters --------------------------------------------------------


async def test_paging_adds_up_to_total_in_name_order(api, boto):
    expected = sorted(public_models(boto))
    models, pages = await all_pages(api, PUBLIC, limit="37")
    ids = [m["model_id"] for m in models]
    assert ids == expected
    assert all(p["total"] == len(expected) for p in pages[1:])
    assert all(len(p["models"]) == 37 for p in pages[:-1])
    first = pages[0]
    assert first["models"][0]["model_id"] == expected[0]


async def test_default_page_and_summary_fields(api, boto):
    r = await api("GET", f"hubs/{PUBLIC}/models", params={"q": LLAMA})
    assert r.code == 200
    page = r.json()
    assert page["total"] == 1 and page["next_cursor"] is None and page["complete"] is True
    llama = page["models"][0]
    doc = document(boto, LLAMA)
    assert llama == {
        "hub": PUBLIC,
        "model_id": LLAMA,
        "version": "4.19.0",
        "display_name": llama["display_name"],
        "description": llama["description"],
        "provider": "meta",
        "task": "text-generation",
        "framework": "meta",
        "license": doc["License"],
        "gated": True,
        "trainable": True,
        "model_type": "open_weights",
        "content_type": "Model",
    }
    assert llama["display_name"] and "demo" in llama["description"].lower()
    r = await api("GET", f"hubs/{PUBLIC}/models")
    assert len(r.json()["models"]) == 50


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"task": "text-generation"},
        {"provider": "meta"},
        {"framework": "huggingface"},
        {"license": "Apache 2.0"},
        {"gated": "true"},
        {"gated": "false"},
        {"trainable": "true"},
        {"model_type": "proprietary"},
        {"instance_type": "ml.g5.12xlarge"},
        {"q": "llama chat"},
        {"q": "TEXT generation", "gated": "true", "trainable": "false"},
    ],
)
async def test_facets_match_the_filtered_set(api, params):
    # page 1 of a cold hub may come from the first ListHubContents page (complete=false); once the
    # whole catalog is there, every page (page 1 included) comes from it
    first = await complete_page(api, PUBLIC, limit="25", **params)
    models, pages = await all_pages(api, PUBLIC, limit="25", **params)
    assert models, params
    assert first["models"] == pages[0]["models"] and all(p["complete"] for p in pages)
    assert len(models) == first["total"] == len({m["model_id"] for m in models})
    facets = first["facets"]
    assert tuple(facets) == (
        "task",
        "provider",
        "framework",
        "license",
        "gated",
        "trainable",
        "model_type",
        "instance_type",
    )
    for facet in ("task", "provider", "framework", "license", "model_type"):
        assert facets[facet] == counts(models, facet), facet
    for facet in ("gated", "trainable"):  # keyed as the filter takes them: "true" / "false"
        flags = dict(Counter("true" if m[facet] else "false" for m in models))
        assert facets[facet] == flags, facet
    for facet, values in facets.items():  # most frequent first, no empty value
        assert list(values.values()) == sorted(values.values(), reverse=True) and all(values.values()), facet
    # instance types are not on the summaries: each count is the total of the same query filtered by it
    assert facets["instance_type"]
    for instance_type, n in facets["instance_type"].items():
        if "instance_type" in params and instance_type != params["instance_type"]:
            continue
        page = await complete_page(api, PUBLIC, limit="1", **{**params, "instance_type": instance_type})
        assert page["total"] == n, instance_type
    if "instance_type" in params:
        assert facets["instance_type"][params["instance_type"]] == first["total"]


async def test_filters_agree_with_the_documents(api, boto):
    catalog = public_models(boto)
    docs = {name: document(boto, name) for name in catalog}

    async def ids(**params) -> set[str]:
        models, _ = await all_pages(api, PUBLIC, limit="200", **params)
        return {m["model_id"] for m in models}

    gated = {n for n, d in docs.items() if d.get("HostingEulaUri") or d.get("GatedBucket") is True}
    assert gated and await ids(gated="true") == gated
    assert await ids(gated="false") == set(catalog) - gated
    assert await ids(trainable="true") == {n for n, d in docs.items() if d.get("TrainingSupported")}
    assert await ids(model_type="proprietary") == {n for n, d in docs.items() if d["ModelTypes"] == ["PROPRIETARY"]}
    assert await ids(model_type="open_weights") == {n for n, d in docs.items() if d["ModelTypes"] == ["OPEN_WEIGHTS"]}
    assert await ids(license="apache 2.0") == {n for n, d in docs.items() if d.get("License") == "Apache 2.0"}
    on_g5 = {
        n
        for n, d in docs.items()
        if "ml.g5.2xlarge" in d.get("SupportedInferenceInstanceTypes", [])
        or d.get("DefaultInferenceInstanceType") == "ml.g5.2xlarge"
    }
    assert on_g5 and await ids(instance_type="ml.g5.2xlarge") == on_g5
    meta = {n for n, i in catalog.items() if "@provider:meta" in i.get("HubContentSearchKeywords", [])}
    assert meta and await ids(provider="meta") == meta
    assert await ids(provider="meta", gated="true") == meta & gated
    assert await ids(task="no-such-task") == set()
    # free text: every term must match id, display name, description or keywords
    hits = await ids(q="llama 13B")
    assert LLAMA in hits and all("llama" in h for h in hits)


async def test_sort_newest(api, boto):
    catalog = public_models(boto)
    models, _ = await all_pages(api, PUBLIC, sort="newest", limit="40")
    created = [catalog[m["model_id"]]["CreationTime"] for m in models]
    assert len(models) == len(catalog)
    assert created == sorted(created, reverse=True)


# -- name or ARN -----------------------------------------------------------------------------


async def test_hub_by_arn_with_slash_and_fully_encoded(api, http_server_client, jp_auth_header, jp_base_url):
    by_name = await complete_page(api, "CompanyHub", limit="5")
    # the api helper escapes ':' but leaves the ARN's '/' as a path separator
    by_arn = await complete_page(api, COMPANY_ARN, limit="5")
    assert by_arn["models"] == by_name["models"]
    # fully URL-encoded ARN (what a browser's encodeURIComponent sends)
    encoded = urllib.parse.quote(COMPANY_ARN, safe="")
    url = f"{jp_base_url}jumpstart-lab/api/hubs/{encoded}/models?limit=5"
    r = await http_server_client.fetch(url, headers=jp_auth_header)
    assert json.loads(r.body)["models"] == by_name["models"]
    url = f"{jp_base_url}jumpstart-lab/api/hubs/{encoded}/models/{LLAMA}"
    r = await http_server_client.fetch(url, headers=jp_auth_header)
    assert json.loads(r.body)["content_type"] == "ModelReference"
    shared = await api("GET", f"hubs/{PARTNER_ARN}/models")
    assert shared.code == 200
    assert {m["model_id"] for m in shared.json()["models"]} == {FLAN, "huggingface-llm-mistral-7b-instruct"}
