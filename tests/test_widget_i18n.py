"""Translations: every panel string is in the German catalog, the compiled .mo matches the .po,
placeholders survive translation, and the language follows JupyterLab's setting, else the locale."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import jumpstart_lab.widget as widget_pkg
from jumpstart_lab.widget.browser import HubBrowser
from jumpstart_lab.widget.i18n import LOCALE_DIR, Translator

WIDGET_DIR = Path(widget_pkg.__file__).parent
PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "jumpstart_lab.po"
MO = PO.with_suffix(".mo")


def _source_messages() -> set:
    found = extract_from_dir(str(WIDGET_DIR), keywords={"t": None, "n": (1, 2)})
    return {msg for _, _, msg, _, _ in found}


def _catalog():
    with PO.open("rb") as f:
        return read_po(f)


def test_every_string_has_a_german_translation():
    catalog = _catalog()
    in_code = _source_messages()
    assert len(in_code) > 80
    missing = [m for m in in_code if not catalog.get(m[0] if isinstance(m, tuple) else m)]
    assert not missing, f"add to {PO.name}: {missing}"
    untranslated = [m.id for m in catalog if m.id and (not m.string or not all(m.string) or m.fuzzy)]
    assert not untranslated
    stale = [m.id for m in catalog if m.id and (m.id not in in_code)]
    assert not stale, f"remove from {PO.name}: {stale}"


def test_placeholders_survive_translation():
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(re.findall(r"\{\w+\}", ids[-1]))
        for s in strings:
            assert set(re.findall(r"\{\w+\}", s)) == expected, (message.id, s)


def test_compiled_catalog_matches_the_po_file():
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in _catalog():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0]
            assert compiled.ngettext(message.id[0], message.id[1], 5) == message.string[1]
        else:
            assert compiled.gettext(message.id) == message.string, "run: python -m jumpstart_lab.widget.i18n"


def test_language_selection(monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert Translator("de_DE").language == "de"
    assert Translator("de-AT").language == "de"
    assert Translator("de_DE.UTF-8")("Accept") == "Akzeptieren"
    assert Translator("en")("Accept") == "Accept"
    assert Translator("fr_FR")("Accept") == "Accept"  # no French catalog: English
    assert Translator(None)("Decline") == "Decline"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert Translator(None)("Decline") == "Ablehnen"  # the process locale when JupyterLab's is unknown
    assert Translator("en")("Decline") == "Decline"  # JupyterLab's setting wins
    t = Translator("de")
    assert t.n("{count} model", "{count} models", 1) == "1 Modell"
    assert t.n("{count} model", "{count} models", 3) == "3 Modelle"


def test_german_panel_without_a_server():
    b = HubBrowser(locale="de", background=False, autoload=False)
    try:
        labels = {b.back.description, b.home.description, b.endpoints_button.description, b.refresh.description}
        assert labels == {"Zurück", "Hubs", "Endpunkte", "Aktualisieren"}
        assert b.deploy_form.deploy.description == "Bereitstellen"
        assert b.deploy_form.try_it.description == "Ausprobieren"
        assert b.deploy_form.delete.description == "Endpunkt löschen"
        assert "Wird pro Instanzstunde abgerechnet" in b.deploy_form.cost.value
        assert b.models_view.more.description == "Mehr laden"
        assert b.error.dismiss.description == "Schließen"
    finally:
        b.close()
