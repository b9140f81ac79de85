"""Python half of the LabBridge widget: asks the JupyterLab frontend to open a file.

The frontend model (``LabBridgeModel`` in the ``jumpstart-lab`` labextension) runs only
``docmanager:open`` for the path it receives, and only in the browser tab whose client id
equals ``target`` (an empty target means "any tab showing this widget", as in a notebook).

The bootstrap the sidebar runs may also call :func:`configure_frontend` with the user's
JupyterLab settings (for example the notebook directory); views read them through
:func:`frontend_settings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ipywidgets import Widget
from traitlets import Unicode

from .. import validation
from ..errors import InvalidInput

#: npm package of the frontend model, and the semver range of its version (labextension/package.json).
MODULE_NAME = "jumpstart-lab"
MODULE_VERSION = "^0.1.0"

#: What a per-tab client id looks like (the frontend makes a UUID; keep the check loose but safe).
CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_MAX_PATH = 1024


def checked_client_id(value: object, *, allow_empty: bool = True) -> str:
    """Return ``value`` if it is a valid client id (or empty when allowed), else raise ``InvalidInput``."""
    if value is None and allow_empty:
        return ""
    if not isinstance(value, str):
        raise InvalidInput("client id must be a string")
    if value == "" and allow_empty:
        return ""
    if not CLIENT_ID.fullmatch(value):
        raise InvalidInput(f"invalid client id {value!r}: letters, digits, '-' and '_' only, at most 64")
    return value


def checked_path(path: object) -> str:
    """A server-relative POSIX path to a file: no absolute path, no ``..``, no control characters."""
    if not isinstance(path, str) or not path.strip():
        raise InvalidInput("path must be a non-empty string")
    if len(path) > _MAX_PATH:
        raise InvalidInput(f"path is longer than {_MAX_PATH} characters")
    if any(ord(c) < 32 for c in path) or "\\" in path:
        raise InvalidInput(f"invalid path {path!r}")
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts:
        raise InvalidInput(f"path must be relative to the server root, without '..': {path!r}")
    return str(pure)


class LabBridge(Widget):
    """Non-visual widget; keep it as an attribute of a view, never as a Box child.

    Do not add a method called ``open``: ``Widget.__init__`` calls ``self.open()`` to open the comm.
    """

    _model_name = Unicode("LabBridgeModel").tag(sync=True)
    _model_module = Unicode(MODULE_NAME).tag(sync=True)
    _model_module_version = Unicode(MODULE_VERSION).tag(sync=True)

    def open_path(self, path: str, target: str = "") -> None:
        """Ask the frontend tab ``target`` (any tab when empty) to open ``path`` in the main area."""
        message = {"action": "open", "path": checked_path(path), "target": checked_client_id(target)}
        self.send(message)


@dataclass(frozen=True)
class FrontendSettings:
    """User settings of the labextension (Settings Editor → JumpStart), as the sidebar passed them."""

    notebook_dir: str = ""  # empty: the server's ``JumpStartLab.notebook_dir``


_settings = FrontendSettings()


def configure_frontend(notebook_dir: str = "") -> FrontendSettings:
    """Called by the sidebar bootstrap with the labextension settings; validates and stores them."""
    global _settings
    directory = notebook_dir.strip().strip("/") if isinstance(notebook_dir, str) else notebook_dir
    if directory:
        try:
            directory = validation.folder(directory)
        except InvalidInput as exc:
            raise InvalidInput(
                f"The JumpStart setting 'Notebook directory' ({notebook_dir!r}) must be a folder inside the "
                "server root: letters, digits, '.', '_', '-', spaces and '/', no '..'. "
                "Change it in Settings > Settings Editor > JumpStart.",
                code="InvalidSetting",
            ) from exc
    _settings = FrontendSettings(notebook_dir=directory or "")
    return _settings


def frontend_settings() -> FrontendSettings:
    """The settings the sidebar passed last (defaults when none were passed, e.g. in a notebook)."""
    return _settings
