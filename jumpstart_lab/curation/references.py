"""Adding ModelReferences to a private hub: decide per model, create each, report each."""

from __future__ import annotations

import logging
from typing import Any

from .. import validation
from ..aws.errors import translate
from ..errors import JumpStartLabError
from .models import ReferenceResult

log = logging.getLogger(__name__)
IN_USE = {"ResourceInUse", "ResourceInUseException"}


def triage(
    wanted: list[str],
    public: dict[str, dict[str, Any]],
    present: dict[str, dict[str, Any]],
    min_version: str | None = None,
) -> tuple[dict[str, ReferenceResult], list[str], list[str]]:
    """Results known without calling AWS (already referenced, not public), the ids left to add, and
    the ids already referenced whose MinVersion must be checked (only when ``min_version`` is given)."""
    results: dict[str, ReferenceResult] = {}
    to_add: list[str] = []
    to_pin: list[str] = []
    for model_id in wanted:
        if model_id in present and min_version:
            to_pin.append(model_id)
        elif model_id in present:
            item = present[model_id]
            results[model_id] = ReferenceResult(
                model_id=model_id,
                status="already_present",
                version=item["HubContentVersion"],
                hub_content_arn=item["HubContentArn"],
            )
        elif model_id not in public:
            results[model_id] = ReferenceResult(
                model_id=model_id,
                status="failed",
                code="NotFound",
                message=f"Model {model_id} is not in {validation.PUBLIC_HUB}.",
            )
        else:
            to_add.append(model_id)
    return results, to_add, to_pin


def create_reference(sagemaker: Any, hub: str, source: dict[str, Any], min_version: str | None) -> ReferenceResult:
    """CreateHubContentReference for one public model (its HubContentInfo); never raises."""
    model_id = source["HubContentName"]
    kwargs: dict[str, Any] = {
        "HubName": hub,
        "SageMakerPublicHubContentArn": unversioned(source["HubContentArn"], source["HubContentVersion"]),
        "HubContentName": model_id,
    }
    if min_version:
        kwargs["MinVersion"] = min_version
    try:
        reply = sagemaker.create_hub_content_reference(**kwargs)
    except Exception as exc:  # one model's failure must not lose the others' results
        error = _as_domain(exc, f"reference {model_id}")
        if error.details.get("aws_code") in IN_USE:  # added meanwhile (another admin, a retry)
            return ReferenceResult(model_id=model_id, status="already_present", version=source["HubContentVersion"])
        return ReferenceResult(model_id=model_id, status="failed", code=error.code, message=error.message)
    return ReferenceResult(
        model_id=model_id,
        status="added",
        version=source["HubContentVersion"],
        hub_content_arn=reply["HubContentArn"],
        min_version=min_version,
    )


def pin_reference(sagemaker: Any, hub: str, model_id: str, min_version: str) -> ReferenceResult:
    """An existing reference gets ``min_version`` (UpdateHubContentReference, the one field AWS lets us
    change) unless it has it already; never raises."""
    key = {"HubName": hub, "HubContentType": "ModelReference", "HubContentName": model_id}
    try:
        described = sagemaker.describe_hub_content(**key)
        version, arn = described["HubContentVersion"], described["HubContentArn"]
        if described.get("ReferenceMinVersion") == min_version:
            return ReferenceResult(
                model_id=model_id,
                status="already_present",
                version=version,
                hub_content_arn=arn,
                min_version=min_version,
            )
        sagemaker.update_hub_content_reference(**key, MinVersion=min_version)
    except Exception as exc:  # one model's failure must not lose the others' results
        error = _as_domain(exc, f"reference {model_id}")
        return ReferenceResult(model_id=model_id, status="failed", code=error.code, message=error.message)
    return ReferenceResult(
        model_id=model_id, status="updated", version=version, hub_content_arn=arn, min_version=min_version
    )


def unversioned(arn: str, version: str) -> str:
    """The public content ARN without its ``/<version>`` (as the SDK's blog flow passes it; MinVersion pins)."""
    suffix = f"/{version}"
    return arn[: -len(suffix)] if arn.endswith(suffix) else arn


def _as_domain(exc: Exception, what: str) -> JumpStartLabError:
    try:
        return translate(exc, what=what)
    except Exception:  # not a botocore error: report it on this model, keep the others
        log.exception("jumpstart_lab: unexpected error for %s", what)
        return JumpStartLabError(f"{what}: unexpected error ({type(exc).__name__}).", code="InternalError")
