"""The facts a notebook template needs, read from a model document (plain values only)."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import validation
from ..deployments import payloads
from ..errors import InvalidInput

if TYPE_CHECKING:
    from ..browse.models import ModelDocument
    from ..eula.models import Acceptance

LOCAL_ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerRole"
#: Where a generated notebook runs: your AWS account, the local demo service (found at run time, so the
#: notebook still runs after JupyterLab restarted the service on another port), or the local service only
#: when there are no AWS credentials (the example notebooks in ``notebooks/``).
RUN_ON = ("aws", "local", "aws-or-local")
# Task families the Evaluate notebook tells apart (prompt set and metric), and the request each sends when the
# hub document has no example payload. "text-generation" is also the family of a document that names no task.
TASK_FAMILIES = ("text-generation", "text2text", "embedding", "classification", "other")
_FAMILY_WORDS = (
    ("embedding", ("embedding",)),
    ("text2text", ("text2text", "summarization", "translation", "paraphrase")),
    ("classification", ("text classification", "sentiment")),
    ("text-generation", ("text generation", "textgeneration", "llm", "chat", "conversational")),
)
FALLBACK_BODIES: dict[str, Any] = {
    "text-generation": {"inputs": "What is Amazon SageMaker?", "parameters": {"max_new_tokens": 64}},
    "text2text": {"inputs": "Translate English to German: How old are you?", "parameters": {"max_new_tokens": 64}},
    "embedding": {"text_inputs": ["Amazon SageMaker is a machine learning service."]},
    "classification": {"inputs": "I loved this movie, it was wonderful."},
    "other": {"inputs": "What is Amazon SageMaker?", "parameters": {"max_new_tokens": 64}},
}
_PROMPT_KEYS = ("inputs", "text_inputs", "prompt", "text", "input")


@dataclass(frozen=True)
class NotebookContext:
    """Everything a template may print; values are rendered as Python literals or escaped Markdown."""

    action: str
    sdk: str
    region: str
    hub_name: str
    hub_arn: str
    public_hub: bool
    model_id: str
    version: str
    content_type: str
    hub_content_arn: str
    display_name: str
    description: str
    license: str | None
    task: str | None
    provider: str | None
    gated: bool
    eula_uri: str | None
    eula_accepted: bool  # a recorded acceptance of this model version was passed in: the notebook sets accept_eula=True
    accepted_by: str | None
    accepted_at: str | None
    accepted_sha256: str | None
    instance_type: str | None
    instance_types: list[str]
    training_instance_type: str | None
    training_instance_types: list[str]
    payload: dict[str, Any]  # body, content_type, accept, as_text, alias, prompt_key, output_path
    payload_is_default: bool
    hyperparameters: list[dict[str, Any]]
    train_data_uri: str | None
    train_data_help: list[str]
    endpoint_name: str | None
    endpoint_prefix: str
    deploy_path: str  # "v3", "v2" or "boto3"
    train_path: str  # "v3", "v2" or "boto3"
    container: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    network_isolation: bool = True
    run_on: str = "aws"  # one of RUN_ON
    local_role_arn: str = LOCAL_ROLE_ARN
    task_family: str = "text-generation"  # one of TASK_FAMILIES
    evaluation: dict[str, Any] = field(default_factory=dict)  # what the Evaluate notebook sends and which SDK step fits
    # On-demand USD per instance-hour from the AWS Price List (None: unknown), as the notebook states them
    instance_price: float | None = None  # hosting, of instance_type
    training_price: float | None = None  # training, of training_instance_type
    demo_prices: bool = False  # the local demo service's figures
    marketplace: bool = False  # an AWS Marketplace model: its software price comes on top


def build_context(
    doc: ModelDocument,
    *,
    action: str,
    sdk: str,
    region: str,
    acceptance: Acceptance | None,
    endpoint_name: str | None,
    run_on: str = "aws",
) -> NotebookContext:
    d: dict[str, Any] = doc.document or {}
    public = doc.hub_name == validation.PUBLIC_HUB
    imported = doc.content_type == "Model" and not public
    # Imported hub Models: sagemaker 3.27's JumpStart path only resolves ids of the public catalog (reference
    # §4.5) and v2's JumpStartModel / JumpStartEstimator need SDK metadata (predictor specs, training script
    # settings) such documents need not carry: plain boto3 built from the document, for deploy and train.
    deploy_path = train_path = "boto3" if imported else sdk
    task = _text(d.get("Task"))
    family = task_family(task, d)
    acceptance = acceptance if _accepts(acceptance, doc) else None
    payload = invoke_payload(d, family)
    return NotebookContext(
        action=action,
        sdk=sdk,
        region=region,
        hub_name=doc.hub_name,
        hub_arn=doc.hub_arn,
        public_hub=public,
        model_id=doc.model_id,
        version=doc.version,
        content_type=doc.content_type,
        hub_content_arn=doc.hub_content_arn,
        display_name=doc.display_name or doc.model_id,
        description=_text(doc.description) or "",
        license=_text(d.get("License")),
        task=task,
        provider=_text(d.get("Provider")),
        gated=bool(doc.gated),
        eula_uri=doc.eula_uri,
        eula_accepted=acceptance is not None,
        accepted_by=acceptance.username if acceptance else None,
        accepted_at=acceptance.accepted_at.isoformat(timespec="seconds") if acceptance else None,
        accepted_sha256=acceptance.sha256 if acceptance else None,
        instance_type=_instance(d.get("DefaultInferenceInstanceType")),
        instance_types=_instances(d.get("SupportedInferenceInstanceTypes")),
        training_instance_type=_instance(d.get("DefaultTrainingInstanceType")),
        training_instance_types=_instances(d.get("SupportedTrainingInstanceTypes")),
        payload=payload,
        payload_is_default=payload["alias"] is not None,
        hyperparameters=_hyperparameters(d.get("Hyperparameters")),
        train_data_uri=_s3(d.get("DefaultTrainingDatasetUri")),
        train_data_help=_help(d.get("ContextualHelp")),
        endpoint_name=endpoint_name,
        endpoint_prefix=_prefix(doc.model_id),
        deploy_path=deploy_path,
        train_path=train_path,
        container=_container(doc, d),
        training=_training(doc, d) if train_path == "boto3" else {},
        network_isolation=bool(d.get("InferenceEnableNetworkIsolation", True)),
        run_on=_run_on(run_on),
        task_family=family,
        evaluation=_evaluation(payload, family, sdk=sdk, imported=imported, task=task),
    )


def _run_on(value: str) -> str:
    if value not in RUN_ON:
        raise ValueError(f"run_on must be one of {RUN_ON}, not {value!r}")
    return value


def _accepts(acceptance: Acceptance | None, doc: ModelDocument) -> bool:
    """Only an acceptance recorded for this very model version (hub, id, version) lets a notebook accept the EULA."""
    return acceptance is not None and (acceptance.hub_arn, acceptance.model_id, acceptance.version) == (
        doc.hub_arn,
        doc.model_id,
        doc.version,
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _instance(value: Any) -> str | None:
    return value if isinstance(value, str) and validation.INSTANCE_TYPE.fullmatch(value) else None


def _instances(value: Any) -> list[str]:
    return [v for v in value if _instance(v)] if isinstance(value, list) else []


def _s3(value: Any) -> str | None:
    return value if isinstance(value, str) and validation.S3_URI.fullmatch(value) else None


def _prefix(model_id: str) -> str:
    """A short endpoint-name prefix; the notebook appends a timestamp when it runs."""
    return re.sub(r"-+", "-", model_id[:40]).strip("-") or "jumpstart"


def invoke_payload(d: dict[str, Any], family: str = "text-generation") -> dict[str, Any]:
    """The request a notebook sends: with a ``DefaultPayloads`` entry, exactly what the deployments API's default
    invoke sends (same example, keys converted like the SDK, same content type and accept type); without one, a
    generic request for the task family (``alias`` None).

    ``as_text``: the body is sent as UTF-8 text rather than JSON-encoded. ``prompt_key``: the body's field that
    holds the prompt (None if unknown). ``output_path``: a JMESPath to the generated text in the answer.
    """
    alias, entry, body = None, {}, None
    try:
        alias, entry = payloads.default_example(d)
        body, _ = payloads.default_payload(d)
    except (InvalidInput, AttributeError, TypeError):  # no example, or one that is not an object
        alias = None
    if body is None:  # no usable example: the deployments API would refuse a default invoke
        alias, entry, body = None, {}, copy.deepcopy(FALLBACK_BODIES.get(family, FALLBACK_BODIES["other"]))
    request = payloads.encode(d, None if alias is not None else body, None)
    entry = entry if isinstance(entry, dict) else {}
    return {
        "alias": alias,
        "body": _jsonable(body),
        "content_type": request.content_type,
        "accept": request.accept,
        "as_text": isinstance(body, str) and not payloads.is_json(request.content_type),
        "prompt_key": _prompt_key(body, entry.get("PromptKey")),
        "output_path": _output_path(entry.get("OutputKeys")),
    }


def _evaluation(payload: dict[str, Any], family: str, *, sdk: str, imported: bool, task: str | None) -> dict[str, Any]:
    """The Evaluate notebook's request template (the default payload with the prompt put in its ``prompt_key``,
    else a generic request for the task family) and why the SDK evaluation step does not apply, if it does not."""
    body, key, as_text = payload["body"], payload["prompt_key"], payload["as_text"]
    source = "example" if payload["alias"] is not None else "generic"
    if family != "other" and isinstance(body, dict) and key is None:  # an example without a prompt field we know
        body, as_text, source = copy.deepcopy(FALLBACK_BODIES[family]), False, "generic-no-prompt-field"
        key = _prompt_key(body, None)
    skip = None  # why the SDK evaluation step does not fit this model
    if family not in ("text-generation", "text2text"):
        skip = f"it evaluates generative text models and this model's task is {task or family}"
    elif sdk == "v2" and imported:
        skip = "fmeval only knows public JumpStart model ids and this model was imported into a private hub"
    return {
        "body": body,
        "prompt_key": key,
        "as_text": as_text,
        "source": source,  # "example", "generic" (no example payload) or "generic-no-prompt-field"
        "sdk_skip": skip,
    }


def _prompt_key(body: Any, declared: Any) -> str | None:
    """The top-level body field holding the prompt: the entry's ``PromptKey`` (matched like the converted keys),
    else a usual name."""
    if not isinstance(body, dict):
        return None

    def squash(key: Any) -> str:
        return str(key).replace("_", "").lower()

    wanted = [squash(declared)] if isinstance(declared, str) and declared else []
    wanted += [squash(k) for k in _PROMPT_KEYS]
    for want in wanted:
        for key in body:
            if isinstance(key, str) and squash(key) == want:
                return key
    return None


def _output_path(output_keys: Any) -> str:
    if isinstance(output_keys, dict):
        for key, path in output_keys.items():
            if str(key).replace("_", "").lower() == "generatedtext" and isinstance(path, str) and path:
                return path
    return "[0].generated_text"


def _hyperparameters(value: Any) -> list[dict[str, Any]]:
    out = []
    for h in value if isinstance(value, list) else []:
        if not isinstance(h, dict) or not isinstance(h.get("Name"), str) or "Default" not in h:
            continue
        if h.get("Scope", "algorithm") != "algorithm":
            continue
        note = [str(h.get("Type", ""))]
        if "Min" in h and "Max" in h:
            note.append(f"{h['Min']} to {h['Max']}")
        elif "Min" in h or "Max" in h:
            note.append(f"min {h['Min']}" if "Min" in h else f"max {h['Max']}")
        if isinstance(h.get("Options"), list):
            note.append("one of " + ", ".join(map(str, h["Options"])))
        out.append({"name": h["Name"], "default": _jsonable(h["Default"]), "note": "; ".join(n for n in note if n)})
    return out


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _help(value: Any) -> list[str]:
    lines = []
    if isinstance(value, dict):
        for key in ("HubFormatTrainData", "HubDefaultTrainData"):
            lines += [s.strip() for s in value.get(key) or [] if isinstance(s, str) and s.strip()]
    return lines


def task_family(task: str | None, d: dict[str, Any]) -> str:
    """One of :data:`TASK_FAMILIES` from the document's ``Task``, else its search keywords; no task: text generation."""
    words = task or " ".join(str(k) for k in d.get("SearchKeywords", []) or [] if isinstance(k, str))
    words = re.sub(r"[-_:@]+", " ", words.lower())
    for family, needles in _FAMILY_WORDS:
        if any(n in words for n in needles):
            return family
    return "other" if task else "text-generation"


