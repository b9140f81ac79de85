"""What the kernel side and the labextension must agree on, in one place.

``scripts/generate_protocol.py`` writes these constants to ``labextension/src/protocol.generated.ts``, which
the TypeScript modules import; ``tests/test_protocol.py`` fails when that file is out of date, and checks that
each pattern accepts and refuses the same strings in JavaScript as here. Patterns are matched in full
(``fullmatch`` here; the generated regular expressions are anchored ``^(?:...)$``) and use only syntax that
means the same in both languages (ASCII classes; ``\\d`` / ``\\w`` only with ``re.ASCII``, as JavaScript reads
them; named groups become ``(?<name>...)``).
"""

from __future__ import annotations

import re

from .. import __version__, validation

#: npm package of the frontend's widget model (the ``LabBridge`` comm's ``_model_module``).
MODULE_NAME = "jumpstart-lab"
#: Its version: the package's (hatch reads it from labextension/package.json), without a local or dev suffix.
#: The kernel asks for ``^MODULE_VERSION``; the frontend registers exactly this.
MODULE_VERSION = __version__.split("+")[0].split(".dev")[0]

#: A browser tab's client id (the frontend makes a UUID; the check is loose but safe).
CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
#: JupyterLab's display language as the sidebar passes it ("en", "de_DE", "zh-Hans-CN").
LOCALE = re.compile(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,2}")
#: A dialog's id and a dialog button's value in bridge messages.
MESSAGE_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: What "JumpStart: Open model..." accepts before asking the kernel (the server checks again).
HUB_NAME = validation.HUB_NAME
HUB_ARN = validation.HUB_ARN
MODEL_ID = validation.HUB_CONTENT_NAME

#: The main-area views (``open-view``'s and ``show_view``'s ``view``).
VIEWS = ("model", "endpoints", "admin")
#: The panel's pages (``nav``'s ``page``; ``PanelState.page``): a model page, the endpoints and the admin view
#: open in main-area tabs when there are any, else as pages of the panel.
PAGES = ("hubs", "models", "model", "endpoints", "admin")
#: Where the sidebar's toolbar buttons navigate (``navigate``'s ``to``).
NAV_TARGETS = ("back", "hubs", "endpoints", "admin")
#: The kinds of dialog the kernel asks for.
DIALOG_KINDS = ("eula", "confirm")
#: What a frontend can say it does when it connects (``ready``'s ``features``).
FEATURES = ("dialog", "open-view", "toolbar")
#: The sidebar kernel's session: one per user, shared by every browser tab (the server ends it when unused).
SESSION_PATH = ".jumpstart-lab/sidebar"
SESSION_TYPE = "jumpstart-lab"
#: The value of a dialog closed without a button (Escape, the close button, a click outside).
CANCEL_VALUE = "cancel"
#: The longest server-relative path ``open`` carries, and the longest view key (a hub ARN and a model id fit).
MAX_PATH = 1024
MAX_VIEW_KEY = 2048
#: The longest title of a main-area tab or a dialog (the kernel cuts longer ones; the frontend refuses them).
MAX_TITLE = 300

#: What is exported to TypeScript, in this order.
PATTERNS: dict[str, re.Pattern[str]] = {
    "CLIENT_ID_PATTERN": CLIENT_ID,
    "LOCALE_PATTERN": LOCALE,
    "MESSAGE_TOKEN_PATTERN": MESSAGE_TOKEN,
    "HUB_NAME_PATTERN": HUB_NAME,
    "HUB_ARN_PATTERN": HUB_ARN,
    "MODEL_ID_PATTERN": MODEL_ID,
}
LISTS: dict[str, tuple[str, ...]] = {
    "VIEW_KINDS": VIEWS,
    "PAGES": PAGES,
    "NAV_TARGETS": NAV_TARGETS,
    "DIALOG_KINDS": DIALOG_KINDS,
    "FEATURES": FEATURES,
}
SCALARS: dict[str, str | int] = {
    "MODULE_NAME": MODULE_NAME,
    "MODULE_VERSION": MODULE_VERSION,
    "CANCEL_VALUE": CANCEL_VALUE,
    "SESSION_PATH": SESSION_PATH,
    "SESSION_TYPE": SESSION_TYPE,
    "MAX_PATH": MAX_PATH,
    "MAX_VIEW_KEY": MAX_VIEW_KEY,
    "MAX_TITLE": MAX_TITLE,
}

_UNPORTABLE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.LOCALE
_CLASS_ESCAPES = re.compile(r"(?<!\\)(?:\\\\)*\\[dwsbDWSB]")


def javascript(pattern: re.Pattern[str]) -> str:
    """The source of a JavaScript regular expression matching what ``pattern.fullmatch`` matches.

    Raises ``ValueError`` for what JavaScript would read differently (flags, Unicode ``\\d`` / ``\\w``).
    """
    if pattern.flags & _UNPORTABLE_FLAGS:
        raise ValueError(f"{pattern.pattern!r}: flags {pattern.flags!r} have no JavaScript equivalent here")
    if not pattern.flags & re.ASCII and _CLASS_ESCAPES.search(pattern.pattern):
        raise ValueError(f"{pattern.pattern!r}: \\d, \\w, \\s and \\b are ASCII-only in JavaScript; use re.ASCII")
    source = pattern.pattern.replace("(?P<", "(?<")
    if "(?P" in source:
        raise ValueError(f"{pattern.pattern!r}: (?P=name) and other Python-only groups")
    escaped, backslash = [], False
    for char in source:  # "/" ends a regular expression literal
        escaped.append("\\/" if char == "/" and not backslash else char)
        backslash = char == "\\" and not backslash
    return "^(?:" + "".join(escaped) + ")$"
