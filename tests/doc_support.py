"""A ``ModelDocument`` as the catalog hands it to the action side, for tests of notebooks and deployments."""

from __future__ import annotations

from typing import Any

from jumpstart_lab.browse.models import ModelDocument

LLAMA = "meta-textgeneration-llama-2-13b-f"


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
