"""Server-side input validation from botocore's SageMaker service model.

botocore checks only required members, types and ``min`` on the client; the service must enforce
``max``, ``pattern`` and ``enum`` itself. Constraints are read from the model, not hard-coded.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from botocore.model import OperationModel, Shape

from .errors import validation

# Patterns AWS documents as unanchored at the end (the SDK appends "/<version>" to these ARNs).
_PREFIX_MEMBERS = frozenset({"SageMakerPublicHubContentArn"})


@cache
def service_model(service: str = "sagemaker") -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


@cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.DOTALL)
    except re.error:  # a Java-only construct: leave it to the client
        return None


def operation(name: str, service: str = "sagemaker") -> OperationModel:
    return service_model(service).operation_model(name)


def validate(operation_name: str, params: Any, service: str = "sagemaker") -> None:
    """Raise ``ValidationException`` (AWS wording) when ``params`` break the operation's input shape."""
    shape = operation(operation_name, service).input_shape
    if shape is None:
        return
    errors: list[str] = []
    _check(shape, params, "", errors, member_name="")
    if errors:
        count = len(errors)
        raise validation(f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(errors))


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _fail(errors: list[str], value: Any, where: str, constraint: str) -> None:
    shown = value if isinstance(value, (str, int, float)) else "..."
    errors.append(f"Value '{shown}' at '{where}' failed to satisfy constraint: Member must {constraint}")


def _check(shape: Shape, value: Any, where: str, errors: list[str], member_name: str) -> None:
    meta = shape.metadata
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            _fail(errors, value, where, "be a structure")
            return
        for req in shape.required_members:
            if value.get(req) is None:
                errors.append(
                    f"Value null at '{_join(where, req)}' failed to satisfy constraint: Member must not be null"
                )
        for key, item in value.items():
            member = shape.members.get(key)
            if member is not None and item is not None:
                _check(member, item, _join(where, key), errors, key)
        return
    if kind == "list":
        if not isinstance(value, list):
            _fail(errors, value, where, "be a list")
            return
        _length(meta, len(value), value, where, errors)
        for i, item in enumerate(value):
            _check(shape.member, item, f"{where}.{i + 1}.member", errors, member_name)
        return
    if kind == "map":
        if not isinstance(value, dict):
            _fail(errors, value, where, "be a map")
            return
        _length(meta, len(value), value, where, errors)
        for key, item in value.items():
            _check(shape.key, key, f"{where}.key", errors, member_name)
            _check(shape.value, item, f"{where}.{key}", errors, member_name)
        return
    if kind == "string":
        if not isinstance(value, str):
            _fail(errors, value, where, "be a string")
            return
        _length(meta, len(value), value, where, errors)
        enum = shape.enum
        if enum and value not in enum:
            _fail(errors, value, where, f"satisfy enum value set: [{', '.join(enum)}]")
        pattern = meta.get("pattern")
        if pattern and (rx := _compiled(pattern)) is not None:
            ok = rx.match(value) if member_name in _PREFIX_MEMBERS else rx.fullmatch(value)
            if not ok:
                _fail(errors, value, where, f"satisfy regular expression pattern: {pattern}")
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            _fail(errors, value, where, "be an integer")
            return
        if "min" in meta and value < meta["min"]:
            _fail(errors, value, where, f"have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            _fail(errors, value, where, f"have value less than or equal to {meta['max']}")
        return
    if kind == "boolean" and not isinstance(value, bool):
        _fail(errors, value, where, "be a boolean")
    if kind == "timestamp" and (isinstance(value, bool) or not isinstance(value, (int, float, str))):
        _fail(errors, value, where, "be a timestamp")


def _length(meta: dict[str, Any], length: int, value: Any, where: str, errors: list[str]) -> None:
    if "min" in meta and length < meta["min"]:
        _fail(errors, value, where, f"have length greater than or equal to {meta['min']}")
    if "max" in meta and length > meta["max"]:
        _fail(errors, value, where, f"have length less than or equal to {meta['max']}")


def _join(where: str, key: str) -> str:
    return f"{where}.{_lower_first(key)}" if where else _lower_first(key)
