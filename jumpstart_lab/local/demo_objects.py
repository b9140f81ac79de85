"""Objects of the demo content bucket ``jumpstart-cache-prod-<region>``: EULA texts, manifests, S3 specs."""

from __future__ import annotations

import json
from typing import Any

from .demo_entries import LLM_SPEC_MODEL_ID, MARKETPLACE_ACCOUNT, ModelEntry, data_json, eula_key
from .demo_families import FAMILY


def eula_text(entry: ModelEntry) -> str:
    return (
        "DEMO EULA TEXT - jumpstart-lab local service.\n"
        "This is NOT the real license. It stands in for the end-user license agreement of the models below\n"
        "so that the EULA gate can be tried offline.\n\n"
        f"{entry.license.upper()} (demo text)\n\n"
        "1. You may use the model only after accepting these terms.\n"
        "2. Acceptance is recorded per user, model and version.\n"
        "3. Read the real license at the model's URL before using the real model.\n"
    )


def _spec_key(entry: ModelEntry, version: str) -> str:
    if entry.proprietary:
        return f"proprietary-models/{entry.id}/proprietary_specs_{version}.json"
    return f"community_models/{entry.id}/specs_v{version}.json"


def s3_spec(entry: ModelEntry, version: str, region: str) -> dict[str, Any]:
    """The S3 spec (snake_case) the SDK reads from the content bucket, built from a fixture spec."""
    if entry.proprietary:
        spec = data_json("spec-proprietary.json")
        arn = f"arn:aws:sagemaker:{region}:{MARKETPLACE_ACCOUNT}:model-package/{entry.proprietary['package']}"
        spec.update(model_id=entry.id, version=version, hosting_model_package_arns={region: arn})
        return spec
    if entry.family == "llm":
        spec = data_json("spec-llm.json", (LLM_SPEC_MODEL_ID, entry.id))
    elif entry.family == "text2text":
        spec = data_json("spec-text2text.json", ("huggingface-text2text-flan-t5-base", entry.id))
    else:
        spec = data_json("spec-generic.json")
    fam = FAMILY[entry.family]
    spec.update(
        model_id=entry.id,
        version=version,
        url=entry.url,
        provider=entry.provider,
        license=entry.license,
        resource_name_base=entry.id[:50],
        training_supported=entry.trainable,
        fine_tuning_supported=entry.trainable,
        gated_bucket=entry.gated,
        default_inference_instance_type=fam["infer"][0],
        supported_inference_instance_types=list(fam["infer"][1]),
    )
    if entry.gated:
        spec["hosting_eula_key"] = eula_key(entry.eula or "")
    else:
        spec.pop("hosting_eula_key", None)
    return spec


def manifests(entries: list[ModelEntry], region: str) -> dict[str, list[dict[str, Any]]]:
    """``models_manifest.json`` (open weights) and ``proprietary-sdk-manifest.json`` contents."""
    open_manifest, proprietary = [], []
    for entry in entries:
        for version in entry.versions:
            item = {
                "model_id": entry.id,
                "version": version,
                "min_version": "2.189.0",
                "spec_key": _spec_key(entry, version),
                "provider": entry.provider,
                "search_keywords": [entry.task],
            }
            (proprietary if entry.proprietary else open_manifest).append(item)
    return {"models_manifest.json": open_manifest, "proprietary-sdk-manifest.json": proprietary}


def content_bucket_objects(entries: list[ModelEntry], region: str) -> dict[str, bytes]:
    """Every object of ``jumpstart-cache-prod-<region>``: EULA texts, manifests and specs."""
    objects: dict[str, bytes] = {}
    for entry in entries:
        if entry.eula:
            objects[eula_key(entry.eula)] = eula_text(entry).encode()
    for key, items in manifests(entries, region).items():
        objects[key] = json.dumps(items).encode()
    for entry in entries:
        for version in entry.versions:
            objects[_spec_key(entry, version)] = json.dumps(s3_spec(entry, version, region)).encode()
    return objects
