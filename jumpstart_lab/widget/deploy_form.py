"""Step 5: the deploy form: endpoint name (validated as you type), instance type and count, cost
warning; then the endpoint's status, polled until InService or Failed, with Try it and Delete."""

from __future__ import annotations

import re
import time
from typing import Any

import ipywidgets as w

from .. import validation
from ..client import ApiError
from ..errors import InvalidInput, JumpStartLabError
from .context import FULL, Context, button, esc, link, message_of, row
from .endpoints_view import TERMINAL, confirm_delete, money, status_text
from .try_it import TryIt


def endpoint_name_for(model_id: str, now: float | None = None) -> str:
    """A fresh, valid endpoint name: the model id (shortened) plus a timestamp."""
    base = re.sub(r"[^a-zA-Z0-9-]+", "-", model_id).strip("-")[:44].strip("-") or "endpoint"
    return f"{base}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime(now))}"


#: Consecutive failed status requests after which polling stops (the endpoint may still come up).
MAX_POLL_FAILURES = 6
#: Longest pause between status requests while they fail (the pause doubles from ``poll_interval``).
MAX_POLL_BACKOFF = 60.0


class DeployForm(w.VBox):
    """Fill in, **Deploy**, watch the status, **Try it**, **Delete endpoint**.

    Polling runs on the ``poll`` lane of the panel's tasks; ``poll_once()`` does one step (tests).
    A failed status request is shown and retried after a growing pause; after ``max_poll_failures``
    in a row polling stops with a message, and Deploy is enabled again.
    """

    max_poll_failures = MAX_POLL_FAILURES

    def __init__(self, ctx: Context, *, autopoll: bool = True) -> None:
        super().__init__(layout=w.Layout(width=FULL))
        self.ctx = ctx
        self.autopoll = autopoll
        t = ctx.t
        self.detail: dict[str, Any] = {}
        self.hub = ""
        self.endpoint: str | None = None
        self.status: str | None = None
        self.polls = 0
        self.poll_failures = 0  # consecutive failed status requests
        self.polling_stopped = False  # gave up after too many failures
        self.title = w.HTML()
        self.name = w.Text(
            description=t("Endpoint name"),
            continuous_update=True,
            style={"description_width": "initial"},
            layout=w.Layout(width=FULL),
        )
        self.name.observe(lambda _: self.validate(), "value")
        self.name_error = w.HTML(layout=w.Layout(width=FULL))
        self.instance_type = w.Dropdown(
            description=t("Instance type"), style={"description_width": "initial"}, layout=w.Layout(width=FULL)
        )
        self.instance_count = w.BoundedIntText(
            value=1,
            min=1,
            max=100,
            description=t("Instance count"),
            style={"description_width": "initial"},
            layout=w.Layout(width="auto", max_width=FULL),
        )
        self.instance_type.observe(lambda _: self.validate(), "value")
        self.instance_count.observe(lambda _: self.validate(), "value")
        #: ``deploy-options`` of the model shown (price, quota, in use, free per instance type), once loaded
        self.options: dict[str, Any] = {}
        self.rows: dict[str, dict[str, Any]] = {}
        self.unavailable = w.HTML(layout=w.Layout(width=FULL))  # types without free quota, with the increase link
        self.hourly = w.HTML(layout=w.Layout(width=FULL))  # count x type per hour
        warning = t("Billed per instance-hour until deleted. Delete the endpoint when you no longer need it.")
        self.cost = w.HTML(f"<p class='jsl-warn'>&#9888; {esc(warning)}</p>", layout=w.Layout(width=FULL))
        self.deploy = button(t("Deploy"), self.submit, style="primary")
        self.progress = w.IntProgress(value=0, min=0, max=20, bar_style="info", layout=w.Layout(width="120px"))
        self.status_line = w.HTML(layout=w.Layout(width=FULL))
        #: Try it: an editable request prefilled from the model's examples, sent once InService
        self.tryit = TryIt(ctx)
        self.try_it = self.tryit.send
        self.delete = button(
            t("Delete endpoint"),
            self.remove,
            style="danger",
            tooltip=t("Delete the endpoint, its configuration and model"),
        )
        self.response = self.tryit.response
        self.after = w.VBox([self.tryit, row(self.delete)], layout=w.Layout(width=FULL))
        self.children = [
            self.title,
            self.name,
            self.name_error,
            self.instance_type,
            self.unavailable,
            self.instance_count,
            self.hourly,
            self.cost,
            row(self.deploy),
            row(self.status_line, self.progress),
            self.after,
        ]

    # -- the form ---------------------------------------------------------------------
    def prepare(self, detail: dict[str, Any], hub: str) -> None:
        """Fill the form for ``detail`` of ``hub`` (the hub as the API names it: an ARN for shared hubs)."""
        t = self.ctx.t
        self.detail = detail
        self.hub = hub
        self.endpoint = self.status = None
        self.polling_stopped = False
        heading = t("Deploy {model}", model=detail.get("display_name") or detail["model_id"])
        self.title.value = f"<h3 class='jsl-title'>{esc(heading)}</h3>"
        inference = detail.get("inference") or {}
        types = list(inference.get("supported_instance_types") or [])
        default = inference.get("default_instance_type")
        if default and default not in types:
            types.insert(0, default)
        self.options, self.rows = {}, {}
        self.unavailable.value = self.hourly.value = ""
        self.instance_type.options = types
        self.instance_type.value = default if default else (types[0] if types else None)
        self.instance_count.value = 1
        self.tryit.prepare(detail.get("examples") or [])
        self.load_options()
        self.name.value = endpoint_name_for(detail["model_id"])
        for control in (self.name, self.instance_type, self.instance_count):
            control.disabled = False
        self.status_line.value = self.response.value = ""
        self.progress.layout.display = "none"
        self.after.layout.display = "none"
        self.validate()

    # -- prices and quotas -------------------------------------------------------------
    def load_options(self) -> None:
        """Fetch each instance type's price and free quota; a failure leaves the plain form (the server still
        checks the quota on Deploy)."""
        detail, hub = self.detail, self.hub

        def fetch() -> dict[str, Any] | None:
            try:
                return self.ctx.api.deploy_options(hub, detail["model_id"], detail.get("version"))
            except Exception as exc:  # prices and quotas are a help, not a precondition
                self.hourly.value = "<small class='jsl-desc'>{}</small>".format(
                    esc(self.ctx.t("Prices and quotas are unavailable: {error}", error=message_of(exc, self.ctx.t)))
                )
                return None

        self.ctx.run(fetch, lambda body: self.show_options(body, detail))

    def show_options(self, body: dict[str, Any] | None, detail: dict[str, Any] | None = None) -> None:
        """Label each type with its price and free count; types without free quota are listed apart, with
        the link to request an increase, and cannot be chosen."""
        if body is None or (detail is not None and detail is not self.detail):  # the user moved on
            return
        t = self.ctx.t
        self.options = body
        self.rows = {row["name"]: row for row in body.get("instance_types", [])}
        free = [r for r in self.rows.values() if r.get("available") is None or r["available"] > 0]
        full = [r for r in self.rows.values() if r.get("available") is not None and r["available"] <= 0]
        current = self.instance_type.value
        choices = [(self._label(r), r["name"]) for r in free]
        self.instance_type.options = choices
        names = [name for _, name in choices]
        default = next((r["name"] for r in free if r.get("default")), None)
        self.instance_type.value = current if current in names else (default or (names[0] if names else None))
        if full:
            items = "".join(
                f"<li>{esc(self._label(r))} "
                + link(r.get("request_increase_url"), t("Request a quota increase"))
                + "</li>"
                for r in full
            )
            title = t("Not available with your quota:")
            self.unavailable.value = f"<div class='jsl-desc'><small>{esc(title)}</small><ul>{items}</ul></div>"
        else:
            self.unavailable.value = ""
        self.validate()

    def _label(self, row: dict[str, Any]) -> str:
        t = self.ctx.t
        parts = [row["name"]]
        if row.get("price_per_hour") is not None:
            parts.append(t("{price}/h", price=money(row["price_per_hour"], row.get("currency"))))
        if row.get("available") is not None:
            parts.append(t("{free} of {quota} free", free=row["available"], quota=row["quota"]))
        else:
            parts.append(t("quota unknown"))
        return " · ".join(parts)

    def _show_hourly(self) -> None:
        """``count x type = $/h`` of the choice, with what the price leaves out."""
        t = self.ctx.t
        row = self.rows.get(self.instance_type.value or "")
        if row is None:
            return
        count = int(self.instance_count.value or 1)
        notes = []
        if row.get("price_per_hour") is not None:
            total = money(row["price_per_hour"] * count, row.get("currency"))
            text = t("{count} \u00d7 {type}: {total} per hour", count=count, type=row["name"], total=total)
        else:
            text = t("Price of {type} unknown: {reason}", type=row["name"], reason=row.get("price_reason") or "")
        if self.options.get("marketplace"):
            notes.append(t("The model's AWS Marketplace software price comes on top."))
        if any(s.get("demo") for s in (self.options.get("sources") or {}).values()):
            notes.append(t("Demo prices of the local service."))
        small = "".join(f"<br><small class='jsl-desc'>{esc(n)}</small>" for n in notes)
        self.hourly.value = f"<p><b>{esc(text)}</b>{small}</p>"

    def validate(self) -> bool:
        """Check the form as the user types; the Deploy button is enabled only when it is valid."""
        t = self.ctx.t
        problem = ""
        try:
            validation.endpoint_name(self.name.value)
        except InvalidInput:
            problem = t("Use 1 to 63 letters, digits and hyphens; start and end with a letter or digit.")
        if not problem and not self.instance_type.options:
            problem = (
                t("No instance type of this model has free quota in your account; request an increase below.")
                if self.rows
                else t("This model lists no instance type to deploy on.")
            )
        row = self.rows.get(self.instance_type.value or "")
        count = int(self.instance_count.value or 1)
        if not problem and row and row.get("available") is not None and count > row["available"]:
            problem = t(
                "Your quota leaves {free} {type} free; lower the instance count or request a quota increase.",
                free=row["available"],
                type=row["name"],
            )
        self._show_hourly()
        self.name_error.value = f"<span class='jsl-warn'>{esc(problem)}</span>" if problem else ""
        self.deploy.disabled = bool(problem) or (self.endpoint is not None and not self.polling_stopped)
        return not problem

    def submit(self) -> None:
        if not self.validate():
            return
        d = self.detail
        options = {
            "version": d.get("version"),
            "endpoint_name": self.name.value,
            "instance_type": self.instance_type.value,
            "instance_count": int(self.instance_count.value),
        }
        self.ctx.run(
            lambda: self.ctx.api.deploy(self.hub, d["model_id"], **options),
            self._started,
            label=self.ctx.t("Starting the deployment…"),
        )

    def _started(self, dep: dict[str, Any]) -> None:
        self.ctx.deployments_changed()
        self.endpoint = dep["endpoint_name"]
        self.polls = self.poll_failures = 0
        self.polling_stopped = False
        self.response.value = ""
        for control in (self.name, self.instance_type, self.instance_count, self.deploy):
            control.disabled = True
        self.progress.layout.display = "inline-flex"
        self._show(dep)
        if self.autopoll and dep.get("status") not in TERMINAL:
            self.ctx.run(self._poll_loop, lane="poll")

    # -- status ------------------------------------------------------------------------
    def poll_once(self) -> bool:
        """Fetch the endpoint's status once and show it; True when it reached InService or Failed."""
        if self.endpoint is None or self.status == "Deleted":
            return True
        self.polls += 1
        self._show(self.ctx.api.deployment(self.endpoint))
        return self.status in TERMINAL

    def _poll_loop(self) -> None:
        """Poll until InService or Failed; a failed request is retried with backoff, up to a limit."""
        endpoint = self.endpoint
        while True:
            try:
                if self.poll_once():
                    return
                self.poll_failures = 0
                pause = self.ctx.poll_interval
            except Exception as exc:  # the server or AWS did not answer this time
                if self.endpoint != endpoint or self.status == "Deleted":  # deployed again or deleted meanwhile
                    return
                self.poll_failures += 1
                gone = isinstance(exc, ApiError) and exc.status == 404 and exc.code == "NotFound"
                if gone or self.poll_failures >= self.max_poll_failures:
                    self._give_up(exc)
                    return
                pause = min(
                    self.ctx.poll_interval * 2**self.poll_failures, max(MAX_POLL_BACKOFF, self.ctx.poll_interval)
                )
                self._poll_failed(exc, pause)
            if self.ctx.tasks.closed or self.endpoint != endpoint:  # the panel went away, or another deploy
                return
            self.ctx.sleep(pause)

    def _poll_failed(self, exc: BaseException, pause: float) -> None:
        """A status request failed: say so on the status line, keep the last known status."""
        t = self.ctx.t
        status = status_text({"status": self.status}, t) if self.status else ""
        problem = t(
            "Could not get the status ({error}); trying again in {seconds} s.",
            error=message_of(exc, t),
            seconds=f"{pause:g}",
        )
        self.status_line.value = (
            f"<b>{esc(self.endpoint)}</b>: {esc(status)} &hellip; <span class='jsl-warn'>{esc(problem)}</span>"
        )

    def _give_up(self, exc: BaseException) -> None:
        """Too many failed status requests in a row: stop polling, say what to do, enable Deploy again."""
        t = self.ctx.t
        self.polling_stopped = True
        error = message_of(exc, t)  # (not inside the t.n call: babel would take it for a t() call)
        message = t.n(
            "Stopped checking the status of {endpoint} after {count} failed attempt: {error} "
            "Open Endpoints to see its status later, or delete it.",
            "Stopped checking the status of {endpoint} after {count} failed attempts in a row: {error} "
            "Open Endpoints to see its status later, or delete it.",
            self.poll_failures,
            endpoint=self.endpoint,
            error=error,
        )
        self.ctx.report(JumpStartLabError(message, code="StatusUnavailable"))
        self.status_line.value = f"<span class='jsl-warn'>{esc(message)}</span>"
        self.progress.layout.display = "none"
        self.after.layout.display = "flex"
        self.tryit.ready(None)
        for control in (self.name, self.instance_type, self.instance_count):
            control.disabled = False
        self.validate()

    def _show(self, dep: dict[str, Any]) -> None:
        t = self.ctx.t
        if dep.get("endpoint_name") != self.endpoint:  # an answer about an endpoint this form left behind
            return
        changed = dep.get("status") != self.status and dep.get("status") in ("Failed", "OutOfService")
        self.status = dep.get("status")
        if changed:  # no longer running: the badge counts one less
            self.ctx.deployments_changed()
        done = self.status in TERMINAL
        self.progress.value = self.progress.max if done else self.polls % self.progress.max
        self.progress.bar_style = {"InService": "success", "Failed": "danger"}.get(self.status or "", "info")
        self.progress.layout.display = "none" if done else "inline-flex"
        self.status_line.value = f"<b>{esc(dep['endpoint_name'])}</b>: {esc(status_text(dep, t))}" + (
            "" if done else " &hellip;"
        )
        self.after.layout.display = "flex" if done else "none"
        self.tryit.ready(self.endpoint if self.status == "InService" else None)

    # -- after deployment --------------------------------------------------------------
    def invoke(self) -> None:
        self.tryit.invoke()

    def remove(self) -> None:
        """Delete the endpoint, after the user confirmed it (named) in a dialog."""
        name = self.endpoint
        if name:
            confirm_delete(self.ctx, name, lambda: self._delete(name))

    def _delete(self, name: str) -> None:
        if name:
            self.ctx.run(
                lambda: self.ctx.api.delete_deployment(name),
                lambda _: self._deleted(name),
                label=self.ctx.t("Deleting {endpoint}…", endpoint=name),
            )

    def _deleted(self, name: str) -> None:
        self.ctx.deployments_changed()
        self.status = "Deleted"
        self.after.layout.display = "none"
        self.tryit.ready(None)
        deleted = self.ctx.t("Deleted")
        self.status_line.value = f"<b>{esc(name)}</b>: {esc(deleted)}"
