"""Search pages parsed lean: the catalog reads three fields of each ``Search(Resource="HubContent")`` record
(HubContentArn, CreationTime, HubContentDocument), but botocore walks every field of every record against the
model (keywords one by one, timestamps) before the reader sees them. A ``before-parse`` handler (botocore's own
hook for customising a reply, as its S3 handlers do) decodes those three with msgspec instead and hands botocore
an empty body, for the calls ``HubReader.search_page`` makes on the catalog's client; any other reply, an error
or one that does not decode, is parsed by botocore as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import msgspec

EVENT = "before-parse.sagemaker.Search"
_ACTIVE = threading.local()


class _Content(msgspec.Struct):
    HubContentArn: Any = None
    CreationTime: Any = None
    HubContentDocument: Any = None


class _Record(msgspec.Struct):
    HubContent: _Content | None = None


class _Page(msgspec.Struct):
    Results: list[_Record] = []
    NextToken: str | None = None


_DECODER = msgspec.json.Decoder(_Page)


def install(client: Any) -> None:
    """Register the handler on a boto3 SageMaker client (once; a client without events is left alone)."""
    events = getattr(getattr(client, "meta", None), "events", None)
    if events is not None:
        events.register(EVENT, _lean, unique_id="jumpstart-lab-lean-search")


@contextmanager
def lean() -> Iterator[None]:
    """Search replies in this thread, inside the block, are parsed lean."""
    _ACTIVE.on = True
    try:
        yield
    finally:
        _ACTIVE.on = False


def _lean(response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any) -> None:
    if not getattr(_ACTIVE, "on", False) or response_dict.get("status_code") != 200:
        return
    try:
        page = _DECODER.decode(response_dict.get("body") or b"")
    except msgspec.DecodeError:
        return  # botocore parses it (and says what is wrong)
    results = []
    for record in page.Results:
        content = record.HubContent
        if content is not None:
            fields = {"HubContentArn": content.HubContentArn, "CreationTime": content.CreationTime,
                      "HubContentDocument": content.HubContentDocument}  # fmt: skip
            results.append({"HubContent": {k: v for k, v in fields.items() if v is not None}})
    customized_response_dict["Results"] = results
    if page.NextToken:
        customized_response_dict["NextToken"] = page.NextToken
    response_dict["body"] = b"{}"
