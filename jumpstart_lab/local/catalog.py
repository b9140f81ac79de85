"""The demo catalog: model entries (``data/catalog.json``) turned into hub documents and S3 specs.

Everything here is deterministic and built from the SageMaker SDK test fixtures copied into
``data/`` (``hub-document-llm.json`` is sagemaker-core's Llama-2-13b-f document, the ``spec-*.json``
files are S3 specs). Text generation models reuse the fixture document with the model id
substituted; other families get a smaller document assembled from family defaults. Every
document validates against sagemaker-core's ``HubContentDocument`` (tested).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

DEMO_NOTE = "Demo catalog entry served by the jumpstart-lab local service; not a real JumpStart listing."
FIXTURE_MODEL_ID = "meta-textgeneration-llama-2-13b-f"
LLM_SPEC_MODEL_ID = "meta-textgeneration-llama-3-1-70b"
ECR_ACCOUNT = "763104351884"
MARKETPLACE_ACCOUNT = "594846645681"


@dataclass(frozen=True)
class ModelEntry:
    """One public model of the demo catalog (all versions)."""

    id: str
    name: str
    provider: str
    task: str
    framework: str
    license: str
    family: str
    versions: tuple[str, ...]
    eula: str | None = None
    trainable: bool = False
    url: str = ""
    proprietary: dict[str, str] | None = None
    synthetic: bool = False

    @property
    def gated(self) -> bool:
        return self.eula is not None

    @property
    def latest(self) -> str:
        return self.versions[-1]


@dataclass
class PublicModel:
    """One (model, version) of the public hub, ready to load into the hub store."""

    entry: ModelEntry
    version: str
    document: dict[str, Any]
    display_name: str
    description: str
    markdown: str
    keywords: list[str] = field(default_factory=list)


def content_bucket(region: str) -> str:
    return f"jumpstart-cache-prod-{region}"


def gated_bucket(region: str) -> str:
    return f"jumpstart-private-cache-prod-{region}"


def eula_key(file_name: str) -> str:
    """S3 key of a EULA text in the content bucket (Gemma terms live under ``terms/``)."""
    folder = "terms" if "Terms" in file_name else "eula"
    return f"fmhMetadata/{folder}/{file_name}"


def eula_uri(entry: ModelEntry, region: str) -> str | None:
    return f"s3://{content_bucket(region)}/{eula_key(entry.eula)}" if entry.eula else None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@cache
def _data(name: str) -> str:
    return resources.files("jumpstart_lab.local").joinpath("data", name).read_text(encoding="utf-8")


def _data_json(name: str, replace: tuple[str, str] | None = None) -> Any:
    """A fresh (mutable) copy of a data file; parsing the cached text is faster than deepcopy."""
    text = _data(name)
    if replace is not None:
        text = text.replace(*replace)
    return json.loads(text)


def load_entries() -> list[ModelEntry]:
    """The curated public models from ``data/catalog.json``."""
    entries = []
    for raw in _data_json("catalog.json")["models"]:
        entries.append(ModelEntry(**{**raw, "versions": tuple(raw["versions"])}))
    return entries


_SYNTH_FAMILIES = (
    ("llm", "Text Generation"),
    ("text2text", "Text2Text Generation"),
    ("embedding", "Text Embedding"),
    ("classification", "Text Classification"),
    ("vision", "Image Classification"),
    ("tabular", "Tabular Classification"),
    ("txt2img", "Text To Image"),
)
_SYNTH_PROVIDERS = ("huggingface", "meta", "amazon", "stabilityai", "mistral", "cohere", "ai21")


def synthetic_entries(count: int) -> list[ModelEntry]:
    """``count`` extra open models for scale tests (``JUMPSTART_LAB_LOCAL_EXTRA_MODELS``)."""
    entries = []
    for i in range(count):
        family, task = _SYNTH_FAMILIES[i % len(_SYNTH_FAMILIES)]
        provider = _SYNTH_PROVIDERS[i % len(_SYNTH_PROVIDERS)]
        entries.append(
            ModelEntry(
                id=f"demo-{slug(task)}-synthetic-{i:05d}",
                name=f"Synthetic {task} model {i}",
                provider=provider,
                task=task,
                framework="huggingface",
                license="Apache 2.0",
                family=family,
                versions=("1.0.0",),
                trainable=i % 3 == 0,
                url="https://example.com/jumpstart-lab-demo",
                synthetic=True,
            )
        )
    return entries


# --- family defaults -------------------------------------------------------------------------

_FAMILY: dict[str, dict[str, Any]] = {
    "llm": {
        "data_type": "text",
        "image": "huggingface-pytorch-tgi-inference:2.1.1-tgi2.0.0-gpu-py310-cu121-ubuntu22.04",
        "infer": ("ml.g5.2xlarge", ["ml.g5.2xlarge", "ml.g5.12xlarge", "ml.g5.48xlarge", "ml.p4d.24xlarge"]),
        "train": ("ml.g5.12xlarge", ["ml.g5.12xlarge", "ml.g5.24xlarge", "ml.g5.48xlarge", "ml.p4d.24xlarge"]),
        "payload": {
            "inputs": "What is a model hub? Answer in one sentence.",
            "parameters": {"max_new_tokens": 64, "temperature": 0.6},
        },
        "prompt_key": "inputs",
        "output_keys": {"generated_text": "[0].generated_text"},
    },
    "text2text": {
        "data_type": "text",
        "image": "huggingface-pytorch-tgi-inference:2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu20.04",
        "infer": ("ml.g5.2xlarge", ["ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g5.8xlarge"]),
        "train": ("ml.p3.16xlarge", ["ml.p3.8xlarge", "ml.p3.16xlarge", "ml.g5.24xlarge"]),
        "payload": {"inputs": "Translate to German: My name is Arthur", "parameters": {"max_new_tokens": 50}},
        "prompt_key": "inputs",
        "output_keys": {"generated_text": "[0].generated_text"},
    },
    "embedding": {
        "data_type": "text",
        "image": "huggingface-pytorch-inference:1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04",
        "infer": ("ml.g5.xlarge", ["ml.g5.xlarge", "ml.g5.2xlarge", "ml.c5.2xlarge"]),
        "train": ("ml.g5.2xlarge", ["ml.g5.2xlarge", "ml.p3.2xlarge"]),
        "payload": {"text_inputs": ["A sentence to embed."]},
        "prompt_key": "text_inputs",
        "output_keys": {"embedding": "embedding"},
    },
    "classification": {
        "data_type": "text",
        "image": "huggingface-pytorch-inference:1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04",
        "infer": ("ml.m5.xlarge", ["ml.m5.xlarge", "ml.m5.2xlarge", "ml.g5.xlarge"]),
        "train": ("ml.p3.2xlarge", ["ml.p3.2xlarge", "ml.g5.2xlarge"]),
        "payload": {"inputs": "The movie was wonderful."},
        "prompt_key": "inputs",
        "output_keys": {"label": "predicted_label"},
    },
    "txt2img": {
        "data_type": "image",
        "image": "huggingface-pytorch-inference:1.10.2-transformers4.17.0-gpu-py38-cu113-ubuntu20.04",
        "infer": ("ml.g5.2xlarge", ["ml.g5.2xlarge", "ml.g5.4xlarge", "ml.p3.2xlarge"]),
        "train": ("ml.g5.2xlarge", ["ml.g5.2xlarge", "ml.p3.2xlarge"]),
        "payload": {"prompt": "a photo of an astronaut riding a horse", "num_inference_steps": 20},
        "prompt_key": "prompt",
        "output_keys": {},
    },
    "asr": {
        "data_type": "audio",
        "image": "huggingface-pytorch-inference:2.0.0-transformers4.28.1-gpu-py310-cu118-ubuntu20.04",
        "infer": ("ml.g5.2xlarge", ["ml.g5.2xlarge", "ml.g5.4xlarge"]),
        "train": ("ml.g5.2xlarge", ["ml.g5.2xlarge"]),
        "payload": {"audio_input": "<hex-encoded audio>", "language": "english"},
        "prompt_key": None,
        "output_keys": {},
    },
    "vision": {
        "data_type": "image",
        "image": "pytorch-inference:1.10.0-cpu-py38",
        "infer": ("ml.m5.large", ["ml.m5.large", "ml.m5.xlarge", "ml.g4dn.xlarge", "ml.p3.2xlarge"]),
        "train": ("ml.p3.2xlarge", ["ml.p3.2xlarge", "ml.g4dn.xlarge", "ml.g5.2xlarge"]),
        "payload": None,
        "prompt_key": None,
        "output_keys": {},
    },
    "tabular": {
        "data_type": "tabular",
        "image": "sagemaker-xgboost:1.7-1",
        "infer": ("ml.m5.large", ["ml.m5.large", "ml.m5.xlarge", "ml.c5.2xlarge"]),
        "train": ("ml.m5.xlarge", ["ml.m5.xlarge", "ml.m5.2xlarge", "ml.c5.2xlarge"]),
        "payload": None,
        "prompt_key": None,
        "output_keys": {},
    },
}

_HYPERPARAMETERS = [
    {"Name": "epochs", "Type": "int", "Default": 3, "Min": 1, "Max": 1000, "Scope": "algorithm"},
    {"Name": "learning_rate", "Type": "float", "Default": 0.0001, "Min": 1e-08, "Max": 1, "Scope": "algorithm"},
    {"Name": "batch_size", "Type": "int", "Default": 8, "Min": 1, "Max": 1024, "Scope": "algorithm"},
    {
        "Name": "sagemaker_submit_directory",
        "Type": "text",
        "Default": "/opt/ml/input/data/code/sourcedir.tar.gz",
        "Scope": "container",
    },
    {"Name": "sagemaker_program", "Type": "text", "Default": "transfer_learning.py", "Scope": "container"},
]


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
        caps += ["TRAINING", "FINE_TUNING", "VALIDATION"]
    if entry.task == "Text Generation":
        caps.append("SAGEMAKER_EVALUATE")
    return caps


def _llm_document(entry: ModelEntry, version: str, region: str) -> dict[str, Any]:
    """Text generation: sagemaker-core's Llama-2-13b-f fixture with the id, region and flags replaced."""
    text = _data("hub-document-llm.json").replace("us-east-1", region)
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


