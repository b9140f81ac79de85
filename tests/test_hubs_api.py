"""The hub browsing API against the real server (pytest-jupyter) and the local service."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from collections import Counter

import pytest
import requests
from hub_support import hub_contents

PUBLIC = "SageMakerPublicHub"
PUBLIC_ARN = "arn:aws:sagemaker:us-west-2:aws:hub/SageMakerPublicHub"
COMPANY_ARN = "arn:aws:sagemaker:us-west-2:123456789012:hub/CompanyHub"
PARTNER_ARN = "arn:aws:sagemaker:us-west-2:111122223333:hub/PartnerHub"
LLAMA = "meta-textgeneration-llama-2-13b-f"
FLAN = "huggingface-text2text-flan-t5-base"


def public_models(boto) -> dict[str, dict]:
    """Latest summary of every public model, straight from ListHubContents."""
    return hub_contents(boto("sagemaker"), PUBLIC, "Model")


def document(boto, model_id: str, hub: str = PUBLIC, content_type: str = "Model") -> dict:
    reply = boto("sagemaker").describe_hub_content(HubName=hub, HubContentType=content_type, HubContentName=model_id)
    return json.loads(reply["HubContentDocument"])


async def all_pages(api, hub: str, **params) -> tuple[list[dict], list[dict]]:
    """Every page of a query: (models, pages)."""
    models, pages, cursor = [], [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await api("GET", f"hubs/{hub}/models", params=query)
        assert r.code == 200, r.body
        page = r.json()
        pages.append(page)
        models += page["models"]
        cursor = page["next_cursor"]
        if not cursor:
            return models, pages


async def complete_page(api, hub: str, **params) -> dict:
    """A page as a client sees it once the hub's catalog has loaded: ask again while ``complete`` is false."""
    for _ in range(200):
        r = await api("GET", f"hubs/{hub}/models", params=params)
        assert r.code == 200, r.body
        page = r.json()
        if page["complete"]:
            return page
        await asyncio.sleep(0.1)
    raise AssertionError(f"hubs/{hub}/models stayed incomplete")


def counts(models: list[dict], facet: str) -> dict[str, int]:
    return dict(Counter(m[facet] for m in models if m[facet]))


def emu_log(local_service: str) -> list[dict]:
    return requests.get(f"{local_service}/_emu/log", timeout=10).json()["calls"]


def clear_log(local_service: str) -> None:
    requests.delete(f"{local_service}/_emu/log", timeout=10)


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


# -- details -----------------------------------------------------------------------------------


async def test_model_detail_gated_trainable(api, boto):
    r = await api("GET", f"hubs/{PUBLIC}/models/{LLAMA}")
    assert r.code == 200
    d = r.json()
    doc = document(boto, LLAMA)
    assert d["model_id"] == LLAMA and d["version"] == "4.19.0" and d["versions"] == ["4.19.0", "4.18.0"]
    assert d["gated"] is True and d["eula"] == {"required": True, "uri": doc["HostingEulaUri"]}
    assert d["trainable"] is True and d["training"]["supported"] is True
    assert d["training"]["default_instance_type"] == doc["DefaultTrainingInstanceType"]
    assert d["training"]["supported_instance_types"] == doc["SupportedTrainingInstanceTypes"]
    names = [h["name"] for h in d["training"]["hyperparameters"]]
    assert names == [h["Name"] for h in doc["Hyperparameters"]]
    assert d["inference"] == {
        "default_instance_type": doc["DefaultInferenceInstanceType"],
        "supported_instance_types": doc["SupportedInferenceInstanceTypes"],
    }
    assert d["markdown"].startswith("# ") and d["url"] == doc["Url"]
    assert d["min_sdk_version"] == doc.get("MinSdkVersion")
    assert d["evaluation_supported"] is True
    assert d["notebooks"] and all(n["uri"].startswith("s3://") for n in d["notebooks"])
    assert d["marketplace"] is None
    assert d["hub_content_arn"].endswith(f"/SageMakerPublicHub/Model/{LLAMA}/4.19.0")
    older = (await api("GET", f"hubs/{PUBLIC}/models/{LLAMA}", params={"version": "4.18.0"})).json()
    assert older["version"] == "4.18.0" and older["hub_content_arn"].endswith("/4.18.0")


