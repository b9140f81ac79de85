"""One catalog entry per model, built from a ListHubContents summary.

The list page and the facets need a few facts per model (task, provider, framework,
license, gated, trainable, model type, inference instance types). The summary's
``HubContentSearchKeywords`` state some of them first, in the real public hub's vocabulary
(``@task:``, ``@provider:``, ``@framework:``, ``@license:``, ``@model-type:``; trainable from
``@capability:customization`` or a ``@recipe:finetuning_*``). The model's document (from a Search
page or DescribeHubContent), or for a ModelReference the public hub's entry, then fills in the rest
(gated, inference instance types, ...) and the real spelling of values keywords lower-cased.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from .documents import is_gated
from .models import ModelSummary

FACT_FIELDS = ("task", "provider", "framework", "license", "gated", "trainable", "model_type", "instance_types")
SUMMARY_FACTS = ("task", "provider", "framework", "license", "gated", "trainable", "model_type")

# keyword prefix (lower case, "-" and "_" equivalent) -> fact
KEYWORD_FACTS = {
    "task": "task",
    "framework": "framework",
    "provider": "provider",
    "license": "license",
    "gated": "gated",
    "eula": "gated",
    "trainable": "trainable",
    "training-supported": "trainable",
    "model-type": "model_type",
    "inference-instance": "instance_types",
    "instance-type": "instance_types",
}
TRUE = {"true", "yes", "1"}
# keywords that mean "can be fine-tuned": the SDK's customization capability and fine-tuning recipes
TRAINABLE_CAPABILITIES = {"customization", "fine_tuning", "training"}


@dataclass(slots=True)
class Entry:
    """A model of a hub as the list page sees it (latest version)."""

    hub: str
    model_id: str
    version: str
    content_type: str
    hub_content_arn: str
    public_content_arn: str | None
    display_name: str | None
    description: str | None
    keywords: tuple[str, ...]
    created: float
    listed: float = 0.0  # CreationTime of this version (what ListHubContents' time filters compare)
    task: str | None = None
    provider: str | None = None
    framework: str | None = None
    license: str | None = None
    gated: bool | None = None
    trainable: bool | None = None
    model_type: str | None = None
    instance_types: frozenset[str] | None = None
    haystack: str = field(default="", repr=False)
    _summary: ModelSummary | None = field(default=None, repr=False)

    def missing(self, facts: tuple[str, ...] = FACT_FIELDS) -> bool:
        return any(getattr(self, name) is None for name in facts)

    def fill(self, facts: dict[str, Any]) -> None:
        """Set the facts that are still unknown (never overwrite what the summary said)."""
        for name, value in facts.items():
            if getattr(self, name) is None and value is not None:
                setattr(self, name, value)

    def apply(self, facts: dict[str, Any]) -> None:
        """Add the facts a document states: keywords come first, but where a keyword is the document's
        value lower-cased (``@license:apache 2.0``), the document's spelling is shown."""
        for name, value in facts.items():
            current = getattr(self, name)
            if value is None:
                continue
            if current is None or (isinstance(current, str) and isinstance(value, str) and current == value.lower()):
                setattr(self, name, value)
        self._summary = None

    def facts(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FACT_FIELDS}

    def summary(self) -> ModelSummary:
        """The list-page view (built once, when every fact is known; fields are already typed)."""
        if self._summary is not None:
            return self._summary
        summary = ModelSummary.model_construct(
            hub=self.hub,
            model_id=self.model_id,
            version=self.version,
            display_name=self.display_name or self.model_id,
            description=self.description,
            provider=self.provider,
            task=self.task,
            framework=self.framework,
            license=self.license,
            gated=self.gated,
            trainable=self.trainable,
            model_type=self.model_type,  # type: ignore[arg-type]
            content_type=self.content_type,
        )
        if not self.missing():
            self._summary = summary
        return summary


