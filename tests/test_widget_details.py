"""A model's page: versions, license, instance types, hyperparameters and example notebooks; actions a model
cannot do disabled with the reason; each action's own notebook, in the configured folder.

The ``HubBrowser`` is driven as a user would (set values, click buttons), without a browser or kernel, against
the real server on the local service; ``settle`` waits for its REST calls off the event loop."""

from __future__ import annotations

import re

import pytest
from widget_support import (
    GATED,
    NO_EVALUATION,
    NOT_TRAINABLE,
    OPEN,
    PROPRIETARY,
    click,
    dialog_shown,
    notebook_kind,
    notebooks,
    on_screen,
    open_model,
    settle,
)

from jumpstart_lab.untrusted import safe_url
from jumpstart_lab.widget.context import esc


async def test_details_show_hyperparameters_instance_types_notebooks_license(make_browser):
    b = make_browser()
    await settle(b)
    await open_model(b, GATED)
    detail, summary = b.detail, b.model_page.summary.value
    assert f"<b>License:</b> {esc(detail['license'])}" in b.model_page.license.value
    inference, training = detail["inference"], detail["training"]
    trained = summary.split("Training instance types")[1].split("</div>")[0]
    assert training["supported"] and training["supported_instance_types"]
    assert all(esc(x) in trained for x in training["supported_instance_types"])
    assert f"<b>{esc(training['default_instance_type'])}</b> (default)" in trained
    served = summary.split("Inference instance types")[1].split("</div>")[0]
    assert f"<b>{esc(inference['default_instance_type'])}</b> (default)" in served
    # hyperparameters: name, default and range in the table
    hyperparameters = training["hyperparameters"]
    assert f"Hyperparameters ({len(hyperparameters)})" in summary
    for h in hyperparameters:
        assert f"<td>{esc(h['name'])}</td><td>{esc(h['default'])}</td>" in summary, h
        if h.get("options"):
            assert f"<td>{esc(', '.join(map(str, h['options'])))}</td>" in summary, h
        elif h.get("min") is not None and h.get("max") is not None:
            assert f"<td>{esc(h['min'])} to {esc(h['max'])}</td>" in summary, h
    assert any(h.get("default") is not None for h in hyperparameters)
    # official example notebooks, as links
    assert detail["notebooks"]
    for notebook in detail["notebooks"]:
        assert f'<a href="{esc(safe_url(notebook["uri"]))}"' in summary
        assert f">{esc(notebook['title'])}</a>" in summary


async def test_train_disabled_with_tooltip_when_not_supported(make_browser):
    b = make_browser()
    await settle(b)
    await open_model(b, NOT_TRAINABLE)
    train = b.model_page.actions["train"]
    assert train.disabled and "does not support fine-tuning" in train.tooltip
    assert not b.model_page.actions["deploy"].disabled


async def test_evaluate_disabled_with_tooltip_when_not_supported(make_browser, jp_root_dir):
    b = make_browser()
    await settle(b)
    await open_model(b, NO_EVALUATION)
    assert b.detail["evaluation_supported"] is False and b.detail["training"]["supported"] is True
    actions = b.model_page.actions
    assert actions["evaluate"].disabled and "has no built-in evaluation" in actions["evaluate"].tooltip
    assert not actions["train"].disabled and not actions["deploy"].disabled and not actions["notebook"].disabled
    await click(b, actions["evaluate"])  # a disabled button does nothing
    assert b.error.message == "" and not notebooks(jp_root_dir) and on_screen(b) == "model"


async def test_proprietary_model_shows_marketplace_subscription(make_browser):
    b = make_browser()
    await settle(b)
    await open_model(b, PROPRIETARY)
    d = b.model_page
    assert b.detail["model_type"] == "proprietary"
    assert "Proprietary" in d.header.value
    assert "subscribe in AWS Marketplace" in d.license.value
    url = (b.detail.get("marketplace") or {}).get("subscription_url")
    assert url and url.startswith("https://aws.amazon.com/marketplace/")  # the demo catalog has one
    assert re.search(rf'<a href="{re.escape(esc(url))}"[^>]*>Marketplace subscription</a>', d.license.value)


async def test_evaluate_opens_an_evaluation_notebook(make_browser, jp_root_dir, bridge_messages):
    b = make_browser()
    await settle(b)
    await open_model(b, "huggingface-llm-mistral-7b-instruct")
    evaluate = b.model_page.actions["evaluate"]
    assert b.detail["evaluation_supported"] and not evaluate.disabled
    await click(b, evaluate)
    assert b.error.message == "" and not dialog_shown(b)  # not gated: no dialog
    (notebook,) = list(jp_root_dir.rglob("*.ipynb"))
    assert notebook_kind(notebook) == ("evaluate", "huggingface-llm-mistral-7b-instruct")
    assert bridge_messages[-1]["path"] == notebook.relative_to(jp_root_dir).as_posix()


async def test_each_action_creates_its_own_notebook(make_browser, jp_root_dir, bridge_messages):
    b = make_browser()
    await settle(b)
    await open_model(b, OPEN)
    for action, kind in (("notebook", "deploy"), ("train", "train"), ("evaluate", "evaluate")):
        before = notebooks(jp_root_dir)
        await click(b, b.model_page.actions[action])
        assert b.error.message == "" and not dialog_shown(b) and on_screen(b) == "model", action
        (created,) = notebooks(jp_root_dir) - before
        assert notebook_kind(created) == (kind, OPEN), action
        assert bridge_messages[-1]["path"] == created.relative_to(jp_root_dir).as_posix()


async def test_notebook_directory_setting_of_the_sidebar_is_applied(make_browser, jp_root_dir, bridge_messages):
    """Settings Editor > JumpStart > Notebook directory reaches the panel as the sidebar bootstrap's argument."""
    b = make_browser(notebook_dir="team/notebooks")
    await settle(b)
    await open_model(b, "huggingface-llm-mistral-7b-instruct")
    await click(b, b.model_page.actions["evaluate"])
    assert b.error.message == ""
    (notebook,) = list(jp_root_dir.rglob("*.ipynb"))
    assert notebook.parent == jp_root_dir / "team" / "notebooks"
    assert bridge_messages[-1]["path"] == notebook.relative_to(jp_root_dir).as_posix()
    with pytest.raises(Exception, match="Notebook directory"):
        make_browser(notebook_dir="../outside")