_TRAINING_KEYS = (
    "Hyperparameters",
    "TrainingScriptUri",
    "TrainingArtifactUri",
    "TrainingEcrUri",
    "TrainingMetrics",
    "TrainingDependencies",
    "DefaultTrainingInstanceType",
    "SupportedTrainingInstanceTypes",
    "TrainingVolumeSize",
    "TrainingEnableNetworkIsolation",
    "DefaultTrainingDatasetUri",
    "TrainingInstanceTypeVariants",
    "ContextualHelp",
    "TrainingConfigs",
    "TrainingConfigComponents",
    "TrainingConfigRankings",
    "MaxRuntimeInSeconds",
    "EncryptInterContainerTraffic",
    "DisableOutputCompression",
)


def _drop_training(doc: dict[str, Any]) -> None:
    for key in _TRAINING_KEYS:
        doc.pop(key, None)
    doc.update(
        TrainingSupported=False,
        FineTuningSupported=False,
        ValidationSupported=False,
        IncrementalTrainingSupported=False,
    )


def _generic_document(entry: ModelEntry, version: str, region: str) -> dict[str, Any]:
    """Documents for non-LLM families (and synthetic models): assembled from family defaults."""
    fam = _FAMILY[entry.family]
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
            Hyperparameters=copy.deepcopy(_HYPERPARAMETERS),
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
    fam = _FAMILY[entry.family]
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
        DataType=_FAMILY[entry.family]["data_type"],
    )
    if not entry.proprietary:
        doc["NotebookLocations"] = _notebooks(region, slug(entry.task), entry.trainable)
    if version != entry.latest:
        doc["MinSdkVersion"] = "2.180.0"
    return doc


