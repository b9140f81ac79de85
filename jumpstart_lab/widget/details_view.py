"""Step 3: one model's details and its actions (Train, Deploy, Evaluate, Open notebook)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
from IPython.display import Markdown

from .context import FULL, Context, Quiet, button, column, esc, row
from .context import link as _link
from .models_view import badges

ACTIONS = ("train", "deploy", "evaluate", "notebook")


class DetailsView(w.VBox):
    """A model's description, license, versions, instance types, hyperparameters and actions.

    ``actions[name]`` are the buttons (``train``, ``deploy``, ``evaluate``, ``notebook``);
    ``on_action(name)`` runs when one is clicked, ``on_version(version)`` when another version is picked.
    """

    def __init__(self, ctx: Context, on_action: Callable[[str], None], on_version: Callable[[str], None]) -> None:
        super().__init__(layout=w.Layout(width=FULL))
        self.ctx = ctx
        self.detail: dict[str, Any] = {}
        self._on_version = on_version
        self._quiet = Quiet()
        t = ctx.t
        labels = {"train": t("Train"), "deploy": t("Deploy"), "evaluate": t("Evaluate"), "notebook": t("Open notebook")}
        styles = {"deploy": "primary"}
        self.actions = {a: button(labels[a], lambda a=a: on_action(a), style=styles.get(a, "")) for a in ACTIONS}
        self.header = w.HTML(layout=w.Layout(width=FULL))
        self.version = w.Dropdown(description=t("Version"), layout=w.Layout(width="auto", max_width=FULL))
        self.version.observe(self._version_changed, "value")
        self.result = w.HTML(layout=w.Layout(width=FULL))
        self.summary = w.HTML(layout=w.Layout(width=FULL))
        self.markdown = w.Output(layout=w.Layout(width=FULL, max_height="320px", overflow="auto"))
        self.children = [
            self.header,
            row(*self.actions.values()),
            self.result,
            self.version,
            self.summary,
            self.markdown,
        ]

    def show(self, detail: dict[str, Any]) -> None:
        t = self.ctx.t
        self.detail = detail
        name = detail.get("display_name") or detail["model_id"]
        description = esc(detail.get("description") or "")
        self.header.value = (
            f"<h3 class='jsl-title'>{esc(name)}</h3><div><code>{esc(detail['model_id'])}</code> "
            f"{badges(detail, t)}</div><div class='jsl-desc'>{description}</div>"
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
        self._enable("notebook", True, t("Open a notebook that deploys and invokes the model"))
        self.result.value = ""
        self.summary.value = self._summary(detail)
        self.markdown.outputs = ()
        if detail.get("markdown"):
            self.markdown.append_display_data(Markdown(detail["markdown"]))

    def _enable(self, action: str, enabled: bool, tooltip: str) -> None:
        b = self.actions[action]
        b.disabled = not enabled
        b.tooltip = tooltip

    def _version_changed(self, change: dict[str, Any]) -> None:
        if not self._quiet and change["new"] and change["new"] != self.detail.get("version"):
            self._on_version(change["new"])

    def _summary(self, d: dict[str, Any]) -> str:
        t = self.ctx.t
        parts = []
        facts = [
            (t("Provider"), d.get("provider")),
            (t("Task"), d.get("task")),
            (t("Framework"), d.get("framework")),
            (t("License"), d.get("license")),
        ]
        parts.append("<br>".join(f"<b>{esc(k)}:</b> {esc(v)}" for k, v in facts if v))
        eula = d.get("eula") or {}
        if eula.get("required"):
            required = t("Using this model requires accepting its end-user license agreement.")
            parts.append(f"&#128274; {esc(required)} " + _link(eula.get("uri"), t("Read the EULA")))
        else:
            parts.append(esc(t("No end-user license agreement to accept.")))
        market = d.get("marketplace") or {}
        if d.get("model_type") == "proprietary" or market:
            parts.append(
                esc(t("Proprietary model: subscribe in AWS Marketplace before deploying."))
                + " "
                + _link(market.get("subscription_url"), t("Marketplace subscription"))
            )
        inference = d.get("inference") or {}
        parts.append(
            _label(t("Inference instance types"))
            + _types(inference.get("supported_instance_types"), inference.get("default_instance_type"), t)
        )
        training = d.get("training") or {}
        if training.get("supported"):
            parts.append(
                _label(t("Training instance types"))
                + _types(training.get("supported_instance_types"), training.get("default_instance_type"), t)
            )
            parts.append(_hyperparameters(training.get("hyperparameters") or [], t))
        notebooks = d.get("notebooks") or []
        if notebooks:
            links = "".join(f"<li>{_link(n.get('uri'), n.get('title') or n.get('uri') or '')}</li>" for n in notebooks)
            parts.append(_label(t("Example notebooks")) + f"<ul>{links}</ul>")
        return "<div class='jsl-details'>" + "".join(f"<p>{p}</p>" for p in parts if p) + "</div>"


def _label(text: str) -> str:
    return f"<b>{esc(text)}:</b> "


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
    head = "".join(f"<th>{esc(h)}</th>" for h in (t("Hyperparameter"), t("Default"), t("Range")))
    body = []
    for h in items:
        span = _range(h, t)
        body.append(
            f"<tr title='{esc(h.get('description') or '')}'><td>{esc(h.get('name'))}</td>"
            f"<td>{esc(h.get('default'))}</td><td>{esc(span)}</td></tr>"
        )
    summary = esc(t("Hyperparameters ({count})", count=len(items)))
    table = f"<div class='jsl-table'><table><tr>{head}</tr>{''.join(body)}</table></div>"
    return f"<details><summary>{summary}</summary>{table}</details>"


__all__ = ["ACTIONS", "DetailsView", "column"]
