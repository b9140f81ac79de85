"""AWS failures of a deployment, turned into errors that say what to do.

Covers what generic translation (``jumpstart_lab.aws.errors.translate``) cannot phrase well because
it lacks the context: the instance type behind a quota, the execution role, a Marketplace
subscription, an organization policy (SCP) deny. Anything else falls through to ``translate``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from ..aws.errors import redact, translate
from ..errors import AccessDenied, Conflict, JumpStartLabError, ServiceUnavailable, UpstreamError

CAPACITY_CODES = {"InsufficientCapacity", "InsufficientInstanceCapacity", "CapacityError"}


def failure_advice(reason: str | None, instance_type: str | None, endpoint_name: str) -> str | None:
    """What to do about an endpoint that went to ``Failed`` with this FailureReason (None: no advice known).

    SageMaker reports capacity, quota, permission and container-health problems this way, minutes after
    CreateEndpoint succeeded.
    """
    if not reason:
        return None
    lower = reason.lower()
    instance = instance_type or "this instance type"
    redeploy = f"Delete {endpoint_name}, then deploy again"
    if "capacity" in lower:  # every CAPACITY_CODES name, and the prose forms
        return (
            f"AWS had no free {instance} capacity. {redeploy} later, with another supported instance type, or in "
            "another region."
        )
    if "resourcelimitexceeded" in lower or "quota" in lower or "service limit" in lower:
        return (
            f"Your account's quota for {instance} endpoint usage is used up. Request an increase of "
            f"'{instance} for endpoint usage' in the Service Quotas console or delete endpoints you no longer need. "
            f"{redeploy}."
        )
    if "access denied" in lower or "accessdenied" in lower or "not authorized" in lower or "permission" in lower:
        return (
            "The endpoint's execution role could not read the model or pull its container image: allow it "
            f"s3:GetObject on the model data and ECR image pulls (or configure another role). {redeploy}."
        )
    if "health check" in lower or "ping" in lower:
        return (
            f"The model container did not become healthy. Read the endpoint's logs in CloudWatch "
            f"(/aws/sagemaker/Endpoints/{endpoint_name}); large models often need a bigger supported instance type. "
            f"{redeploy} once fixed."
        )
    return None


@dataclass(frozen=True)
class Context:
    """What the request was about (all optional)."""

    instance_type: str | None = None
    instance_count: int | None = None
    role_arn: str | None = None
    subscription_link: str | None = None


def explain(exc: ClientError, what: str, ctx: Context) -> JumpStartLabError:
    """The domain error for a failed deployment call."""
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    message = redact(str(error.get("Message", "")) or code)  # AWS may quote key ids or signature parts
    lower = message.lower()
    instance = ctx.instance_type or "the instance type"
    if code == "ResourceLimitExceeded":
        count = f"{ctx.instance_count} x " if ctx.instance_count else ""
        return UpstreamError(
            f"{what}: your account's SageMaker quota does not allow {count}{instance} for endpoint usage ({message}). "
            f"Request an increase of '{instance} for endpoint usage' in the Service Quotas console, delete endpoints "
            "you no longer need, or choose another instance type.",
            code="QuotaExceeded",
            aws_code=code,
        )
    if code in CAPACITY_CODES or "insufficient capacity" in lower or "insufficientinstancecapacity" in lower:
        return ServiceUnavailable(
            f"{what}: AWS has no free {instance} capacity right now ({message}). Try again later, choose another "
            "supported instance type, or deploy in another region.",
            code="InsufficientCapacity",
            aws_code=code,
        )
    if "iam:passrole" in lower:
        return AccessDenied(
            f"{what}: you may not pass the execution role {ctx.role_arn or ''} to SageMaker (iam:PassRole). "
            "Ask your administrator to allow iam:PassRole on it, or configure another role with "
            "--JumpStartLab.execution_role_arn.",
            code="PassRoleDenied",
            aws_code=code,
        )
    if "service control policy" in lower or "explicit deny" in lower:
        return AccessDenied(
            f"{what}: an organization policy (SCP) or another explicit deny blocks this ({message}). Ask your AWS "
            "administrator to allow it for this account, region and instance type, or use one that is allowed.",
            code="DeniedByPolicy",
            aws_code=code,
        )
    if ctx.subscription_link is not None and "subscri" in lower:
        return UpstreamError(
            f"{what}: this Marketplace model needs a subscription ({message}). Subscribe at "
            f"{ctx.subscription_link} and deploy again.",
            code="MarketplaceSubscriptionRequired",
            aws_code=code,
        )
    if code in {"ValidationException", "ValidationError"} and "already exist" in lower:
        return Conflict(f"{what}: {message}", code="EndpointExists", aws_code=code)
    if code in {"ValidationException", "ValidationError"} and ctx.role_arn and "role" in lower:
        return UpstreamError(
            f"{what}: SageMaker cannot use the execution role {ctx.role_arn} ({message}). The role must exist, trust "
            "sagemaker.amazonaws.com and allow reading the model artifacts; set --JumpStartLab.execution_role_arn "
            "to a SageMaker execution role.",
            code="ExecutionRoleInvalid",
            aws_code=code,
        )
    return translate(exc, what=what)


@contextlib.contextmanager
def deployment_errors(what: str, ctx: Context | None = None) -> Iterator[None]:
    """Re-raise botocore exceptions inside the block as actionable domain errors."""
    try:
        yield
    except ClientError as exc:
        raise explain(exc, what, ctx or Context()) from exc
    except BotoCoreError as exc:
        raise translate(exc, what=what) from exc
