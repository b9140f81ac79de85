"""Step 7: the endpoints deployed from the extension, with status, type, count, price per hour and cost so
far (and their total), Try it and Delete; deleted ones with Redeploy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .context import FULL, Context, button, column, esc, heading, row
from .try_it import response_html

TERMINAL = frozenset({"InService", "Failed", "OutOfService"})


def confirm_delete(ctx: Context, name: str, then: Callable[[], None]) -> None:
    """Ask before deleting endpoint ``name`` (named, with what goes); ``then`` deletes it."""
    t = ctx.t
    ctx.confirm(
        t("Delete endpoint {endpoint}?", endpoint=name),
        t("The endpoint, its configuration and its model are deleted; billing stops. This cannot be undone."),
        t("Delete endpoint"),
        then,
    )


def money(amount: float | None, currency: str | None = "USD") -> str:
    """``$7.09`` (two decimals, more below a cent); ``?`` when unknown."""
    if amount is None:
        return "?"
    digits = 2 if amount == 0 or abs(amount) >= 0.01 else 4
    symbol = "$" if (currency or "USD") == "USD" else f"{currency} "
    return f"{symbol}{amount:,.{digits}f}"


def status_text(dep: dict[str, Any], t: Any) -> str:
    status = dep.get("status") or "?"
    labels = {
        "Creating": t("Creating"),
        "InService": t("In service"),
        "Failed": t("Failed"),
        "Deleting": t("Deleting"),
        "Updating": t("Updating"),
        "OutOfService": t("Out of service"),
        "Deleted": t("Deleted"),
    }
    text = labels.get(status, status)
    if status == "Failed" and dep.get("failure_reason"):
        text += ": " + str(dep["failure_reason"])
        if dep.get("advice"):  # the server's "what to do" for this failure
            text += " " + str(dep["advice"])
    return text


class EndpointsView(w.VBox):
    """``rows[name]`` is ``(info, try_button, delete_button, response)`` for each endpoint;
    ``redeploy[name]`` the Redeploy button of a deleted one."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(layout=w.Layout(width=FULL))
        self.ctx = ctx
        t = ctx.t
        self.deployments: list[dict[str, Any]] = []
        self.rows: dict[str, tuple[w.HTML, w.Button, w.Button, w.HTML]] = {}
        self.redeploy: dict[str, w.Button] = {}
        self.running = 0  # endpoints Creating, Updating or InService (the server's count)
        self.title = w.HTML(heading(t("Endpoints")))
        self.refresh = button(t("Refresh"), self.reload, icon="refresh")
        self.total = w.HTML(layout=w.Layout(width=FULL))
        self.list = column()
        self.children = [self.title, row(self.refresh), self.total, self.list]

    def reload(self) -> None:
        self.ctx.run(
            lambda: self.ctx.api.deployments(include_deleted=True), self.show, label=self.ctx.t("Loading endpoints…")
        )

    def show(self, body: Any) -> None:
        t = self.ctx.t
        deployments = body.get("deployments", []) if isinstance(body, dict) else list(body or [])
        self.deployments = deployments
        self.rows.clear()
        self.redeploy.clear()
        self.running = int(body.get("running", 0)) if isinstance(body, dict) else 0
        self.total.value = self._total(body) if isinstance(body, dict) and deployments else ""
        if not deployments:
            empty = t("No endpoints deployed from JupyterLab yet. Open a model and click Deploy.")
            self.list.children = [w.HTML(f"<p>{esc(empty)}</p>")]
            return
        self.list.children = [self._row(d) for d in deployments]

    def _total(self, body: dict[str, Any]) -> str:
        t = self.ctx.t
        text = t.n(
            "{count} endpoint running: {hourly} per hour; cost so far {cost}",
            "{count} endpoints running: {hourly} per hour; cost so far {cost}",
            self.running,
            hourly=money(body.get("total_price_per_hour"), body.get("currency")),
            cost=money(body.get("total_cost_so_far"), body.get("currency")),
        )
        notes = [
            t("Estimates of the on-demand instance price only (no Marketplace software, storage or data transfer).")
        ]
        if body.get("demo_prices"):
            notes.append(t("Demo prices of the local service."))
        small = "".join(f"<br><small class='jsl-desc'>{esc(n)}</small>" for n in notes)
        return f"<p><b>{esc(text)}</b>{small}</p>"

    def _row(self, dep: dict[str, Any]) -> w.Widget:
        t = self.ctx.t
        name = dep["endpoint_name"]
        info = w.HTML(layout=w.Layout(width=FULL))
        response = w.HTML(layout=w.Layout(width=FULL))
        try_it = button(t("Try it"), lambda: self.try_it(name), tooltip=t("Send the model's example request"))
        delete = button(
            t("Delete endpoint"),
            lambda: self.delete(name),
            style="danger",
            tooltip=t("Delete the endpoint, its configuration and model"),
        )
        if dep.get("status") == "Deleted":  # a saved deployment: Redeploy instead of Try it / Delete
            again = button(
                t("Redeploy"),
                lambda: self.redeploy_one(name),
                style="primary",
                tooltip=t("Create this endpoint again with the same settings"),
            )
            again.disabled = not dep.get("redeployable")
            self.redeploy[name] = again
            info.value = self._info(dep)
            box = column(info, row(again))
            box.add_class("jsl-card")
            return box
        self.rows[name] = (info, try_it, delete, response)
        self._update(dep)
        box = column(info, row(try_it, delete), response)
        box.add_class("jsl-card")
        return box

    def _update(self, dep: dict[str, Any]) -> None:
        info, try_it, _, _ = self.rows[dep["endpoint_name"]]
        info.value = self._info(dep)
        try_it.disabled = dep.get("status") != "InService"

    def _info(self, dep: dict[str, Any]) -> str:
        """Name, model, count x type, status, price per hour and cost so far."""
        t = self.ctx.t
        status_label = t("Status")
        kind = f"{dep.get('instance_count') or 1} \u00d7 {dep['instance_type']}" if dep.get("instance_type") else None
        details = " &middot; ".join(esc(v) for v in (dep.get("model_id"), kind) if v)
        cost = ""
        if dep.get("price_per_hour") is not None:
            text = t(
                "{hourly} per hour; cost so far {cost}",
                hourly=money(dep["price_per_hour"], dep.get("currency")),
                cost=money(dep.get("cost_so_far"), dep.get("currency")),
            )
            cost = f"<br><small>{esc(text)}</small>"
        return (
            f"<b>{esc(dep['endpoint_name'])}</b><br><small>{details}</small><br>"
            f"{esc(status_label)}: {esc(status_text(dep, t))}{cost}"
        )

    def try_it(self, name: str) -> None:
        _, _, _, response = self.rows[name]
        self.ctx.run(
            lambda: self.ctx.api.invoke(name),
            lambda r: setattr(response, "value", response_html(r, self.ctx.t)),
            label=self.ctx.t("Invoking {endpoint}…", endpoint=name),
        )

    def redeploy_one(self, name: str) -> None:
        """Create a deleted endpoint again (the server checks the EULA acceptance and the quota)."""
        self.ctx.run(
            lambda: self.ctx.api.redeploy(name),
            lambda _: self._changed(),
            label=self.ctx.t("Redeploying {endpoint}…", endpoint=name),
        )

    def delete(self, name: str) -> None:
        """Delete ``name`` after the user confirmed it in a dialog."""
        confirm_delete(self.ctx, name, lambda: self._delete(name))

    def _delete(self, name: str) -> None:
        self.ctx.run(
            lambda: self.ctx.api.delete_deployment(name),
            lambda _: self._changed(),
            label=self.ctx.t("Deleting {endpoint}…", endpoint=name),
        )

    def _changed(self) -> None:
        """An endpoint was created or deleted: list again, and let the sidebar badge count again."""
        self.ctx.deployments_changed()
        self.reload()
