"""Route table: each module contributes ``ROUTES`` (paths under ``jumpstart-lab/api/``)
and an ``OPENAPI`` fragment (paths and component schemas)."""

from __future__ import annotations

from typing import Any

from . import curation, deployments, eula, hubs, notebooks, openapi, status
from .base import ApiHandler, NotFoundHandler

AREAS = (status, hubs, eula, notebooks, deployments, curation, openapi)
VERBS = ("get", "post", "put", "patch", "delete")


def merge(classes: list[type[ApiHandler]]) -> type[ApiHandler]:
    """One handler for a path served by several areas (e.g. GET hubs is browsing, POST hubs is
    curation), each verb keeping its own area's ``auth_resource`` for the authorizer."""
    if len(classes) == 1:
        return classes[0]
    verbs: dict[str, Any] = {}
    resources: dict[str, str] = {}
    for cls in classes:
        for verb in VERBS:
            fn = cls.__dict__.get(verb)
            if fn is not None:
                if verb in verbs:
                    raise TypeError(f"{verb.upper()} is defined twice for one path: {classes}")
                verbs[verb] = fn  # the decorated function itself, so jupyter_server sees @web.authenticated
                resources[verb.upper()] = cls.auth_resource
    default = classes[0].auth_resource

    def auth_resource(self: ApiHandler) -> str:
        return resources.get(self.request.method or "", default)

    name = "_".join(c.__name__ for c in classes)
    return type(name, tuple(classes), {**verbs, "auth_resource": property(auth_resource)})


def _routes() -> list[tuple[str, type[ApiHandler]]]:
    grouped: dict[str, list[type[ApiHandler]]] = {}
    for area in AREAS:
        for pattern, handler in area.ROUTES:
            grouped.setdefault(pattern, []).append(handler)
    return [(pattern, merge(classes)) for pattern, classes in grouped.items()]


ROUTES = [*_routes(), (r"(?P<rest>.*)", NotFoundHandler)]
