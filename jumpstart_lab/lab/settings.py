"""The sidebar's user settings (labextension/schema/plugin.json) as the kernel receives them, validated."""

from __future__ import annotations

from .. import validation


def notebook_folder(setting: object) -> str:
    """The "Notebook directory" setting: "" (the server's default) or a folder inside the server root.

    A bad value raises ``InvalidInput`` (code ``InvalidSetting``) naming the setting and where to change it.
    """
    directory = setting.strip().strip("/") if isinstance(setting, str) else ""
    if not directory:
        return ""
    try:
        return validation.folder(directory)
    except Exception as exc:
        raise type(exc)(
            f"The JumpStart setting 'Notebook directory' ({setting!r}) must be a folder inside the "
            "server root: letters, digits, '.', '_', '-', spaces and '/', no '..'. "
            "Change it in Settings > Settings Editor > JumpStart.",
            code="InvalidSetting",
        ) from exc
