"""The package's public surface: light to import, and the kernel-side API names stay callable."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_server_side_import_is_light() -> None:
    # What the Jupyter server imports to load the extension (handlers and domain included).
    loaded = _modules_after("import jumpstart_lab; jumpstart_lab._jupyter_server_extension_points()")
    for heavy in ("ipywidgets", "sagemaker", "moto"):
        assert heavy not in loaded, heavy


def test_python_api_is_callable_after_the_domain_is_imported() -> None:
    import jumpstart_lab
    import jumpstart_lab.browse.catalog  # the server imports it; it must not shadow hubs()
    import jumpstart_lab.server.handlers

    for name in ("hubs", "models", "model", "HubBrowser"):
        assert callable(getattr(jumpstart_lab, name)), name
