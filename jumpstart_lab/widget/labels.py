"""Filter and list values in words a person reads: ``text-generation`` -> "Text generation", ``huggingface`` ->
"Hugging Face". Values the hub spells for people already (``Text Generation``) are shown as they are."""

from __future__ import annotations

from typing import Any

from .. import untrusted


def t(message: str) -> str:
    """Marks a string for the translation catalog (gettext's ``N_``); translated when shown."""
    return message


FRAMEWORKS = {
    "huggingface": "Hugging Face",
    "pytorch": "PyTorch",
    "tensorflow": "TensorFlow",
    "mxnet": "MXNet",
    "xgboost": "XGBoost",
    "lightgbm": "LightGBM",
    "catboost": "CatBoost",
    "sklearn": "scikit-learn",
    "autogluon": "AutoGluon",
    "stabilityai": "Stability AI",
    "ai21": "AI21 Labs",
    "meta": "Meta",
    "cohere": "Cohere",
    "mistral": "Mistral AI",
    "deepseek": "DeepSeek",
    "openai": "OpenAI",
    "upstage": "Upstage",
    "lighton": "LightOn",
}
#: task ids of the real hub's keywords (``@task:...``) and of SDK specs
TASKS = {
    "text-generation": t("Text generation"),
    "text2text-generation": t("Text-to-text generation"),
    "text2text": t("Text-to-text generation"),
    "llm": t("Text generation"),
    "text-embedding": t("Text embedding"),
    "text-classification": t("Text classification"),
    "summarization": t("Summarization"),
    "translation": t("Translation"),
    "question-answering": t("Question answering"),
    "fill-mask": t("Fill mask"),
    "asr": t("Speech recognition"),
    "automatic-speech-recognition": t("Speech recognition"),
    "txt2img": t("Text to image"),
    "text-to-image": t("Text to image"),
    "image-classification": t("Image classification"),
    "object-detection": t("Object detection"),
    "semantic-segmentation": t("Semantic segmentation"),
    "tabular-classification": t("Tabular classification"),
    "tabular-regression": t("Tabular regression"),
    "time-series-forecasting": t("Time series forecasting"),
}


def value_label(facet: str, value: Any, translate: Any) -> str:
    """How ``value`` of ``facet`` is shown (translated where we name it ourselves)."""
    text = untrusted.text(value, 80)
    key = text.strip().lower()
    if facet == "task" and key in TASKS:
        return translate(TASKS[key])
    if facet == "framework" and key in FRAMEWORKS:
        return FRAMEWORKS[key]
    return text
