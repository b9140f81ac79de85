"""Route table: each module contributes ``ROUTES`` (paths under ``jumpstart-lab/api/``)
and an ``OPENAPI`` fragment (paths and component schemas)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from . import curation, deployments, eula, hubs, notebooks, openapi, status
from .base import ApiHandler, NotFoundHandler

AREAS = (status, hubs, eula, notebooks, deployments, curation, openapi)
VERBS = ("get", "post", "put", "patch", "delete")


def _with_resource(fn: Callable[..., Any], resource: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    def verb(self: ApiHandler, *args: Any, **kwargs: Any) -> Any:
        self.auth_resource = resource  # the authorizer sees the resource of the area that owns the verb
        return fn(self, *args, **kwargs)

    return verb


def merge(classes: list[type[ApiHandler]]) -> type[ApiHandler]:
    """One handler for a path served by several areas (e.g. GET hubs is browsing, POST hubs is
    curation), each verb keeping its own area's ``auth_resource``."""
    if len(classes) == 1:
        return classes[0]
    attrs: dict[str, Any] = {}
    for cls in classes:
        for verb in VERBS:
            fn = cls.__dict__.get(verb)
            if fn is not None:
                if verb in attrs:
                    raise TypeError(f"{verb.upper()} is defined twice for one path: {classes}")
                attrs[verb] = _with_resource(fn, cls.auth_resource)
    return type("_".join(c.__name__ for c in classes), tuple(classes), attrs)


def _routes() -> list[tuple[str, type[ApiHandler]]]:
    grouped: dict[str, list[type[ApiHandler]]] = {}
    for area in AREAS:
        for pattern, handler in area.ROUTES:
            grouped.setdefault(pattern, []).append(handler)
    return [(pattern, merge(classes)) for pattern, classes in grouped.items()]


ROUTES = [*_routes(), (r"(?P<rest>.*)", NotFoundHandler)]