def _container(doc: ModelDocument, d: dict[str, Any]) -> dict[str, Any]:
    """CreateModel's PrimaryContainer for an imported hub Model, from its document."""
    env = {
        e["Name"]: str(e.get("Default", ""))
        for e in d.get("InferenceEnvironmentVariables") or []
        if isinstance(e, dict) and isinstance(e.get("Name"), str) and e.get("Scope", "container") == "container"
    }
    image = d.get("HostingEcrUri")
    variants_doc = d.get("HostingInstanceTypeVariants") or {}
    aliases = variants_doc.get("Aliases") or {}
    variants = variants_doc.get("Variants") or {}
    instance = _instance(d.get("DefaultInferenceInstanceType")) or ""
    family = instance.split(".")[1:2]
    for key in (instance, *family, "gpu", "cpu"):
        props = (variants.get(key) or {}).get("Properties") or {}
        uri = props.get("ImageUri")
        if isinstance(uri, str) and uri.startswith("$"):
            uri = aliases.get(uri[1:])
        if uri and not image:
            image = uri
        if key in (instance, *family) and isinstance(props.get("EnvironmentVariables"), dict):
            env.update({k: str(v) for k, v in props["EnvironmentVariables"].items()})
    source: dict[str, Any] = {
        "S3Uri": d.get("HostingArtifactUri"),
        "S3DataType": d.get("HostingArtifactS3DataType") or "S3Prefix",
        "CompressionType": d.get("HostingArtifactCompressionType") or "None",
        "HubAccessConfig": {"HubContentArn": doc.hub_content_arn},
    }
    return {"Image": image, "Environment": env, "ModelDataSource": {"S3DataSource": source}}


