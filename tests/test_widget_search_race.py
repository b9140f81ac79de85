"""A search typed while the panel renders a page is not lost (the sidebar test in Notebook 7 failed on this).

The panel updates its filter dropdowns from a worker thread when a page arrives and suppresses the dropdowns'
own change observers meanwhile. The suppression was one flag shared by every thread: a search the user typed at
that moment (applied on the kernel's main thread, or by the debounce timer's thread) was dropped as if the panel
had made it, and the list stayed unfiltered. The user's change below arrives from another thread exactly while
the worker sets the options.
"""

from __future__ import annotations

import threading

from widget_support import click, settle, texts

FLAN = "huggingface-text2text-flan-t5-base"


async def test_a_search_typed_while_a_page_renders_is_not_lost(make_browser):
    b = make_browser()
    await settle(b)
    await click(b, b.hubs_view.open_buttons["SageMakerPublicHub"])
    view = b.models_view
    assert FLAN not in view.rows  # page 1 in name order

    typed: list[str] = []

    def user_types_now(change) -> None:  # the worker is setting the facet options of the new page
        if not typed:
            typed.append(FLAN)
            user = threading.Thread(target=lambda: setattr(view.search, "value", "flan-t5-base"))
            user.start()
            user.join()

    view.facets["task"].observe(user_types_now, "options")
    view.filters["gated"].value = "false"  # a new page: rendered on the worker, with other facet counts in the options
    await settle(b)
    await settle(b)  # the search the user typed meanwhile
    assert typed
    assert set(view.rows) == {FLAN}, texts(view.count)
    assert "1 model" in view.count.value
