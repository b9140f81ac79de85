"""Facts read from a HubContentDocument (the parsed JSON of DescribeHubContent)."""

from __future__ import annotations

from typing import Any


def is_gated(document: dict[str, Any]) -> bool:
    """A model is gated when its document has ``HostingEulaUri`` or ``GatedBucket`` true; nothing else."""
    return bool(document.get("HostingEulaUri")) or document.get("GatedBucket") is True


def eula_uri(document: dict[str, Any]) -> str | None:
    """The S3 URI of the EULA text, if the document names one."""
    uri = document.get("HostingEulaUri")
    return uri if isinstance(uri, str) and uri else None
