"""Shapes of the hub browsing API (pydantic v2): requests, responses and the model document."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import validation
from .documents import eula_uri, is_gated

HubKind = Literal["public", "private", "shared"]
ContentType = Literal["Model", "ModelReference"]
FACETS = ("task", "provider", "framework", "license", "gated", "trainable", "model_type", "instance_type")
FACET_VALUE = re.compile(r"\w[\w .,+:/()'&@-]{0,127}")


class Hub(BaseModel):
    name: str
    arn: str
    display_name: str | None = None
    description: str | None = None
    kind: HubKind
    owner_account: str
    status: str


class UnavailableHub(BaseModel):
    name: str
    arn: str
    code: str
    message: str


class HubList(BaseModel):
    hubs: list[Hub]
    unavailable: list[UnavailableHub]


class ModelSummary(BaseModel):
    hub: str
    model_id: str
    version: str
    display_name: str | None = None
    description: str | None = None
    provider: str | None = None
    task: str | None = None
    framework: str | None = None
    license: str | None = None
    # null only while unknown: on a page with ``complete: false`` whose documents are still being
    # fetched, or when the model's document could not be read
    gated: bool | None = Field(description="The model needs its EULA accepted; null while not known yet.")
    trainable: bool | None = Field(description="The model can be fine-tuned; null while not known yet.")
    model_type: Literal["open_weights", "proprietary"] | None = None
    content_type: ContentType


def _facet(description: str) -> Any:
    return Field(description=description + " Value -> number of models, most frequent first.")


class Facets(BaseModel):
    """Facet counts of the filtered set (the page's query, every filter applied). Each facet is named
    after its query parameter and its keys are values that parameter takes; values no model has are
    left out, and so are models whose fact is not known yet (a page with ``complete: false``)."""

    task: dict[str, int] = _facet("Tasks.")
    provider: dict[str, int] = _facet("Providers.")
    framework: dict[str, int] = _facet("Frameworks.")
    license: dict[str, int] = _facet("Licenses.")
    gated: dict[str, int] = _facet("`true`: the model needs its EULA accepted; `false`: it does not.")
    trainable: dict[str, int] = _facet("`true`: the model can be fine-tuned; `false`: it cannot.")
    model_type: dict[str, int] = _facet("`open_weights` or `proprietary`.")
    instance_type: dict[str, int] = _facet("Inference instance types the models can be deployed on.")


class ModelPage(BaseModel):
    """One page of a hub's models. ``complete`` is false when the page was answered from the
    first ListHubContents page while the rest of the catalog is still loading: ``models`` and
    ``next_cursor`` are right, ``total`` and ``facets`` count only what is loaded so far, and
    facts that come from model documents (gated, trainable, license, ...) may still be null.
    Ask again shortly for the complete page. ``stale`` is true when a restarted server answered
    from its stored snapshot (``age_seconds`` old) while it revalidates the hub in the background:
    complete, but possibly not current; ask again later for the revalidated catalog."""

    models: list[ModelSummary]
    total: int
    next_cursor: str | None
    facets: Facets
    complete: bool = True
    stale: bool = False
    age_seconds: float | None = None


class Eula(BaseModel):
    required: bool
    uri: str | None


class Inference(BaseModel):
    default_instance_type: str | None
    supported_instance_types: list[str]


class Hyperparameter(BaseModel):
    name: str
    type: str | None = None
    default: Any = None
    min: Any = None
    max: Any = None
    options: list[Any] | None = None
    description: str | None = None


class Training(BaseModel):
    supported: bool
    default_instance_type: str | None
    supported_instance_types: list[str]
    hyperparameters: list[Hyperparameter]


class NotebookLink(BaseModel):
    title: str
    uri: str


class PayloadExample(BaseModel):
    """One of the model's example requests (its document's ``DefaultPayloads``), as ``POST .../invoke`` sends it."""

    name: str
    content_type: str
    body: Any
    chat: bool = False  # a chat request (``messages``): what a chat model's Try it starts from


class Marketplace(BaseModel):
    subscription_url: str | None
    listing_id: str | None
    product_id: str | None


class ModelDetail(ModelSummary):
    versions: list[str]
    markdown: str | None
    url: str | None
    min_sdk_version: str | None
    eula: Eula
    inference: Inference
    training: Training
    evaluation_supported: bool
    notebooks: list[NotebookLink]
    marketplace: Marketplace | None
    hub_content_arn: str
    public_content_arn: str | None
    examples: list[PayloadExample] = []  # chat examples first


class ModelQuery(BaseModel):
    """Query parameters of ``GET hubs/{hub}/models`` (strings from the URL, validated here)."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(default=None, max_length=256)
    task: str | None = Field(default=None, max_length=128)
    provider: str | None = Field(default=None, max_length=128)
    framework: str | None = Field(default=None, max_length=128)
    license: str | None = Field(default=None, max_length=256)
    gated: bool | None = None
    trainable: bool | None = None
    model_type: Literal["open_weights", "proprietary"] | None = None
    instance_type: str | None = None
    sort: Literal["name", "title", "newest"] = "name"  # name: model id; title: the display name shown
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=512)
    refresh: bool = False

    @field_validator("instance_type")
    @classmethod
    def _instance_type(cls, value: str | None) -> str | None:
        """One instance type, or up to 100 separated by commas (models deployable on any of them)."""
        if value is None:
            return None
        types = [validation.instance_type(v.strip()) for v in value.split(",")]
        if not 1 <= len(types) <= 100:
            raise ValueError("at most 100 instance types")
        return ",".join(types)

    @field_validator("task", "provider", "framework", "license")
    @classmethod
    def _facet_value(cls, value: str | None) -> str | None:
        if value is not None and not FACET_VALUE.fullmatch(value):
            raise ValueError("must be a facet value (letters, digits, spaces and .,+:/()'&@-)")
        return value


class ModelDocument(BaseModel):
    """A model's parsed HubContentDocument plus where it came from (what the action side needs)."""

    hub_name: str
    hub_arn: str
    model_id: str
    version: str
    content_type: ContentType
    hub_content_arn: str
    public_content_arn: str | None = None
    display_name: str | None = None
    description: str | None = None
    markdown: str | None = None
    document: dict[str, Any]
    reference_min_version: str | None = None
    search_keywords: list[str] = Field(default_factory=list)

    @property
    def gated(self) -> bool:
        return is_gated(self.document)

    @property
    def eula_uri(self) -> str | None:
        return eula_uri(self.document)
