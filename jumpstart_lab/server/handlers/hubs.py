"""GET hubs, GET hubs/{hub}/models, GET hubs/{hub}/models/{model_id} (skeleton; being built)."""

from __future__ import annotations

ROUTES: list = []

OPENAPI: dict = {"paths": {}, "components": {"schemas": {}}}
