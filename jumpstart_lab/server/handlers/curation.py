"""Hub curation endpoints (auth resource ``jumpstart_lab.curation``)."""

from __future__ import annotations

ROUTES: list = []

OPENAPI: dict = {"paths": {}, "components": {"schemas": {}}}
