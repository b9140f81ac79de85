"""Entries of the demo public hub: the curated models of ``data/catalog.json`` and synthetic ones.

Synthetic models (``JUMPSTART_LAB_LOCAL_EXTRA_MODELS``) look like the real public hub's: its providers,
tasks, licenses in their mixed spellings, a gated share, model sizes, languages and context windows,
deterministically (model ``i`` is always the same).
"""

from __future__ import annotations

import json
import random
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
    size: str | None = None  # "7b", "1b-10b", "<1b", "unknown" ... (None: read from the id)
    languages: tuple[str, ...] = ("en",)
    context_window: str | None = None
    created_offset: float | None = None  # seconds after the catalog epoch (None: its position)

    @property
    def gated(self) -> bool:
        return self.eula is not None

    @property
    def latest(self) -> str:
        return self.versions[-1]


    @property
    def model_size(self) -> str:
        """The ``@model-size`` value: given, else the parameter count in the id (``-7b``), else unknown."""
        if self.size:
            return self.size
        sizes = re.findall(r"-(\d+)b(?=-|$)", self.id)
        return f"{sizes[-1]}b" if sizes else "unknown"


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
def data_text(name: str) -> str:
    return resources.files("jumpstart_lab.local").joinpath("data", name).read_text(encoding="utf-8")


def data_json(name: str, replace: tuple[str, str] | None = None) -> Any:
    """A fresh (mutable) copy of a data file; parsing the cached text is faster than deepcopy."""
    text = data_text(name)
    if replace is not None:
        text = text.replace(*replace)
    return json.loads(text)


def load_entries() -> list[ModelEntry]:
    """The curated public models from ``data/catalog.json``."""
    entries = []
    for raw in data_json("catalog.json")["models"]:
        entries.append(ModelEntry(**{**raw, "versions": tuple(raw["versions"])}))
    return entries




# --- synthetic models that look like the real public hub's ------------------------------------

# (family, task, share): the real hub is mostly text generation, then embeddings and classic tasks
_TASKS = (
    ("llm", "Text Generation", 40),
    ("embedding", "Text Embedding", 8),
    ("classification", "Text Classification", 10),
    ("text2text", "Text2Text Generation", 6),
    ("classification", "Question Answering", 5),
    ("classification", "Token Classification", 4),
    ("classification", "Fill Mask", 3),
    ("text2text", "Summarization", 3),
    ("vision", "Image Classification", 8),
    ("vision", "Object Detection", 4),
    ("txt2img", "Text To Image", 4),
    ("asr", "Automatic Speech Recognition", 2),
    ("tabular", "Tabular Classification", 2),
    ("tabular", "Tabular Regression", 1),
)
# provider, framework, licenses (the real hub's mixed spellings), gated EULA file or None
_PROVIDERS = (
    ("huggingface", "huggingface", ("Apache 2.0", "apache-2.0", "MIT", "mit", "cc-by-4.0", "BSD 3-Clause"), None, 34),
    ("meta", "meta", ("Llama 3.1 Community License", "llama3.1", "Llama 2 Community License"), "llamaEula.txt", 10),
    ("mistral", "huggingface", ("Apache 2.0", "apache-2.0"), None, 6),
    ("google", "huggingface", ("Gemma Terms of Use", "apache-2.0"), "gemmaTerms.txt", 5),
    ("qwen", "huggingface", ("apache-2.0", "Qwen License"), None, 6),
    ("deepseek", "huggingface", ("MIT", "deepseek-license"), None, 4),
    ("amazon", "amazon", ("Apache 2.0", "Amazon Software License"), None, 6),
    ("stabilityai", "stabilityai", ("CreativeML Open RAIL++-M", "openrail"), None, 4),
    ("tii", "huggingface", ("Apache 2.0", "Falcon-180B TII License"), None, 3),
    ("cohere", "cohere", ("cc-by-nc-4.0",), None, 3),
    ("ai21", "ai21", ("Apache 2.0",), None, 2),
    ("nvidia", "huggingface", ("NVIDIA Open Model License", "apache-2.0"), None, 3),
    ("ibm", "huggingface", ("Apache 2.0",), None, 2),
    ("pytorch", "pytorch", ("BSD 3-Clause", "bsd-3-clause"), None, 6),
    ("tensorflow", "tensorflow", ("Apache 2.0",), None, 6),
)
_SIZES = ("<1b", "1b-10b", "10b-70b", "7b", "8b", "13b", "32b", "70b", "550b", "unknown")
_CONTEXT = ("2048", "4096", "8192", "32768", "131072")
_MANY_LANGUAGES = (
    "en de fr es it pt nl sv da no fi pl cs sk sl hr sr bg ro hu el tr ru uk be lt lv et ar he fa ur hi bn "
    "ta te ml kn mr gu pa zh ja ko vi th id ms tl sw am yo ha ig zu"
).split()
_EPOCH_SPAN = 6 * 365 * 86400  # models created over six years, more of them recently


def _weighted(rng: random.Random, items: tuple[Any, ...]) -> Any:
    return rng.choices(items, weights=[item[-1] for item in items])[0]


def synthetic_entries(count: int) -> list[ModelEntry]:
    """``count`` extra public models (``JUMPSTART_LAB_LOCAL_EXTRA_MODELS``), realistic and deterministic."""
    entries = []
    for i in range(count):
        rng = random.Random(f"jumpstart-lab-synthetic-{i}")  # noqa: S311 - demo data, not security
        family, task, _ = _weighted(rng, _TASKS)
        provider, framework, licenses, eula, _ = _weighted(rng, _PROVIDERS)
        llm = family == "llm"
        gated = eula is not None and llm and rng.random() < 0.8
        size = rng.choice(_SIZES) if llm else rng.choice(("<1b", "<1b", "1b-10b", "unknown"))
        languages = tuple(_MANY_LANGUAGES[: rng.randint(40, 52)]) if llm and rng.random() < 0.12 else ("en",)
        entries.append(
            ModelEntry(
                id=f"{provider}-{slug(task)}-synthetic-{i:05d}"[:63],
                name=f"{provider.title()} {task} {i}",
                provider=provider,
                task=task,
                framework=framework,
                license=rng.choice(licenses),
                family=family,
                versions=("1.0.0",) if rng.random() < 0.8 else ("1.0.0", "1.1.0"),
                eula=eula if gated else None,
                trainable=rng.random() < (0.55 if llm else 0.35),
                url="https://example.com/jumpstart-lab-demo",
                synthetic=True,
                size=size,
                languages=languages,
                context_window=rng.choice(_CONTEXT) if llm else None,
                created_offset=_EPOCH_SPAN * rng.random() ** 0.6,
            )
        )
    return entries
