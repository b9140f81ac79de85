"""Translate botocore exceptions into domain errors with actionable messages."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ReadTimeoutError,
)

from ..errors import (
    AccessDenied,
    Conflict,
    InvalidInput,
    JumpStartLabError,
    NotFound,
    ServiceUnavailable,
    UpstreamError,
)

NOT_FOUND = {"ResourceNotFound", "ResourceNotFoundException", "NoSuchKey", "NoSuchBucket", "NoSuchEntity", "404"}
DENIED = {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "403"}
THROTTLED = {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown"}
IN_USE = {"ResourceInUse", "ResourceInUseException"}
CREDENTIALS_HELP = (
    "No AWS credentials were found. Configure them with `aws configure` or `aws sso login`, set "
    "AWS_PROFILE, or start JupyterLab with --JumpStartLab.mode=local to use the local demo service."
)
REGION_HELP = "No AWS region is configured. Set AWS_DEFAULT_REGION or --JumpStartLab.region."
BAD_CREDENTIALS = {
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
}
BAD_CREDENTIALS_HELP = (
    "AWS rejected your credentials (expired or invalid). Refresh them (`aws sso login`, or new keys), then try again."
)
# AWS messages may quote key ids or signature parts; none of it is passed on to users or logs
_SECRETS = re.compile(
    r"\b(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|APKA)[A-Z0-9]{12,}\b"
    r"|(?:Credential|Signature|SignedHeaders|X-Amz-Security-Token|X-Amz-Credential|X-Amz-Signature)=[^\s,&\"')]+",
    re.IGNORECASE,
)


def redact(message: str) -> str:
    """``message`` with access key ids and request-signature fragments replaced by ``[redacted]``."""
    return _SECRETS.sub("[redacted]", message)


def translate(exc: Exception, *, what: str = "") -> JumpStartLabError:
    """The domain error for a botocore exception (``what`` names the resource)."""
    if isinstance(exc, JumpStartLabError):
        return exc
    if isinstance(exc, NoCredentialsError):
        return ServiceUnavailable(CREDENTIALS_HELP, code="NoCredentials")
    if isinstance(exc, NoRegionError):
        return ServiceUnavailable(REGION_HELP, code="NoRegion")
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)):
        return ServiceUnavailable(
            "AWS could not be reached in time. Check the network or try again shortly.", code="AwsUnreachable"
        )
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        message = redact(str(error.get("Message", "")) or code)
        subject = f"{what}: " if what else ""
        if code in BAD_CREDENTIALS:
            return ServiceUnavailable(f"{subject}{BAD_CREDENTIALS_HELP}", code="InvalidCredentials", aws_code=code)
        if code in NOT_FOUND:
            return NotFound(f"{subject}{message}", code="NotFound", aws_code=code)
        if code in DENIED:
            return AccessDenied(
                f"{subject}Your AWS role is not allowed to do this ({message}). Ask your administrator for access.",
                code="AccessDenied",
                aws_code=code,
            )
        if code in THROTTLED:
            return ServiceUnavailable(
                f"{subject}AWS is throttling requests; please try again in a moment.", code="Throttled", aws_code=code
            )
        if code in IN_USE:
            return Conflict(f"{subject}{message}", code="Conflict", aws_code=code)
        if code == "ResourceLimitExceeded":
            return UpstreamError(
                f"{subject}{message} Request a quota increase in the Service Quotas console, or remove what you no "
                "longer need.",
                code="QuotaExceeded",
                aws_code=code,
            )
        if code in {"ValidationException", "ValidationError"}:
            return InvalidInput(f"{subject}{message}", code="AwsValidationError", aws_code=code)
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
        if status >= 500:
            return ServiceUnavailable(f"{subject}AWS failed ({code}); try again shortly.", code="AwsServerError")
        return UpstreamError(f"{subject}{message}", aws_code=code)
    if isinstance(exc, BotoCoreError):
        return ServiceUnavailable(f"AWS request failed: {redact(str(exc))}", code="AwsError")
    raise exc


@contextlib.contextmanager
def aws_errors(what: str = "") -> Iterator[None]:
    """Re-raise botocore exceptions inside the block as domain errors."""
    try:
        yield
    except (ClientError, BotoCoreError) as exc:
        raise translate(exc, what=what) from exc
