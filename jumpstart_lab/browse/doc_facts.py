"""The list-page facts of a HubContentDocument read straight from its JSON text.

A Search page carries the whole document of every version it lists (about 4-6 KB each), and the list page
needs ten of its top-level fields. msgspec decodes just those and skips the rest without building it (about
ten times faster than ``json.loads`` of the whole document); the facts are the same as
``entries.document_facts`` of the parsed document.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .documents import parse_document
from .entries import document_facts


class _Fields(msgspec.Struct):
    """The document fields ``document_facts`` reads (any JSON value; absent = None)."""

    Task: Any = None
    Provider: Any = None
    Framework: Any = None
    License: Any = None
    HostingEulaUri: Any = None
    GatedBucket: Any = None
    TrainingSupported: Any = None
    ModelTypes: Any = None
    SupportedInferenceInstanceTypes: Any = None
    DefaultInferenceInstanceType: Any = None


_DECODER = msgspec.json.Decoder(_Fields)
_NAMES = _Fields.__struct_fields__


def facts_of(raw: Any) -> dict[str, Any]:
    """``document_facts`` of a document given as JSON text (or already parsed)."""
    if isinstance(raw, (str, bytes)) and raw:
        try:
            fields = _DECODER.decode(raw)
        except msgspec.DecodeError:  # not a JSON object: as the whole parse says (raises on bad JSON)
            return document_facts(parse_document(raw))
        return document_facts({n: v for n in _NAMES if (v := getattr(fields, n)) is not None})
    return document_facts(parse_document(raw))
