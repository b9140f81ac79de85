"""Select every result of a filter when there are more than the Admin view lists (SHOWN) and more than one
page of search results, against a local service with extra synthetic public models."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from hub_support import content_names, drop_hub, reference_names
from widget_support import click

from jumpstart_lab.curation import service as curation_service
from jumpstart_lab.local.process import LocalServiceProcess
from jumpstart_lab.widget.admin import AdminView
from jumpstart_lab.widget.admin.adding import SHOWN

EXTRA_MODELS = 70  # every synthetic model has framework huggingface: more matches than SHOWN
HUB = "WidgetManyHub"


@pytest.fixture(scope="module")
def local_service() -> Iterator[str]:
    """This module's own local service (overrides conftest's): the demo catalog plus EXTRA_MODELS models."""
    env = {"JUMPSTART_LAB_LOCAL_EXTRA_MODELS": str(EXTRA_MODELS), "JUMPSTART_LAB_LOCAL_ENDPOINT_SECONDS": "1"}
    proc = LocalServiceProcess(env=env)
    yield proc.start()
    proc.stop()


@pytest.fixture
def view(jumpstart_client, sm) -> Iterator[AdminView]:
    errors: list[BaseException] = []
    made = AdminView(jumpstart_client, errors.append, locale="en")
    made.errors = errors  # type: ignore[attr-defined]
    yield made
    made.close()
    drop_hub(sm, HUB)


async def test_select_all_adds_every_match_beyond_the_listed_ones(view, sm, jumpstart_client, monkeypatch):
    monkeypatch.setattr(curation_service, "FILTER_PAGE", 25)  # the server collects the matches over several pages
    page = await asyncio.to_thread(jumpstart_client.models, "SageMakerPublicHub", framework="huggingface", limit=200)
    expected = {m["model_id"] for m in page["models"]}
    assert page["total"] == len(expected) > SHOWN and page.get("next_cursor") is None

    await click(view, view.refresh_button)
    view.create.name.value = HUB
    view.create.description.value = "Every huggingface model."
    await click(view, view.create.create_button)
    assert view.errors == [] and view.hub == HUB

    view.adding.filters["framework"].value = "huggingface"
    await click(view, view.adding.find_button)
    assert len(view.adding.match_boxes) == SHOWN
    assert f"{SHOWN} of {len(expected)} public models shown" in view.adding.match_count.value
    view.adding.select_all.value = True
    seen: list[int] = []
    view.progress.observe(lambda change: seen.append(change["new"]), "value")
    await click(view, view.adding.add_button)
    assert view.errors == []
    assert f"{len(expected)} added, 0 already in the hub, 0 failed." in view.adding.result.value
    assert reference_names(sm, HUB) == expected  # every match, not just the SHOWN listed
    assert set(view.references.boxes) == expected
    assert [v for v in seen if v] == list(range(1, len(expected) + 1))  # the server reported each model


@pytest.mark.parametrize("filter_page", [50, 200])  # below and above one ListHubContents page (100)
async def test_an_empty_filter_on_a_cold_catalog_selects_every_public_model(api, sm, monkeypatch, filter_page):
    """Page 1 of a cold catalog is answered before the catalog is loaded (``complete: false``); a filter
    that selects everything must still reference every public model, on a fresh server."""
    monkeypatch.setattr(curation_service, "FILTER_PAGE", filter_page)
    public = content_names(sm, "SageMakerPublicHub", "Model")
    assert len(public) > 100  # more than one ListHubContents page
    assert (await api("POST", "hubs", body={"name": HUB, "display_name": "All", "description": "all"})).code == 201
    try:
        r = await api("POST", f"hubs/{HUB}/references", body={"filter": {}})
        assert r.code == 200, r.body
        assert r.json()["requested"] == len(public) and r.json()["added"] == len(public)
        assert reference_names(sm, HUB) == public
    finally:
        assert (await api("DELETE", f"hubs/{HUB}")).code == 200
