"""The Admin view: curate private hubs (the private-hubs blog's admin flow) from the panel.

Create a hub; pick public models with the catalog's search and filters (or every
result of a filter, e.g. framework == meta) and add them as references with a
progress bar; remove references; share the hub with accounts through AWS RAM;
delete the hub after a confirmation that names what will be removed.

``AdminView(client, on_error)``; mount ``view.widget``. Offer it only when
:func:`curation_status` says the server allows curation for this user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import ipywidgets as w

from .. import validation
from ..client import ApiError, JumpStartClient
from .context import FULL, Tasks, button, column, esc, heading, message_of, row
from .i18n import Translator

PUBLIC = validation.PUBLIC_HUB
FILTERS = ("framework", "task", "provider")
CHUNK = 10  # models per POST, so the progress bar moves
SHOWN = 50  # search results listed for picking; "select all" covers every result
PAGE = 200  # search results per request when collecting every result of a search
PERMISSIONS = ("Read", "ReadAndUse", "FullAccess")


def _seg(value: str) -> str:
    return quote(value, safe="")


def curation_status(client: JumpStartClient) -> dict[str, Any]:
    """``{"allowed": bool, "reason": str | None}`` from ``GET curation`` (show the Admin view only if allowed)."""
    return client.request("GET", "curation")


def _split(text: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in text.replace("\n", ",").split(",") if p.strip()))


def _principals(contents: dict[str, Any]) -> list[str]:
    """The accounts (or other RAM principals) the hub is shared with, once each."""
    return list(dict.fromkeys(p["principal"] for s in contents.get("shares", []) for p in s.get("principals", [])))


def _item(content: dict[str, Any]) -> str:
    """``ModelReference llama-x`` / ``Model in-house-model 1.0.0``: one removed or remaining hub item."""
    return " ".join(str(v) for v in (content["content_type"], content["model_id"], content.get("version")) if v)


def _listed(title: str, items: list[str]) -> str:
    return f"<div>{esc(title)}</div><ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def _warn(text: str) -> str:
    return f"<span class='jsl-warn'>&#9888; {esc(text)}</span>"


class AdminView:
    """Hub curation for administrators. ``widget`` is what to display."""

    def __init__(
        self,
        client: JumpStartClient,
        on_error: Callable[[BaseException], None],
        *,
        locale: str | None = None,
        background: bool = True,
        autoload: bool = False,
    ) -> None:
        self.client = client
        self.on_error = on_error
        self.t = t = Translator(locale)
        self.tasks = Tasks(background)
        self.hubs: list[dict[str, Any]] = []
        self.references: list[dict[str, Any]] = []
        self.matches: list[str] = []
        self.match_query: dict[str, Any] | None = None  # the search whose results are on screen
        self.total_matches = 0
        self.last_result: dict[str, Any] = {}
        self.plan: dict[str, Any] | None = None  # GET hubs/{hub}/contents behind the open delete confirmation

        # status: a line and a progress bar
        self.status = w.HTML()  # what is running now
        self.notice = w.HTML()  # the outcome of the last create or delete
        self.progress = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width=FULL, display="none"))

        # hub picker and creation
        self.hub_select = w.Dropdown(options=[], description=t("Hub"), layout=w.Layout(width=FULL))
        self._quiet = False
        self.hub_select.observe(lambda _: None if self._quiet else self._hub_changed(), "value")
        self.refresh_button = button(t("Refresh"), self.load, icon="refresh")
        self.new_name = w.Text(placeholder=t("Hub name, e.g. CompanyHub2"), layout=w.Layout(width=FULL))
        self.new_display = w.Text(placeholder=t("Display name"), layout=w.Layout(width=FULL))
        self.new_description = w.Textarea(placeholder=t("Description"), layout=w.Layout(width=FULL))
        self.new_keywords = w.Text(placeholder=t("Keywords, comma separated (lower case)"), layout=w.Layout(width=FULL))
        self.create_button = button(t("Create hub"), self.create_hub, style="primary", icon="plus")

        # references in the selected hub
        self.reference_boxes: dict[str, w.Checkbox] = {}
        self.reference_list = column()
        self.remove_button = button(t("Remove selected"), self.remove_selected, icon="trash")

        # adding public models
        self.search = w.Text(placeholder=t("Search public models"), layout=w.Layout(width=FULL))
        self.filters = {
            name: w.Dropdown(
                options=[(t("Any {facet}", facet=name), "")], value="", layout=w.Layout(width="32%", min_width="120px")
            )
            for name in FILTERS
        }
        self.find_button = button(t("Find"), self.find, icon="search")
        self.match_count = w.HTML()
        self.match_boxes: dict[str, w.Checkbox] = {}
        self.match_list = column()
        self.select_all = w.Checkbox(value=False, description=t("Select all results"), indent=False)
        self.model_ids = w.Text(placeholder=t("…or model ids, comma separated"), layout=w.Layout(width=FULL))
        self.min_version = w.Text(
            placeholder=t("Minimum version (optional), e.g. 1.0.0"), layout=w.Layout(width=FULL)
        )  # pins the references (MinVersion); set again, it updates existing ones
        self.add_button = button(t("Add as references"), self.add_selected, style="primary", icon="plus")
        self.result = w.HTML()

        # sharing
        self.accounts = w.Text(placeholder=t("AWS account ids, comma separated"), layout=w.Layout(width=FULL))
        self.permission = w.Dropdown(options=list(PERMISSIONS), value="Read", description=t("Permission"))
        self.share_button = button(t("Share"), self.share, icon="share")
        self.unshare_button = button(t("Stop sharing"), self.unshare, icon="ban")
        self.shares = w.HTML()

        # deleting
        self.delete_button = button(t("Delete hub…"), self.ask_delete, style="danger", icon="trash")
        self.confirm_text = w.HTML()
        self.confirm_button = button(t("Delete"), self.confirm_delete, style="danger")
        self.cancel_button = button(t("Cancel"), self.cancel_delete)
        self.confirm_box = column(self.confirm_text, row(self.confirm_button, self.cancel_button))
        self.confirm_box.layout.display = "none"
        self.confirm_box.add_class("jsl-dialog")

        def section(title: str, *children: w.Widget) -> w.VBox:
            box = column(w.HTML(f"<b>{esc(title)}</b>"), *children)
            box.add_class("jsl-card")
            return box

        self.hub_sections = column(
            section(t("Models in this hub"), self.reference_list, self.remove_button),
            section(
                t("Add public models"),
                self.search,
                row(*self.filters.values(), self.find_button),
                self.match_count,
                self.match_list,
                self.select_all,
                self.model_ids,
                self.min_version,
                self.add_button,
                self.result,
            ),
            section(
                t("Share with other AWS accounts"),
                self.accounts,
                row(self.permission, self.share_button, self.unshare_button),
                self.shares,
            ),
            section(t("Delete"), self.delete_button, self.confirm_box),
        )
        self.widget = column(
            w.HTML(heading(t("Hub administration"))), self.status, self.progress, self.notice,
            row(self.hub_select, self.refresh_button),
            section(t("Create a private hub"), self.new_name, self.new_display, self.new_description,
                    self.new_keywords, self.create_button),
            self.hub_sections,
        )  # fmt: skip
        self.widget.add_class("jsl-browser")
        self._show_hub_sections()
        if autoload:
            self.load()

    # -- plumbing -----------------------------------------------------------------------
    @property
    def hub(self) -> str | None:
        return self.hub_select.value or None

    def _run(self, fn: Callable[[], Any], then: Callable[[Any], None] | None = None, *, label: str = "") -> None:
        def job() -> None:
            self._say(label)
            try:
                result = fn()
                if then is not None:
                    then(result)
            except Exception as exc:  # the panel's error banner shows the server's message
                self.on_error(exc)
            finally:
                if self.status.value == self._said(label):
                    self._say("")

        self.tasks.submit(job)

    @staticmethod
    def _said(text: str) -> str:
        return f"<i>{esc(text)}</i>" if text else ""

    def _say(self, text: str) -> None:
        self.status.value = self._said(text)

    def wait(self, timeout: float | None = 120.0) -> None:
        """Block until pending REST calls are done (tests, scripts)."""
        self.tasks.wait(timeout)

    def close(self) -> None:
        self.tasks.close()
        self.widget.close()

    # -- hubs ---------------------------------------------------------------------------
    def load(self) -> None:
        """(Re)load the private hubs and the public catalog's filter values."""
        self._run(self._fetch_start, self._started, label=self.t("Loading hubs…"))

    def _fetch_start(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        hubs = self.client.request("GET", "hubs", params={"refresh": "true"})["hubs"]
        facets = self.client.models(PUBLIC, limit=1).get("facets", {})
        return [h for h in hubs if h.get("kind") == "private"], facets

    def _started(self, result: tuple[list[dict[str, Any]], dict[str, Any]], select: str | None = None) -> None:
        self.hubs, facets = result
        for name, dropdown in self.filters.items():
            values = sorted(facets.get(name, {}).items())
            dropdown.options = [(self.t("Any {facet}", facet=name), "")] + [(f"{v} ({n})", v) for v, n in values]
        self._set_hubs(select or self.hub)

    def _set_hubs(self, select: str | None) -> None:
        names = [h["name"] for h in self.hubs]
        self._quiet = True  # replacing the options would fire a change (and a load) per step
        try:
            self.hub_select.options = [(h.get("display_name") or h["name"], h["name"]) for h in self.hubs]
            self.hub_select.value = select if select in names else (names[0] if names else None)
        finally:
            self._quiet = False
        self._hub_changed()

    def _show_hub_sections(self) -> None:
        self.hub_sections.layout.display = "flex" if self.hub else "none"

    def _hub_changed(self) -> None:
        self._show_hub_sections()
        self.cancel_delete()
        self.result.value = ""
        if self.hub:
            self.load_hub()

    def create_hub(self) -> None:
        body: dict[str, Any] = {
            "name": self.new_name.value.strip(),
            "display_name": self.new_display.value.strip() or self.new_name.value.strip(),
            "description": self.new_description.value.strip(),
            "keywords": _split(self.new_keywords.value),
        }

        def created(hub: dict[str, Any]) -> None:
            for field in (self.new_name, self.new_display, self.new_description, self.new_keywords):
                field.value = ""
            self.notice.value = esc(self.t("Created hub {hub}.", hub=hub["name"]))
            self._started(self._fetch_start(), select=hub["name"])

        self._run(lambda: self.client.request("POST", "hubs", json=body), created, label=self.t("Creating the hub…"))

    # -- references -----------------------------------------------------------------------
    def load_hub(self) -> None:
        hub = self.hub
        if hub:
            self._run(lambda: self._fetch_hub(hub), self._show_hub, label=self.t("Loading {hub}…", hub=hub))

    def _fetch_hub(self, hub: str) -> tuple[dict[str, Any], dict[str, Any]]:
        refs = self.client.request("GET", f"hubs/{_seg(hub)}/references")
        shares = self.client.request("GET", f"hubs/{_seg(hub)}/shares")
        return refs, shares

    def _show_hub(self, result: tuple[dict[str, Any], dict[str, Any]]) -> None:
        refs, shares = result
        if refs["hub"] != self.hub:
            return  # the admin picked another hub meanwhile
        self.references = refs["references"]
        self.reference_boxes = {
            r["model_id"]: w.Checkbox(value=False, indent=False, description=r["model_id"],
                                      layout=w.Layout(width=FULL))
            for r in self.references
        }  # fmt: skip
        empty = w.HTML(f"<i>{esc(self.t('No models yet.'))}</i>")
        self.reference_list.children = list(self.reference_boxes.values()) or [empty]
        self._show_shares(shares)

    def remove_selected(self) -> None:
        hub, chosen = self.hub, [m for m, box in self.reference_boxes.items() if box.value]
        if not hub or not chosen:
            return

        def remove() -> None:
            self._start_progress(len(chosen))
            try:
                for model_id in chosen:
                    self.client.request("DELETE", f"hubs/{_seg(hub)}/references/{_seg(model_id)}")
                    self.progress.value += 1
            except Exception:
                self._reset_progress()
                raise
            finally:
                self.load_hub()  # show what the hub holds now, also after a failure

        self._run(remove, label=self.t("Removing references…"))

    # -- adding public models ----------------------------------------------------------------
    def _query(self) -> dict[str, Any]:
        query = {name: d.value for name, d in self.filters.items() if d.value}
        if self.search.value.strip():
            query["q"] = self.search.value.strip()
        return query

    def find(self) -> None:
        query = self._query()
        self._run(lambda: self.client.models(PUBLIC, limit=SHOWN, **query),
                  lambda page: self._show_matches(page, query), label=self.t("Searching the public hub…"))  # fmt: skip

    def _show_matches(self, page: dict[str, Any], query: dict[str, Any]) -> None:
        self.match_query = query  # "select all" means every result of this search, whatever the controls say later
        self.matches = [m["model_id"] for m in page["models"]]
        self.total_matches = page["total"]
        self.select_all.value = False
        self.match_boxes = {
            m["model_id"]: w.Checkbox(value=False, indent=False, layout=w.Layout(width=FULL),
                                      description=f"{m['model_id']}" + (" 🔒" if m.get("gated") else ""))
            for m in page["models"]
        }  # fmt: skip
        self.match_list.children = list(self.match_boxes.values())
        shown = len(self.matches)
        self.match_count.value = esc(self.t("{shown} of {total} public models shown", shown=shown,
                                            total=self.total_matches))  # fmt: skip

    def _all_matches(self, query: dict[str, Any]) -> list[str]:
        ids: list[str] = []
        cursor: str | None = None
        while True:
            page = self.client.models(PUBLIC, limit=PAGE, cursor=cursor, **query)
            ids += [m["model_id"] for m in page["models"]]
            cursor = page.get("next_cursor")
            if not cursor:
                return list(dict.fromkeys(ids))

    def add_selected(self) -> None:
        hub = self.hub
        picked = [m for m, box in self.match_boxes.items() if box.value]
        typed = _split(self.model_ids.value)
        every = self.match_query if self.select_all.value else None  # the search on screen, not the controls now
        if not hub or not (picked or typed or every is not None):
            return
        pin = self.min_version.value.strip()
        if pin and not validation.HUB_CONTENT_VERSION.fullmatch(pin):
            self.result.value = _warn(self.t("{value} is not a version like 1.0.0.", value=pin))
            return
        body: dict[str, Any] = {"min_version": pin} if pin else {}

        def add() -> dict[str, Any]:
            ids = list(dict.fromkeys((self._all_matches(every) if every is not None else picked) + typed))
            self._start_progress(len(ids))
            results: list[dict[str, Any]] = []
            outcome: dict[str, Any] = {"hub": hub, "requested": len(ids), "results": results}
            try:
                for start in range(0, len(ids), CHUNK):
                    chunk = ids[start : start + CHUNK]
                    reply = self.client.request("POST", f"hubs/{_seg(hub)}/references", json={"models": chunk, **body})
                    results += reply["results"]
                    self.progress.value += len(chunk)
            except Exception as exc:  # keep what the earlier chunks did, and say where it stopped
                self._reset_progress()
                outcome["error"] = exc
            return outcome

        self._run(add, self._added, label=self.t("Adding references…"))

    def _added(self, outcome: dict[str, Any]) -> None:
        self.last_result = outcome
        results, error = outcome["results"], outcome.get("error")
        count = {s: sum(r["status"] == s for r in results) for s in ("added", "updated", "already_present", "failed")}
        summary = self.t("{added} added, {present} already in the hub, {failed} failed.", added=count["added"],
                         present=count["already_present"], failed=count["failed"])  # fmt: skip
        if count["updated"]:
            summary += " " + self.t("{updated} updated to the new minimum version.", updated=count["updated"])
        lines = [esc(summary)]
        if error is not None:
            lines.append(_warn(self.t("Stopped after {done} of {total} models: {error}", done=len(results),
                                      total=outcome["requested"], error=message_of(error, self.t))))  # fmt: skip
        lines += [
            _warn(f"{r['model_id']}: {r.get('message') or r.get('code')}") for r in results if r["status"] == "failed"
        ]
        self.result.value = "<br>".join(lines)
        if error is None:
            self.model_ids.value = ""  # after a failure the typed ids stay, to try again
        if outcome["hub"] == self.hub:
            self.load_hub()
        if error is not None:
            self.on_error(error)

    def _start_progress(self, total: int) -> None:
        self.progress.value = 0
        self.progress.max = max(total, 1)
        self.progress.layout.display = "flex"

    def _reset_progress(self) -> None:
        """After a failure: no bar stuck half-way (what was done is reported in words)."""
        self.progress.value = 0
        self.progress.layout.display = "none"

    # -- sharing -------------------------------------------------------------------------
    def share(self) -> None:
        hub = self.hub
        if not hub:
            return
        body = {"account_ids": _split(self.accounts.value), "permission": self.permission.value}

        def done(shares: dict[str, Any]) -> None:
            self.accounts.value = ""
            self._show_shares(shares)

        self._run(lambda: self.client.request("POST", f"hubs/{_seg(hub)}/shares", json=body), done,
                  label=self.t("Sharing the hub…"))  # fmt: skip

    def unshare(self) -> None:
        """Stop sharing the hub with the accounts typed in the field."""
        hub, accounts = self.hub, _split(self.accounts.value)
        if not hub or not accounts:
            return

        def remove() -> dict[str, Any]:
            shares: dict[str, Any] = {}
            for account in accounts:
                shares = self.client.request("DELETE", f"hubs/{_seg(hub)}/shares/{_seg(account)}")
            return shares

        def done(shares: dict[str, Any]) -> None:
            self.accounts.value = ""
            self._show_shares(shares)

        self._run(remove, done, label=self.t("Stopping sharing…"))

    def _show_shares(self, shares: dict[str, Any]) -> None:
        rows = [
            f"<tr><td>{esc(p['principal'])}</td><td>{esc(s.get('permission') or '?')}</td>"
            f"<td>{esc(p['status'])}</td></tr>"
            for s in shares.get("shares", [])
            for p in s.get("principals", [])
        ]
        if not rows:
            self.shares.value = f"<i>{esc(self.t('Not shared with other accounts.'))}</i>"
            return
        head = "".join(f"<th>{esc(self.t(h))}</th>" for h in ("Account", "Permission", "Status"))
        self.shares.value = f"<div class='jsl-table'><table><tr>{head}</tr>{''.join(rows)}</table></div>"

    # -- deleting ------------------------------------------------------------------------
    def ask_delete(self) -> None:
        """Show a confirmation that names everything that will be removed: references, owned content
        (with its versions) and the accounts the hub stops being shared with."""
        hub = self.hub
        if not hub:
            return

        def fetch() -> tuple[tuple[dict[str, Any], dict[str, Any]], dict[str, Any]]:
            return self._fetch_hub(hub), self.client.request("GET", f"hubs/{_seg(hub)}/contents")

        def confirm(result: tuple[tuple[dict[str, Any], dict[str, Any]], dict[str, Any]]) -> None:
            listing, contents = result
            self._show_hub(listing)
            if contents["hub"] != self.hub:
                return  # the admin picked another hub meanwhile
            self.plan = contents
            self.confirm_text.value = self._confirmation(contents)
            self.confirm_box.layout.display = "flex"

        self._run(fetch, confirm, label=self.t("Checking what the hub holds…"))

    def _confirmation(self, contents: dict[str, Any]) -> str:
        t = self.t
        refs, owned, accounts = contents["references"], contents["owned"], _principals(contents)
        question = t("Delete hub {hub}? This cannot be undone. It removes:", hub=contents["hub"])
        parts = [f"<b>{esc(question)}</b>"]
        if refs:
            parts.append(_listed(t("{count} model references:", count=len(refs)), refs))
        if owned:
            items = [
                t.n("{model} ({count} version)", "{model} ({count} versions)", len(o["versions"]),
                    model=o["model_id"] if o["content_type"] == "Model" else f"{o['content_type']} {o['model_id']}")
                for o in owned
            ]  # fmt: skip
            parts.append(_listed(t("{count} items owned by the hub (imported models, every version):",
                                   count=len(owned)), items))  # fmt: skip
        if accounts:
            parts.append(_listed(t("It stops sharing the hub with {count} accounts:", count=len(accounts)), accounts))
        if not (refs or owned or accounts):
            parts.append(esc(t("The hub holds nothing and is not shared.")))
        parts += [_warn(n) for n in contents.get("warnings", [])]
        return "".join(parts)

    def cancel_delete(self) -> None:
        self.confirm_box.layout.display = "none"
        self.confirm_text.value = ""
        self.plan = None

    def confirm_delete(self) -> None:
        """Delete in visible steps: stop sharing with each account, remove each reference (the bar moves
        with each), then ``DELETE hubs/{hub}`` for the owned content and the hub itself."""
        hub, plan = self.hub, self.plan
        if not hub or not plan or plan["hub"] != hub:
            return
        self.cancel_delete()
        accounts = [a for a in _principals(plan) if validation.ACCOUNT_ID.fullmatch(a)]  # others: the last step
        refs: list[str] = plan["references"]
        owned = [{"content_type": o["content_type"], "model_id": o["model_id"], "version": v}
                 for o in plan["owned"] for v in o["versions"]]  # fmt: skip

        def delete() -> dict[str, Any]:
            unshared: list[str] = []
            removed: list[dict[str, Any]] = []
            self._start_progress(len(accounts) + len(refs) + 1)
            try:
                for account in accounts:
                    self._delete(f"hubs/{_seg(hub)}/shares/{_seg(account)}")
                    unshared.append(account)
                    self.progress.value += 1
                for model_id in refs:
                    self._delete(f"hubs/{_seg(hub)}/references/{_seg(model_id)}")
                    removed.append({"content_type": "ModelReference", "model_id": model_id, "version": None})
                    self.progress.value += 1
                summary = self.client.request("DELETE", f"hubs/{_seg(hub)}")
                self.progress.value += 1
            except Exception as exc:
                self._reset_progress()
                report = getattr(exc, "details", {})
                removed += report.get("removed", [])
                if "remaining" in report:  # the server listed what the hub still holds
                    remaining = report["remaining"]
                else:
                    gone = {m["model_id"] for m in removed if m["content_type"] == "ModelReference"}
                    remaining = [{"content_type": "ModelReference", "model_id": m} for m in refs if m not in gone]
                    remaining += owned
                return {"hub": hub, "deleted": False, "error": exc, "unshared": unshared, "removed": removed,
                        "remaining": remaining}  # fmt: skip
            return {**summary, "unshared": unshared, "removed": removed + summary["removed"]}

        self._run(delete, self._deleted, label=self.t("Deleting {hub}…", hub=hub))

    def _delete(self, path: str) -> None:
        """One step of a deletion; already gone (404) counts as done."""
        try:
            self.client.request("DELETE", path)
        except ApiError as exc:
            if exc.status != 404:
                raise

    def _deleted(self, outcome: dict[str, Any]) -> None:
        self.last_result = outcome
        t, hub = self.t, outcome["hub"]
        error = outcome.get("error")
        if error is None:
            self._started(self._fetch_start())
            done = t("Deleted hub {hub}: {count} items removed.", hub=hub, count=len(outcome["removed"]))
            self.notice.value = esc(done) + "".join(f"<br>{_warn(n)}" for n in outcome.get("warnings", []))
            return
        failed = t("Hub {hub} is not deleted: {error}", hub=hub, error=message_of(error, t))
        parts = [f"<b>{esc(failed)}</b>"]
        if outcome["unshared"]:
            parts.append(esc(t("Stopped sharing with: {accounts}", accounts=", ".join(outcome["unshared"]))))
        parts.append(_listed(t("Removed before the error ({count}):", count=len(outcome["removed"])),
                             [_item(r) for r in outcome["removed"]]))  # fmt: skip
        parts.append(_listed(t("Still in the hub ({count}):", count=len(outcome["remaining"])),
                             [_item(r) for r in outcome["remaining"]]))  # fmt: skip
        self.notice.value = "".join(parts)
        if hub == self.hub:
            self.load_hub()  # show what the hub holds now
        self.on_error(error)
