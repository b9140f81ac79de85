"""The database URL's password is never shown: not by redact() / describe(), not in an error from a server
that refuses it or is down, not in the log. Plus the URL's configuration (db_url, its env var, the alias)."""

from __future__ import annotations

import logging

import pytest
from jupyter_process import free_port

from jumpstart_lab.db import Database, redact, scrub
from jumpstart_lab.errors import DatabaseUnavailable, StoreError
from jumpstart_lab.eula.store import AcceptanceStore


def test_redact_hides_passwords_in_the_url_and_its_query() -> None:
    url = "postgresql+psycopg://team:s3cr%40t-pw@db.internal:5432/jumpstart?sslmode=require&password=other-pw"
    shown = redact(url)
    assert "s3cr" not in shown and "other-pw" not in shown
    assert shown.startswith("postgresql+psycopg://team:***@db.internal:5432/jumpstart?")
    assert "sslmode=require" in shown
    assert redact("not a url") == "<invalid database URL>"
    assert scrub("failed for s3cr@t-pw and password=other-pw", url) == "failed for *** and password=***"


def test_a_refused_password_is_not_echoed(postgres, caplog) -> None:
    wrong = postgres.url.replace(postgres.password, "wrong-pw-4711")
    store = AcceptanceStore(Database(wrong, attempts=1))
    with caplog.at_level(logging.DEBUG), pytest.raises(StoreError) as err:
        store.count()
    message = err.value.message
    assert "password authentication failed" in message and "jumpstart:***@127.0.0.1" in message
    assert "wrong-pw-4711" not in message and postgres.password not in message
    assert "wrong-pw-4711" not in caplog.text
    assert err.value.to_dict()["code"] == "AcceptanceStoreUnavailable"


def test_a_server_that_is_down_is_a_clear_503_after_bounded_retries(postgres) -> None:
    url = postgres.url.replace(str(postgres.port), str(free_port()))  # nobody listens there
    store = AcceptanceStore(Database(url))
    with pytest.raises(StoreError) as err:
        store.find("alice", "arn", "m", "1.0.0", "a" * 64)
    assert isinstance(err.value, DatabaseUnavailable)
    assert "Connection refused" in err.value.message or "connect" in err.value.message
    assert postgres.password not in err.value.message and "Gated models stay locked" in err.value.message


def test_an_unknown_driver_is_refused_with_the_fix(postgres) -> None:
    with pytest.raises(DatabaseUnavailable) as err:
        Database(postgres.url.replace("+psycopg", "+nosuchdriver"))
    assert postgres.password not in err.value.message and "***" in err.value.message


def test_db_url_defaults_env_and_the_deprecated_alias(monkeypatch, tmp_path) -> None:
    from traitlets.config import Config

    from jumpstart_lab.server.app import JumpStartLab

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("JUMPSTART_LAB_DB_URL", raising=False)
    assert JumpStartLab().db_url == f"sqlite:///{tmp_path / 'data' / 'jumpstart_lab' / 'jumpstart-lab.sqlite3'}"
    alias = Config({"JumpStartLab": {"eula_store_path": str(tmp_path / "old.sqlite3")}})
    assert JumpStartLab(config=alias).db_url == f"sqlite:///{tmp_path / 'old.sqlite3'}"
    both = Config({"JumpStartLab": {"eula_store_path": str(tmp_path / "old.sqlite3"), "db_url": "sqlite:///x.db"}})
    assert JumpStartLab(config=both).db_url == "sqlite:///x.db"
    monkeypatch.setenv("JUMPSTART_LAB_DB_URL", "postgresql+psycopg://u:p@h/db")
    assert JumpStartLab().db_url == "postgresql+psycopg://u:p@h/db"
