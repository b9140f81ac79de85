"""The registry of hub operations: ``@operation`` names a handler after its function (``list_hubs`` ->
``ListHubs``); ``handle`` validates the request with botocore's model and runs it under the store's lock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .constraints import validate
from .errors import AwsError
from .store import HubStore

Handler = Callable[[HubStore, str, dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def operation(fn: Handler) -> Handler:
    name = "".join(part.title() for part in fn.__name__.strip("_").split("_"))
    HANDLERS[name] = fn
    return fn


def handle(store: HubStore, region: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run one operation. Raises AwsError (validation, not found, in use, access denied)."""
    if action not in HANDLERS:
        raise AwsError("UnknownOperationException", f"Unknown operation {action}.")
    validate(action, params)
    with store.lock:
        return HANDLERS[action](store, region, params)