async def test_model_detail_open_and_proprietary(api, boto):
    flan = (await api("GET", f"hubs/{PUBLIC}/models/{FLAN}")).json()
    assert flan["gated"] is False and flan["eula"] == {"required": False, "uri": None}
    catalog = public_models(boto)
    proprietary = next(n for n in sorted(catalog) if document(boto, n)["ModelTypes"] == ["PROPRIETARY"])
    doc = document(boto, proprietary)
    d = (await api("GET", f"hubs/{PUBLIC}/models/{proprietary}")).json()
    assert d["model_type"] == "proprietary"
    assert d["marketplace"] == {
        "subscription_url": doc.get("ModelSubscriptionLink"),
        "listing_id": doc.get("ListingId"),
        "product_id": doc.get("ProductId"),
    }


async def test_reference_resolves_to_public_document_and_min_version(api, boto):
    sm = boto("sagemaker")
    hub = "H3MinVersionHub"
    public_arn = f"arn:aws:sagemaker:us-west-2:aws:hub-content/{PUBLIC}/Model/{LLAMA}/4.19.0"
    sm.create_hub(HubName=hub, HubDescription="min version test")
    try:
        sm.create_hub_content_reference(HubName=hub, SageMakerPublicHubContentArn=public_arn, MinVersion="4.19.0")
        page = await complete_page(api, hub)
        assert [(m["model_id"], m["content_type"], m["gated"], m["license"]) for m in page["models"]] == [
            (LLAMA, "ModelReference", True, document(boto, LLAMA)["License"])
        ]
        d = (await api("GET", f"hubs/{hub}/models/{LLAMA}")).json()
        assert d["content_type"] == "ModelReference" and d["versions"] == ["4.19.0"]
        assert d["public_content_arn"] == public_arn and d["gated"] is True
        assert d["hub_content_arn"].endswith(f"/{hub}/ModelReference/{LLAMA}/4.19.0")
        r = await api("GET", f"hubs/{hub}/models/{LLAMA}", params={"version": "4.18.0"})
        assert r.code == 404 and "minimum 4.19.0" in r.json()["message"]
        # CompanyHub's reference has no MinVersion: every public version
        company = (await api("GET", f"hubs/CompanyHub/models/{LLAMA}")).json()
        assert company["versions"] == ["4.19.0", "4.18.0"]
        older = (await api("GET", f"hubs/CompanyHub/models/{LLAMA}", params={"version": "4.18.0"})).json()
        assert older["version"] == "4.18.0" and older["public_content_arn"].endswith("/4.18.0")
    finally:
        sm.delete_hub_content_reference(HubName=hub, HubContentType="ModelReference", HubContentName=LLAMA)
        sm.delete_hub(HubName=hub)


