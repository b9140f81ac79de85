"""``HubContentSearchKeywords`` as the real public hub carries them, derived from a model's document.

Real summaries carry lower-cased copies of document fields, at most 50 per model, in this order:
``@task:``, ``@data-type:``, ``@input-modality:``, ``@output-modality:``, ``@license:``, ``@model-type:``,
``@framework:``, ``@provider:``, ``@capability:``, ``@recipe:{type}_{technique}_{strategy}``,
(``@marketplace-version:`` for AWS Marketplace models, which the SDK resolves versions by), then
``@language:`` (one per language), ``@model-size:`` and ``@context-window:``. A model with many languages
loses its trailing keywords to the cap, as real ones do. Values keep the document's spelling (so licenses come
in mixed spellings: ``apache 2.0`` and ``apache-2.0``), only lower-cased; tasks are slugs (``text-generation``).
"""

from __future__ import annotations

import re
from typing import Any

MAX_KEYWORDS = 50  # botocore: HubContentSearchKeywords, list of 0-50


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float)) and str(v)]
    return []


def recipe_keyword(recipe: dict[str, Any]) -> str | None:
    """``@recipe:finetuning_sft_lora`` from
    ``{"Type": "FineTuning", "CustomizationTechnique": "SFT", "Strategy": "LoRA"}``."""
    parts = [recipe.get(k) for k in ("Type", "CustomizationTechnique", "Strategy")]
    words = [re.sub(r"[^a-z0-9]+", "", str(p).lower()) for p in parts if p]
    return f"@recipe:{'_'.join(w for w in words if w)}" if words else None


def search_keywords(document: dict[str, Any]) -> list[str]:
    """The summary keywords of a model whose HubContentDocument is ``document`` (lower case, at most 50)."""
    words: list[str] = []

    def add(name: str, values: list[str]) -> None:
        words.extend(f"@{name}:{v}" for v in values)

    add("task", [_slug(t) for t in _strings(document.get("Task"))])
    add("data-type", _strings(document.get("DataType")))
    add("input-modality", _strings(document.get("InputModalities")))
    add("output-modality", _strings(document.get("OutputModalities")))
    add("license", _strings(document.get("License")))
    add("model-type", _strings(document.get("ModelTypes")))
    add("framework", _strings(document.get("Framework")))
    add("provider", _strings(document.get("Provider")))
    add("capability", _strings(document.get("Capabilities")))
    for recipe in document.get("RecipeCollection") or []:
        keyword = recipe_keyword(recipe) if isinstance(recipe, dict) else None
        if keyword:
            words.append(keyword)
    add("marketplace-version", _strings(document.get("MarketplaceVersion")))
    add("language", _strings(document.get("Languages")))
    add("model-size", _strings(document.get("ModelSize")))
    add("context-window", _strings(document.get("ContextWindow")))
    unique = list(dict.fromkeys(w.lower()[:255] for w in words))
    return unique[:MAX_KEYWORDS]
