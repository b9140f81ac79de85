"""Card "Delete": a confirmation naming everything the deletion removes, then ``DELETE hubs/{hub}`` (the
server unshares the hub, removes its references and owned content, deletes it, and reports each step)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..context import button, column, esc, message_of, row
from .context import AdminContext, card, listed, principals, warn


def item(content: dict[str, Any]) -> str:
    """``ModelReference llama-x`` / ``Model in-house-model 1.0.0``: one removed or remaining hub item."""
    return " ".join(str(v) for v in (content["content_type"], content["model_id"], content.get("version")) if v)


class DeleteCard:
    def __init__(self, ctx: AdminContext) -> None:
        self.ctx = ctx
        self.plan: dict[str, Any] | None = None  # GET hubs/{hub}/contents behind the open confirmation
        t = ctx.t
        self.delete_button = button(t("Delete hub…"), self.ask, style="danger", icon="trash")
        self.confirm_text = w.HTML()
        self.confirm_button = button(t("Delete"), self.confirm, style="danger")
        self.cancel_button = button(t("Cancel"), self.cancel)
        self.confirm_box = column(self.confirm_text, row(self.confirm_button, self.cancel_button))
        self.confirm_box.layout.display = "none"
        self.confirm_box.add_class("jsl-dialog")
        self.box = card(t("Delete"), self.delete_button, self.confirm_box)

    def ask(self) -> None:
        """Show a confirmation that names everything that will be removed: references, owned content
        (with its versions) and the accounts the hub stops being shared with."""
        ctx, hub = self.ctx, self.ctx.hub
        if not hub:
            return

        def confirm(contents: dict[str, Any]) -> None:
            if contents["hub"] != ctx.hub:
                return  # the admin picked another hub meanwhile
            ctx.load_hub()  # the lists show what the confirmation names
            self.plan = contents
            title = ctx.t("Delete hub {hub}?", hub=contents["hub"])
            if ctx.lab_confirm(title, self._plain(contents), ctx.t("Delete hub"), self.confirm):
                return
            self.confirm_text.value = self._confirmation(contents)
            self.confirm_box.layout.display = "flex"

        ctx.run(lambda: ctx.client.hub_contents(hub), confirm, label=ctx.t("Checking what the hub holds…"))

    def _confirmation(self, contents: dict[str, Any]) -> str:
        t = self.ctx.t
        refs, owned, accounts = contents["references"], contents["owned"], principals(contents)
        question = t("Delete hub {hub}? This cannot be undone. It removes:", hub=contents["hub"])
        parts = [f"<b>{esc(question)}</b>"]
        if refs:
            parts.append(listed(t("{count} model references:", count=len(refs)), refs))
        if owned:
            items = [
                t.n("{model} ({count} version)", "{model} ({count} versions)", len(o["versions"]),
                    model=o["model_id"] if o["content_type"] == "Model" else f"{o['content_type']} {o['model_id']}")
                for o in owned
            ]  # fmt: skip
            parts.append(listed(t("{count} items owned by the hub (imported models, every version):",
                                  count=len(owned)), items))  # fmt: skip
        if accounts:
            parts.append(listed(t("It stops sharing the hub with {count} accounts:", count=len(accounts)), accounts))
        if not (refs or owned or accounts):
            parts.append(esc(t("The hub holds nothing and is not shared.")))
        parts += [warn(n) for n in contents.get("warnings", [])]
        return "".join(parts)

    def _plain(self, contents: dict[str, Any]) -> str:
        """The confirmation as text, for JupyterLab's dialog (which shows text, never HTML)."""
        t = self.ctx.t
        refs, owned, accounts = contents["references"], contents["owned"], principals(contents)
        lines = [t("Delete hub {hub}? This cannot be undone. It removes:", hub=contents["hub"])]
        if refs:
            lines.append(t("{count} model references:", count=len(refs)) + " " + ", ".join(map(str, refs)))
        if owned:
            names = ", ".join(f"{o['model_id']} ({len(o['versions'])})" for o in owned)
            label = t("{count} items owned by the hub (imported models, every version):", count=len(owned))
            lines.append(label + " " + names)
        if accounts:
            shared = t("It stops sharing the hub with {count} accounts:", count=len(accounts))
            lines.append(shared + " " + ", ".join(accounts))
        if not (refs or owned or accounts):
            lines.append(t("The hub holds nothing and is not shared."))
        return "\n".join(lines)

    def cancel(self) -> None:
        self.confirm_box.layout.display = "none"
        self.confirm_text.value = ""
        self.plan = None

    def confirm(self) -> None:
        """Delete the hub; the bar moves with each item the server removes."""
        ctx, hub, plan = self.ctx, self.ctx.hub, self.plan
        if not hub or not plan or plan["hub"] != hub:
            return
        self.cancel()
        accounts = principals(plan)

        def delete() -> dict[str, Any]:
            ctx.start_progress(len(plan["references"]) + sum(len(o["versions"]) for o in plan["owned"]) + 1)
            try:
                return {**ctx.client.delete_hub(hub, progress=ctx.step), "accounts": accounts}
            except Exception as exc:
                ctx.reset_progress()
                return {"hub": hub, "deleted": False, "error": exc, "accounts": accounts}

        ctx.run(delete, self._deleted, label=ctx.t("Deleting {hub}…", hub=hub))

    def _deleted(self, outcome: dict[str, Any]) -> None:
        ctx, t, hub = self.ctx, self.ctx.t, outcome["hub"]
        error = outcome.get("error")
        if error is None:
            done = t("Deleted hub {hub}: {count} items removed.", hub=hub, count=len(outcome["removed"]))
            ctx.notice.value = esc(done) + "".join(f"<br>{warn(n)}" for n in outcome.get("warnings", []))
            ctx.load_hubs(None)
            return
        report = getattr(error, "details", {})
        failed = t("Hub {hub} is not deleted: {error}", hub=hub, error=message_of(error, t))
        parts = [f"<b>{esc(failed)}</b>"]
        if report.get("shares_updated") and outcome["accounts"]:  # taken out of its RAM shares
            parts.append(esc(t("Stopped sharing with: {accounts}", accounts=", ".join(outcome["accounts"]))))
        removed = report.get("removed", [])
        parts.append(listed(t("Removed before the error ({count}):", count=len(removed)), [item(r) for r in removed]))
        if "remaining" in report:  # absent when the server could not list what the hub holds
            remaining = report["remaining"]
            parts.append(listed(t("Still in the hub ({count}):", count=len(remaining)), [item(r) for r in remaining]))
        ctx.notice.value = "".join(parts)
        if hub == ctx.hub:
            ctx.load_hub()  # show what the hub holds now
        ctx.on_error(error)
