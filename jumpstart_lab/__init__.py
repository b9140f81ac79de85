"""jumpstart-lab: SageMaker JumpStart model hubs inside JupyterLab.

This module stays light: the Jupyter server imports it, so ipywidgets, the
SageMaker SDK and moto are only imported when their features are used.
"""

from __future__ import annotations

from typing import Any

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - source tree without a build
    __version__ = "0.0.0"

__all__ = ["HubBrowser", "__version__", "hubs", "model", "models"]

_LAZY = {
    "HubBrowser": ("jumpstart_lab.widget.browser", "HubBrowser"),
    "hubs": ("jumpstart_lab.client.api", "hubs"),
    "models": ("jumpstart_lab.client.api", "models"),
    "model": ("jumpstart_lab.client.api", "model"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'jumpstart_lab' has no attribute {name!r}")


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jumpstart-lab"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .server.app import JumpStartLab

    return [{"module": "jumpstart_lab", "app": JumpStartLab}]
