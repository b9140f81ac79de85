"""What the widget tests share: waiting for a panel's REST calls off the event loop, clicking as a user does,
and reading what is on screen (the widget tree a user sees, walked through its ``children``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import ipywidgets as w


class Waits(Protocol):
    def wait(self, timeout: float | None = ...) -> None: ...


async def settle(view: Waits, timeout: float = 300) -> None:
    """Wait until the panel's (or Admin view's) pending REST calls are done, without blocking the loop."""
    await asyncio.to_thread(view.wait, timeout)


async def click(view: Waits, button: w.Button) -> None:
    """Click ``button`` and wait for what it started."""
    button.click()
    await settle(view)


def from_frontend(widget: w.Widget, content: Any) -> None:
    """Deliver ``content`` to ``widget`` as a custom message from the frontend, through its comm (the path a
    JupyterLab tab's ``model.send(...)`` takes)."""
    widget.comm.handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def visible(widget: w.Widget) -> bool:
    return widget.layout.display != "none"


def widgets(root: Any) -> Iterator[w.Widget]:
    """``root`` and every widget inside it, as displayed (through ``children``)."""
    yield root
    for child in getattr(root, "children", ()):
        yield from widgets(child)


def texts(root: Any) -> str:
    """The HTML of every ``HTML`` widget and the text of every button inside ``root``, joined: what a user
    reads there (hub cards and model rows are buttons)."""
    return " ".join(
        x.value if isinstance(x, w.HTML) else x.description for x in widgets(root) if isinstance(x, (w.HTML, w.Button))
    )


# -- the demo catalog's models the panel tests open -------------------------------------------------
PUBLIC = "SageMakerPublicHub"
GATED = "meta-textgeneration-llama-2-13b-f"
GATED_NAME = "Llama 2 13B Chat"
NOT_TRAINABLE = "huggingface-llm-phi-3-mini-4k-instruct"
NO_EVALUATION = "huggingface-text2text-flan-t5-base"  # trainable, no built-in evaluation
OPEN = "huggingface-llm-mistral-7b-instruct"  # not gated, trainable, evaluation supported
PROPRIETARY = "cohere-command-r-plus"


async def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a blocking call (a ``JumpStartClient`` request, a click with inline REST calls) off the loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def on_screen(browser: Any) -> str:
    """Which of the panel's pages is shown (``hubs``, ``models``, ``model``, ``endpoints``, ``admin``): the
    view inside its content area."""
    shown = list(browser.content.children)
    return next(name for name, view in browser.views.items() if shown == [view])


def dialog_shown(browser: Any) -> bool:
    """A dialog is over the panel (its backdrop is displayed)."""
    return visible(browser.overlay)


async def open_public_hub(browser: Any) -> None:
    """Wait for the hubs; open the public hub (unless the panel went straight to it): its models are shown."""
    await settle(browser)
    assert browser.error.message == ""
    if on_screen(browser) == "hubs":
        await click(browser, browser.hubs_view.open_buttons[PUBLIC])
    assert on_screen(browser) == "models"
    assert "JumpStart Public Hub" in browser.models_view.title.value


async def open_model(browser: Any, model_id: str, hub: str = PUBLIC) -> None:
    """Open a model's page directly (as a link or the main area does); its page shows the model id."""
    browser.load_model(hub, model_id)
    await settle(browser)
    assert browser.error.message == ""
    assert on_screen(browser) == "model" and f"<code>{model_id}</code>" in browser.model_page.header.value


async def confirm(browser: Any, expect: str = "Delete endpoint") -> None:
    """Answer the confirmation the panel asks before a destructive action (its warning button)."""
    dialog = browser.eula_dialog
    assert dialog_shown(browser) and dialog.kind == "confirm" and dialog.accept.description == expect
    await click(browser, dialog.accept)
    assert not dialog_shown(browser)


def offered(dropdown: w.Dropdown) -> dict[str, str]:
    """A filter's options: value -> label (without the "Any ..." and "Deployable with my quota" choices)."""
    from jumpstart_lab.widget.models_view import QUOTA_CHOICE

    return {value: label for label, value in dropdown.options if value and value != QUOTA_CHOICE}


def model_text(m: dict) -> str:
    """What a search matches in a model: its id, name and description, lowercased."""
    return " ".join(str(m.get(k) or "") for k in ("model_id", "display_name", "description")).lower()


def notebooks(root: Path) -> set[Path]:
    """Every notebook under the server root."""
    return set(root.rglob("*.ipynb"))


def notebook_kind(path: Path) -> tuple[str, str]:
    """(action, model id) a created notebook is for, from its metadata."""
    meta = json.loads(path.read_text())["metadata"]["jumpstart_lab"]
    return meta["action"], meta["model_id"]
