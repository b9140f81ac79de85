"""Request and response shapes of the deployments API (pydantic v2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import validation


class DeploymentRequest(BaseModel):
    """``POST deployments``: what to deploy; everything but hub and model has a default from the document."""

    model_config = ConfigDict(extra="forbid")

    hub: str
    model_id: str
    version: str | None = None
    endpoint_name: str | None = None
    instance_type: str | None = None
    instance_count: int = Field(default=1, ge=1, le=100)

    @field_validator("hub")
    @classmethod
    def _hub(cls, value: str) -> str:
        return validation.hub_name_or_arn(value)

    @field_validator("model_id")
    @classmethod
    def _model_id(cls, value: str) -> str:
        return validation.model_id(value)

    @field_validator("version")
    @classmethod
    def _version(cls, value: str | None) -> str | None:
        return None if value is None else validation.version(value)

    @field_validator("endpoint_name")
    @classmethod
    def _endpoint_name(cls, value: str | None) -> str | None:
        return None if value is None else validation.endpoint_name(value)

    @field_validator("instance_type")
    @classmethod
    def _instance_type(cls, value: str | None) -> str | None:
        return None if value is None else validation.instance_type(value)


COST_NOTE = (
    "Estimate: on-demand instance price x count x hours since creation; infrastructure only (no Marketplace "
    "software, storage, data transfer, savings plans or discounts)."
)


class Deployment(BaseModel):
    """One endpoint that jumpstart-lab deployed, as ``GET deployments/{name}`` shows it.

    ``status`` is ``Deleted`` for a saved deployment whose endpoint no longer exists (``?include=deleted``).
    """

    endpoint_name: str
    status: str
    hub: str | None
    model_id: str | None
    version: str | None
    instance_type: str | None
    instance_count: int | None
    created_at: datetime | None
    failure_reason: str | None
    advice: str | None = None  # what to do about a Failed endpoint's failure_reason, when known
    price_per_hour: float | None = Field(
        default=None, description="On-demand price of the endpoint's instances (type x count), per hour."
    )
    currency: str | None = None
    cost_so_far: float | None = Field(default=None, description="Estimate: price_per_hour x hours since creation.")
    cost_note: str = Field(default=COST_NOTE, description="What price_per_hour and cost_so_far include.")
    price_reason: str | None = Field(default=None, description="Why price_per_hour is null.")
    deleted_at: datetime | None = None
    redeployable: bool = Field(default=False, description="A deleted deployment that POST .../redeploy recreates.")


class DeploymentList(BaseModel):
    deployments: list[Deployment]
    running: int = Field(default=0, description="Endpoints Creating, Updating or InService (the sidebar badge).")
    total_price_per_hour: float | None = Field(default=None, description="Sum over the running endpoints.")
    total_cost_so_far: float | None = Field(default=None, description="Sum over the listed deployments (estimate).")
    currency: str | None = None
    cost_note: str = COST_NOTE
    demo_prices: bool = Field(default=False, description="Prices are the local demo service's figures.")


class ListQuery(BaseModel):
    """``GET deployments?include=deleted``: also the saved deployments whose endpoint was deleted."""

    model_config = ConfigDict(extra="forbid")

    include: Literal["deleted"] | None = None


class FigureSource(BaseModel):
    """Where a column of ``deploy-options`` comes from, and how old it is."""

    source: str
    fetched_at: datetime | None = None
    age_seconds: float | None = None
    demo: bool = Field(default=False, description="Figures of the local demo service, not AWS's.")


class InstanceOption(BaseModel):
    """One supported inference instance type: its price and how many the account's quota leaves free."""

    name: str
    default: bool
    price_per_hour: float | None = Field(description="On-demand USD per instance-hour (hosting); null if unknown.")
    currency: str | None
    price_reason: str | None = Field(default=None, description="Why price_per_hour is null.")
    quota: int | None = Field(description="Service Quotas '<type> for endpoint usage'; null if unknown.")
    quota_code: str | None = None
    quota_reason: str | None = Field(default=None, description="Why quota (or in_use) is null.")
    in_use: int | None = Field(description="Instances of this type in the account's active endpoints.")
    available: int | None = Field(description="quota - in_use (never below 0); null if either is unknown.")
    request_increase_url: str | None = Field(description="The Service Quotas console page of this quota.")


class DeployOptions(BaseModel):
    """``GET hubs/{hub}/models/{model_id}/deploy-options``."""

    hub: str
    model_id: str
    version: str
    region: str
    instance_types: list[InstanceOption]
    marketplace: bool = Field(description="A Marketplace model: its software price is billed on top.")
    note: str
    sources: dict[str, FigureSource] = Field(description="price, quota and in_use: source and age.")


class Deleted(BaseModel):
    """What ``DELETE deployments/{name}`` removed."""

    endpoint_name: str
    endpoint_config_name: str | None
    model_names: list[str]


class InvokeRequest(BaseModel):
    """``POST deployments/{name}/invoke``: no payload means the model's default payload."""

    model_config = ConfigDict(extra="forbid")

    payload: Any = None
    content_type: str | None = Field(default=None, max_length=256, pattern=r"^[\w.+-]+/[\w.+-]+(;.*)?$")


class InvokeResult(BaseModel):
    content_type: str | None
    body: Any


class Capacity(BaseModel):
    """One instance type's endpoint quota in this account and how much of it is free."""

    name: str
    quota: int
    quota_code: str | None
    in_use: int | None
    available: int | None
    request_increase_url: str | None


class CapacityList(BaseModel):
    """``GET instance-types``: every instance type with an endpoint quota (what "deployable with my quota"
    filters by); empty with a ``reason`` when the quotas cannot be read."""

    instance_types: list[Capacity]
    reason: str | None = None
    sources: dict[str, FigureSource]
