"""Request and response shapes of notebook generation (pydantic v2)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

NotebookAction = Literal["train", "deploy", "evaluate"]
Sdk = Literal["v3", "v2"]


class NotebookRequest(BaseModel):
    """``POST notebooks``. Strings are checked against the AWS patterns by the service."""

    model_config = ConfigDict(extra="forbid")

    hub: str = Field(description="Hub name or ARN.")
    model_id: str
    version: str | None = None
    action: NotebookAction
    sdk: Sdk | None = Field(
        default=None, description="Default: the major version of the installed sagemaker package, else v3."
    )
    endpoint_name: str | None = None
    directory: str | None = Field(
        default=None,
        json_schema_extra={"maxLength": 255},  # documented; the service checks the folder pattern
        description="Folder relative to the server root (created if needed); "
        "default: the JumpStartLab.notebook_dir setting.",
    )
    fresh: bool = Field(
        default=False,
        description="Write a new copy even when a notebook for this model, version and action exists in the folder.",
    )


class NotebookCreated(BaseModel):
    path: str = Field(description="Relative to the Jupyter server root.")
    reused: bool = Field(
        default=False, description="The notebook already written for this model, version and action (no new file)."
    )
