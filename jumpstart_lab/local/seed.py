"""Seeds the demo state: hubs in the hub store, and what the AWS fallback must hold (S3 objects, IAM role).

- ``SageMakerPublicHub`` (account ``aws``): the demo catalog (``demo_entries.py``, ``demo_documents.py``),
  plus synthetic models.
- ``CompanyHub`` ("Allowlisted Models"): a ModelReference to every public model whose Framework is ``meta``.
- ``ResearchHub`` ("Research sandbox"): an imported private ``Model`` (``acme-custom-llm``, two versions).
- ``PartnerHub``: owned by account 111122223333 and shared through RAM (not in ListHubs).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from . import demo_documents, demo_entries, demo_objects
from .demo_entries import ModelEntry
from .settings import ACCOUNT, Settings
from .store import PUBLIC_ACCOUNT, PUBLIC_HUB, Content, Hub, HubStore

COMPANY_HUB = "CompanyHub"
RESEARCH_HUB = "ResearchHub"
PARTNER_HUB = "PartnerHub"
PARTNER_ACCOUNT = "111122223333"
EXECUTION_ROLE = "SageMakerRole"
EXECUTION_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{EXECUTION_ROLE}"
SAGEMAKER_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
_EPOCH = 1_700_000_000.0  # fixed creation times keep listings deterministic


@dataclass
class Seed:
    """What a seeded service holds besides the hub store: the catalog and the fallback's data."""

    entries: list[ModelEntry]
    s3_objects: dict[str, dict[str, bytes]] = field(default_factory=dict)  # bucket -> key -> body
    gated_prefixes: tuple[str, ...] = ()
    model_index: dict[str, ModelEntry] = field(default_factory=dict)
    eula_keys: frozenset[str] = frozenset()


def seed_store(store: HubStore, settings: Settings) -> Seed:
    """Fill ``store`` (cleared first) and return the matching :class:`Seed`."""
    region = settings.region
    entries = demo_entries.load_entries()
    extra = demo_entries.synthetic_entries(settings.extra_models)
    with store.lock:
        store.clear()
        public = store.put(
            Hub(
                name=PUBLIC_HUB,
                region=region,
                account=PUBLIC_ACCOUNT,
                description="JumpStart public hub (demo catalog served by the jumpstart-lab local service).",
                display_name="JumpStart Public Hub",
                created=_EPOCH,
                modified=_EPOCH,
            )
        )
        models = demo_documents.public_models(entries + extra, region)
        for i, m in enumerate(models):
            public.add(
                Content(
                    hub=public,
                    type="Model",
                    name=m.entry.id,
                    version=m.version,
                    display_name=m.display_name,
                    description=m.description,
                    markdown=m.markdown,
                    document=json.dumps(m.document),
                    keywords=m.keywords,
                    created=_created(m.entry, m.version, i),
                    modified=_created(m.entry, m.version, i),
                )
            )
        _company_hub(store, public, region)
        _research_hub(store, region)
        _partner_hub(store, public, region)
    bucket = demo_entries.content_bucket(region)
    objects = demo_objects.content_bucket_objects(entries, region)
    objects.update(_demo_notebooks(models))
    gated = tuple(sorted({m.document["HostingArtifactUri"] for m in models if _is_gated(m.document)}))
    return Seed(
        entries=entries + extra,
        s3_objects={bucket: objects, demo_entries.gated_bucket(region): {}},
        gated_prefixes=gated,
        model_index={e.id: e for e in entries + extra},
        eula_keys=frozenset(demo_entries.eula_key(e.eula) for e in entries if e.eula),
    )


def _created(entry: ModelEntry, version: str, position: int) -> float:
    """Curated models in catalog order; synthetic ones spread over the years (a later version a day later)."""
    if entry.created_offset is None:
        return _EPOCH + position
    return _EPOCH - 6 * 365 * 86400 + round(entry.created_offset) + 86400 * entry.versions.index(version)


def _is_gated(document: dict[str, Any]) -> bool:
    return bool(document.get("HostingEulaUri") or document.get("GatedBucket") is True) and isinstance(
        document.get("HostingArtifactUri"), str
    )


def _reference(hub: Hub, public_model: Content, when: float) -> Content:
    return hub.add(
        Content(
            hub=hub,
            type="ModelReference",
            name=public_model.name,
            version=public_model.version,
            schema_version=public_model.schema_version,
            display_name=public_model.display_name,
            description=public_model.description,
            markdown=public_model.markdown,
            keywords=list(public_model.keywords),
            public_arn=public_model.arn,
            created=when,
            modified=when,
        )
    )


def _company_hub(store: HubStore, public: Hub, region: str) -> None:
    hub = store.put(
        Hub(
            name=COMPANY_HUB,
            region=region,
            account=ACCOUNT,
            display_name="Allowlisted Models",
            description="These are allowlisted models taken from the JumpStart Public Hub.",
            keywords=["allowlisted", "demo"],
            s3_output_path=f"s3://sagemaker-{region}-{ACCOUNT}/hubs/{COMPANY_HUB}",
            created=_EPOCH + 10_000,
            modified=_EPOCH + 10_000,
        )
    )
    for (ctype, name), _versions in sorted(public.contents.items()):
        latest = public.latest(ctype, name)
        if latest is not None and json.loads(latest.document or "{}").get("Framework") == "meta":
            _reference(hub, latest, _EPOCH + 10_001)