def keywords(entry: ModelEntry) -> list[str]:
    words = [f"@task:{slug(entry.task)}", f"@framework:{entry.framework}", f"@provider:{entry.provider}", entry.task]
    if entry.proprietary:
        words.append(f"@marketplace-version:{entry.proprietary['marketplace_version']}")
    if entry.gated:
        words.append("Gated")
    return words


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
            out.append(
                PublicModel(
                    entry=entry,
                    version=version,
                    document=build_document(entry, version, region),
                    display_name=entry.name,
                    description=description,
                    markdown=markdown,
                    keywords=keywords(entry),
                )
            )
    return out


# --- S3 content bucket: EULA texts, manifests, specs ------------------------------------------


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
        spec = _data_json("spec-proprietary.json")
        arn = f"arn:aws:sagemaker:{region}:{MARKETPLACE_ACCOUNT}:model-package/{entry.proprietary['package']}"
        spec.update(model_id=entry.id, version=version, hosting_model_package_arns={region: arn})
        return spec
    if entry.family == "llm":
        spec = _data_json("spec-llm.json", (LLM_SPEC_MODEL_ID, entry.id))
    elif entry.family == "text2text":
        spec = _data_json("spec-text2text.json", ("huggingface-text2text-flan-t5-base", entry.id))
    else:
        spec = _data_json("spec-generic.json")
    fam = _FAMILY[entry.family]
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
