"""Translations: every panel string is in the German catalog, the compiled .mo matches the .po,
placeholders survive translation, and the language follows JupyterLab's setting, else the locale."""

from __future__ import annotations

import gettext
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import jumpstart_lab.widget as widget_pkg
from jumpstart_lab.client import ApiError, JumpStartClient, ServerNotFound
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
        labels = {b.back.tooltip, b.home.tooltip, b.endpoints_button.tooltip, b.refresh.tooltip}
        assert labels == {"Zurück", "Hubs", "Endpunkte", "Aktualisieren"}  # icon buttons: named by their tooltip
        assert b.deploy_form.deploy.description == "Bereitstellen"
        assert b.deploy_form.try_it.description == "Senden"
        assert b.deploy_form.delete.description == "Endpunkt löschen"
        assert "Wird pro Instanzstunde abgerechnet" in b.deploy_form.cost.value
        assert b.models_view.more.description == "Mehr laden"
        assert b.error.dismiss.description == "Schließen"
    finally:
        b.close()


def test_hyperparameter_ranges_are_translated():
    detail = {
        "model_id": "m",
        "version": "1.0.0",
        "training": {
            "supported": True,
            "supported_instance_types": ["ml.g5.2xlarge"],
            "default_instance_type": "ml.g5.2xlarge",
            "hyperparameters": [
                {"name": "epochs", "default": 3, "min": 1, "max": 1000},
                {"name": "warmup", "default": 0, "min": 0},
                {"name": "lr", "default": 0.0001, "max": 1},
            ],
        },
    }
    for locale, expected in (
        ("de", ("<td>1 bis 1000</td>", "<td>ab 0</td>", "<td>bis 1</td>")),
        ("en", ("<td>1 to 1000</td>", "<td>from 0</td>", "<td>up to 1</td>")),
    ):
        b = HubBrowser(locale=locale, background=False, autoload=False)
        try:
            b.model_page.show(detail, "CompanyHub")
            assert all(cell in b.model_page.summary.value for cell in expected), locale
        finally:
            b.close()


# -- the client's own errors, shown in the panel's language ----------------------------------------


def _banner(client: JumpStartClient, locale: str) -> str:
    b = HubBrowser(client=client, locale=locale, background=False)
    try:
        return b.error.message
    finally:
        b.close()


@pytest.fixture
def stub_server():
    """``stub_server(status, body, content_type, delay)``: the URL of a server answering every request so."""
    servers = []

    def start(status: int, body: bytes, content_type: str = "text/html", delay: float = 0.0) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up waiting
                    pass

            def log_message(self, *args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("status", "body", "content_type", "english", "german"),
    [
        (
            403,
            b"<html>Forbidden</html>",
            "text/html",
            "The Jupyter server refused the request: the token is missing or wrong.",
            "Der Jupyter-Server hat die Anfrage abgelehnt: Das Token fehlt oder ist falsch.",
        ),
        (
            404,
            b"<html>Not Found</html>",
            "text/html",
            "The jumpstart-lab server extension is not enabled on this Jupyter server.",
            "Die Servererweiterung jumpstart-lab ist auf diesem Jupyter-Server nicht aktiviert.",
        ),
        (
            502,
            b"Bad Gateway",
            "text/plain",
            "The Jupyter server answered HTTP 502.",
            "Der Jupyter-Server hat mit HTTP 502 geantwortet.",
        ),
        (
            200,
            b"<html>a login page</html>",
            "text/html",
            "The server sent a response that is not JSON.",
            "Der Server hat eine Antwort gesendet, die kein JSON ist.",
        ),
    ],
)
def test_client_http_errors_in_the_panel_language(stub_server, status, body, content_type, english, german):
    url = stub_server(status, body, content_type)
    assert _banner(JumpStartClient(url, token="t", timeout=5), "de") == german
    assert _banner(JumpStartClient(url, token="t", timeout=5), "en") == english


def test_client_timeout_in_the_panel_language(stub_server):
    # a POST (never retried by the client) the server does not answer in time
    url = stub_server(200, b"{}", "application/json", delay=2.0)
    b = HubBrowser(
        client=JumpStartClient(url, token="t", timeout=(2.0, 0.3)), locale="de", background=False, autoload=False
    )
    try:
        b.ctx.run(lambda: b.ctx.api.invoke("jsl-endpoint"))
        assert b.error.message == "Der Jupyter-Server hat nicht rechtzeitig geantwortet; versuchen Sie es erneut."
    finally:
        b.close()


def test_client_get_timeout_is_a_timeout_not_unreachable(stub_server):
    # a GET (retried on connection errors, not on slow answers) the server does not answer in time
    url = stub_server(200, b"{}", "application/json", delay=2.0)
    assert _banner(JumpStartClient(url, token="t", timeout=(2.0, 0.3)), "en") == (
        "The Jupyter server did not answer in time; try again."
    )


def test_unreachable_server_in_the_panel_language():
    message = _banner(JumpStartClient("http://127.0.0.1:9/", token="t", timeout=2), "de")
    assert message == "Der Jupyter-Server unter http://127.0.0.1:9/ ist nicht erreichbar. Läuft er?"


def test_no_server_found_in_the_panel_language(monkeypatch, tmp_path):
    monkeypatch.delenv("JUMPSTART_SERVER_URL", raising=False)
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    b = HubBrowser(locale="de", background=False)
    try:
        assert b.error.message.startswith("Für diesen Kernel wurde kein laufender Jupyter-Server gefunden.")
        assert "JUMPSTART_SERVER_URL" in b.error.message
    finally:
        b.close()


def test_server_messages_are_passed_on_unchanged():
    """Only the client's own messages are translated; the server's (already phrased) pass through."""
    from jumpstart_lab.widget.context import message_of

    t = Translator("de")
    error = ApiError(404, "NotFound", "No deployment named 'x'.")
    assert message_of(error, t) == "No deployment named 'x'."
    assert message_of(ApiError(502, "Upstream", "The Jupyter server answered HTTP 502."), t).endswith("502.")
    assert message_of(ServerNotFound("something else"), t) == "something else"
