"""Card "Share with other AWS accounts": RAM shares of the hub, share and stop sharing."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..context import FULL, button, esc, row
from .context import AdminContext, card, split

PERMISSIONS = ("Read", "ReadAndUse", "FullAccess")


class SharingCard:
    def __init__(self, ctx: AdminContext) -> None:
        self.ctx = ctx
        t = ctx.t
        self.accounts = w.Text(placeholder=t("AWS account ids, comma separated"), layout=w.Layout(width=FULL))
        self.permission = w.Dropdown(options=list(PERMISSIONS), value="Read", description=t("Permission"))
        self.share_button = button(t("Share"), self.share, icon="share")
        self.unshare_button = button(t("Stop sharing"), self.unshare, icon="ban")
        self.shares = w.HTML()
        self.box = card(t("Share with other AWS accounts"), self.accounts,
                        row(self.permission, self.share_button, self.unshare_button), self.shares)  # fmt: skip

    def share(self) -> None:
        ctx, hub = self.ctx, self.ctx.hub
        if not hub:
            return
        accounts, permission = split(self.accounts.value), self.permission.value
        ctx.run(lambda: ctx.client.share(hub, accounts, permission), self._changed, label=ctx.t("Sharing the hub…"))

    def unshare(self) -> None:
        """Stop sharing the hub with the accounts typed in the field."""
        ctx, hub, accounts = self.ctx, self.ctx.hub, split(self.accounts.value)
        if not hub or not accounts:
            return

        def remove() -> dict[str, Any]:
            shares: dict[str, Any] = {}
            for account in accounts:
                shares = ctx.client.unshare(hub, account)
            return shares

        ctx.run(remove, self._changed, label=ctx.t("Stopping sharing…"))

    def _changed(self, shares: dict[str, Any]) -> None:
        self.accounts.value = ""
        self.show(shares)

    def show(self, shares: dict[str, Any]) -> None:
        t = self.ctx.t
        rows = [
            f"<tr><td>{esc(p['principal'])}</td><td>{esc(s.get('permission') or '?')}</td>"
            f"<td>{esc(p['status'])}</td></tr>"
            for s in shares.get("shares", [])
            for p in s.get("principals", [])
        ]
        if not rows:
            self.shares.value = f"<i>{esc(t('Not shared with other accounts.'))}</i>"
            return
        head = "".join(f"<th>{esc(t(h))}</th>" for h in ("Account", "Permission", "Status"))
        self.shares.value = f"<div class='jsl-table'><table><tr>{head}</tr>{''.join(rows)}</table></div>"
