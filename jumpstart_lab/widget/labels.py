"""Filter and list values in words a person reads: ``text-generation`` -> "Text generation", ``huggingface`` ->
"Hugging Face". Values the hub spells for people already (``Text Generation``) are shown as they are."""

from __future__ import annotations

from typing import Any

from .. import untrusted

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
    "text-generation": "Text generation",
    "text2text-generation": "Text-to-text generation",
    "text2text": "Text-to-text generation",
    "llm": "Text generation",
    "text-embedding": "Text embedding",
    "text-classification": "Text classification",
    "summarization": "Summarization",
    "translation": "Translation",
    "question-answering": "Question answering",
    "fill-mask": "Fill mask",
    "asr": "Speech recognition",
    "automatic-speech-recognition": "Speech recognition",
    "txt2img": "Text to image",
    "text-to-image": "Text to image",
    "image-classification": "Image classification",
    "object-detection": "Object detection",
    "semantic-segmentation": "Semantic segmentation",
    "tabular-classification": "Tabular classification",
    "tabular-regression": "Tabular regression",
    "time-series-forecasting": "Time series forecasting",
}


def value_label(facet: str, value: Any, t: Any) -> str:
    """How ``value`` of ``facet`` is shown (translated where we name it ourselves)."""
    text = untrusted.text(value, 80)
    key = text.strip().lower()
    if facet == "task" and key in TASKS:
        return t(TASKS[key])
    if facet == "framework" and key in FRAMEWORKS:
        return FRAMEWORKS[key]
    return text
