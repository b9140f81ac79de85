"""The hub browser's navigation as a user drives it: the hubs, a hub's models (search as you type, debounced;
every filter with its counts, sort, lazy paging), a shared hub addressed by its ARN, and a single usable hub
opened directly.

The ``HubBrowser`` is driven as a user would (set values, click buttons), without a browser or kernel, against
the real server on the local service; ``settle`` waits for its REST calls off the event loop."""

from __future__ import annotations

import asyncio
import re

import ipywidgets as w
from widget_support import (
    GATED,
    PUBLIC,
    call,
    click,
    confirm,
    model_text,
    offered,
    on_screen,
    open_public_hub,
    settle,
    widgets,
)

from jumpstart_lab.widget.i18n import Translator
from jumpstart_lab.widget.labels import value_label


async def test_hubs_search_filters_paging_details(make_browser):
    b = make_browser()
    await settle(b)
    assert b.error.message == ""
    assert "Demo catalog" in b.demo.message and b.demo.layout.display != "none"
    names = [h["name"] for h in b.hubs_view.hubs]
    assert PUBLIC in names
    if on_screen(b) == "hubs":
        cards = [c.description for c in b.hubs_view.open_buttons.values()]
        assert any("Public hub" in text for text in cards)
        assert any(" models" in text for text in cards)  # each card counts its hub's models
    await open_public_hub(b)

    view = b.models_view
    full = view.total
    assert full > 50, "the demo public hub has more than two pages of models"
    assert len(view.rows) == 25 and view.more.layout.display != "none"
    assert f"25 of {full} models" in view.count.value
    task_options = dict(view.facets["task"].options)
    assert any(label.startswith("Text generation (") for label in task_options)  # words, not ids

    # search as you type
    view.search.value = "llama"
    await settle(b)
    assert 0 < view.total < full
    assert all("llama" in model_text(m) for m in view.models)

    # facet + gated filter: every row matches, and the lock badge is shown
    view.facets["task"].value = "text-generation"
    view.gated.value = "true"
    await settle(b)
    assert view.total > 0
    assert all(m["gated"] and m["task"] == "text-generation" for m in view.models)
    first_row = next(iter(view.rows.values()))
    row_box = next(x for x in widgets(view.list) if isinstance(x, w.HBox) and first_row in x.children)
    assert "EULA" in row_box.children[1].value

    # nothing matches: the empty state explains itself
    view.search.value = "zzzz-no-such-model"
    await settle(b)
    assert view.total == 0 and not view.rows
    assert "No models match your search and filters" in view.count.value

    # clear, then proprietary filter
    await click(b, view.clear)
    assert view.total == full and view.search.value == ""
    view.model_type.value = "proprietary"
    await settle(b)
    assert view.total > 0 and all(m["model_type"] == "proprietary" for m in view.models)
    row_box = next(
        x for x in widgets(view.list) if isinstance(x, w.HBox) and x.children and x.children[0] in view.rows.values()
    )
    assert "Proprietary" in row_box.children[1].value
    view.model_type.value = ""

    # trainable + instance type filters go to the server
    view.trainable.value = "false"
    await settle(b)
    assert view.total > 0 and all(not m["trainable"] for m in view.models)
    view.trainable.value = ""
    await settle(b)
    assert "ml.g5.2xlarge" in offered(view.instance_type)  # a dropdown of the facet's values
    view.instance_type.value = "ml.g5.2xlarge"
    await settle(b)
    assert 0 < view.total < full and b.error.message == ""
    view.instance_type.value = ""
    await settle(b)

    # lazy paging adds up to the total
    view.sort.value = "name"
    while view.next_cursor:
        await click(b, view.more)
    assert len(view.models) == view.total == full
    assert len({m["model_id"] for m in view.models}) == full
    assert view.more.layout.display == "none"

    # details
    await click(b, view.rows[GATED])
    assert on_screen(b) == "model"
    d = b.model_page
    assert [x.description for x in d.actions.values()] == ["Deploy", "Train", "Evaluate", "Open notebook"]
    assert "Llama 2 13B Chat" in d.header.value and GATED in d.header.value
    assert "requires accepting its end-user license agreement" in d.license.value
    assert "Inference instance types" in d.summary.value
    assert set(d.version.options) >= {"4.18.0", "4.19.0"}
    assert not d.actions["train"].disabled and not d.actions["deploy"].disabled

    # another version
    d.version.value = "4.18.0"
    await settle(b)
    assert b.detail["version"] == "4.18.0" and d.version.value == "4.18.0"

    # Back returns to the list
    await click(b, b.back)
    assert on_screen(b) == "models"


async def test_every_filter_lists_the_facet_values_with_counts(make_browser, jumpstart_client):
    b = make_browser()
    await open_public_hub(b)
    view = b.models_view

    async def assert_filters_match(**query) -> None:
        page = await call(jumpstart_client.models, PUBLIC, limit=1, **query)
        assert page["complete"] and view.total == page["total"]
        facets = page["facets"]
        for name in ("task", "provider", "framework", "license", "instance_type"):
            assert facets[name], name
            shown = {v: f"{value_label(name, v, Translator('en'))} ({n})" for v, n in facets[name].items()}
            assert offered(view.filters[name]) == shown, name
        labels = {
            "gated": {"true": "EULA required", "false": "No EULA"},
            "trainable": {"true": "Trainable", "false": "Not trainable"},
            "model_type": {"open_weights": "Open weights", "proprietary": "Proprietary"},
        }
        for name, choices in labels.items():
            expected = {v: f"{label} ({facets[name].get(v, 0)})" for v, label in choices.items()}
            assert offered(view.filters[name]) == expected, name

    await assert_filters_match()
    counted = [int(re.search(r"\((\d+)\)", label)[1]) for label, v in view.gated.options if v]
    assert len(counted) == 2 and sum(counted) == view.total and all(counted)

    # a filter narrows every facet to the result set, its own included (as the server counts them)
    view.gated.value = "true"
    await settle(b)
    assert offered(view.gated) == {"true": f"EULA required ({view.total})", "false": "No EULA (0)"}
    await assert_filters_match(gated="true")
    view.model_type.value = "open_weights"
    view.trainable.value = "true"
    await settle(b)
    await assert_filters_match(gated="true", model_type="open_weights", trainable="true")
    assert view.gated.value == "true" and view.model_type.value == "open_weights"  # the choices stay selected


