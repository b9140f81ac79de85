"""Request and response shapes of the EULA gate (pydantic v2)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EulaAction = Literal["deploy", "train", "evaluate", "notebook"]
ACTIONS: tuple[str, ...] = ("deploy", "train", "evaluate", "notebook")


class EulaInfo(BaseModel):
    """What the user needs to decide: the text, its hash and whether it is already accepted."""

    required: bool
    uri: str | None = None
    text: str | None = None
    sha256: str | None = None
    accepted: bool = False
    accepted_at: datetime | None = None
    accepted_by: str | None = None  # the user whose acceptance this is (the caller: acceptances are per user)


class Acceptance(BaseModel):
    """One recorded acceptance: who accepted which EULA text for which model version, and why."""

    username: str
    hub: str
    hub_arn: str
    model_id: str
    version: str
    eula_uri: str | None
    sha256: str
    action: str
    accepted_at: datetime


class AcceptanceList(BaseModel):
    """``GET eula-acceptances``: the audit log, oldest first."""

    acceptances: list[Acceptance]


class AcceptRequest(BaseModel):
    """``POST .../eula``: ``sha256`` (optional) is the hash of the text the user read."""

    model_config = ConfigDict(extra="forbid")

    version: str | None = None
    action: EulaAction
    sha256: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="Hash of the text the user read; 409 if the EULA changed since.",
    )


class AcceptResponse(BaseModel):
    accepted: Literal[True] = True
    accepted_at: datetime
    sha256: str


class EulaQuery(BaseModel):
    version: str | None = None


class AcceptancesQuery(BaseModel):
    format: Literal["json", "csv"] = "json"
