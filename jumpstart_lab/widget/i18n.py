"""Translations of the panel's strings (gettext domain ``jumpstart_lab``).

The language is JupyterLab's setting when the panel knows it (``locale="de_DE"``
from the sidebar bootstrap), else the process locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``). English is the source language. Catalogs live in
``locale/<lang>/LC_MESSAGES/jumpstart_lab.{po,mo}``; after editing a ``.po`` file
run ``python -m jumpstart_lab.widget.i18n`` to compile the ``.mo`` files (babel).
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "jumpstart_lab"
LOCALE_DIR = Path(__file__).parent / "locale"


class Translator:
    """``t("text")``, ``t.n("one", "many", n)``; ``t.language`` is the catalog actually used."""

    def __init__(self, locale: str | None = None) -> None:
        languages = _languages(locale)
        self._catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=languages, fallback=True)
        info = self._catalog.info() if isinstance(self._catalog, gettext.GNUTranslations) else {}
        self.language = info.get("language", "en") or "en"

    def __call__(self, message: str, **values: object) -> str:
        text = self._catalog.gettext(message)
        return text.format(**values) if values else text

    def n(self, singular: str, plural: str, count: int, **values: object) -> str:
        return self._catalog.ngettext(singular, plural, count).format(count=count, **values)


def _languages(locale: str | None) -> list[str] | None:
    """``de-DE`` / ``de_DE.UTF-8`` -> ``["de_DE", "de"]``; ``None`` lets gettext read the environment."""
    if not locale:
        return None
    tag = locale.split(".")[0].replace("-", "_")
    base = tag.split("_")[0]
    return [tag, base] if base != tag else [tag]


def compile_catalogs() -> list[Path]:
    """Compile every ``.po`` under ``locale/`` into its ``.mo`` (needs babel, shipped with jupyterlab)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as f:
            write_mo(f, catalog)
        written.append(mo)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in compile_catalogs():
        print(path)