ACME_DOCUMENT: dict[str, Any] = {
    "Url": "https://example.com/acme/custom-llm",
    "MinSdkVersion": "2.225.0",
    "ModelTypes": ["OPEN_WEIGHTS"],
    "TrainingSupported": False,
    "IncrementalTrainingSupported": False,
    "Provider": "acme",
    "Task": "Text Generation",
    "Framework": "huggingface",
    "License": "Acme internal use only",
    "DataType": "text",
    "Capabilities": ["SAGEMAKER_EVALUATE"],
    "DefaultInferenceInstanceType": "ml.g5.2xlarge",
    "SupportedInferenceInstanceTypes": ["ml.g5.2xlarge", "ml.g5.12xlarge"],
    "InferenceEnableNetworkIsolation": True,
    "HostingArtifactS3DataType": "S3Prefix",
    "HostingArtifactCompressionType": "None",
    "DefaultPayloads": {
        "Example": {
            "ContentType": "application/json",
            "PromptKey": "inputs",
            "OutputKeys": {"generated_text": "[0].generated_text"},
            "Body": {"inputs": "Summarize our Q3 roadmap.", "parameters": {"max_new_tokens": 64}},
        }
    },
}


def _research_hub(store: HubStore, region: str) -> None:
    hub = store.put(
        Hub(
            name=RESEARCH_HUB,
            region=region,
            account=ACCOUNT,
            display_name="Research sandbox",
            description="Private models imported by the research team (demo).",
            keywords=["research", "demo"],
            created=_EPOCH + 20_000,
            modified=_EPOCH + 20_000,
        )
    )
    image = (
        f"{demo_entries.ECR_ACCOUNT}.dkr.ecr.{region}.amazonaws.com/"
        "huggingface-pytorch-tgi-inference:2.1.1-tgi2.0.0-gpu-py310-cu121-ubuntu22.04"
    )
    for i, version in enumerate(("1.0.0", "1.1.0")):
        doc = dict(
            ACME_DOCUMENT,
            HostingEcrUri=image,
            HostingArtifactUri=f"s3://sagemaker-{region}-{ACCOUNT}/models/acme-custom-llm/{version}/",
            HostingInstanceTypeVariants={"Variants": {"g5": {"Properties": {"ImageUri": image}}}},
        )
        hub.add(
            Content(
                hub=hub,
                type="Model",
                name="acme-custom-llm",
                version=version,
                display_name="Acme Custom LLM",
                description="Acme's fine-tuned assistant model, imported into the research hub (demo catalog).",
                markdown="# Acme Custom LLM\n\n> **Demo catalog.** A private model imported with ImportHubContent.\n",
                document=json.dumps(doc),
                keywords=["@task:text-generation", "@framework:huggingface", "@provider:acme"],
                created=_EPOCH + 20_001 + i,
                modified=_EPOCH + 20_001 + i,
            )
        )


def _partner_hub(store: HubStore, public: Hub, region: str) -> None:
    hub = store.put(
        Hub(
            name=PARTNER_HUB,
            region=region,
            account=PARTNER_ACCOUNT,
            display_name="Partner Models",
            description="Models curated by a partner account and shared with you through AWS RAM (demo).",
            keywords=["partner", "shared", "demo"],
            created=_EPOCH + 30_000,
            modified=_EPOCH + 30_000,
        )
    )
    for name in ("huggingface-text2text-flan-t5-base", "huggingface-llm-mistral-7b-instruct"):
        latest = public.latest("Model", name)
        if latest is not None:
            _reference(hub, latest, _EPOCH + 30_001)


def ram_resources(store: HubStore, region: str) -> list[dict[str, Any]]:
    """``ram:ListResources(resourceOwner=OTHER-ACCOUNTS, resourceType=sagemaker:Hub)`` items."""
    now = _EPOCH + 30_000
    return [
        {
            "arn": hub.arn,
            "type": "sagemaker:Hub",
            "resourceShareArn": f"arn:aws:ram:{region}:{hub.account}:resource-share/demo-{hub.name.lower()}",
            "status": "AVAILABLE",
            "creationTime": now,
            "lastUpdatedTime": now,
            "resourceRegionScope": "REGIONAL",
        }
        for hub in store.shared_hubs(region)
    ]


def _demo_notebooks(models: list[demo_entries.PublicModel]) -> dict[str, bytes]:
    """Tiny demo notebooks at the ``NotebookLocations`` keys of the documents."""
    out: dict[str, bytes] = {}
    for m in models:
        for book in m.document.get("NotebookLocations", {}).get("DemoNotebooks", []):
            key = book["S3Uri"].split("/", 3)[3]
            if key in out:
                continue
            nb = {
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {},
                "cells": [
                    {
                        "cell_type": "markdown",
                        "id": "demo",
                        "metadata": {},
                        "source": f"# {book['Title']} (demo notebook)\n\nServed by the jumpstart-lab local service.",
                    }
                ],
            }
            out[key] = json.dumps(nb).encode()
    return out


def now() -> float:
    return time.time()
