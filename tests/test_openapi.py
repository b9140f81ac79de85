"""GET openapi.json is a valid OpenAPI document, and real responses validate against it.

Generic over whatever paths the merged document has: every GET path whose path parameters
are in ``PATH_VALUES`` is called once; ``EXAMPLES`` adds more calls (other verbs, query
parameters, error cases). To cover a new endpoint, add its path parameters to
``PATH_VALUES`` and/or its calls to ``EXAMPLES``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_spec_validator import validate as validate_spec
from openapi_support import response_schema, served_document, validate

# path parameter -> value used when calling every GET path that has it
PATH_VALUES: dict[str, str] = {
    "hub": "SageMakerPublicHub",
    "model_id": "huggingface-text2text-flan-t5-base",
    "name": "no-such-endpoint",  # deployments: the 404 shape
}

# (method, path, query, body): calls beyond the automatic GET of each path
EXAMPLES: list[tuple[str, str, dict[str, str], Any]] = [
    ("GET", "/hubs", {"refresh": "true"}, None),
    ("GET", "/hubs/SageMakerPublicHub/models", {"q": "llama", "gated": "true", "limit": "3"}, None),
    ("GET", "/hubs/SageMakerPublicHub/models", {"sort": "newest", "model_type": "proprietary"}, None),
    ("GET", "/hubs/CompanyHub/models", {"instance_type": "ml.g5.12xlarge", "trainable": "true"}, None),
    ("GET", "/hubs/SageMakerPublicHub/models/meta-textgeneration-llama-2-13b-f", {"version": "4.18.0"}, None),
    ("GET", "/hubs/CompanyHub/models/meta-textgeneration-llama-2-13b-f", {}, None),
    ("GET", "/hubs/SageMakerPublicHub/models", {"cursor": "bogus"}, None),
    ("GET", "/hubs/NoSuchHub/models", {}, None),
    ("GET", "/hubs/SageMakerPublicHub/models/no-such-model", {}, None),
    ("GET", "/deployments", {"include": "deleted"}, None),
    ("GET", "/hubs/SageMakerPublicHub/models/ai21-jurassic-2-light/deploy-options", {}, None),
    ("GET", "/hubs/CompanyHub/models/meta-textgeneration-llama-2-13b-f/deploy-options", {"version": "4.18.0"}, None),
    ("POST", "/deployments/no-such-endpoint/redeploy", {}, {}),
]

PARAM = re.compile(r"\{([^}]+)\}")


def _template_for(doc: dict[str, Any], method: str, path: str) -> str:
    """The document's path template that ``path`` matches (for a concrete example path)."""
    for template, item in doc["paths"].items():
        pattern = "^" + PARAM.sub(r"[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "$"
        if method.lower() in item and re.match(pattern, path):
            return template
    raise AssertionError(f"{method} {path} is not described by openapi.json")


def _get_calls() -> list[tuple[str, str, dict[str, str], Any]]:
    calls = []
    for template, item in served_document()["paths"].items():
        names = PARAM.findall(template)
        if "get" in item and all(n in PATH_VALUES for n in names):
            calls.append(("GET", PARAM.sub(lambda m: PATH_VALUES[m[1]], template), {}, None))
    return calls


def test_document_is_valid_openapi():
    doc = served_document()
    validate_spec(doc)
    assert doc["paths"], "no paths"
    for template, item in doc["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "delete", "patch"):
                assert operation.get("operationId"), f"{method} {template} has no operationId"
                assert any(code.startswith("2") for code in operation["responses"]), f"{method} {template}"


def test_every_get_path_has_example_values():
    missing = sorted(
        {
            n
            for t, item in served_document()["paths"].items()
            if "get" in item
            for n in PARAM.findall(t)
            if n not in PATH_VALUES
        }
    )
    if missing:
        pytest.skip(f"add PATH_VALUES for {missing} to cover those GET paths")


@pytest.mark.parametrize(("method", "path", "query", "body"), _get_calls() + EXAMPLES)
async def test_real_responses_match_the_document(api, method, path, query, body):
    doc = served_document()
    template = _template_for(doc, method, path)
    r = await api(method, path, params=query, body=body)
    assert r.code < 500, r.body
    assert r.headers["Content-Type"].startswith("application/json")
    validate(doc, response_schema(doc, template, method, r.code), r.json())


async def test_served_document_equals_the_merged_one(api):
    r = await api("GET", "openapi.json")
    assert r.code == 200 and r.json() == served_document()
