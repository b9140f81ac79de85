"""The acceptance audit log as CSV (safe to open in a spreadsheet)."""

from __future__ import annotations

import csv
import io

from .models import Acceptance

CSV_COLUMNS = ("accepted_at", "username", "hub", "hub_arn", "model_id", "version", "eula_uri", "sha256", "action")


def to_csv(acceptances: list[Acceptance]) -> str:
    """One header row, then one row per acceptance, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in acceptances:
        data = row.model_dump(mode="json")
        writer.writerow([_cell(data[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def _cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
