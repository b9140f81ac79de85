"""The panel on a cold hub behind a slow AWS: page 1 shows at once, then completes by itself.

The server answers page 1 of a cold hub from the first ListHubContents page (``complete: false``,
document facts such as "gated" still unknown); the panel asks again until the page is complete, so
the EULA badges, the count and the facet counts end up those of the whole catalog.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from service_support import own_service
from widget_support import settle

from jumpstart_lab.widget.models_view import PAGE_SIZE

PUBLIC = "SageMakerPublicHub"


@pytest.fixture(scope="module")
def slow_service() -> Iterator[str]:
    """A local service where every AWS call takes 150 ms: page 1 comes long before the documents."""
    yield from own_service(JUMPSTART_LAB_LOCAL_LATENCY_MS="150")


@pytest.fixture
def aws_endpoint(slow_service):
    return slow_service


async def test_cold_first_page_is_shown_then_completed(jumpstart_client, make_browser, boto):
    pages: list[dict] = []
    models = jumpstart_client.models

    def recording(*args, **kwargs):
        page = models(*args, **kwargs)
        if kwargs.get("limit") == PAGE_SIZE:  # the list, not the hub cards' counts
            pages.append(page)
        return page

    jumpstart_client.models = recording  # the real call, recorded
    browser = make_browser()
    # the user opens the hub as soon as it is listed (the hub cards' counts are still loading)
    for _ in range(600):
        if PUBLIC in browser.hubs_view.open_buttons:
            break
        await asyncio.sleep(0.05)
    browser.hubs_view.open_buttons[PUBLIC].click()
    await settle(browser)
    view = browser.models_view
    assert browser.error.message == ""
    assert pages[0]["complete"] is False, "page 1 of a cold hub must not wait for model documents"
    assert pages[-1]["complete"] is True and len(pages) >= 2
    assert [m["model_id"] for m in view.models] == [m["model_id"] for m in pages[0]["models"]]
    assert all(isinstance(m["gated"], bool) for m in view.models)
    assert "loading the rest of the catalog" not in view.count.value
    assert f"of {pages[-1]['total']} models" in view.count.value
    gated = [m["model_id"] for m in view.models if m["gated"]]
    assert gated, "the demo catalog's first page has gated models"
    # the hub card counts the whole catalog, not the first ListHubContents page
    assert f"{pages[-1]['total']} models" in browser.hubs_view.open_buttons[PUBLIC].description
    offered = {value for _, value in view.facets["license"].options[1:]}
    assert offered == set(pages[-1]["facets"]["license"])  # the whole catalog's licenses
