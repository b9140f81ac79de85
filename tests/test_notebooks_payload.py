"""Generated notebooks send exactly the request of the deployments API's default invoke.

The documents are the SDK's v2-format hub documents (PascalCase ``DefaultPayloads`` bodies, e.g. ``MaxNewTokens``),
which the local demo catalog (snake_case bodies) cannot exercise. The notebook's invoke code runs against a
recording ``runtime_client``; ``DeploymentService.invoke`` runs against recording fake AWS clients.
"""

from __future__ import annotations

import ast
import io
import json
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from doc_support import model_doc as shared_model_doc

from jumpstart_lab.browse.models import ModelDocument
from jumpstart_lab.deployments.plan import TAG_HUB, TAG_HUB_ARN, TAG_MODEL_ID, TAG_VERSION
from jumpstart_lab.deployments.service import DeploymentService
from jumpstart_lab.notebooks.context import build_context
from jumpstart_lab.notebooks.render import render_notebook

V2_DOCUMENTS = Path(__file__).parent / "data" / "hub-documents-v2-format.json"  # SDK test fixtures
HUB_ARN = "arn:aws:sagemaker:us-west-2:123456789012:hub/my-private-hub"
ENDPOINT = "nb-payload-test"


def v2_document(model_id: str, *, reverse_payloads: bool = False) -> dict[str, Any]:
    document = json.loads(V2_DOCUMENTS.read_text())[model_id]
    if reverse_payloads:  # the first example in document order is then not the first in name order
        document["DefaultPayloads"] = dict(reversed(list(document["DefaultPayloads"].items())))
    return document


def model_doc(model_id: str, document: dict[str, Any]) -> ModelDocument:
    return shared_model_doc(document, model_id=model_id, version="1.0.0")


