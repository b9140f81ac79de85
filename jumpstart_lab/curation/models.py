"""Request and response shapes of the curation API (pydantic v2)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .. import validation
from ..browse.models import ModelQuery

Permission = Literal["Read", "ReadAndUse", "FullAccess"]
ReferenceStatus = Literal["added", "updated", "already_present", "failed"]
HUB_KEYWORD_MAX = 255


class CreateHubRequest(BaseModel):
    """``POST hubs``: a new private hub (CreateHub)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(json_schema_extra=validation.schema(validation.HUB_NAME))
    display_name: str = Field(min_length=1, max_length=255)
    description: str = Field(min_length=1, max_length=1023)
    keywords: list[str] = Field(
        default_factory=list,
        max_length=50,
        json_schema_extra={"items": {"type": "string", "maxLength": HUB_KEYWORD_MAX, "pattern": "^[^A-Z]*$"}},
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        validation.hub_name(value)
        if value.lower() == validation.PUBLIC_HUB.lower():
            raise ValueError(f"{validation.PUBLIC_HUB} is the name of the public hub; choose another name")
        return value

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
        for keyword in value:
            if len(keyword) > HUB_KEYWORD_MAX:
                raise ValueError(f"keyword {keyword[:20]!r}... is longer than {HUB_KEYWORD_MAX} characters")
            if any(ch.isupper() for ch in keyword):
                # botocore HubSearchKeywords pattern: [^A-Z]* (hub-level keywords are lower case)
                raise ValueError(f"hub keywords must be lower case (got {keyword!r})")
        return list(dict.fromkeys(value))


class ReferenceFilter(ModelQuery):
    """The catalog's filters (as ``GET hubs/{hub}/models`` takes them), without paging."""

    @model_validator(mode="after")
    def _not_paging(self) -> ReferenceFilter:
        paging = {"cursor", "limit"} & self.model_fields_set
        if paging:
            raise ValueError(f"a reference filter selects every match; {sorted(paging)} not allowed")
        return self


class AddReferencesRequest(BaseModel):
    """``POST hubs/{hub}/references``: public model ids, or every public model matching a filter (exactly one)."""

    model_config = ConfigDict(extra="forbid")

    models: list[str] | None = Field(default=None, min_length=1, max_length=1000)
    filter: ReferenceFilter | None = None
    min_version: str | None = Field(default=None, json_schema_extra=validation.schema(validation.HUB_CONTENT_VERSION))

    @field_validator("models")
    @classmethod
    def _models(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        for model_id in value:
            validation.model_id(model_id)
        return list(dict.fromkeys(value))

    @field_validator("min_version")
    @classmethod
    def _min_version(cls, value: str | None) -> str | None:
        return None if value is None else validation.version(value)

    @model_validator(mode="after")
    def _one_source(self) -> AddReferencesRequest:
        if (self.models is None) == (self.filter is None):
            raise ValueError("give either 'models' (public model ids) or 'filter' (catalog filters), not both")
        return self


class ReferenceResult(BaseModel):
    """What happened to one requested model."""

    model_id: str
    status: ReferenceStatus
    version: str | None = None
    hub_content_arn: str | None = None
    min_version: str | None = None
    code: str | None = None
    message: str | None = None


class AddReferencesResult(BaseModel):
    hub: str
    requested: int
    added: int
    updated: int = Field(description="existing references given the new min_version")
    already_present: int
    failed: int
    results: list[ReferenceResult]


class Reference(BaseModel):
    """A ModelReference in a private hub."""

    model_id: str
    version: str
    hub_content_arn: str
    public_content_arn: str | None = None
    display_name: str | None = None
    status: str | None = None


class ReferenceList(BaseModel):
    hub: str
    references: list[Reference]


class RemovedReference(BaseModel):
    hub: str
    model_id: str
    status: Literal["removed"] = "removed"


class RemovedContent(BaseModel):
    content_type: str
    model_id: str
    version: str | None = None


class DeleteHubResult(BaseModel):
    """Everything ``DELETE hubs/{hub}`` removed, in the order it was removed."""

    hub: str
    hub_arn: str
    shares_updated: list[str]
    removed: list[RemovedContent]
    deleted: bool
    warnings: list[str] = Field(default_factory=list)


class ShareRequest(BaseModel):
    """``POST hubs/{hub}/shares``: give these accounts this permission on the hub."""

    model_config = ConfigDict(extra="forbid")

    account_ids: list[str] = Field(
        min_length=1,
        max_length=100,
        json_schema_extra={"items": {"type": "string", **validation.schema(validation.ACCOUNT_ID)}},
    )
    permission: Permission

    @field_validator("account_ids")
    @classmethod
    def _accounts(cls, value: list[str]) -> list[str]:
        for account in value:
            validation.account_id(account)
        return list(dict.fromkeys(value))


class SharePrincipal(BaseModel):
    principal: str
    status: str
    external: bool | None = None


class Share(BaseModel):
    """One RAM resource share that contains the hub."""

    arn: str
    name: str
    status: str
    permission: Permission | None
    permission_arns: list[str]
    principals: list[SharePrincipal]


class ShareList(BaseModel):
    hub: str
    hub_arn: str
    shares: list[Share]


class OwnedContent(BaseModel):
    """Content the hub owns (imported, not a reference), with every version it holds."""

    content_type: str
    model_id: str
    versions: list[str]


class HubContents(BaseModel):
    """Everything ``DELETE hubs/{hub}`` removes: references, owned content (every version), RAM shares."""

    hub: str
    hub_arn: str
    references: list[str] = Field(description="model ids")
    owned: list[OwnedContent]
    shares: list[Share]
    warnings: list[str] = Field(default_factory=list)


class DeleteHubError(BaseModel):
    """The Error of ``DELETE hubs/{hub}``. Once the deletion has started (the hub exists and may be changed)
    it also says what was done: the hub is not deleted (``deleted`` false), ``removed`` lists what was removed
    before the error, ``remaining`` what the hub still holds (absent when its contents could not be listed),
    ``shares_updated`` the RAM shares the hub was taken out of."""

    code: str
    message: str
    hub: str | None = None
    hub_arn: str | None = None
    deleted: Literal[False] | None = None
    shares_updated: list[str] | None = None
    removed: list[RemovedContent] | None = None
    remaining: list[RemovedContent] | None = None


class CurationStatus(BaseModel):
    allowed: bool
    reason: str | None = None
