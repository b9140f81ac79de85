"""Endpoint bookkeeping the layer does on top of the fallback: EULA check on CreateModel, the
Creating → InService lifecycle, and InvokeEndpoint answers in the model's output shape.

The layer sees every CreateModel / CreateEndpointConfig / CreateEndpoint request, so it can map an
endpoint to the catalog model it serves without asking the fallback.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from .demo_entries import ModelEntry, gated_bucket
from .errors import AwsError, validation
from .settings import ACCOUNT

EULA_MESSAGE = (
    "The AcceptEula value must be explicitly defined as True in order to accept the end-user license agreement "
    '(EULA) that this "{uri}" model requires. Set ModelAccessConfig.AcceptEula to true in the S3DataSource of the '
    "container to accept the EULA."
)


def _containers(params: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    if isinstance(params.get("PrimaryContainer"), dict):
        out.append(params["PrimaryContainer"])
    out.extend(c for c in params.get("Containers") or [] if isinstance(c, dict))
    return out


@dataclass
class Endpoint:
    name: str
    config: str
    created: float
    model_id: str | None


class Runtime:
    """Tracks models, endpoint configs and endpoints created through the layer."""

    def __init__(self, *, endpoint_seconds: float, region: str) -> None:
        self.endpoint_seconds = endpoint_seconds
        self.region = region
        self.lock = threading.Lock()
        self.gated_prefixes: tuple[str, ...] = ()
        self.models_by_id: dict[str, ModelEntry] = {}
        self.model_ids: dict[str, str | None] = {}  # SageMaker model name -> catalog model id
        self.configs: dict[str, str | None] = {}  # endpoint config -> catalog model id
        self.endpoints: dict[str, Endpoint] = {}

    def reset(self, gated_prefixes: tuple[str, ...], models_by_id: dict[str, ModelEntry]) -> None:
        with self.lock:
            self.gated_prefixes = gated_prefixes
            self.models_by_id = models_by_id
            self.model_ids.clear()
            self.configs.clear()
            self.endpoints.clear()

    # --- CreateModel ---------------------------------------------------------------------------

    def _gated(self, uri: str) -> bool:
        return uri.startswith(f"s3://{gated_bucket(self.region)}/") or any(
            uri.startswith(p) for p in self.gated_prefixes
        )

    def check_create_model(self, params: dict[str, Any]) -> None:
        """Reject a gated artifact without ``ModelAccessConfig.AcceptEula = true`` (the service's text)."""
        for container in _containers(params):
            source = (container.get("ModelDataSource") or {}).get("S3DataSource") or {}
            uri = source.get("S3Uri")
            if isinstance(uri, str) and self._gated(uri):
                if (source.get("ModelAccessConfig") or {}).get("AcceptEula") is not True:
                    raise validation(EULA_MESSAGE.format(uri=uri))
            url = container.get("ModelDataUrl")
            if isinstance(url, str) and self._gated(url):
                raise validation(EULA_MESSAGE.format(uri=url))

    def _model_id_of(self, params: dict[str, Any]) -> str | None:
        for tag in params.get("Tags") or []:
            if tag.get("Key") in ("sagemaker-sdk:jumpstart-model-id", "sagemaker.amazonaws.com/model-source"):
                if tag.get("Value") in self.models_by_id:
                    return tag["Value"]
        for container in _containers(params):
            source = (container.get("ModelDataSource") or {}).get("S3DataSource") or {}
            arn = (source.get("HubAccessConfig") or {}).get("HubContentArn") or ""
            parts = arn.split("/")
            if len(parts) >= 4 and parts[-2] in self.models_by_id:
                return parts[-2]
            for text in (source.get("S3Uri"), container.get("ModelDataUrl"), container.get("ModelPackageName")):
                if isinstance(text, str):
                    for segment in text.replace(":", "/").split("/"):
                        if segment in self.models_by_id:
                            return segment
        return None

    def created_model(self, params: dict[str, Any]) -> None:
        with self.lock:
            self.model_ids[params.get("ModelName", "")] = self._model_id_of(params)

    def created_endpoint_config(self, params: dict[str, Any]) -> None:
        variants = params.get("ProductionVariants") or []
        model = variants[0].get("ModelName") if variants else None
        with self.lock:
            self.configs[params.get("EndpointConfigName", "")] = self.model_ids.get(model or "")

    def created_endpoint(self, params: dict[str, Any]) -> None:
        name, config = params.get("EndpointName", ""), params.get("EndpointConfigName", "")
        with self.lock:
            self.endpoints[name] = Endpoint(name, config, time.time(), self.configs.get(config))

    def deleted_endpoint(self, params: dict[str, Any]) -> None:
        with self.lock:
            self.endpoints.pop(params.get("EndpointName", ""), None)

    # --- lifecycle -----------------------------------------------------------------------------

    def status(self, name: str) -> str | None:
        """``Creating`` during the first ``endpoint_seconds``, then ``InService``; None when unknown."""
        ep = self.endpoints.get(name)
        if ep is None:
            return None
        return "Creating" if time.time() - ep.created < self.endpoint_seconds else "InService"

    def rewrite_describe(self, reply: dict[str, Any]) -> dict[str, Any]:
        status = self.status(reply.get("EndpointName", ""))
        if status == "Creating" and reply.get("EndpointStatus") == "InService":
            reply["EndpointStatus"] = "Creating"
        return reply

    def rewrite_list(self, reply: dict[str, Any]) -> dict[str, Any]:
        for item in reply.get("Endpoints") or []:
            self.rewrite_describe(item)
        return reply

    # --- InvokeEndpoint ------------------------------------------------------------------------

    def invoke(self, name: str, body: bytes, content_type: str | None) -> tuple[str, bytes]:
        """(content type, body) of a plausible answer in the served model's output shape."""
        ep = self.endpoints.get(name)
        if ep is None:
            raise AwsError("ValidationError", f"Endpoint {name} of account {ACCOUNT} not found.")
        if self.status(name) != "InService":
            raise AwsError("ValidationError", f"Endpoint {name} of account {ACCOUNT} is not in service (Creating).")
        entry = self.models_by_id.get(ep.model_id or "")
        return "application/json", json.dumps(_answer(entry, ep, body)).encode()


_ONE_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _prompt(body: bytes) -> str:
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return body.decode("utf-8", "replace")[:200]
    if isinstance(payload, dict):
        for key in ("inputs", "prompt", "text_inputs", "text"):
            if key in payload:
                value = payload[key]
                return value if isinstance(value, str) else json.dumps(value)
    return json.dumps(payload)[:200]


def _answer(entry: ModelEntry | None, ep: Endpoint, body: bytes) -> Any:
    prompt = _prompt(body)
    digest = hashlib.sha256(prompt.encode()).digest()
    family = entry.family if entry else "llm"
    label = entry.id if entry else ep.name
    if family in ("llm", "text2text"):
        text = f" [demo answer from {label} on the jumpstart-lab local service] You asked: {prompt[:120]}"
        return [{"generated_text": text}]
    if family == "embedding":
        return {"embedding": [[round(b / 255, 4) for b in digest[:16]]]}
    if family == "txt2img":
        return {"generated_images": [_ONE_PIXEL_PNG], "prompt": prompt}
    if family == "asr":
        return {"text": ["demo transcription from the jumpstart-lab local service"]}
    score = digest[0] / 255
    return {
        "probabilities": [round(1 - score, 4), round(score, 4)],
        "labels": ["0", "1"],
        "predicted_label": "1" if score >= 0.5 else "0",
    }
