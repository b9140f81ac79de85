"""Request and response shapes of the deployments API (pydantic v2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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


class Deployment(BaseModel):
    """One endpoint that jumpstart-lab deployed, as ``GET deployments/{name}`` shows it."""

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


class DeploymentList(BaseModel):
    deployments: list[Deployment]


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
