"""Route table: each module contributes ``ROUTES`` (paths under ``jumpstart-lab/api/``)
and an ``OPENAPI`` fragment (paths and component schemas)."""

from __future__ import annotations

from . import curation, deployments, eula, hubs, notebooks, openapi, status
from .base import NotFoundHandler

AREAS = (status, hubs, eula, notebooks, deployments, curation, openapi)

ROUTES = [route for area in AREAS for route in area.ROUTES] + [(r"(?P<rest>.*)", NotFoundHandler)]
