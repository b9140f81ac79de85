"""Names and helpers shared by the tests of the local service's hub operations through plain boto3."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

REGION = "us-west-2"
ACCOUNT = "123456789012"
PUBLIC = "SageMakerPublicHub"
PUBLIC_ARN = f"arn:aws:sagemaker:{REGION}:aws:hub/{PUBLIC}"
LLAMA = "meta-textgeneration-llama-2-13b-f"
FLAN = "huggingface-text2text-flan-t5-base"
DOC = json.dumps(
    {
        "Url": "https://example.com",
        "ModelTypes": ["OPEN_WEIGHTS"],
        "TrainingSupported": False,
        "IncrementalTrainingSupported": False,
        "Task": "Text Generation",
    }
)
"""A minimal valid Model document for imported content."""


def public_content_arn(name: str, version: str | None = None) -> str:
    arn = f"arn:aws:sagemaker:{REGION}:aws:hub-content/{PUBLIC}/Model/{name}"
    return f"{arn}/{version}" if version else arn


def code_of(exc: pytest.ExceptionInfo[ClientError]) -> str:
    """The AWS error code of a raised ClientError."""
    return exc.value.response["Error"]["Code"]
