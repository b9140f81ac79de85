"""Try an endpoint: an editable request prefilled from the model's examples (a chat prompt for chat models),
and the answer shown readably (the generated text as text, the JSON collapsible)."""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as w

from .context import FULL, Context, button, esc, row

#: Where models put the text they generate (JumpStart containers, TGI, OpenAI-style chat).
TEXT_KEYS = ("generated_text", "generation", "completion", "outputs", "output", "text", "answer", "translation_text")


def generated_text(body: Any) -> str | None:
    """The text a model generated, from the answer shapes JumpStart models use; None when there is none."""
    if isinstance(body, str):
        return body
    if isinstance(body, list) and body:
        parts = [generated_text(item) for item in body]
        texts = [p for p in parts if p]
        return "\n\n".join(texts) if texts else None
    if not isinstance(body, dict):
        return None
    choices = body.get("choices")
    if isinstance(choices, list) and choices:
        texts = []
        for choice in choices:
            if isinstance(choice, dict):
                message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
                content = message.get("content") if message else choice.get("text")
                if isinstance(content, str):
                    texts.append(content)
        if texts:
            return "\n\n".join(texts)
    for key in TEXT_KEYS:
        value = body.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return "\n\n".join(value)
    return None


def response_html(result: Any, t: Any) -> str:
    """The invocation result: generated text as text, and the whole answer as collapsible JSON."""
    body = result.get("body") if isinstance(result, dict) and "body" in result else result
    raw = body if isinstance(body, str) else json.dumps(body, indent=2, ensure_ascii=False)
    text = generated_text(body)
    label = esc(t("Response"))
    if text is None:
        return f"<b>{label}:</b><pre class='jsl-response' tabindex='0'>{esc(raw)}</pre>"
    answer = f"<b>{label}:</b><div class='jsl-generated' tabindex='0'>{esc(text)}</div>"
    if isinstance(body, str):
        return answer
    summary = esc(t("Full answer (JSON)"))
    return (
        answer
        + f"<details><summary>{summary}</summary><pre class='jsl-response' tabindex='0'>{esc(raw)}</pre></details>"
    )


class TryIt(w.VBox):
    """Pick an example, edit the request, **Send**; ``endpoint`` is set once the endpoint is InService."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(layout=w.Layout(width=FULL))
        self.add_class("jsl-try-it")
        self.ctx = ctx
        t = ctx.t
        self.endpoint: str | None = None
        self.examples: list[dict[str, Any]] = []
        self.example = w.Dropdown(description=t("Example"), style={"description_width": "initial"})
        self.example.layout = w.Layout(width="auto", max_width=FULL)
        self.example.observe(lambda _: self._fill(), "value")
        self.payload = w.Textarea(
            description=t("Request"),
            placeholder=t("The request body (JSON) sent to the endpoint"),
            rows=6,
            style={"description_width": "initial"},
            layout=w.Layout(width=FULL),
        )
        self.send = button(t("Send"), self.invoke, style="primary", tooltip=t("Send this request to the endpoint"))
        self.send.disabled = True
        self.problem = w.HTML()
        self.response = w.HTML(layout=w.Layout(width=FULL))
        self.children = [self.example, self.payload, row(self.send, self.problem), self.response]

    def prepare(self, examples: list[dict[str, Any]]) -> None:
        """Fill the choices from the model's examples (chat requests first)."""
        self.examples = list(examples or [])
        self.endpoint = None
        self.response.value = self.problem.value = ""
        self.send.disabled = True
        options = [(str(e.get("name") or i + 1), i) for i, e in enumerate(self.examples)]
        self.example.options = options or [(self.ctx.t("none"), -1)]
        self.example.layout.display = "flex" if len(options) > 1 else "none"
        self.example.value = options[0][1] if options else -1
        self._fill()

    def _fill(self) -> None:
        index = self.example.value
        if isinstance(index, int) and 0 <= index < len(self.examples):
            body = self.examples[index].get("body")
            self.payload.value = body if isinstance(body, str) else json.dumps(body, indent=2, ensure_ascii=False)
        else:
            self.payload.value = ""

    def ready(self, endpoint: str | None) -> None:
        """``endpoint`` InService: Send works (None: not, e.g. while Creating or after Delete)."""
        self.endpoint = endpoint
        self.send.disabled = endpoint is None
        if endpoint is None:
            self.response.value = ""

    def request_body(self) -> Any:
        """The edited request: JSON when it parses (the examples are JSON), else the text as typed."""
        text = self.payload.value.strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return text

    def invoke(self) -> None:
        name = self.endpoint
        if not name:
            return
        t = self.ctx.t
        body = self.request_body()
        if body is None:
            self.problem.value = f"<span class='jsl-warn'>{esc(t('Write a request first.'))}</span>"
            return
        self.problem.value = ""
        self.ctx.run(
            lambda: self.ctx.api.invoke(name, body),
            lambda r: setattr(self.response, "value", response_html(r, t)),
            label=t("Invoking {endpoint}…", endpoint=name),
        )
