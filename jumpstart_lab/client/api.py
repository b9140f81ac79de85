"""A small Python API for code cells: ``hubs()``, ``models(hub, q=..., **filters)``, ``model(hub, id)``.

Results are plain objects (attribute access, ``.to_dict()``) with a readable repr,
fetched through one shared :class:`JumpStartClient` (created on first use).
"""

from __future__ import annotations

import threading
from typing import Any

from .rest import JumpStartClient

_lock = threading.Lock()
_client: JumpStartClient | None = None


def client() -> JumpStartClient:
    """The shared client (server discovered on first use)."""
    global _client
    with _lock:
        if _client is None:
            _client = JumpStartClient()
        return _client


def set_client(new: JumpStartClient | None) -> None:
    """Use ``new`` for the module functions (``None``: discover again on next use)."""
    global _client
    with _lock:
        _client = new


class Record:
    """A read-only view of one JSON object: ``record.display_name``, ``record["task"]``."""

    _title_fields: tuple[str, ...] = ()

    def __init__(self, data: dict[str, Any]) -> None:
        object.__setattr__(self, "_data", dict(data))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and type(other) is type(self) and other._data == self._data

    __hash__ = None  # type: ignore[assignment]

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._data))

    def to_dict(self) -> dict[str, Any]:
        return dict(self._data)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={self._data.get(k)!r}" for k in self._title_fields if self._data.get(k) is not None)
        return f"{type(self).__name__}({fields})"


class Hub(Record):
    _title_fields = ("name", "display_name", "kind", "owner_account")


class Model(Record):
    """A model summary (from ``models()``) or its full details (from ``model()``)."""

    _title_fields = ("model_id", "version", "task", "provider", "license", "gated", "hub")


class ModelList(list):
    """A page of models: a list of :class:`Model`, plus ``total``, ``facets`` and ``next_cursor``."""

    def __init__(self, models: list[Model], *, total: int, facets: dict[str, Any], next_cursor: str | None) -> None:
        super().__init__(models)
        self.total = total
        self.facets = facets
        self.next_cursor = next_cursor

    def __repr__(self) -> str:
        more = " (more: pass cursor=.next_cursor)" if self.next_cursor else ""
        lines = [f"{len(self)} of {self.total} models{more}"]
        for m in self:
            d = m.to_dict()
            gated = "gated" if d.get("gated") else ""
            lines.append(f"  {d.get('model_id', ''):<48} {d.get('task') or '':<24} {gated}".rstrip())
        return "\n".join(lines)


class HubList(list):
    """The accessible hubs (a list of :class:`Hub`), plus ``unavailable`` ones with the reason."""

    def __init__(self, hubs: list[Hub], unavailable: list[dict[str, Any]]) -> None:
        super().__init__(hubs)
        self.unavailable = unavailable

    def __repr__(self) -> str:
        lines = [f"{len(self)} hubs"]
        for h in self:
            d = h.to_dict()
            lines.append(f"  {d.get('name', ''):<32} {d.get('kind') or '':<8} {d.get('display_name') or ''}".rstrip())
        lines += [f"  {u.get('name')} (unavailable: {u.get('message')})" for u in self.unavailable]
        return "\n".join(lines)


def hubs() -> HubList:
    """The hubs you can use (``.unavailable`` lists the others, with the reason)."""
    body = client().hubs()
    return HubList([Hub(h) for h in body.get("hubs", [])], list(body.get("unavailable", [])))


def models(hub: str, q: str | None = None, **filters: Any) -> ModelList:
    """Search a hub's models: ``q`` free text; filters ``task``, ``provider``, ``framework``, ``license``,
    ``gated``, ``trainable``, ``model_type``, ``instance_type``; ``sort``, ``limit``, ``cursor``."""
    body = client().models(hub, q=q, **filters)
    return ModelList(
        [Model(m) for m in body.get("models", [])],
        total=int(body.get("total", 0)),
        facets=body.get("facets", {}),
        next_cursor=body.get("next_cursor"),
    )


def model(hub: str, model_id: str, version: str | None = None) -> Model:
    """A model's details (versions, instance types, hyperparameters, EULA, notebooks, ...)."""
    return Model(client().model(hub, model_id, version))
