"""Step 7: the endpoints deployed from the extension, with status, Try it and Delete."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from .context import FULL, Context, button, column, esc, heading, row
from .try_it import response_html

TERMINAL = frozenset({"InService", "Failed", "OutOfService"})


def status_text(dep: dict[str, Any], t: Any) -> str:
    status = dep.get("status") or "?"
    labels = {
        "Creating": t("Creating"),
        "InService": t("In service"),
        "Failed": t("Failed"),
        "Deleting": t("Deleting"),
        "Updating": t("Updating"),
        "OutOfService": t("Out of service"),
    }
    text = labels.get(status, status)
    if status == "Failed" and dep.get("failure_reason"):
        text += ": " + str(dep["failure_reason"])
        if dep.get("advice"):  # the server's "what to do" for this failure
            text += " " + str(dep["advice"])
    return text


class EndpointsView(w.VBox):
    """``rows[name]`` is ``(info, try_button, delete_button, response)`` for each endpoint."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(layout=w.Layout(width=FULL))
        self.ctx = ctx
        t = ctx.t
        self.deployments: list[dict[str, Any]] = []
        self.rows: dict[str, tuple[w.HTML, w.Button, w.Button, w.HTML]] = {}
        self.title = w.HTML(heading(t("Endpoints")))
        self.refresh = button(t("Refresh"), self.reload, icon="refresh")
        self.list = column()
        self.children = [self.title, row(self.refresh), self.list]

    def reload(self) -> None:
        self.ctx.run(self.ctx.api.deployments, self.show, label=self.ctx.t("Loading endpoints…"))

    def show(self, body: Any) -> None:
        t = self.ctx.t
        deployments = body.get("deployments", []) if isinstance(body, dict) else list(body or [])
        self.deployments = deployments
        self.rows.clear()
        if not deployments:
            empty = t("No endpoints deployed from JupyterLab yet. Open a model and click Deploy.")
            self.list.children = [w.HTML(f"<p>{esc(empty)}</p>")]
            return
        self.list.children = [self._row(d) for d in deployments]

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
        self.rows[name] = (info, try_it, delete, response)
        self._update(dep)
        box = column(info, row(try_it, delete), response)
        box.add_class("jsl-card")
        return box

    def _update(self, dep: dict[str, Any]) -> None:
        t = self.ctx.t
        info, try_it, _, _ = self.rows[dep["endpoint_name"]]
        status_label = t("Status")
        details = " &middot; ".join(esc(v) for v in (dep.get("model_id"), dep.get("instance_type")) if v)
        info.value = (
            f"<b>{esc(dep['endpoint_name'])}</b><br><small>{details}</small><br>"
            f"{esc(status_label)}: {esc(status_text(dep, t))}"
        )
        try_it.disabled = dep.get("status") != "InService"

    def try_it(self, name: str) -> None:
        _, _, _, response = self.rows[name]
        self.ctx.run(
            lambda: self.ctx.api.invoke(name),
            lambda r: setattr(response, "value", response_html(r, self.ctx.t)),
            label=self.ctx.t("Invoking {endpoint}…", endpoint=name),
        )

    def delete(self, name: str) -> None:
        """Delete ``name`` after the user confirmed it in a dialog."""
        t = self.ctx.t
        self.ctx.confirm(
            t("Delete endpoint {endpoint}?", endpoint=name),
            t("The endpoint, its configuration and its model are deleted; billing stops. This cannot be undone."),
            t("Delete endpoint"),
            lambda: self._delete(name),
        )

    def _delete(self, name: str) -> None:
        self.ctx.run(
            lambda: self.ctx.api.delete_deployment(name),
            lambda _: self.reload(),
            label=self.ctx.t("Deleting {endpoint}…", endpoint=name),
        )