async def test_imported_model_in_private_hub(api):
    page = (await api("GET", "hubs/ResearchHub/models")).json()
    acme = next(m for m in page["models"] if m["model_id"] == "acme-custom-llm")
    assert acme["content_type"] == "Model"
    d = (await api("GET", "hubs/ResearchHub/models/acme-custom-llm")).json()
    assert d["content_type"] == "Model" and len(d["versions"]) == 2 and d["public_content_arn"] is None


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("hubs/NoSuchHub/models", {}, 404, "NotFound"),
        ("hubs/bad_hub!/models", {}, 400, "ValidationError"),
        ("hubs/arn:aws:sagemaker:us-west-2:123:hub/X/models", {}, 400, "ValidationError"),
        (f"hubs/{PUBLIC}/models", {"cursor": "not-a-cursor"}, 400, "InvalidCursor"),
        (f"hubs/{PUBLIC}/models", {"limit": "0"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"limit": "201"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"limit": "ten"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"gated": "maybe"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"trainable": "sometimes"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"model_type": "closed"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"sort": "popular"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"instance_type": "gpu-large"}, 400, "ValidationError"),
        (f"hubs/{PUBLIC}/models", {"task": "<script>alert(1)</script>"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"q": "x" * 300}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models", {"color": "blue"}, 400, "InvalidInput"),
        (f"hubs/{PUBLIC}/models/no-such-model", {}, 404, "NotFound"),
        (f"hubs/{PUBLIC}/models/bad_model", {}, 400, "ValidationError"),
        (f"hubs/{PUBLIC}/models/{LLAMA}", {"version": "4.19"}, 400, "ValidationError"),
        (f"hubs/{PUBLIC}/models/{LLAMA}", {"version": "9.9.9"}, 404, "NotFound"),
        ("hubs/CompanyHub/models/no-such-model", {}, 404, "NotFound"),
        ("hubs", {"refresh": "perhaps"}, 400, "InvalidInput"),
    ],
)
async def test_bad_input_gets_a_clear_error(api, path, params, status, code):
    r = await api("GET", path, params=params)
    assert r.code == status, r.body
    body = r.json()
    assert body["code"] == code and body["message"]
    assert "Traceback" not in body["message"]


async def test_not_found_messages_name_what_is_missing(api):
    r = await api("GET", "hubs/NoSuchHub/models")
    assert r.json()["message"] == "Hub NoSuchHub does not exist in this region or is not shared with your account."
    r = await api("GET", f"hubs/{PUBLIC}/models/{LLAMA}", params={"version": "9.9.9"})
    assert r.json()["message"] == f"Version 9.9.9 of model {LLAMA} is not in hub {PUBLIC}."


async def test_cursor_of_another_sort_is_rejected(api):
    page = (await api("GET", f"hubs/{PUBLIC}/models", params={"limit": "3"})).json()
    r = await api("GET", f"hubs/{PUBLIC}/models", params={"cursor": page["next_cursor"], "sort": "newest"})
    assert r.code == 400 and r.json()["code"] == "InvalidCursor"


async def test_unauthenticated_requests_are_refused(http_server_client, jp_base_url):
    from tornado.httpclient import HTTPClientError

    for path in ("hubs", f"hubs/{PUBLIC}/models", f"hubs/{PUBLIC}/models/{LLAMA}"):
        with pytest.raises(HTTPClientError) as err:
            await http_server_client.fetch(f"{jp_base_url}jumpstart-lab/api/{path}")
        assert err.value.code in (401, 403)


# -- caching and single flight ---------------------------------------------------------------


