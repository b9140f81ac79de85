"""``Search(Resource="HubContent")``: every hub content version the caller can see, as SearchRecords.

As botocore's model describes it: ``Results[].HubContent`` records carry the content's fields with its
``HubContentDocument``; ``SearchExpression`` filters on those fields and on ``Metadata.<field>`` (a top-level
field of the parsed document, as AWS's own scripts use ``Metadata.ModelSize``), combined with ``Operator``
(``And`` by default) and ``SubExpressions``; ``SortBy`` any record field (default ``LastModifiedTime``,
``Descending``); ``MaxResults`` 1-100 (default 10) and ``NextToken``. Other resources go to the fallback (moto).
The public hub's records are left out when the deny knob forbids the public hub.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .errors import validation
from .lookup import document_of, source_of
from .operations import operation
from .paging import page
from .store import OWN_ACCOUNT, PUBLIC_ACCOUNT, PUBLIC_HUB, Content, HubStore

RESOURCE = "HubContent"
DEFAULT_RESULTS = 10
NUMERIC = frozenset({"CreationTime", "LastModifiedTime", "OriginalCreationTime"})
NO_VALUE = frozenset({"Exists", "NotExists"})


def is_hub_content_search(action: str, params: dict[str, Any]) -> bool:
    return action == "Search" and params.get("Resource") == RESOURCE


def record(store: HubStore, item: Content) -> dict[str, Any]:
    """The ``HubContent`` member of a SearchRecord."""
    described = item.describe(document_of(store, item))
    described["OriginalCreationTime"] = item.created
    return described


def _visible(store: HubStore, region: str, cross_account: bool, expression: dict[str, Any]) -> list[Content]:
    hubs = store.own_hubs(region) + (store.shared_hubs(region) if cross_account else [])
    if store.deny_public_hub:
        hubs = [h for h in hubs if not (h.account == PUBLIC_ACCOUNT and h.name == PUBLIC_HUB)]
    hubs = [h for h in hubs if _may_match(expression, h)]
    return [c for h in hubs for versions in h.contents.values() for c in versions.values()]


def _may_match(expression: dict[str, Any], hub: Any) -> bool:
    """False when a top-level ``And`` filter ``HubName`` / ``HubArn`` ``Equals`` rules out the whole hub (the
    same answer as testing each of its contents, without testing them)."""
    if expression.get("Operator") == "Or":
        return True
    for f in expression.get("Filters") or []:
        if (f.get("Operator") or "Equals") == "Equals" and f["Name"] in ("HubName", "HubArn"):
            if f.get("Value") != (hub.name if f["Name"] == "HubName" else hub.arn):
                return False
    return True


def _number(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise validation(f"The value {value!r} of {name} is not a number or a timestamp.") from None


_GETTERS: dict[str, Any] = {
    "HubContentName": lambda c: c.name,
    "HubContentArn": lambda c: c.arn,
    "HubContentVersion": lambda c: c.version,
    "HubContentType": lambda c: c.type,
    "DocumentSchemaVersion": lambda c: c.schema_version,
    "HubName": lambda c: c.hub.name,
    "HubArn": lambda c: c.hub.arn,
    "HubContentDisplayName": lambda c: c.display_name,
    "HubContentDescription": lambda c: c.description,
    "HubContentMarkdown": lambda c: c.markdown,
    "SageMakerPublicHubContentArn": lambda c: c.public_arn,
    "ReferenceMinVersion": lambda c: c.min_version,
    "SupportStatus": lambda c: c.support_status,
    "HubContentSearchKeywords": lambda c: c.keywords or None,
    "HubContentStatus": lambda c: c.status,
    "CreationTime": lambda c: c.created,
    "LastModifiedTime": lambda c: c.modified,
    "OriginalCreationTime": lambda c: c.created,
}


_TEXT = frozenset(_GETTERS) - NUMERIC - {"HubContentSearchKeywords"}  # fields holding a string or None


def _field(item: Content, source: Content | None, name: str) -> Any:
    """A record field of ``item`` (read from the content itself: records are built only for the page)."""
    if name.startswith("Metadata."):
        return (source.parsed() if source is not None else {}).get(name[len("Metadata.") :])
    if name.startswith("Tags."):
        tags = {t.get("Key"): t.get("Value") for t in item.tags}
        return tags.get(name[len("Tags.") :])
    if name == "HubContentDocument":
        return source.document if source is not None else None
    return _GETTERS[name](item)


def _known(name: str) -> bool:
    return name.startswith(("Metadata.", "Tags.")) or name in _GETTERS or name == "HubContentDocument"


def _compare(actual: Any, operator: str, value: str, name: str) -> bool:
    if operator == "Exists":
        return actual is not None and actual != [] and actual != ""
    if operator == "NotExists":
        return actual is None or actual == [] or actual == ""
    if actual is None:
        return operator == "NotEquals"
    values = actual if isinstance(actual, list) else [actual]
    if operator == "In":
        wanted = {v.strip() for v in value.split(",")}
        return any(_text(v) in wanted for v in values)
    if operator == "Contains":
        return any(value.lower() in _text(v).lower() for v in values)
    if operator in ("Equals", "NotEquals"):
        if name in NUMERIC:
            hit = any(float(v) == _number(value, name) for v in values)
        else:
            hit = any(_text(v) == value for v in values)
        return hit if operator == "Equals" else not hit
    if isinstance(actual, (int, float)) and not isinstance(actual, bool):
        left, right = float(actual), _number(value, name)
    else:
        left, right = _text(actual), value  # type: ignore[assignment]
    return {
        "GreaterThan": left > right,  # type: ignore[operator]
        "GreaterThanOrEqualTo": left >= right,  # type: ignore[operator]
        "LessThan": left < right,  # type: ignore[operator]
        "LessThanOrEqualTo": left <= right,  # type: ignore[operator]
    }[operator]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _check(expression: dict[str, Any]) -> None:
    if expression.get("NestedFilters"):
        raise validation("NestedFilters are not supported for the HubContent resource.")
    for f in expression.get("Filters") or []:
        if not _known(f["Name"]):
            raise validation(f"The property name {f['Name']} is not valid for the HubContent resource.")
        operator = f.get("Operator") or "Equals"
        if operator not in NO_VALUE and not f.get("Value"):
            raise validation(f"A Value is required for the {operator} operator (property {f['Name']}).")
        if f["Name"] in NUMERIC and f.get("Value") and operator not in ("In", "Contains"):
            _number(f["Value"], f["Name"])
    for sub in expression.get("SubExpressions") or []:
        _check(sub)


Match = Callable[[Content, "Content | None"], bool]
_ORDER: dict[str, Callable[[float, float], bool]] = {
    "GreaterThan": operator.gt,
    "GreaterThanOrEqualTo": operator.ge,
    "LessThan": operator.lt,
    "LessThanOrEqualTo": operator.le,
}


def _predicate(f: dict[str, Any]) -> Match:
    """One filter as a function of (content, document source), its value read once: the common filters (a
    field ``Equals`` a string, a time compared with a number) skip the general ``_compare``."""
    name, op, value = f["Name"], f.get("Operator") or "Equals", f.get("Value") or ""
    getter = _GETTERS.get(name)
    if getter is not None and name in NUMERIC and op in _ORDER:  # the content's times are numbers
        compare, right = _ORDER[op], _number(value, name)
        return lambda item, source: (v := getter(item)) is not None and compare(v, right)
    if name in _TEXT and op == "Equals":  # text or None: _text(v) == value is v == value
        return lambda item, source: getter(item) == value
    return lambda item, source: _compare(_field(item, source, name), op, value, name)


def _compile(expression: dict[str, Any]) -> Match:
    """The expression as one function: ``Or``: one hit decides; ``And`` (default): one miss decides."""
    either = expression.get("Operator") == "Or"
    tests = [_predicate(f) for f in expression.get("Filters") or []]
    tests += [_compile(sub) for sub in expression.get("SubExpressions") or []]
    otherwise = not either or not tests

    def match(item: Content, source: Content | None) -> bool:
        for test in tests:
            if test(item, source) == either:
                return either
        return otherwise

    return match


def _reads_documents(expression: dict[str, Any]) -> bool:
    names = [f["Name"] for f in expression.get("Filters") or []]
    return any(n.startswith("Metadata.") or n == "HubContentDocument" for n in names) or any(
        _reads_documents(sub) for sub in expression.get("SubExpressions") or []
    )


@operation
def search(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    if p["Resource"] != RESOURCE:
        raise validation(f"Resource {p['Resource']} is served by the AWS fallback, not the hub layer.")
    expression = p.get("SearchExpression") or {}
    _check(expression)
    sort_by = p.get("SortBy") or "LastModifiedTime"
    if not _known(sort_by):
        raise validation(f"The SortBy property {sort_by} is not valid for the HubContent resource.")
    cross = p.get("CrossAccountFilterOption") == "CrossAccount"
    matches = _compile(expression)
    documents = _reads_documents(expression) or sort_by.startswith("Metadata.") or sort_by == "HubContentDocument"
    found = []
    for item in _visible(store, region, cross, expression):
        source = source_of(store, item) if documents else None  # the filters and sort read no document
        if matches(item, source):
            found.append((item, source))

    def key(pair: tuple[Content, Content | None]) -> tuple[Any, ...]:
        value = _field(pair[0], pair[1], sort_by)
        return (value is None, _text(value) if not isinstance(value, (int, float)) else value, pair[0].arn)

    found.sort(key=key, reverse=(p.get("SortOrder") or "Descending") == "Descending")
    request = {"a": OWN_ACCOUNT, "r": region, "e": expression, "s": sort_by, "o": p.get("SortOrder"), "x": cross}
    scope = "search:" + hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()[:24]
    chunk, nxt = page(found, {**p, "MaxResults": p.get("MaxResults") or DEFAULT_RESULTS}, scope)
    reply: dict[str, Any] = {"Results": [{"HubContent": record(store, item)} for item, _ in chunk]}
    if nxt:
        reply["NextToken"] = nxt
    return reply
