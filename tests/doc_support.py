"""A ``ModelDocument`` as the catalog hands it to the action side, for tests of notebooks and deployments;
the SageMaker SDK's own Llama 2 13B document as the usual one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jumpstart_lab.browse.models import ModelDocument

LLAMA = "meta-textgeneration-llama-2-13b-f"
SDK_FIXTURE = Path(__file__).parent / "data" / "hub-document-v3-llama-2-13b-f.json"  # SDK test fixture
HUB_ARN = "arn:aws:sagemaker:us-west-2:123456789012:hub/my-private-hub"
CONTENT_ARN = f"{HUB_ARN.replace(':hub/', ':hub-content/')}/ModelReference/{LLAMA}/4.19.0"


def model_doc(
    document: dict[str, Any],
    *,
    model_id: str = LLAMA,
    version: str = "4.19.0",
    hub: str = "my-private-hub",
    content_type: str = "ModelReference",
    hub_content_arn: str | None = None,
    **fields: Any,
) -> ModelDocument:
    """``document`` (a HubContentDocument) as ``model_id@version`` in ``hub``, with the ARNs AWS would give it
    (``hub_content_arn`` unless given)."""
    owner = "aws" if hub == "SageMakerPublicHub" else "123456789012"
    hub_arn = f"arn:aws:sagemaker:us-west-2:{owner}:hub/{hub}"
    content_arn = f"arn:aws:sagemaker:us-west-2:{owner}:hub-content/{hub}/{content_type}/{model_id}/{version}"
    return ModelDocument(
        hub_name=hub,
        hub_arn=hub_arn,
        model_id=model_id,
        version=version,
        content_type=content_type,
        hub_content_arn=hub_content_arn or content_arn,
        document=document,
        **fields,
    )


def sdk_document() -> dict[str, Any]:
    """The SDK's HubContentDocument of Llama 2 13B (a fresh copy)."""
    return json.loads(SDK_FIXTURE.read_text())


def hostile_llama_doc(content_type: str = "ModelReference", **doc_changes: Any) -> ModelDocument:
    """The SDK's Llama in ``my-private-hub``, ``doc_changes`` applied, with a display name and description that
    try HTML, markdown and code injection (every notebook must stay inert with them)."""
    return model_doc(
        sdk_document() | doc_changes,
        content_type=content_type,
        hub_content_arn=CONTENT_ARN,
        display_name='Llama <img src=x onerror="alert(1)"> ```\nimport os',
        description="# Heading\n<script>alert(1)</script> [link](javascript:alert(1))",
    )
