r"""Validation of user-controlled strings against the AWS patterns.

Every name, version or URI that comes from a user passes through one of these
functions before it reaches boto3, a file name or a generated notebook. Patterns
are the botocore model's (``sagemaker/2017-07-24/service-2.json``), matched in full and
ASCII-only (Python's ``\d`` and ``\w`` would otherwise accept other scripts' digits and
letters, which AWS refuses). Error messages quote at most ``MAX_ECHO`` characters of the value.
"""

from __future__ import annotations

import re

from .errors import InvalidInput

PUBLIC_HUB = "SageMakerPublicHub"

HUB_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", re.ASCII)
HUB_ARN = re.compile(
    r"arn:(?P<partition>[a-z0-9-.]{1,63}):sagemaker:(?P<region>\w+(?:-\w+)+):"
    r"(?P<account>\d{12}|aws):hub/(?P<name>[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})",
    re.ASCII,
)
HUB_CONTENT_NAME = HUB_NAME
HUB_CONTENT_VERSION = re.compile(r"\d{1,4}\.\d{1,4}\.\d{1,4}", re.ASCII)
HUB_CONTENT_TYPES = ("Model", "Notebook", "ModelReference", "DataSet", "JsonDoc")
ENDPOINT_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", re.ASCII)
INSTANCE_TYPE = re.compile(r"ml\.[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+", re.ASCII)
ACCOUNT_ID = re.compile(r"\d{12}", re.ASCII)
S3_URI = re.compile(r"s3://(?P<bucket>[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])/(?P<key>[^\x00-\x1f\x7f]*)", re.ASCII)
# A folder inside the Jupyter server root: relative, "/"-separated, no "..", no hidden or "~" segments.
FOLDER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._ -]{0,99}(/[A-Za-z0-9_][A-Za-z0-9._ -]{0,99}){0,15}", re.ASCII)
MAX_ECHO = 80


def schema(pattern: re.Pattern[str]) -> dict[str, str]:
    """The JSON Schema keyword for strings matching ``pattern`` in full (for ``Field(json_schema_extra=...)``;
    it constrains strings only, so a nullable field stays nullable)."""
    return {"pattern": f"^(?:{pattern.pattern})$"}


def _check(pattern: re.Pattern[str], value: object, what: str, max_len: int) -> str:
    if not isinstance(value, str) or not value or len(value) > max_len or not pattern.fullmatch(value):
        raise InvalidInput(f"{what} {_echo(value)} is not valid.", code="ValidationError", field=what)
    return value


def _echo(value: object) -> str:
    """A short, printable quotation of a rejected value (never the whole of a huge input)."""
    text = repr(value)
    return text if len(text) <= MAX_ECHO else f"{text[: MAX_ECHO - 1]}… ({len(str(value))} characters)"


def hub_name_or_arn(value: object) -> str:
    """A hub name (``CompanyHub``) or hub ARN, as every hub API accepts."""
    if isinstance(value, str) and value.startswith("arn:"):
        return _check(HUB_ARN, value, "hub", 255)
    return _check(HUB_NAME, value, "hub", 63)


def hub_name(value: object) -> str:
    return _check(HUB_NAME, value, "hub name", 63)


def folder(value: object) -> str:
    """A folder relative to the server root (``jumpstart``, ``projects/llm``), trailing ``/`` ignored."""
    text = value.rstrip("/") if isinstance(value, str) else value
    if isinstance(text, str) and any(part.endswith((".", " ")) for part in text.split("/")):
        text = None  # "a./b", "a /b": Windows-hostile names that also hide "..", "a. " tricks
    return _check(FOLDER, text, "directory", 255)


def model_id(value: object) -> str:
    return _check(HUB_CONTENT_NAME, value, "model id", 63)


def version(value: object) -> str:
    return _check(HUB_CONTENT_VERSION, value, "version", 14)


def endpoint_name(value: object) -> str:
    return _check(ENDPOINT_NAME, value, "endpoint name", 63)


def instance_type(value: object) -> str:
    return _check(INSTANCE_TYPE, value, "instance type", 64)


def account_id(value: object) -> str:
    return _check(ACCOUNT_ID, value, "account id", 12)


def s3_uri(value: object) -> tuple[str, str]:
    """Split ``s3://bucket/key`` after validating it; returns ``(bucket, key)``."""
    _check(S3_URI, value, "S3 URI", 1024)
    match = S3_URI.fullmatch(str(value))
    assert match is not None
    return match["bucket"], match["key"]


def hub_name_from(value: str) -> str:
    """The bare hub name of a validated hub name or ARN."""
    match = HUB_ARN.fullmatch(value)
    return match["name"] if match else value


def hub_arn(name_or_arn: str, *, region: str, account: str, partition: str = "aws") -> str:
    """The ARN for a hub name (the public hub's account field is ``aws``)."""
    if HUB_ARN.fullmatch(name_or_arn):
        return name_or_arn
    owner = "aws" if name_or_arn == PUBLIC_HUB else account
    return f"arn:{partition}:sagemaker:{region}:{owner}:hub/{name_or_arn}"
