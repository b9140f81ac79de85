"""Filters of the audit API and the small HTML page (plain Python: no tornado, no JupyterHub)."""

from __future__ import annotations

import html
from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..eula.models import Acceptance
from ..eula.store import AcceptanceStore

MAX_ROWS = 100_000


class AuditQuery(BaseModel):
    """``GET acceptances``: ``user``, ``model``, ``hub`` (name or ARN), ``since`` (ISO 8601), ``format``."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["json", "csv"] = "json"
    user: str | None = Field(default=None, min_length=1, max_length=255)
    model: str | None = Field(default=None, pattern=r"^[a-zA-Z0-9](-*[a-zA-Z0-9.\-_]){0,254}$")
    hub: str | None = Field(default=None, min_length=1, max_length=2048, pattern=r"^[^\s]+$")
    since: datetime | None = None
    limit: int = Field(default=MAX_ROWS, ge=1, le=MAX_ROWS)

    @field_validator("since")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


def run(store: AcceptanceStore, query: AuditQuery) -> list[Acceptance]:
    """The organisation's acceptances matching ``query``, oldest first."""
    return store.query(username=query.user, model_id=query.model, hub=query.hub, since=query.since, limit=query.limit)


def page(user: str, prefix: str, rows: list[Acceptance], total: int) -> str:
    """``/``: who is signed in, links to the JSON and CSV, and the latest acceptances (every value escaped)."""
    e = html.escape
    cells = "".join(
        "<tr>"
        + "".join(
            f"<td>{e(str(v))}</td>"
            for v in (r.accepted_at.isoformat(), r.username, r.hub, r.model_id, r.version, r.action, r.sha256[:12])
        )
        + "</tr>"
        for r in rows
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>jumpstart-lab: EULA acceptances</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}</style></head>
<body><h1>EULA acceptances</h1>
<p>Signed in as <b>{e(user)}</b>. {total} acceptances in the organisation's database.</p>
<p>Download: <a href="{e(prefix)}acceptances">JSON</a> | <a href="{e(prefix)}acceptances?format=csv">CSV</a>
(filters: user, model, hub, since)</p>
<h2>Latest {len(rows)}</h2>
<table><thead><tr><th>accepted at (UTC)</th><th>user</th><th>hub</th><th>model</th><th>version</th>
<th>action</th><th>EULA sha256</th></tr></thead><tbody>{cells}</tbody></table></body></html>
"""
