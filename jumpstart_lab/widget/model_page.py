"""A model's page, like Studio's detail page: actions on top, then overview, license and EULA state,
versions, instance types, hyperparameters, notebooks and the model card; the deploy form below.

In JupyterLab it fills a main-area tab (one per model, kept by the panel); in a notebook it is a page of
the inline panel. The EULA gate runs before every action on a gated model: nothing proceeds until the user
accepts in a modal dialog (:class:`~.dialogs.Dialogs`), and the page then says who accepted which EULA
and when.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import ipywidgets as w

from .. import untrusted, validation
from .context import FULL, Context, Quiet, button, esc, link, row
from .deploy_form import DeployForm
from .dialogs import Dialogs
from .labels import value_label
from .models_view import badges
from .state import PanelState

ACTIONS = ("deploy", "train", "evaluate", "notebook")
NAME_LIMIT = 200


class ModelPage(w.VBox):
    """One model version. ``actions[name]`` are the buttons (``deploy``, ``train``, ``evaluate``, ``notebook``).

    ``open_file(path)`` opens a generated notebook in JupyterLab (the panel's bridge; no-op outside it).
    """

    def __init__(
        self,
        ctx: Context,
        state: PanelState,
        dialogs: Dialogs,
        open_file: Callable[[str], None],
        *,
        notebook_dir: Callable[[], str] = lambda: "",
        autopoll: bool = True,
        status: tuple[w.Widget, ...] = (),
    ) -> None:
        super().__init__(layout=w.Layout(width=FULL))
        self.add_class("jsl-model-page")
        self.ctx = ctx
        self.state = state
        self.dialogs = dialogs
        self._open_file = open_file
        self._notebook_dir = notebook_dir
        self.detail: dict[str, Any] = {}
        self.hub = ""  # how the API names the hub (an ARN for shared hubs)
        self.eula: dict[str, Any] = {}
        self._last_notebook: dict[str, Any] = {}
        self._quiet = Quiet()  # while the page sets its own version choice (per thread)
        t = ctx.t
        labels = {"train": t("Train"), "deploy": t("Deploy"), "evaluate": t("Evaluate"), "notebook": t("Open notebook")}
        styles = {"deploy": "primary"}
        self.actions = {
            a: button(labels[a], lambda a=a: self.start_action(a), style=styles.get(a, "")) for a in ACTIONS
        }
        #: which notebook "Open notebook" opens: the action chosen last for this model, else Deploy
        self.notebook_kind = w.Dropdown(
            options=[(t("Deploy notebook"), "deploy")],
            value="deploy",
            description=t("Notebook"),
            style={"description_width": "initial"},
            layout=w.Layout(width="auto", max_width=FULL),
        )
        self.header = w.HTML(layout=w.Layout(width=FULL))
        self.notice = w.HTML(layout=w.Layout(width=FULL))
        self.fresh_copy = button(
            t("Write a new copy"), self._fresh_copy, tooltip=t("Write a new notebook instead of opening yours")
        )
        self.fresh_copy.layout.display = "none"
        self.version = w.Dropdown(
            description=t("Version"), style={"description_width": "initial"}, layout=w.Layout(width="auto")
        )
        self.version.observe(self._version_changed, "value")
        self.license = w.HTML(layout=w.Layout(width=FULL))
        self.license.add_class("jsl-license")
        self.summary = w.HTML(layout=w.Layout(width=FULL))
        #: the model card: hub markdown rendered and sanitised by us (never a trusted Markdown output)
        self.markdown = w.HTML(layout=w.Layout(width=FULL))
        self.markdown.add_class("jsl-markdown")
        self.deploy_form = DeployForm(ctx, autopoll=autopoll)
        self.deploy_form.layout.display = "none"
        toolbar = row(*self.actions.values(), self.notebook_kind)
        toolbar.add_class("jsl-actions")
        self.children = [
            self.header,
            toolbar,
            row(self.notice, self.fresh_copy),
            self.deploy_form,
            self.license,
            self.version,
            self.summary,
            self.markdown,
        ]
        #: what a main-area tab shows: the page under its own CSS, error banner and progress line
        self.frame = w.VBox([*status, self], layout=w.Layout(width=FULL))
        self.frame.add_class("jsl-browser")
        self.frame.add_class("jsl-main")

    # -- loading -----------------------------------------------------------------------
    def load(self, hub: str, model_id: str, version: str | None = None) -> None:
        """Fetch and show a model version (errors go to the panel's banner)."""
        try:
            validation.hub_name_or_arn(hub)
            validation.model_id(model_id)
        except Exception as exc:
            self.ctx.report(exc)
            return
        self.ctx.run(
            lambda: self.ctx.api.model(hub, model_id, version),
            lambda detail: self.show(detail, hub),
            label=self.ctx.t("Loading {model}…", model=model_id),
        )

    @property
    def title(self) -> str:
        d = self.detail
        return untrusted.text(d.get("display_name") or d.get("model_id") or "", NAME_LIMIT)

    def show(self, detail: dict[str, Any], hub: str) -> None:
        t = self.ctx.t
        self.detail, self.hub = detail, hub
        self.eula = dict(detail.get("eula") or {})
        description = esc(detail.get("description") or "", 2000)
        facts = " · ".join(
            esc(v)
            for v in (
                detail.get("provider"),
                value_label("task", detail.get("task"), t) if detail.get("task") else None,
                value_label("framework", detail.get("framework"), t) if detail.get("framework") else None,
            )
            if v
        )
        self.header.value = (
            f"<h2 class='jsl-page-title'>{esc(self.title)}</h2>"
            f"<div class='jsl-subtitle'><code>{esc(detail['model_id'])}</code> {badges(detail, t)}</div>"
            f"<div class='jsl-desc'>{facts}</div><p class='jsl-description'>{description}</p>"
        )
        with self._quiet():
            versions = list(detail.get("versions") or [detail["version"]])
            if detail["version"] not in versions:
                versions.insert(0, detail["version"])
            self.version.options = versions
            self.version.value = detail["version"]
        training = detail.get("training") or {}
        self._enable("train", bool(training.get("supported")), t("This model does not support fine-tuning."))
        self._enable("evaluate", bool(detail.get("evaluation_supported")), t("This model has no built-in evaluation."))
        self._enable("deploy", True, t("Deploy the model to a SageMaker endpoint"))
        self._enable("notebook", True, t("Open this model's notebook of the kind chosen beside (yours, if written)"))
        kinds = [("deploy", t("Deploy notebook"))]
        if training.get("supported"):
            kinds.append(("train", t("Train notebook")))
        if detail.get("evaluation_supported"):
            kinds.append(("evaluate", t("Evaluate notebook")))
        self.notebook_kind.options = [(label, kind) for kind, label in kinds]
        chosen = self.state.notebook_kinds.get((hub, detail["model_id"]), "deploy")
        self.notebook_kind.value = chosen if chosen in dict(kinds) else "deploy"
        self._clear_notice()
        self.deploy_form.layout.display = "none"
        self.summary.value = self._summary(detail)
        self.markdown.value = untrusted.markdown_html(detail.get("markdown"))
        self._show_license()
        if self.eula.get("required"):  # whether this user already accepted it
            self.ctx.run(
                lambda: self.ctx.api.eula(hub, detail["model_id"], detail["version"]),
                self._eula_known,
                lane="counts",
            )

    def _eula_known(self, eula: dict[str, Any]) -> None:
        if eula.get("required"):
            self.eula = {**self.eula, **eula}
            self._show_license()

    def _enable(self, action: str, enabled: bool, tooltip: str) -> None:
        b = self.actions[action]
        b.disabled = not enabled
        b.tooltip = tooltip

    def _version_changed(self, change: dict[str, Any]) -> None:
        if not self._quiet and change["new"] and change["new"] != self.detail.get("version"):
            self.load(self.hub, self.detail["model_id"], change["new"])

    # -- the license and its state ------------------------------------------------------
    def _show_license(self) -> None:
        t = self.ctx.t
        d, eula = self.detail, self.eula
        parts = [f"<b>{esc(t('License'))}:</b> {esc(d.get('license') or t('see the model card'))}"]
        if eula.get("required") and eula.get("accepted"):
            when = str(eula.get("accepted_at") or "")[:19].replace("T", " ")
            accepted = t(
                "EULA accepted by {user} on {when} (text {sha})",
                user=eula.get("accepted_by") or t("you"),
                when=when,
                sha=str(eula.get("sha256") or "")[:12],
            )
            parts.append(f"<span class='jsl-badge jsl-accepted'>{esc(t('EULA accepted'))}</span> {esc(accepted)}")
        elif eula.get("required"):
            required = t("Using this model requires accepting its end-user license agreement.")
            parts.append(
                f"<span class='jsl-badge jsl-gated'>{esc(t('EULA'))}</span> {esc(required)} "
                + link(eula.get("uri"), t("Read the EULA"), aws=True)
            )
        else:
            parts.append(esc(t("No end-user license agreement to accept.")))
        market = d.get("marketplace") or {}
        if d.get("model_type") == "proprietary" or market:
            parts.append(
                esc(t("Proprietary model: subscribe in AWS Marketplace before deploying."))
                + " "
                + link(market.get("subscription_url"), t("Marketplace subscription"), aws=True)
            )
        self.license.value = "<div class='jsl-section'>" + "<br>".join(parts) + "</div>"

    # -- actions and the EULA gate -------------------------------------------------------
    def start_action(self, action: str) -> None:
        """Deploy / Train / Evaluate / Open notebook; on a gated model the EULA dialog comes first."""
        self.ctx.clear_error()
        d = self.detail
        if not d:
            return
        if not d.get("gated"):
            self._continue(action)
            return
        self.ctx.run(
            lambda: self.ctx.api.eula(self.hub, d["model_id"], d["version"]),
            lambda eula: self._gate(action, eula),
            label=self.ctx.t("Checking the license…"),
        )

    def _gate(self, action: str, eula: dict[str, Any]) -> None:
        self.eula = {**self.eula, **eula}
        self._show_license()
        if not eula.get("required") or eula.get("accepted"):
            self._continue(action)
            return
        self.dialogs.eula(self.title, eula, lambda done: self._accept(action, eula, done), self._decline)

    def _accept(self, action: str, eula: dict[str, Any], done: Callable[[bool], None]) -> None:
        d, hub = self.detail, self.hub

        def record() -> Any:
            try:
                return self.ctx.api.accept_eula(hub, d["model_id"], d["version"], action, eula.get("sha256"))
            except Exception:
                done(False)  # not recorded: the user may try again, or decline
                raise

        def accepted(_: Any) -> None:
            done(True)
            self.ctx.run(lambda: self.ctx.api.eula(hub, d["model_id"], d["version"]), self._eula_known, lane="counts")
            self._continue(action)

        self.ctx.run(record, accepted, label=self.ctx.t("Recording your acceptance…"))

    def _decline(self) -> None:
        cancelled = self.ctx.t("Cancelled: the license was not accepted.")
        self.notice.value = f"<i>{esc(cancelled)}</i>"
        self.fresh_copy.layout.display = "none"

    def _continue(self, action: str) -> None:
        d = self.detail
        self._clear_notice()  # (an earlier "Cancelled" no longer holds)
        kind = self.notebook_kind.value if action == "notebook" else action
        self.state.notebook_kinds[(self.hub, d["model_id"])] = kind
        if kind in [value for _, value in self.notebook_kind.options]:
            self.notebook_kind.value = kind
        if action == "deploy":
            self.deploy_form.prepare(d, self.hub)
            self.deploy_form.layout.display = "flex"
            return
        request = {
            "hub": self.hub,
            "model_id": d["model_id"],
            "action": kind,
            "version": d.get("version"),
            "directory": self._notebook_dir() or None,
        }
        self._write_notebook(request)

    # -- notebooks -------------------------------------------------------------------------
    def _write_notebook(self, request: dict[str, Any], fresh: bool = False) -> None:
        """Open the notebook already written for this model, version and kind, or write it (``fresh``: a new copy)."""

        def opened(created: dict[str, Any]) -> None:
            self._last_notebook = request
            self.show_notebook(created["path"], reused=bool(created.get("reused")))

        self.ctx.run(
            lambda: self.ctx.api.create_notebook(**request, **({"fresh": True} if fresh else {})),
            opened,
            label=self.ctx.t("Creating the notebook…"),
        )

    def _fresh_copy(self) -> None:
        if self._last_notebook:
            self._write_notebook(self._last_notebook, fresh=True)

    def show_notebook(self, path: str, reused: bool = False) -> None:
        """Open ``path`` in a JupyterLab tab and show a link to it (and, when reused, the offer of a new copy)."""
        t = self.ctx.t
        url = self.ctx.api.url_for("lab/tree/" + quote(path))
        text = t("Opened your notebook: {path}", path=path) if reused else t("Notebook created: {path}", path=path)
        self.notice.value = f"<a href='{esc(url)}' target='_blank' rel='noopener noreferrer'>{esc(text)}</a>"
        self.fresh_copy.layout.display = "inline-flex" if reused else "none"
        self._open_file(path)

    def _clear_notice(self) -> None:
        self.notice.value = ""
        self.fresh_copy.layout.display = "none"

    # -- the facts ---------------------------------------------------------------------------
    def _summary(self, d: dict[str, Any]) -> str:
        t = self.ctx.t
        sections = []
        inference = d.get("inference") or {}
        sections.append(
            _section(
                t("Inference instance types"),
                _types(inference.get("supported_instance_types"), inference.get("default_instance_type"), t),
            )
        )
        training = d.get("training") or {}
        if training.get("supported"):
            sections.append(
                _section(
                    t("Training instance types"),
                    _types(training.get("supported_instance_types"), training.get("default_instance_type"), t),
                )
            )
            sections.append(_hyperparameters(training.get("hyperparameters") or [], t))
        notebooks = d.get("notebooks") or []
        if notebooks:
            links = "".join(
                f"<li>{link(n.get('uri'), untrusted.text(n.get('title') or n.get('uri') or '', 200))}</li>"
                for n in notebooks
            )
            sections.append(_section(t("Example notebooks"), f"<ul>{links}</ul>"))
        return "<div class='jsl-details'>" + "".join(s for s in sections if s) + "</div>"


def _section(title: str, body: str) -> str:
    return f"<div class='jsl-section'><h4>{esc(title)}</h4>{body}</div>"


def _types(types: list[str] | None, default: str | None, t: Any) -> str:
    if not types:
        return esc(t("none listed"))
    marker = esc(t("default"))
    return ", ".join(f"<b>{esc(x)}</b> ({marker})" if x == default else esc(x) for x in types)


def _range(h: dict[str, Any], t: Any) -> str:
    """A hyperparameter's choices, or its bounds ("1 to 10", "from 1", "up to 10")."""
    if h.get("options"):
        return ", ".join(map(str, h["options"]))
    low, high = h.get("min"), h.get("max")
    if low is not None and high is not None:
        return t("{min} to {max}", min=low, max=high)
    if low is not None:
        return t("from {min}", min=low)
    if high is not None:
        return t("up to {max}", max=high)
    return ""


def _hyperparameters(items: list[dict[str, Any]], t: Any) -> str:
    if not items:
        return ""
    head = "".join(f"<th scope='col'>{esc(h)}</th>" for h in (t("Hyperparameter"), t("Default"), t("Range")))
    body = []
    for h in items:
        span = _range(h, t)
        body.append(
            f"<tr title='{esc(h.get('description') or '', 500)}'><td>{esc(h.get('name'))}</td>"
            f"<td>{esc(h.get('default'))}</td><td>{esc(span)}</td></tr>"
        )
    summary = esc(t("Hyperparameters ({count})", count=len(items)))
    table = f"<div class='jsl-table'><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    return f"<div class='jsl-section'><details><summary>{summary}</summary>{table}</details></div>"
