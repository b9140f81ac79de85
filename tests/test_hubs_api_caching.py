"""How the hub browsing API reads AWS: one catalog fetch for many cold requests, refresh, an exact first
page, facts of references from the public catalog."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator

import pytest
from hubs_api_support import (
    COMPANY_ARN,
    PARTNER_ARN,
    PUBLIC,
    PUBLIC_ARN,
    complete_page,
    public_models,
)
from service_support import aws_calls, clear_aws_calls, own_service


@pytest.fixture(scope="module")
def local_service() -> Iterator[str]:
    """These tests count the AWS calls their server makes: a service of their own, so a call another module's
    server left in botocore's backoff (its retry comes after that server stopped) cannot land in the count."""
    yield from own_service()


# -- caching and single flight ---------------------------------------------------------------


@pytest.mark.parametrize("params", [{"provider": "meta", "limit": "5"}, {}], ids=["filtered", "first-page"])
async def test_fifty_concurrent_cold_requests_make_one_catalog_fetch(api, boto, local_service, params):
    pages = -(-len(public_models(boto)) // 100)
    clear_aws_calls(local_service)
    replies = await asyncio.gather(*[api("GET", f"hubs/{PUBLIC}/models", params=params) for _ in range(50)])
    assert {r.code for r in replies} == {200}
    # the same models for everyone (their document facts may arrive between two replies of a cold page 1)
    assert len({json.dumps([m["model_id"] for m in r.json()["models"]]) for r in replies}) == 1
    calls = Counter(c["action"] for c in aws_calls(local_service))
    # every page once (and two one-item probes of the oldest and newest model when there is more than one page)
    assert calls["ListHubContents"] == pages + (2 if pages > 1 else 0)
    # documents (for facts the summaries lack) come from Search pages, none from DescribeHubContent
    assert calls["Search"] >= 1 and calls["DescribeHubContent"] == 0
    # warm: no AWS call at all
    clear_aws_calls(local_service)
    await asyncio.gather(*[api("GET", f"hubs/{PUBLIC}/models", params={"q": "llama"}) for _ in range(10)])
    assert [c for c in aws_calls(local_service) if c["action"] in ("ListHubContents", "DescribeHubContent")] == []


async def test_refresh_fetches_again(api, local_service):
    # loaded first: a refresh while the hub is still loading joins that load (single flight) and lists nothing new
    await complete_page(api, "ResearchHub")
    clear_aws_calls(local_service)
    await api("GET", "hubs/ResearchHub/models")
    assert not [c for c in aws_calls(local_service) if c["action"] == "ListHubContents"]
    r = await api("GET", "hubs/ResearchHub/models", params={"refresh": "true"})
    assert r.code == 200
    assert [c["action"] for c in aws_calls(local_service)].count("ListHubContents") == 2  # Model + ModelReference


async def test_first_page_of_a_cold_hub_is_exact(api, boto, local_service):
    """Page 1 (name order, no filter) of a cold hub is answered from the first ListHubContents page,
    before any model document: the rows are exact, the document facts follow in the next request."""
    clear_aws_calls(local_service)
    r = await api("GET", f"hubs/{PUBLIC}/models", params={"limit": "20"})
    page = r.json()
    assert [m["model_id"] for m in page["models"]] == sorted(public_models(boto))[:20]
    assert page["next_cursor"] and page["complete"] is False
    assert all(m["gated"] in (True, False, None) for m in page["models"])
    for facet in ("gated", "trainable", "model_type"):  # facts not known yet are not counted
        assert sum(page["facets"][facet].values()) <= page["total"], facet
    # no document was read before page 1 (other calls, e.g. the server's GetCallerIdentity, may interleave)
    content_calls = [
        c["action"] for c in aws_calls(local_service) if c["action"].endswith(("HubContents", "HubContent"))
    ]
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
    clear_aws_calls(local_service)
    page = (await api("GET", "hubs/CompanyHub/models", params={"gated": "true", "limit": "200"})).json()
    assert page["total"] > 0 and all(m["content_type"] == "ModelReference" and m["license"] for m in page["models"])
    calls = Counter(c["action"] for c in aws_calls(local_service))
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
