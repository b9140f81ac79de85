"""What every view shares: the client, the translator, background tasks and error reporting."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import ipywidgets as w

from .. import untrusted
from ..client import JumpStartClient, ServerNotFound, TransportError
from ..errors import JumpStartLabError
from .i18n import Translator

log = logging.getLogger(__name__)
T = TypeVar("T")

FULL = "100%"

#: HTML-escape anything shown in an ``HTML`` widget: names and texts come from hubs (see ``untrusted``).
esc = untrusted.esc


def link(uri: str | None, text: str, *, aws: bool = False) -> str:
    """An escaped link opening in a new tab (https only; ``aws``: an AWS host), or just the text."""
    return untrusted.link(uri, text, aws=aws)


def heading(text: str) -> str:
    """The escaped title of a view."""
    return f"<h3 class='jsl-title'>{esc(text)}</h3>"


def row(*children: w.Widget, **layout: Any) -> w.HBox:
    """A row that wraps onto several lines in a narrow sidebar."""
    return w.HBox(list(children), layout=w.Layout(width=FULL, flex_flow="row wrap", align_items="center", **layout))


def column(*children: w.Widget, **layout: Any) -> w.VBox:
    return w.VBox(list(children), layout=w.Layout(width=FULL, **layout))


def button(label: str, handler: Callable[[], None], *, style: str = "", tooltip: str = "", icon: str = "") -> w.Button:
    """A button whose handler ignores clicks while it is disabled (a modal dialog is open)."""
    b = w.Button(
        description=label, button_style=style, tooltip=tooltip, icon=icon, layout=w.Layout(width="auto", max_width=FULL)
    )

    def on_click(_: w.Button) -> None:
        if not b.disabled:
            handler()

    b.on_click(on_click)
    return b


def client_message(exc: JumpStartLabError, t: Translator) -> str | None:
    """The translation of an error the kernel-side client raised itself (no server, unreachable, timeout,
    an answer that is not the API's), chosen by its code; None for the server's own messages."""
    if isinstance(exc, ServerNotFound):
        if exc.code == "NoServer":
            return t(
                "No running Jupyter server was found for this kernel. Start JupyterLab (`jupyter lab`), or set "
                "JUMPSTART_SERVER_URL and JUPYTER_TOKEN to the server's URL and token."
            )
        if exc.code == "ServerUnreachable":
            return t("The Jupyter server at {url} cannot be reached. Is it running?", url=exc.details["url"])
        return None
    if not isinstance(exc, TransportError):
        return None
    if exc.code == "Timeout":
        return t("The Jupyter server did not answer in time; try again.")
    if exc.code == "InvalidResponse":
        return t("The server sent a response that is not JSON.")
    if exc.status == 403:
        return t("The Jupyter server refused the request: the token is missing or wrong.")
    if exc.status == 404:
        return t("The jumpstart-lab server extension is not enabled on this Jupyter server.")
    return t("The Jupyter server answered HTTP {status}.", status=exc.status)


def message_of(exc: BaseException, t: Translator) -> str:
    """What the error banner says: the server's message (the client's own ones translated), never a traceback."""
    if isinstance(exc, JumpStartLabError):
        return client_message(exc, t) or exc.message
    return t("Unexpected error: {error}", error=f"{type(exc).__name__}: {exc}")


class Quiet:
    """Marks the widget updates a thread makes itself, so the observers it would fire skip them: ``with
    self._quiet(): dropdown.options = ...`` and ``if self._quiet: return`` in the observer.

    Per thread: a page is rendered on a worker thread while the user's changes arrive on the kernel's main
    thread (or a debounce timer's); a change the user makes meanwhile must still count. (One flag shared by
    every thread dropped a search typed while a page was rendering: the list stayed unfiltered.)
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def __bool__(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    @contextmanager
    def __call__(self) -> Iterator[None]:
        self._local.depth = getattr(self._local, "depth", 0) + 1
        try:
            yield
        finally:
            self._local.depth -= 1


class Tasks:
    """Runs blocking REST calls off the kernel's main thread.

    Lane ``ui`` is one worker (actions run in click order); lane ``poll`` runs
    status polling. ``background=False`` runs everything inline (tests, scripts).
    ``wait()`` blocks until every submitted task has finished.
    """

    def __init__(self, background: bool = True) -> None:
        self.background = background
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self._futures: set[Future[Any]] = set()
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[[], T], lane: str = "ui") -> Future[T]:
        if not self.background:
            future: Future[T] = Future()
            try:
                future.set_result(fn())
            except BaseException as exc:  # reported by the caller's wrapper
                future.set_exception(exc)
            return future
        with self._lock:
            if self._closed:  # the panel was closed (a late debounce timer, a poll): nothing to do
                future = Future()
                future.cancel()
                return future
            pool = self._pools.get(lane)
            if pool is None:
                workers = 1 if lane == "ui" else 4
                pool = self._pools[lane] = ThreadPoolExecutor(workers, thread_name_prefix=f"jumpstart-{lane}")
            future = pool.submit(fn)
            self._futures.add(future)
        future.add_done_callback(self._futures.discard)
        return future

    @property
    def closed(self) -> bool:
        return self._closed

    def wait(self, timeout: float | None = 60.0) -> None:
        """Block until all tasks (including ones submitted meanwhile) are done."""
        while True:
            with self._lock:
                pending = [f for f in self._futures if not f.done()]
            if not pending:
                return
            _, not_done = wait(pending, timeout=timeout)
            if not_done:
                raise TimeoutError(f"{len(not_done)} panel tasks still running")

    def close(self) -> None:
        with self._lock:
            self._closed = True
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class Context:
    """Handed to every view by :class:`~jumpstart_lab.widget.browser.HubBrowser`."""

    t: Translator
    tasks: Tasks
    report: Callable[[BaseException], None]
    busy: Callable[[str | None], None]
    client: JumpStartClient | None = None
    poll_interval: float = 5.0
    clear_error: Callable[[], None] = field(default=lambda: None)
    sleep: Callable[[float], None] = field(default=lambda s: threading.Event().wait(s))
    #: ``confirm(title, text, button label, on_confirm)``: a modal question before a destructive action
    #: (the panel's :class:`~.dialogs.Dialogs`; without one, e.g. a view made alone, the action runs)
    confirm: Callable[[str, str, str, Callable[[], None]], None] = field(
        default=lambda title, text, label, then: then()
    )
    #: called after this panel deployed, deleted or redeployed an endpoint (the sidebar badge counts again)
    deployments_changed: Callable[[], None] = field(default=lambda: None)

    def run(
        self,
        fn: Callable[[], T],
        then: Callable[[T], None] | None = None,
        *,
        label: str | None = None,
        lane: str = "ui",
    ) -> Future[Any]:
        """Run ``fn`` as a task; ``then(result)`` on success; errors go to the banner.

        A task with a ``label`` is a user action: it shows progress and clears the previous error.
        """
        if label:
            self.clear_error()

        def job() -> None:
            if label:
                self.busy(label)
            try:
                result = fn()
                if then is not None:
                    then(result)
            except Exception as exc:
                log.info("jumpstart_lab panel: %s", exc)
                self.report(exc)
            finally:
                if label:
                    self.busy(None)

        return self.tasks.submit(job, lane)

    @property
    def api(self) -> JumpStartClient:
        if self.client is None:
            from ..client import JumpStartClient

            self.client = JumpStartClient()
        return self.client


#: A page of a cold hub comes back with ``complete: false`` while the hub's catalog loads: ask again after these pauses.
COMPLETION_DELAYS = (0.3, 0.5, 1.0, 1.0, 2.0, 2.0, 3.0, 5.0, 5.0, 5.0, 10.0, 10.0)


def until_complete(
    ctx: Context,
    fetch: Callable[[], dict[str, Any]],
    wanted: Callable[[], bool] = lambda: True,
    page: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """``page`` (or ``fetch()``), fetched again after growing pauses while it says ``complete: false``.

    None once it is no longer ``wanted`` (the user moved on) or the panel closed; the last page if the
    catalog is still loading after every pause.
    """
    if page is None:
        page = fetch()
    for delay in COMPLETION_DELAYS:
        if page.get("complete", True):
            break
        ctx.sleep(delay)
        if not wanted() or ctx.tasks.closed:
            return None
        page = fetch()
    return page
