"""Request and response shapes of notebook generation (pydantic v2)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

NotebookAction = Literal["train", "deploy", "evaluate"]
Sdk = Literal["v3", "v2"]


class NotebookRequest(BaseModel):
    """``POST notebooks``. Strings are checked against the AWS patterns by the service."""

    model_config = ConfigDict(extra="forbid")

    hub: str
    model_id: str
    version: str | None = None
    action: NotebookAction
    sdk: Sdk | None = None
    endpoint_name: str | None = None
    directory: str | None = None  # a folder inside the server root; default: JumpStartLab.notebook_dir
    fresh: bool = False  # write a new copy even when a notebook for this model, version and action exists


class NotebookCreated(BaseModel):
    path: str
    reused: bool = False  # the notebook already written for this model, version and action (not a new file)