def _training(doc: ModelDocument, d: dict[str, Any]) -> dict[str, Any]:
    """CreateTrainingJob's settings for an imported hub Model, from its document (what JumpStartEstimator derives).

    Image, training artifacts and environment follow the default training instance's variant, else the
    document's top-level fields.
    """
    variants_doc = d.get("TrainingInstanceTypeVariants") or {}
    aliases = variants_doc.get("Aliases") or {}
    variants = variants_doc.get("Variants") or {}
    instance = _instance(d.get("DefaultTrainingInstanceType")) or ""
    image, artifact, env = d.get("TrainingEcrUri"), d.get("TrainingArtifactUri"), {}
    for key in (instance, *instance.split(".")[1:2]):
        props = (variants.get(key) or {}).get("Properties") or (variants.get(key) or {}).get("properties") or {}
        uri = props.get("ImageUri") or props.get("image_uri")
        if isinstance(uri, str) and uri.startswith("$"):
            uri = aliases.get(uri[1:])
        image = image or uri
        artifact = props.get("TrainingArtifactUri") or artifact
        if isinstance(props.get("EnvironmentVariables"), dict):
            env = {k: str(v) for k, v in props["EnvironmentVariables"].items()} | env
    model_source: dict[str, Any] | None = None
    if isinstance(artifact, str) and validation.S3_URI.fullmatch(artifact):
        model_source = {
            "S3DataType": d.get("TrainingArtifactS3DataType") or "S3Prefix",
            "S3Uri": artifact,
            "S3DataDistributionType": "FullyReplicated",
            "HubAccessConfig": {"HubContentArn": doc.hub_content_arn},
        }
    script = d.get("TrainingScriptUri")
    metrics = [
        {"Name": m["Name"], "Regex": m["Regex"]}
        for m in d.get("TrainingMetrics") or []
        if isinstance(m, dict) and isinstance(m.get("Name"), str) and isinstance(m.get("Regex"), str)
    ]
    return {
        "image": image if isinstance(image, str) else None,
        "model_source": model_source,
        "model_compression": d.get("TrainingArtifactCompressionType") or "None",
        "script_uri": script if isinstance(script, str) and validation.S3_URI.fullmatch(script) else None,
        "environment": env,
        "metrics": metrics,
        "volume_gb": _int(d.get("TrainingVolumeSize"), 30),
        "max_runtime_s": _int(d.get("MaxRuntimeInSeconds"), 86400),
        "network_isolation": bool(d.get("TrainingEnableNetworkIsolation", False)),
        "encrypt_inter_container": bool(d.get("EncryptInterContainerTraffic", False)),
    }


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default