async def test_instance_type_filter_and_newest_first(make_browser, jumpstart_client):
    b = make_browser()
    await open_public_hub(b)
    view = b.models_view
    instance = "ml.g5.2xlarge"
    count = (await call(jumpstart_client.models, PUBLIC, limit=1))["facets"]["instance_type"][instance]
    assert offered(view.instance_type)[instance] == f"{instance} ({count})"
    view.instance_type.value = instance
    await settle(b)
    assert b.error.message == "" and view.total == count
    while view.next_cursor:
        await click(b, view.more)
    shown = [m["model_id"] for m in view.models]
    assert len(shown) == count and shown == sorted(shown)  # model id order by default
    view.sort.value = "title"  # "Name (A-Z)": the name shown
    await settle(b)
    while view.next_cursor:
        await click(b, view.more)
    by_name = sorted(view.models, key=lambda m: ((m.get("display_name") or m["model_id"]).casefold(), m["model_id"]))
    assert [m["model_id"] for m in view.models] == [m["model_id"] for m in by_name] != shown
    for model_id in shown[:3]:  # each one really deploys on it
        inference = (await call(jumpstart_client.model, PUBLIC, model_id))["inference"]
        assert instance in [*inference["supported_instance_types"], inference["default_instance_type"]]

    view.sort.value = "newest"
    await settle(b)
    newest = await call(jumpstart_client.models, PUBLIC, instance_type=instance, sort="newest", limit=200)
    expected = [m["model_id"] for m in newest["models"]]
    assert [m["model_id"] for m in view.models] == expected[: len(view.models)]
    assert sorted(expected) == shown and expected != shown  # the same models, another order
    assert view.instance_type.value == instance  # options rebuilt from the new page keep the choice


async def test_search_is_debounced(make_browser, jumpstart_client, monkeypatch):
    """Typing "llama" letter by letter sends one search, for the final text."""
    sent: list[dict] = []
    real = jumpstart_client.models

    def counting(hub, **query):
        sent.append(query)
        return real(hub, **query)

    monkeypatch.setattr(jumpstart_client, "models", counting)
    b = make_browser()
    await open_public_hub(b)
    b.models_view.debounce = 0.3
    sent.clear()
    for i in range(1, 6):
        b.models_view.search.value = "llama"[:i]
    await asyncio.sleep(0.6)
    await settle(b)
    assert [q["q"] for q in sent] == ["llama"]
    assert all("llama" in model_text(m) for m in b.models_view.models)


async def test_only_one_usable_hub_opens_its_models(make_browser, faults):
    """No private or shared hubs visible (ListHubs and RAM say nothing): straight to the public hub's models."""
    faults(
        action="ListHubs",
        code="AccessDeniedException",
        message="not authorized to perform sagemaker:ListHubs",
        count=-1,
    )
    faults(action="ListResources", service="ram", code="AccessDeniedException", message="no ram", count=-1)
    b = make_browser()
    await settle(b)
    assert [h["name"] for h in b.hubs_view.hubs] == [PUBLIC]
    assert on_screen(b) == "models" and "JumpStart Public Hub" in b.models_view.title.value and b.models_view.total > 0
    for hub in b.hubs_view.unavailable:  # hubs that exist but cannot be used are named, the reason is on Hubs
        assert hub["name"] in b.notice.value


async def test_shared_hub_models_use_the_hub_arn(make_browser, jumpstart_client, jp_root_dir):
    """A hub shared through RAM is addressed by its ARN in every call (its name means nothing here)."""
    b = make_browser()
    await settle(b)
    partner = next(h for h in b.hubs_view.hubs if h["kind"] == "shared")
    await click(b, b.hubs_view.open_buttons[partner["name"]])
    assert b.models_view.total > 0 and b.error.message == ""
    model_id = b.models_view.models[0]["model_id"]
    await click(b, b.models_view.rows[model_id])
    assert b.error.message == "" and on_screen(b) == "model"
    assert b.model_page.hub == partner["arn"]
    if b.detail["gated"]:
        await click(b, b.model_page.actions["notebook"])
        await click(b, b.eula_dialog.accept)
    else:
        await click(b, b.model_page.actions["notebook"])
    assert b.error.message == "" and len(list(jp_root_dir.rglob("*.ipynb"))) == 1
    await click(b, b.model_page.actions["deploy"])
    b.deploy_form.name.value = "jsl-widget-shared"
    await click(b, b.deploy_form.deploy)
    assert b.error.message == "" and b.deploy_form.status == "InService"
    await click(b, b.deploy_form.try_it)
    assert b.error.message == "" and "Response" in b.deploy_form.response.value
    await click(b, b.deploy_form.delete)
    await confirm(b)
    assert b.error.message == "" and b.deploy_form.status == "Deleted"
