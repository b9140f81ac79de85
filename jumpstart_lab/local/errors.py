"""AWS-shaped errors of the local service and their wire forms (JSON 1.1, REST-JSON, query XML, S3 XML)."""

from __future__ import annotations

import json
import uuid
from xml.sax.saxutils import escape


class AwsError(Exception):
    """An error the service answers with: ``code`` as AWS spells it, HTTP ``status``, a message."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def not_found(message: str) -> AwsError:
    return AwsError("ResourceNotFound", message)


def in_use(message: str) -> AwsError:
    return AwsError("ResourceInUse", message)


def validation(message: str) -> AwsError:
    return AwsError("ValidationException", message)


def access_denied(message: str) -> AwsError:
    return AwsError("AccessDeniedException", message)


def request_id() -> str:
    return str(uuid.uuid4())


def json_error(err: AwsError, rid: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """botocore takes the code from the body's ``__type``; the header alone is not enough."""
    body = json.dumps({"__type": err.code, "message": err.message}).encode()
    headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("x-amzn-ErrorType", f"{err.code}:http://internal.amazon.com/"),
        ("x-amzn-RequestId", rid),
    ]
    return err.status, headers, body


def query_error(err: AwsError, rid: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """Query protocol (IAM, STS) error document."""
    body = (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{escape(err.code)}</Code>"
        f"<Message>{escape(err.message)}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>"
    ).encode()
    return err.status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid)], body


def s3_error(err: AwsError, rid: str) -> tuple[int, list[tuple[str, str]], bytes]:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{escape(err.code)}</Code>'
        f"<Message>{escape(err.message)}</Message><RequestId>{rid}</RequestId></Error>"
    ).encode()
    return err.status, [("Content-Type", "application/xml"), ("x-amz-request-id", rid)], body