class _Recorder:
    """A ``sagemaker-runtime`` client that records InvokeEndpoint calls and answers like a TGI endpoint."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def invoke_endpoint(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return {"Body": io.BytesIO(b'[{"generated_text": "Paris"}]'), "ContentType": "application/json"}


def api_default_invoke(doc: ModelDocument) -> dict[str, Any]:
    """The InvokeEndpoint call of ``DeploymentService.invoke(name)`` without a payload (the default invoke)."""
    runtime = _Recorder()
    tags = {TAG_HUB: doc.hub_name, TAG_HUB_ARN: doc.hub_arn, TAG_MODEL_ID: doc.model_id, TAG_VERSION: doc.version}

    class SageMaker:
        def describe_endpoint(self, EndpointName: str) -> dict[str, Any]:
            arn = f"arn:aws:sagemaker:us-west-2:123456789012:endpoint/{EndpointName}"
            return {"EndpointName": EndpointName, "EndpointArn": arn, "EndpointStatus": "InService"}

        def get_paginator(self, name: str) -> Any:
            assert name == "list_tags"
            pages = [{"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]
            return SimpleNamespace(paginate=lambda **_: pages)

    class Aws:
        region = "us-west-2"

        def client(self, service: str, **_: Any) -> Any:
            return runtime if service == "sagemaker-runtime" else SageMaker()

    class Catalog:
        def model_document(self, hub: str, model_id: str, version: str | None = None) -> ModelDocument:
            assert (model_id, version) == (doc.model_id, doc.version)
            return doc

    DeploymentService(Aws(), Catalog(), None).invoke(ENDPOINT)
    (call,) = runtime.calls
    return call


def wire(call: dict[str, Any]) -> dict[str, Any]:
    """An InvokeEndpoint call as sent (boto3 encodes a str body as UTF-8)."""
    body = call["Body"]
    return {**call, "Body": body.encode() if isinstance(body, str) else body}


def notebook(doc: ModelDocument, action: str, sdk: str = "v3"):
    ctx = build_context(doc, action=action, sdk=sdk, region="us-west-2", acceptance=None, endpoint_name=None)
    return render_notebook(ctx)


def run_cell(source: str, runtime: _Recorder) -> dict[str, Any]:
    namespace: dict[str, Any] = {"runtime_client": runtime, "ENDPOINT_NAME": ENDPOINT, "json": json, "time": time}
    exec(compile(source, "<cell>", "exec"), namespace)
    return namespace


CASES = [
    pytest.param("huggingface-llm-gemma-2b-instruct", False, id="gemma-pascal-case"),
    pytest.param("huggingface-llm-gemma-2b-instruct", True, id="gemma-pascal-case-reordered"),
    pytest.param("meta-textgeneration-llama-2-70b", True, id="llama-camel-aliases-reordered"),
]


@pytest.mark.parametrize(("model_id", "reverse"), CASES)
@pytest.mark.parametrize("sdk", ["v3", "v2"])
def test_deploy_notebook_sends_the_deployments_api_default_request(model_id, reverse, sdk) -> None:
    doc = model_doc(model_id, v2_document(model_id, reverse_payloads=reverse))
    expected = api_default_invoke(doc)
    if model_id.startswith("huggingface-llm-gemma"):  # the fixture really is PascalCase: the keys were converted
        assert b'"max_new_tokens"' in expected["Body"] and b"MaxNewTokens" not in expected["Body"]
    cell = next(c for c in notebook(doc, "deploy", sdk).cells if "runtime_client.invoke_endpoint(" in c.source)
    runtime = _Recorder()
    namespace = run_cell(cell.source, runtime)
    (call,) = runtime.calls
    assert wire(call) == wire(expected)
    assert namespace["payload"] == json.loads(expected["Body"])  # the literal the user sees is that body


@pytest.mark.parametrize(("model_id", "reverse"), CASES)
@pytest.mark.parametrize("sdk", ["v3", "v2"])
def test_evaluate_notebook_uses_the_same_example_and_request(model_id, reverse, sdk) -> None:
    doc = model_doc(model_id, v2_document(model_id, reverse_payloads=reverse))
    expected = api_default_invoke(doc)
    nb = notebook(doc, "evaluate", sdk)
    cell = next(c for c in nb.cells if c.source.lstrip().startswith("import") and "PROMPT_TEMPLATE =" in c.source)
    template = ast.literal_eval(cell.source.split("PROMPT_TEMPLATE = ", 1)[1].split("\n\n\n", 1)[0])
    assert template == json.loads(expected["Body"])
    runtime = _Recorder()
    namespace = run_cell(cell.source, runtime)  # the quick evaluation's requests
    assert len(runtime.calls) == len(namespace["PROMPTS"])
    first_prompt = namespace["PROMPTS"][0][0]
    assert json.loads(runtime.calls[0]["Body"]) == {**json.loads(expected["Body"]), "inputs": first_prompt}
    namespace["ask"](namespace["PROMPT_TEMPLATE"])  # the template itself goes out exactly as the API's request
    assert wire(runtime.calls[-1]) == wire(expected)


@pytest.mark.parametrize(
    "payloads",
    [
        {"Text": {"Body": "Translate to German: hello", "ContentType": "application/x-text"}},  # sent as raw text
        {"Text": {"Body": "Translate to German: hello"}},  # JSON content type: a JSON string
    ],
    ids=["text-body", "json-string-body"],
)
def test_string_bodies_are_encoded_like_the_deployments_api(payloads) -> None:
    document = {"Task": "Text2Text Generation", "DefaultPayloads": payloads}
    doc = model_doc("some-text2text-model", document)
    expected = api_default_invoke(doc)
    cell = next(c for c in notebook(doc, "deploy").cells if "runtime_client.invoke_endpoint(" in c.source)
    runtime = _Recorder()
    run_cell(cell.source, runtime)
    assert wire(runtime.calls[0]) == wire(expected)
    evaluate = next(c for c in notebook(doc, "evaluate").cells if "PROMPT_TEMPLATE =" in c.source)
    namespace = run_cell(evaluate.source, runtime)
    namespace["ask"](namespace["PROMPT_TEMPLATE"])
    assert wire(runtime.calls[-1]) == wire(expected)
