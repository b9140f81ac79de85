"""The public hub's search keywords: the real vocabulary, derived from each model's document; synthetic
models that look like real ones."""

from __future__ import annotations

import collections
import json
import re

from jumpstart_lab.browse.entries import keyword_facts
from jumpstart_lab.local import demo_documents, demo_entries
from jumpstart_lab.local.keywords import MAX_KEYWORDS, search_keywords

REGION = "us-west-2"
PREFIXES = (
    "task", "data-type", "input-modality", "output-modality", "license", "model-type", "framework",
    "provider", "capability", "recipe", "marketplace-version", "language", "model-size", "context-window",
)  # fmt: skip


def models(extra: int = 0):
    return demo_documents.public_models(demo_entries.load_entries() + demo_entries.synthetic_entries(extra), REGION)


def test_summaries_carry_the_keywords_of_their_documents(boto):
    sm = boto("sagemaker")
    page = sm.list_hub_contents(HubName="SageMakerPublicHub", HubContentType="Model", MaxResults=100)
    for item in page["HubContentSummaries"]:
        reply = sm.describe_hub_content(HubName="SageMakerPublicHub", HubContentType="Model",
                                        HubContentName=item["HubContentName"])  # fmt: skip
        words = item["HubContentSearchKeywords"]
        assert words == search_keywords(json.loads(reply["HubContentDocument"])), item["HubContentName"]
        assert words == [w.lower() for w in words] and len(words) <= MAX_KEYWORDS
        assert all(re.fullmatch(r"@([a-z-]+):.+", w)[1] in PREFIXES for w in words), words


def test_keywords_follow_the_document_fields():
    llama = next(m for m in models() if m.entry.id == "meta-textgeneration-llama-2-13b-f" and m.version == "4.19.0")
    words, doc = llama.keywords, llama.document
    assert words[:2] == ["@task:text-generation", "@data-type:text"]
    assert "@license:llama 2 community license" in words and "@model-type:open_weights" in words
    assert "@framework:meta" in words and "@provider:meta" in words
    assert "@capability:customization" in words and "@recipe:finetuning_sft_lora" in words
    assert "@recipe:evaluation_general_benchmark" in words and "@model-size:13b" in words
    assert doc["ModelSize"] == "13b" and "CUSTOMIZATION" in doc["Capabilities"]
    assert keyword_facts(words) == {
        "task": "text-generation", "license": "llama 2 community license", "model_type": "open_weights",
        "framework": "meta", "provider": "meta", "trainable": True,
    }  # fmt: skip
    flan = next(m for m in models() if m.entry.id == "huggingface-text2text-flan-t5-base")
    assert not any(w.startswith(("@capability:customization", "@recipe:finetuning")) for w in flan.keywords) or (
        flan.entry.trainable
    )
    marketplace = next(m for m in models() if m.entry.proprietary)
    assert f"@marketplace-version:{marketplace.entry.proprietary['marketplace_version']}" in marketplace.keywords
    assert "@model-type:proprietary" in marketplace.keywords


def test_many_languages_lose_trailing_keywords_to_the_cap():
    doc = {"Task": "Text Generation", "License": "Apache 2.0", "Languages": [f"l{i}" for i in range(60)],
           "ModelSize": "7b", "ContextWindow": "8192", "Provider": "X"}  # fmt: skip
    words = search_keywords(doc)
    assert len(words) == MAX_KEYWORDS and "@provider:x" in words
    assert not any(w.startswith(("@model-size:", "@context-window:")) for w in words)
    assert search_keywords({**doc, "Languages": ["en"]})[-2:] == ["@model-size:7b", "@context-window:8192"]


def test_synthetic_models_look_like_the_real_hub():
    synthetic = [m for m in models(1000) if m.entry.synthetic and m.version == m.entry.latest]
    assert len(synthetic) == 1000
    entries = [m.entry for m in synthetic]
    providers = collections.Counter(e.provider for e in entries)
    assert len(providers) >= 12 and providers.most_common(1)[0][0] == "huggingface"
    tasks = collections.Counter(e.task for e in entries)
    assert len(tasks) >= 12 and tasks.most_common(1)[0][0] == "Text Generation"
    licenses = {e.license for e in entries}
    assert {"Apache 2.0", "apache-2.0"} <= licenses  # the real mixed spellings
    gated = sum(e.gated for e in entries) / len(entries)
    assert 0.03 < gated < 0.3
    trainable = sum(e.trainable for e in entries) / len(entries)
    assert 0.2 < trainable < 0.7
    sizes = {w for m in synthetic for w in m.keywords if w.startswith("@model-size:")}
    assert {"@model-size:<1b", "@model-size:1b-10b", "@model-size:7b", "@model-size:unknown"} <= sizes
    capped = [m for m in synthetic if len(m.keywords) == MAX_KEYWORDS]
    assert capped and all(not any(w.startswith("@context-window:") for w in m.keywords) for m in capped)
    instance_types = {t for m in synthetic for t in m.document["SupportedInferenceInstanceTypes"]}
    assert len(instance_types) >= 8
    assert len({e.id for e in entries}) == 1000 and all(len(e.id) <= 63 for e in entries)
    assert [e.id for e in demo_entries.synthetic_entries(5)] == [e.id for e in entries[:5]]  # deterministic
