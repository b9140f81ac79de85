"""Building blocks of the handler modules' OpenAPI fragments, so every schema comes from a pydantic model.

``components(inputs=..., outputs=...)`` turns request models (validation mode) and response models
(serialization mode) into ``components.schemas``; ``query(Model)`` turns a query model into its query
parameters; ``json(...)``, ``body(...)``, ``errors(...)`` and ``path(...)`` are the repeated bits of an
operation. The schemas are JSON Schema 2020-12, as OpenAPI 3.1 takes them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.json_schema import models_json_schema

REF = "#/components/schemas/{model}"
JSON = "application/json"
NDJSON = "application/x-ndjson"
ERROR = {"$ref": "#/components/responses/Error"}


def ref(name: str | type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=name if isinstance(name, str) else name.__name__)}


def components(
    inputs: tuple[type[BaseModel], ...] = (), outputs: tuple[type[BaseModel], ...] = ()
) -> dict[str, Any]:
    """``components.schemas`` for these models and every model they refer to, named after the classes."""
    models = [(m, "validation") for m in inputs] + [(m, "serialization") for m in outputs]
    _, defs = models_json_schema(models, ref_template=REF)  # type: ignore[arg-type]
    return defs.get("$defs", {})


def json(
    model: str | type[BaseModel], description: str, *, streamed: bool = False, csv: bool = False
) -> dict[str, Any]:
    """A JSON response whose body is ``model``; ``streamed``: or, asked for with ``Accept: application/x-ndjson``,
    progress lines then the result (see ``ApiHandler.reply_with_progress``); ``csv``: or a CSV text."""
    response = {"description": description, "content": {JSON: {"schema": ref(model)}}}
    if csv:
        response["content"]["text/csv"] = {"schema": {"type": "string"}}  # type: ignore[index]
    if streamed:
        lines = [("progress", ref(Progress)), ("result", ref(model)), ("error", ref(StreamedError))]
        response["content"][NDJSON] = {  # type: ignore[index]
            "schema": {"oneOf": [_object(key, schema) for key, schema in lines]}  # each line
        }
    return response


def _object(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": [key], "properties": {key: schema}, "additionalProperties": False}


class Progress(BaseModel):
    """One step of a streamed operation: ``done`` of ``total`` steps, the last being ``what``."""

    what: str
    done: int
    total: int


class StreamedError(BaseModel):
    """An error after a streamed answer started: the HTTP status it would have had, with the error body."""

    model_config = ConfigDict(extra="allow")

    status: int
    code: str
    message: str


STREAM_SCHEMAS = (Progress, StreamedError)


def body(model: str | type[BaseModel], *, required: bool = True) -> dict[str, Any]:
    """A JSON request body."""
    return {"required": required, "content": {JSON: {"schema": ref(model)}}}


def errors(*codes: int, response: dict[str, Any] = ERROR) -> dict[str, Any]:
    """The error statuses of an operation, all with ``response`` (default: the shared Error)."""
    return {str(code): response for code in codes}


def path(name: str, description: str | None = None) -> dict[str, Any]:
    param: dict[str, Any] = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
    if description:
        param["description"] = description
    return param


HUB = path("hub", "Hub name, or hub ARN (URL-encoded).")


def query(model: type[BaseModel], descriptions: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The query parameters of a query model (one per field; ``None`` means absent, so no null type)."""
    schema = model.model_json_schema(mode="validation")
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        choices = [s for s in prop.pop("anyOf", []) if s.get("type") != "null"]
        if len(choices) == 1:
            prop.update(choices[0])
        elif choices:
            prop["anyOf"] = choices
        if prop.get("default", 0) is None:
            del prop["default"]
        prop.pop("title", None)
        description = (descriptions or {}).get(name) or prop.pop("description", None)
        param = {"name": name, "in": "query", "required": name in schema.get("required", []), "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params
