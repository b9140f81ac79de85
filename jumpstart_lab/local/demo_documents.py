"""Hub documents of the demo public hub, built from the SageMaker SDK test fixtures in ``data/``.

``hub-document-llm.json`` is sagemaker-core's Llama-2-13b-f document: text generation models reuse it with
the model id substituted; other families get a smaller document assembled from family defaults
(``demo_families.py``). Every document validates against sagemaker-core's ``HubContentDocument`` (tested),
and each model's search keywords are derived from its document (``keywords.py``).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from .demo_entries import (
    DEMO_NOTE,
    ECR_ACCOUNT,
    FIXTURE_MODEL_ID,
    MARKETPLACE_ACCOUNT,
    ModelEntry,
    PublicModel,
    content_bucket,
    data_text,
    eula_uri,
    gated_bucket,
    slug,
)
from .demo_families import FAMILY, HYPERPARAMETERS, TRAINING_KEYS
from .keywords import search_keywords


def _image(region: str, image: str) -> str:
    return f"{ECR_ACCOUNT}.dkr.ecr.{region}.amazonaws.com/{image}"


def _version_shift(version: str, latest: str) -> str:
    """Artifact folder version: the latest model version ships v1.1.0 artifacts, older ones v1.0.0."""
    return "v1.1.0" if version == latest else "v1.0.0"


def _variant_family(instance_type: str) -> str:
    return instance_type.split(".")[1]


def _predictor_specs() -> dict[str, Any]:
    return {
        "DefaultContentType": "application/json",
        "SupportedContentTypes": ["application/json"],
        "DefaultAcceptType": "application/json",
        "SupportedAcceptTypes": ["application/json"],
    }


def _notebooks(region: str, family: str, trainable: bool) -> dict[str, Any]:
    base = f"s3://{content_bucket(region)}/pmm-notebooks"
    books = [{"Title": "Deploy", "IsDefault": True, "S3Uri": f"{base}/pmm-notebook-model-hub-{family}-deploy.ipynb"}]
    if trainable:
        books.append(
            {
                "Title": "Fine-Tune",
                "IsDefault": False,
                "S3Uri": f"{base}/pmm-notebook-model-hub-{family}-fine-tune.ipynb",
            }
        )
    return {"DemoNotebook": books[0]["S3Uri"], "DemoNotebooks": books}


def _capabilities(entry: ModelEntry) -> list[str]:
    caps = []
    if entry.trainable:
        caps += ["TRAINING", "FINE_TUNING", "VALIDATION", "CUSTOMIZATION"]
    if entry.task == "Text Generation":
        caps.append("SAGEMAKER_EVALUATE")
        if not entry.proprietary and entry.provider in ("meta", "amazon", "mistral"):
            caps.append("BEDROCK_CONSOLE")
    return caps


def _recipes(entry: ModelEntry) -> list[dict[str, Any]]:
    """Fine-tuning and evaluation recipes of a text generation model (the real hub's RecipeCollection)."""
    if entry.task != "Text Generation" or entry.proprietary:
        return []
    recipes = [{"Type": "Evaluation", "CustomizationTechnique": "General", "Strategy": "Benchmark"}]
    if entry.trainable:
        recipes[:0] = [
            {"Type": "FineTuning", "CustomizationTechnique": "SFT", "Strategy": "LoRA"},
            {"Type": "FineTuning", "CustomizationTechnique": "SFT", "Strategy": "Full"},
            {"Type": "FineTuning", "CustomizationTechnique": "DPO", "Strategy": "LoRA"},
        ]
    return recipes


def _llm_document(entry: ModelEntry, version: str, region: str) -> dict[str, Any]:
    """Text generation: sagemaker-core's Llama-2-13b-f fixture with the id, region and flags replaced."""
    text = data_text("hub-document-llm.json").replace("us-east-1", region)
    if entry.id != FIXTURE_MODEL_ID:
        text = text.replace(FIXTURE_MODEL_ID, entry.id)
    doc: dict[str, Any] = json.loads(text)
    if version != entry.latest:
        doc["HostingArtifactUri"] = doc["HostingArtifactUri"].replace("/v1.1.0/", "/v1.0.0/")
    tgi = doc["InferenceConfigComponents"]["tgi"]
    # Top-level hosting fields mirror the default (tgi) inference config, as public documents do.
    for key in (
        "HostingEcrUri",
        "HostingInstanceTypeVariants",
        "DefaultPayloads",
        "SageMakerSdkPredictorSpecifications",
    ):
        if key in tgi:
            doc[key] = copy.deepcopy(tgi[key])
    if not entry.gated:
        doc.pop("HostingEulaUri", None)
        doc["GatedBucket"] = False
        doc["HostingArtifactUri"] = doc["HostingArtifactUri"].replace(gated_bucket(region), content_bucket(region))
        _ungate_components(doc, region)
    else:
        doc["HostingEulaUri"] = eula_uri(entry, region)
    if not entry.trainable:
        _drop_training(doc)
    return doc


def _ungate_components(doc: dict[str, Any], region: str) -> None:
    for comp in doc.get("InferenceConfigComponents", {}).values():
        if isinstance(comp.get("HostingArtifactUri"), str):
            comp["HostingArtifactUri"] = comp["HostingArtifactUri"].replace(
                gated_bucket(region), content_bucket(region)
            )
        comp.pop("HostingEulaUri", None)


def _drop_training(doc: dict[str, Any]) -> None:
    for key in TRAINING_KEYS:
        doc.pop(key, None)
    doc.update(
        TrainingSupported=False,
        FineTuningSupported=False,
        ValidationSupported=False,
        IncrementalTrainingSupported=False,
    )


def _generic_document(entry: ModelEntry, version: str, region: str) -> dict[str, Any]:
    """Documents for non-LLM families (and synthetic models): assembled from family defaults."""
    fam = FAMILY[entry.family]
    bucket = gated_bucket(region) if entry.gated else content_bucket(region)
    art_version = _version_shift(version, entry.latest)
    image = _image(region, fam["image"])
    default_infer, supported_infer = fam["infer"]
    doc: dict[str, Any] = {
        "Url": entry.url,
        "MinSdkVersion": "2.189.0",
        "ModelTypes": ["OPEN_WEIGHTS"],
        "TrainingSupported": entry.trainable,
        "IncrementalTrainingSupported": False,
        "HostingEcrUri": image,
        "HostingArtifactUri": f"s3://{bucket}/{entry.framework}-infer/{entry.id}/artifacts/inference-prepack/{art_version}/",
        "HostingArtifactS3DataType": "S3Prefix",
        "HostingArtifactCompressionType": "None",
        "HostingScriptUri": f"s3://{content_bucket(region)}/source-directory-tarballs/{entry.framework}/inference/"
        f"{slug(entry.task)}/v1.0.0/sourcedir.tar.gz",
        "HostingUseScriptUri": False,
        "InferenceEnvironmentVariables": [
            {
                "Name": "SAGEMAKER_PROGRAM",
                "Type": "text",
                "Default": "inference.py",
                "Scope": "container",
                "RequiredForModelClass": True,
            },
            {
                "Name": "SAGEMAKER_MODEL_SERVER_TIMEOUT",
                "Type": "text",
                "Default": "3600",
                "Scope": "container",
                "RequiredForModelClass": False,
            },
        ],
        "InferenceDependencies": [],
        "DefaultInferenceInstanceType": default_infer,
        "SupportedInferenceInstanceTypes": list(supported_infer),
        "InferenceEnableNetworkIsolation": True,
        "HostingInstanceTypeVariants": {
            "Variants": {_variant_family(t): {"Properties": {"ImageUri": image}} for t in supported_infer}
        },
        "SageMakerSdkPredictorSpecifications": _predictor_specs(),
        "ResourceNameBase": entry.id[:50],
        "GatedBucket": entry.gated,
        "Dependencies": [],
        "DynamicContainerDeploymentSupported": False,
    }
    if fam["payload"] is not None:
        payload: dict[str, Any] = {"ContentType": "application/json", "Body": fam["payload"]}
        if fam["prompt_key"]:
            payload["PromptKey"] = fam["prompt_key"]
        if fam["output_keys"]:
            payload["OutputKeys"] = fam["output_keys"]
        doc["DefaultPayloads"] = {"Example": payload}
    if entry.gated:
        doc["HostingEulaUri"] = eula_uri(entry, region)
    if entry.trainable:
        default_train, supported_train = fam["train"]
        train_image = _image(
            region, "huggingface-pytorch-training:2.0.0-transformers4.28.1-gpu-py310-cu118-ubuntu20.04"
        )
        doc.update(
            Hyperparameters=copy.deepcopy(HYPERPARAMETERS),
            TrainingEcrUri=train_image,
            TrainingArtifactUri=f"s3://{bucket}/{entry.framework}-training/train-{entry.id}.tar.gz",
            TrainingScriptUri=f"s3://{content_bucket(region)}/source-directory-tarballs/{entry.framework}/"
            f"transfer_learning/{slug(entry.task)}/v1.0.0/sourcedir.tar.gz",
            TrainingMetrics=[{"Name": f"{entry.framework}:eval-loss", "Regex": "'eval_loss': ([0-9\\.]+)"}],
            TrainingDependencies=[],
            DefaultTrainingInstanceType=default_train,
            SupportedTrainingInstanceTypes=list(supported_train),
            TrainingVolumeSize=256,
            TrainingEnableNetworkIsolation=True,
            DefaultTrainingDatasetUri=f"s3://{content_bucket(region)}/training-datasets/{slug(entry.task)}/train/",
            FineTuningSupported=True,
            ValidationSupported=True,
            TrainingInstanceTypeVariants={
                "Variants": {_variant_family(t): {"Properties": {"ImageUri": train_image}} for t in supported_train}
            },
        )
    else:
        doc.update(FineTuningSupported=False, ValidationSupported=False)
    return doc


def _proprietary_document(entry: ModelEntry, version: str, region: str) -> dict[str, Any]:
    """AWS Marketplace model: deployed from a model package after a Marketplace subscription."""
    assert entry.proprietary is not None
    fam = FAMILY[entry.family]
    package = entry.proprietary["package"]
    arn = f"arn:aws:sagemaker:{region}:{MARKETPLACE_ACCOUNT}:model-package/{package}"
    product = "prod-" + slug(entry.id).replace("-", "")[:12]
    listing = "lst-" + slug(package).replace("-", "")[:12]
    default_infer, supported_infer = fam["infer"]
    doc: dict[str, Any] = {
        "Url": entry.url,
        "MinSdkVersion": "2.189.0",
        "ModelTypes": ["PROPRIETARY"],
        "TrainingSupported": False,
        "IncrementalTrainingSupported": False,
        "FineTuningSupported": False,
        "ValidationSupported": False,
        "HostingModelPackageArn": arn,
        "ModelSubscriptionLink": f"https://aws.amazon.com/marketplace/ai/procurement?productId={product}",
        "ListingId": listing,
        "ProductId": product,
        "MarketplaceVersion": entry.proprietary["marketplace_version"],
        "DefaultInferenceInstanceType": default_infer,
        "SupportedInferenceInstanceTypes": list(supported_infer),
        "HostingInstanceTypeVariants": {
            "Variants": {
                _variant_family(t): {"Properties": {"ModelPackageArn": arn, "ListingId": listing, "ProductId": product}}
                for t in supported_infer
            }
        },
        "SageMakerSdkPredictorSpecifications": _predictor_specs(),
        "ResourceNameBase": entry.id[:50],
        "InferenceEnableNetworkIsolation": True,
        "Dependencies": [],
    }
    if fam["payload"] is not None:
        doc["DefaultPayloads"] = {"Example": {"ContentType": "application/json", "Body": fam["payload"]}}
    return doc


def build_document(entry: ModelEntry, version: str, region: str) -> dict[str, Any]:
    """The HubContentDocument (as a dict) of one model version."""
    if entry.proprietary:
        doc = _proprietary_document(entry, version, region)
    elif entry.family == "llm" and not entry.synthetic:
        doc = _llm_document(entry, version, region)
    else:
        doc = _generic_document(entry, version, region)
    doc.update(
        Provider=entry.provider,
        Task=entry.task,
        Framework=entry.framework,
        License=entry.license,
        Url=entry.url,
        ResourceNameBase=entry.id[:50],
        Capabilities=_capabilities(entry),
        DataType=FAMILY[entry.family]["data_type"],
        InputModalities=list(FAMILY[entry.family]["inputs"]),
        OutputModalities=list(FAMILY[entry.family]["outputs"]),
        ModelSize=entry.model_size,
        Languages=list(entry.languages),
    )
    recipes = _recipes(entry)
    if recipes:
        doc["RecipeCollection"] = recipes
    if entry.family == "llm":
        doc["ContextWindow"] = entry.context_window or "4096"
    if not entry.proprietary:
        doc["NotebookLocations"] = _notebooks(region, slug(entry.task), entry.trainable)
    if version != entry.latest:
        doc["MinSdkVersion"] = "2.180.0"
    return doc


def describe_text(entry: ModelEntry) -> tuple[str, str]:
    """(HubContentDescription, HubContentMarkdown), both labelled as demo content."""
    kind = "Proprietary AWS Marketplace model" if entry.proprietary else "Open weights model"
    description = f"{entry.name} by {entry.provider}: {entry.task.lower()}. {DEMO_NOTE}"
    lines = [
        f"# {entry.name}",
        "",
        f"> **Demo catalog.** {DEMO_NOTE}",
        "",
        f"{kind} from **{entry.provider}** for *{entry.task}*.",
        "",
        "| | |",
        "|---|---|",
        f"| Model id | `{entry.id}` |",
        f"| Framework | {entry.framework} |",
        f"| License | {entry.license} |",
        f"| Fine-tuning | {'supported' if entry.trainable else 'not supported'} |",
        f"| EULA | {'must be accepted before deploy or training' if entry.gated else 'none'} |",
        "",
        f"More information: {entry.url}",
    ]
    return description, "\n".join(lines)


def public_models(entries: list[ModelEntry], region: str) -> list[PublicModel]:
    """Every (entry, version) of the public hub with its document and browse texts."""
    out = []
    for entry in entries:
        description, markdown = describe_text(entry)
        for version in entry.versions:
            document = build_document(entry, version, region)
            out.append(
                PublicModel(
                    entry=entry,
                    version=version,
                    document=document,
                    display_name=entry.name,
                    description=description,
                    markdown=markdown,
                    keywords=search_keywords(document),
                )
            )
    return out


