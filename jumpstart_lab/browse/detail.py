"""The detail view of one model version, built from its document."""

from __future__ import annotations

from ..deployments import payloads
from . import documents as docs
from .entries import document_facts, keyword_facts
from .models import ModelDetail, ModelDocument


def build_detail(hub: str, doc: ModelDocument, versions: list[str]) -> ModelDetail:
    """A :class:`ModelDetail` from a document; list and detail agree on the summary facts."""
    d = doc.document
    facts = document_facts(d)
    stated = keyword_facts(doc.search_keywords)
    facts.update({k: v for k, v in stated.items() if k in ("task", "framework", "provider", "license")})
    if doc.version not in versions:
        versions = sorted({*versions, doc.version}, key=docs.version_key, reverse=True)
    return ModelDetail(
        hub=hub,
        model_id=doc.model_id,
        version=doc.version,
        display_name=doc.display_name or doc.model_id,
        description=doc.description,
        provider=facts["provider"],
        task=facts["task"],
        framework=facts["framework"],
        license=facts["license"],
        gated=doc.gated,
        trainable=facts["trainable"],
        model_type=facts["model_type"],
        content_type=doc.content_type,
        versions=versions,
        markdown=doc.markdown,
        url=d.get("Url") or None,
        min_sdk_version=d.get("MinSdkVersion") or None,
        eula={"required": doc.gated, "uri": doc.eula_uri},
        inference={
            "default_instance_type": d.get("DefaultInferenceInstanceType") or None,
            "supported_instance_types": list(d.get("SupportedInferenceInstanceTypes") or []),
        },
        training={
            "supported": bool(d.get("TrainingSupported")),
            "default_instance_type": d.get("DefaultTrainingInstanceType") or None,
            "supported_instance_types": list(d.get("SupportedTrainingInstanceTypes") or []),
            "hyperparameters": docs.hyperparameters(d),
        },
        evaluation_supported=docs.evaluation_supported(d, doc.search_keywords),
        notebooks=docs.notebooks(d),
        marketplace=docs.marketplace(d),
        hub_content_arn=doc.hub_content_arn,
        public_content_arn=doc.public_content_arn,
        examples=payloads.examples(d),
    )
