"""Persistent catalog snapshots: one JSON file per hub in the Jupyter data dir, so a restarted server answers
at once (marked stale) while it revalidates.

A file holds the hub's entries (summary fields and facts) and the document facts by versioned HubContentArn
(a version's document never changes). Written atomically (temporary file, then ``os.replace``), with a format
name and version; a file that is corrupt, of another format or version, or of another scope (region,
endpoint, hub) is ignored with a log line. Read and written with msgspec (typed: the entries are decoded
straight into their fields, and their stored facts are final, so no keyword is parsed again on a restart).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from .entries import FACT_FIELDS, Entry, haystack_of

log = logging.getLogger(__name__)

FORMAT = "jumpstart-lab-catalog-snapshot"
VERSION = 1


@dataclass
class Stored:
    """A snapshot read back: entries with their facts, document facts by ARN, when it was written."""

    entries: list[Entry]
    facts: dict[str, dict[str, Any]]
    saved_at: float
    path: str

    @property
    def age(self) -> float:
        return max(0.0, time.time() - self.saved_at)


def _entry_json(entry: Entry) -> dict[str, Any]:
    facts = {k: v for k, v in entry.facts().items() if v is not None}
    if "instance_types" in facts:
        facts["instance_types"] = sorted(facts["instance_types"])
    return {
        "HubContentName": entry.model_id,
        "HubContentVersion": entry.version,
        "HubContentType": entry.content_type,
        "HubContentArn": entry.hub_content_arn,
        "SageMakerPublicHubContentArn": entry.public_content_arn,
        "HubContentDisplayName": entry.display_name,
        "HubContentDescription": entry.description,
        "HubContentSearchKeywords": list(entry.keywords),
        "OriginalCreationTime": entry.created,
        "CreationTime": entry.listed,
        "facts": facts,
    }


def _facts_from_json(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError("facts must be an object")
    facts = {k: v for k, v in raw.items() if k in FACT_FIELDS}
    if "instance_types" in facts:
        facts["instance_types"] = frozenset(str(t) for t in facts["instance_types"])
    return facts


class _Header(msgspec.Struct):
    format: Any = None
    version: Any = None
    scope: Any = None
    key: Any = None


class _StoredEntry(msgspec.Struct):
    HubContentName: str
    HubContentVersion: str
    HubContentType: str
    HubContentArn: str
    SageMakerPublicHubContentArn: str | None = None
    HubContentDisplayName: str | None = None
    HubContentDescription: str | None = None
    HubContentSearchKeywords: tuple[str, ...] = ()
    OriginalCreationTime: float | None = None
    CreationTime: float | None = None
    facts: dict[str, Any] = {}


class _Body(msgspec.Struct):
    saved_at: float
    entries: list[_StoredEntry]
    facts: dict[str, dict[str, Any]]
    path: str = ""


_HEADER = msgspec.json.Decoder(_Header)
_BODY = msgspec.json.Decoder(_Body)
_ENCODER = msgspec.json.Encoder()


def _entry(hub: str, item: _StoredEntry) -> Entry:
    """The entry as it was saved: its stored facts are final (keywords' and documents'), so none is derived."""
    entry = Entry(
        hub=hub,
        model_id=item.HubContentName,
        version=item.HubContentVersion,
        content_type=item.HubContentType,
        hub_content_arn=item.HubContentArn,
        public_content_arn=item.SageMakerPublicHubContentArn,
        display_name=item.HubContentDisplayName or None,
        description=item.HubContentDescription or None,
        keywords=item.HubContentSearchKeywords,
        created=item.OriginalCreationTime or item.CreationTime or 0.0,
        listed=item.CreationTime or 0.0,
        **_facts_from_json(item.facts),
    )
    entry.haystack = haystack_of(entry)
    return entry


class SnapshotStore:
    """Snapshots of the hubs of one scope (mode/endpoint and region) under ``directory``."""

    def __init__(self, directory: Path, scope: str) -> None:
        self.directory = Path(directory)
        self.scope = scope

    def path(self, key: str) -> Path:
        digest = hashlib.sha256(f"{self.scope}\n{key}".encode()).hexdigest()[:24]
        return self.directory / f"catalog-{digest}.json"

    def load(self, key: str, hub: str) -> Stored | None:
        path = self.path(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("jumpstart_lab: ignoring unreadable catalog snapshot %s: %s", path, exc)
            return None
        try:
            header = _HEADER.decode(raw)
            if header.format != FORMAT or header.version != VERSION:
                raise ValueError("not a catalog snapshot of this version")
            if header.scope != self.scope or header.key != key:
                raise ValueError("a snapshot of another hub, region or endpoint")
            body = _BODY.decode(raw)
            entries = [_entry(hub, item) for item in body.entries]
            facts = {str(arn): _facts_from_json(f) for arn, f in body.facts.items()}
            return Stored(entries, facts, body.saved_at, body.path)
        except (msgspec.DecodeError, TypeError, ValueError) as exc:  # corrupt, foreign, or of another shape
            log.warning("jumpstart_lab: ignoring catalog snapshot %s: %s", path, exc)
            return None

    def save(self, key: str, entries: list[Entry], facts: dict[str, dict[str, Any]], path: str) -> None:
        """Write atomically; a failure is logged, never raised (the snapshot is an optimisation)."""
        body = {
            "format": FORMAT,
            "version": VERSION,
            "scope": self.scope,
            "key": key,
            "saved_at": time.time(),
            "path": path,
            "entries": [_entry_json(e) for e in entries],
            "facts": {arn: _entry_facts_json(f) for arn, f in facts.items()},
        }
        target = self.path(key)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".catalog-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(_ENCODER.encode(body))
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("jumpstart_lab: could not write catalog snapshot %s: %s", target, exc)


def _entry_facts_json(facts: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in facts.items() if v is not None}
    if "instance_types" in out:
        out["instance_types"] = sorted(out["instance_types"])
    return out
