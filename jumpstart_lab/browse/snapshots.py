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
import threading
import time
from collections.abc import Callable
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


class _Header(msgspec.Struct):
    format: Any = None
    version: Any = None
    scope: Any = None
    key: Any = None


class _StoredFacts(msgspec.Struct, gc=False):
    """A model's facts as saved (absent = not known); typed, so a snapshot of another shape is refused."""

    task: str | None = None
    provider: str | None = None
    framework: str | None = None
    license: str | None = None
    gated: bool | None = None
    trainable: bool | None = None
    model_type: str | None = None
    instance_types: tuple[str, ...] | None = None


class _StoredEntry(msgspec.Struct, gc=False):
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
    facts: _StoredFacts = msgspec.field(default_factory=_StoredFacts)


class _Body(msgspec.Struct):
    saved_at: float
    entries: list[_StoredEntry]
    facts: dict[str, _StoredFacts]
    path: str = ""


_HEADER = msgspec.json.Decoder(_Header)
_BODY = msgspec.json.Decoder(_Body)
_ENCODER = msgspec.json.Encoder()


class _Decoded:
    """Turns decoded structs into entries and fact dicts, sharing equal instance-type sets (most models deploy
    on one of a few dozen sets: one frozenset each instead of one per model)."""

    def __init__(self) -> None:
        self._sets: dict[tuple[str, ...], frozenset[str]] = {}

    def instance_types(self, types: tuple[str, ...] | None) -> frozenset[str] | None:
        if types is None:
            return None
        found = self._sets.get(types)
        if found is None:
            found = self._sets[types] = frozenset(types)
        return found

    def facts(self, raw: _StoredFacts) -> dict[str, Any]:
        facts = {name: value for name in FACT_FIELDS if (value := getattr(raw, name)) is not None}
        if raw.instance_types is not None:
            facts["instance_types"] = self.instance_types(raw.instance_types)
        return facts

    def entry(self, hub: str, item: _StoredEntry) -> Entry:
        """The entry as it was saved: its stored facts are final (keywords' and documents'), so none is derived."""
        facts = item.facts
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
            task=facts.task,
            provider=facts.provider,
            framework=facts.framework,
            license=facts.license,
            gated=facts.gated,
            trainable=facts.trainable,
            model_type=facts.model_type,
            instance_types=self.instance_types(facts.instance_types),
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
        """The stored snapshot of one hub, or None (absent; corrupt, foreign or of another scope: logged)."""
        path = self.path(key)
        raw = self._read(path)
        if raw is None:
            return None
        try:
            header = self._header(raw)
            if header.scope != self.scope or header.key != key:
                raise ValueError("a snapshot of another hub, region or endpoint")
            return self._body(raw, hub)
        except (msgspec.DecodeError, TypeError, ValueError) as exc:  # corrupt, foreign, or of another shape
            log.warning("jumpstart_lab: ignoring catalog snapshot %s: %s", path, exc)
            return None

    def load_all(self, hub_of: Callable[[str], str], *, most: int, stop: threading.Event) -> dict[str, Stored]:
        """Every stored snapshot of this scope by hub key (newest file first, at most ``most``; files of other
        scopes are skipped, corrupt or foreign ones ignored with a log line). ``stop`` ends the scan early."""
        try:
            files = sorted(self.directory.glob("catalog-*.json"), key=_mtime, reverse=True)
        except OSError as exc:
            log.warning("jumpstart_lab: cannot read catalog snapshots in %s: %s", self.directory, exc)
            return {}
        found: dict[str, Stored] = {}
        for path in files:
            if stop.is_set() or len(found) >= most:
                break
            raw = self._read(path)
            if raw is None:
                continue
            try:
                header = self._header(raw)
                if header.scope != self.scope:
                    continue  # another endpoint's or region's hubs (kept for when the server runs there)
                if not isinstance(header.key, str) or path != self.path(header.key):
                    raise ValueError("not the snapshot its file name says")
                found[header.key] = self._body(raw, hub_of(header.key))
            except (msgspec.DecodeError, TypeError, ValueError) as exc:
                log.warning("jumpstart_lab: ignoring catalog snapshot %s: %s", path, exc)
        return found

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("jumpstart_lab: ignoring unreadable catalog snapshot %s: %s", path, exc)
            return None

    @staticmethod
    def _header(raw: bytes) -> _Header:
        header = _HEADER.decode(raw)
        if header.format != FORMAT or header.version != VERSION:
            raise ValueError("not a catalog snapshot of this version")
        return header

    @staticmethod
    def _body(raw: bytes, hub: str) -> Stored:
        body = _BODY.decode(raw)
        decoded = _Decoded()
        entries = [decoded.entry(hub, item) for item in body.entries]
        facts = {arn: decoded.facts(f) for arn, f in body.facts.items()}
        return Stored(entries, facts, body.saved_at, body.path)

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


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