@pytest.mark.parametrize("params", [{"provider": "meta", "limit": "5"}, {}], ids=["filtered", "first-page"])
async def test_fifty_concurrent_cold_requests_make_one_catalog_fetch(api, boto, local_service, params):
    pages = -(-len(public_models(boto)) // 100)
    clear_log(local_service)
    replies = await asyncio.gather(*[api("GET", f"hubs/{PUBLIC}/models", params=params) for _ in range(50)])
    assert {r.code for r in replies} == {200}
    # the same models for everyone (their document facts may arrive between two replies of a cold page 1)
    assert len({json.dumps([m["model_id"] for m in r.json()["models"]]) for r in replies}) == 1
    calls = Counter(c["action"] for c in emu_log(local_service))
    # every page once (and two one-item probes of the oldest and newest model when there is more than one page)
    assert calls["ListHubContents"] == pages + (2 if pages > 1 else 0)
    # documents (for facts the summaries lack) come from Search pages, none from DescribeHubContent
    assert calls["Search"] >= 1 and calls["DescribeHubContent"] == 0
    # warm: no AWS call at all
    clear_log(local_service)
    await asyncio.gather(*[api("GET", f"hubs/{PUBLIC}/models", params={"q": "llama"}) for _ in range(10)])
    assert [c for c in emu_log(local_service) if c["action"] in ("ListHubContents", "DescribeHubContent")] == []


async def test_refresh_fetches_again(api, local_service):
    await api("GET", "hubs/ResearchHub/models")
    clear_log(local_service)
    await api("GET", "hubs/ResearchHub/models")
    assert not [c for c in emu_log(local_service) if c["action"] == "ListHubContents"]
    r = await api("GET", "hubs/ResearchHub/models", params={"refresh": "true"})
    assert r.code == 200
    assert [c["action"] for c in emu_log(local_service)].count("ListHubContents") == 2  # Model + ModelReference


async def test_first_page_of_a_cold_hub_is_exact(api, boto, local_service):
    """Page 1 (name order, no filter) of a cold hub is answered from the first ListHubContents page,
    before any model document: the rows are exact, the document facts follow in the next request."""
    clear_log(local_service)
    r = await api("GET", f"hubs/{PUBLIC}/models", params={"limit": "20"})
    page = r.json()
    assert [m["model_id"] for m in page["models"]] == sorted(public_models(boto))[:20]
    assert page["next_cursor"] and page["complete"] is False
    assert all(m["gated"] in (True, False, None) for m in page["models"])
    for facet in ("gated", "trainable", "model_type"):  # facts not known yet are not counted
        assert sum(page["facets"][facet].values()) <= page["total"], facet
    # no document was read before page 1 (other calls, e.g. the server's GetCallerIdentity, may interleave)
    content_calls = [c["action"] for c in emu_log(local_service) if c["action"].endswith(("HubContents", "HubContent"))]
    assert content_calls[:1] == ["ListHubContents"]
    # asked again: the same rows, now with every fact, and the counts of the whole catalog
    done = await complete_page(api, PUBLIC, limit="20")
    assert [m["model_id"] for m in done["models"]] == [m["model_id"] for m in page["models"]]
    assert all(isinstance(m["gated"], bool) and isinstance(m["trainable"], bool) for m in done["models"])
    assert all(m["license"] for m in done["models"]) and done["total"] == len(public_models(boto))
    for facet in ("gated", "trainable", "model_type"):  # once complete, every model is counted once
        assert sum(done["facets"][facet].values()) == done["total"], facet
    # paging on is exact either way
    nxt = (await api("GET", f"hubs/{PUBLIC}/models", params={"limit": "20", "cursor": page["next_cursor"]})).json()
    assert [m["model_id"] for m in nxt["models"]] == sorted(public_models(boto))[20:40]


async def test_references_take_their_facts_from_the_public_catalog(api, local_service):
    """A reference-heavy hub's list page needs no DescribeHubContent per model."""
    await api("GET", f"hubs/{PUBLIC}/models", params={"gated": "true"})  # public catalog loaded
    clear_log(local_service)
    page = (await api("GET", "hubs/CompanyHub/models", params={"gated": "true", "limit": "200"})).json()
    assert page["total"] > 0 and all(m["content_type"] == "ModelReference" and m["license"] for m in page["models"])
    calls = Counter(c["action"] for c in emu_log(local_service))
    assert calls["ListHubContents"] == 2 and calls["DescribeHubContent"] == 0


async def test_catalog_hub_by_name_or_arn(jp_serverapp):
    """The domain API the action side uses: ``Catalog.hub`` (name or ARN; unknown -> NotFound)."""
    from jumpstart_lab.errors import NotFound

    catalog = jp_serverapp.web_app.settings["jumpstart_lab.services"].catalog
    company = await asyncio.to_thread(catalog.hub, "CompanyHub")
    assert company.arn == COMPANY_ARN and company.kind == "private"
    assert (await asyncio.to_thread(catalog.hub, PARTNER_ARN)).kind == "shared"
    assert (await asyncio.to_thread(catalog.hub, PUBLIC_ARN)).kind == "public"
    with pytest.raises(NotFound):
        await asyncio.to_thread(catalog.hub, "NoSuchHub")
