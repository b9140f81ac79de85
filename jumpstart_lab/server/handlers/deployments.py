"""Deployments REST API (skeleton, filled in next)."""

from __future__ import annotations

ROUTES: list = []

OPENAPI: dict = {"paths": {}, "components": {"schemas": {}}}