def _epoch(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return float(value) if isinstance(value, (int, float)) else 0.0


@lru_cache(maxsize=16384)
def _keyword(keyword: str) -> tuple[str, Any] | None:
    """(fact, value) stated by one ``@name:value`` keyword, or None (cached: the vocabulary repeats across
    models, e.g. ``@task:text-generation`` on hundreds of them)."""
    if not keyword.startswith("@") or ":" not in keyword:
        return None
    name, value = keyword[1:].split(":", 1)
    name, value = name.strip().lower().replace("_", "-"), value.strip()
    if (name == "capability" and value.lower() in TRAINABLE_CAPABILITIES) or (
        name == "recipe" and value.lower().startswith("finetuning")
    ):
        return "trainable", True
    fact = KEYWORD_FACTS.get(name)
    if fact is None or not value:
        return None
    if fact in ("gated", "trainable"):
        return fact, value.lower() in TRUE
    if fact == "model_type":
        return fact, value.lower().replace("-", "_")
    return fact, value


def keyword_facts(keywords: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Facts stated by ``@name:value`` search keywords."""
    facts: dict[str, Any] = {}
    instances: set[str] = set()
    for keyword in keywords:
        said = _keyword(keyword)
        if said is None:
            continue
        fact, value = said
        if fact == "instance_types":
            instances.add(value)
        elif fact in ("gated", "trainable", "model_type"):
            facts[fact] = value
        else:
            facts.setdefault(fact, value)
    if instances:
        facts["instance_types"] = frozenset(instances)
    return facts


def document_facts(document: dict[str, Any]) -> dict[str, Any]:
    """The same facts read from a HubContentDocument (authoritative)."""
    types = document.get("ModelTypes") or []
    model_type = str(types[0]).lower() if types else None
    instances = set(document.get("SupportedInferenceInstanceTypes") or [])
    if document.get("DefaultInferenceInstanceType"):
        instances.add(document["DefaultInferenceInstanceType"])
    return {
        "task": document.get("Task") or None,
        "provider": document.get("Provider") or None,
        "framework": document.get("Framework") or None,
        "license": document.get("License") or None,
        "gated": is_gated(document),
        "trainable": bool(document.get("TrainingSupported")),
        "model_type": model_type if model_type in ("open_weights", "proprietary") else None,
        "instance_types": frozenset(instances),
    }


def entry_from_summary(hub: str, item: dict[str, Any]) -> Entry:
    """An :class:`Entry` from one ``HubContentSummaries`` item."""
    keywords = tuple(item.get("HubContentSearchKeywords") or ())
    entry = Entry(
        hub=hub,
        model_id=item["HubContentName"],
        version=item["HubContentVersion"],
        content_type=item["HubContentType"],
        hub_content_arn=item["HubContentArn"],
        public_content_arn=item.get("SageMakerPublicHubContentArn"),
        display_name=item.get("HubContentDisplayName") or None,
        description=item.get("HubContentDescription") or None,
        keywords=keywords,
        created=_epoch(item.get("OriginalCreationTime") or item.get("CreationTime")),
        listed=_epoch(item.get("CreationTime")),
    )
    entry.fill(keyword_facts(keywords))
    entry.haystack = haystack_of(entry)
    return entry


def haystack_of(entry: Entry) -> str:
    """What a free-text query is matched against: id, display name, description and keywords, lower-cased."""
    parts = (entry.model_id, entry.display_name or "", entry.description or "", *entry.keywords)
    return " ".join(parts).lower()


def public_name_from_arn(arn: str | None, default: str) -> str:
    """The model name in a public hub content ARN (``.../SageMakerPublicHub/Model/<name>/<version>``)."""
    if not arn or ":hub-content/" not in arn:
        return default
    parts = arn.split(":hub-content/", 1)[1].split("/")
    return parts[2] if len(parts) >= 3 and parts[2] else default


def public_name(entry: Entry) -> str:
    """The public model a ModelReference points to (its own name if the ARN says nothing else)."""
    return public_name_from_arn(entry.public_content_arn, entry.model_id)
