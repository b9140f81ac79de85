"""A Jupyter server on a shared PostgreSQL (JumpStartLab.db_url): privacy per user, the database going
down and coming back without a restart, the password never shown, acceptances as jupyter_events events,
and an earlier version's acceptance file carried over at start."""

from __future__ import annotations

import asyncio
import functools
import io
import json
import logging
import multiprocessing
import os
import secrets
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests
from eula_support import GATED, OPEN, HeaderIdentity, as_user, eula_path
from jupyter_process import free_port
from store_support import legacy_file, legacy_row, writer

from jumpstart_lab.eula.events import SCHEMA_ID

NOTEBOOK = {"hub": GATED[0], "model_id": GATED[1], "action": "deploy"}


@pytest.fixture
def legacy_path(tmp_path):
    path = tmp_path / "old" / "eula-acceptances.sqlite3"
    path.parent.mkdir()
    legacy_file(path, [legacy_row("alice", "old-model"), legacy_row("alice", "old-model"), legacy_row("bob", "m2")])
    return path


@pytest.fixture
def server_app_settings():
    return {"identity_provider_class": HeaderIdentity}


@pytest.fixture
def jumpstart_settings(pg_url, legacy_path):
    return {"db_url": pg_url, "eula_store_path": str(legacy_path)}  # the legacy file is carried over into db_url


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def server_log(jp_serverapp):
    capture = Capture()
    loggers = [logging.getLogger(), jp_serverapp.log, logging.getLogger("jumpstart_lab")]
    for logger in loggers:
        logger.addHandler(capture)
    yield capture
    for logger in loggers:
        logger.removeHandler(capture)


def services(jp_serverapp):
    return jp_serverapp.web_app.settings["jumpstart_lab.services"]


async def wait_for(predicate, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await asyncio.to_thread(predicate):
        assert loop.time() < deadline, "condition not reached"
        await asyncio.sleep(0.1)


async def test_each_user_sees_and_counts_only_their_own_acceptances(api, jp_serverapp, pg_url) -> None:
    alice, bob = as_user(api, "alice"), as_user(api, "bob")
    store = services(jp_serverapp).eula.store
    await wait_for(lambda: store.count() >= 2)  # the old file's rows were carried over at start
    assert (await alice("POST", eula_path(*GATED), body={"action": "deploy"})).code == 201
    assert (await alice("POST", "notebooks", body=NOTEBOOK)).code == 201
    refused = await bob("POST", "notebooks", body=NOTEBOOK)
    assert refused.code == 403 and refused.json()["code"] == "EulaNotAccepted"

    mine = (await alice("GET", "eula-acceptances")).json()["acceptances"]
    assert {(r["username"], r["model_id"]) for r in mine} == {("alice", "old-model"), ("alice", GATED[1])}
    theirs = (await bob("GET", "eula-acceptances")).json()["acceptances"]
    assert [(r["username"], r["model_id"]) for r in theirs] == [("bob", "m2")]  # none of alice's rows
    csv = (await bob("GET", "eula-acceptances", params={"format": "csv"})).body.decode()
    assert "alice" not in csv and "m2" in csv
    assert store.count() == 3  # the database holds everybody's (the audit service reads them all)


async def test_the_old_acceptance_file_is_carried_over_once(jp_serverapp, legacy_path) -> None:
    from jumpstart_lab.eula.legacy import import_legacy

    store = services(jp_serverapp).eula.store
    await wait_for(lambda: store.count() == 2)
    old = store.query(username="alice")[0]
    assert old.model_id == "old-model" and old.accepted_at == datetime(2026, 3, 1, 10, 0, 0, 123456, timezone.utc)
    assert import_legacy(legacy_path, store) == 0  # a second start adds nothing
    assert store.count() == 2
    assert len(sqlite3.connect(legacy_path).execute("SELECT * FROM acceptances").fetchall()) == 3  # untouched


async def test_status_names_the_database_without_its_password(api, postgres, pg_url) -> None:
    r = await as_user(api, "alice")("GET", "status")
    assert r.code == 200
    assert postgres.password not in r.body.decode()
    database = r.json()["database"]
    assert database["backend"] == "postgresql" and database["shared"] is True
    assert database["url"] == pg_url.replace(postgres.password, "***")


async def test_acceptances_are_emitted_as_events(api, jp_serverapp) -> None:
    sink = io.StringIO()
    handler = logging.StreamHandler(sink)
    jp_serverapp.event_logger.register_handler(handler)
    try:
        alice = as_user(api, "alice")
        assert (await alice("POST", eula_path(*GATED), body={"action": "train"})).code == 201
        assert (await alice("POST", eula_path(*GATED), body={"action": "train"})).code == 201  # again: same row
    finally:
        jp_serverapp.event_logger.remove_handler(handler)
    events = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert [(e["__schema__"], e["username"], e["model_id"], e["action"], e["created"]) for e in events] == [
        (SCHEMA_ID, "alice", GATED[1], "train", True),
        (SCHEMA_ID, "alice", GATED[1], "train", False),
    ]
    assert events[0]["accepted_at"] == events[1]["accepted_at"]


async def test_database_down_refuses_gated_actions_and_recovers_by_itself(
    api, jp_serverapp, postgres, server_log
) -> None:
    alice = as_user(api, "alice")
    assert (await alice("POST", eula_path(*GATED), body={"action": "deploy"})).code == 201
    postgres.stop()
    try:
        for method, path, body in (
            ("GET", eula_path(*GATED), None),
            ("POST", eula_path(*GATED), {"action": "notebook"}),
            ("POST", "notebooks", NOTEBOOK),
            ("GET", "eula-acceptances", None),
        ):
            r = await alice(method, path, body=body)
            assert r.code == 503, (path, r.body)
            assert r.json()["code"] == "AcceptanceStoreUnavailable" and "127.0.0.1" in r.json()["message"]
            assert postgres.password not in r.body.decode()
        # browsing and open models keep working
        assert (await alice("GET", f"hubs/{GATED[0]}/models")).code == 200
        assert (await alice("GET", f"hubs/{GATED[0]}/models/{GATED[1]}")).code == 200
        r = await alice("POST", "notebooks", body={"hub": OPEN[0], "model_id": OPEN[1], "action": "deploy"})
        assert r.code == 201, r.body
        assert (await alice("GET", "status")).code == 200
    finally:
        postgres.start()
    # back: no restart, the pool replaced its dead connections (pre-ping)
    assert (await alice("POST", "notebooks", body=NOTEBOOK)).code == 201
    assert (await alice("GET", eula_path(*GATED))).json()["accepted"] is True
    assert postgres.password not in "\n".join(server_log.lines)


# -- two servers and eight writers on one database ---------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def second_server(local_service, pg_url, tmp_path):
    """Another Jupyter server process on the same database (users named by X-Test-User, as on this one)."""
    port, token = free_port(), secrets.token_hex(16)
    (tmp_path / "second").mkdir()
    config = {
        "ServerApp": {
            "jpserver_extensions": {"jumpstart_lab": True, "jupyterlab": False, "notebook": False},
            "ip": "127.0.0.1",
            "port": port,
            "port_retries": 0,
            "open_browser": False,
            "allow_root": True,
            "root_dir": str(tmp_path / "second"),
            "identity_provider_class": "eula_support.HeaderIdentity",
        },
        "IdentityProvider": {"token": token},
        "JumpStartLab": {"mode": "local", "endpoint_url": local_service, "db_url": pg_url},
    }
    path = tmp_path / "second.json"
    path.write_text(json.dumps(config))
    log = tmp_path / "second.log"
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}",
        "JUPYTER_CONFIG_DIR": str(tmp_path / "second-config"),
        "JUPYTER_DATA_DIR": str(tmp_path / "second-data"),
    }
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", f"--config={path}"], stdout=out, stderr=subprocess.STDOUT, env=env
        )
    url = f"http://127.0.0.1:{port}/jumpstart-lab/api/"

    def call(user: str, method: str, api_path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token}", "X-Test-User": user}
        return requests.request(method, url + api_path, headers=headers, timeout=60, **kwargs)

    deadline = time.monotonic() + 180
    while True:
        try:
            if call("probe", "GET", "status").status_code == 200:
                break
        except requests.RequestException:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the second server did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)
    yield call
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


async def test_two_servers_and_eightwriters_share_one_database(api, jp_serverapp, second_server, pg_url) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    writers = [ctx.Process(target=writer, args=(pg_url, w, 25, start)) for w in range(8)]
    for p in writers:
        p.start()
    start.set()  # they write while both servers accept and check
    alice, bob = as_user(api, "alice"), as_user(api, "bob")
    other = functools.partial(asyncio.to_thread, second_server)

    assert (await alice("POST", eula_path(*GATED), body={"action": "deploy"})).code == 201  # on this server
    assert (await other("alice", "GET", eula_path(*GATED))).json()["accepted"] is True  # seen by the other
    assert (await other("alice", "POST", "notebooks", json=NOTEBOOK)).status_code == 201
    refused = await other("bob", "POST", "notebooks", json=NOTEBOOK)
    assert refused.status_code == 403 and refused.json()["code"] == "EulaNotAccepted"
    assert (await other("bob", "POST", eula_path(*GATED), json={"action": "notebook"})).status_code == 201
    assert (await bob("POST", "notebooks", body=NOTEBOOK)).code == 201  # back on this server
    theirs = (await bob("GET", "eula-acceptances")).json()["acceptances"]
    assert {(r["username"], r["model_id"]) for r in theirs} == {("bob", "m2"), ("bob", GATED[1])}

    for p in writers:
        await asyncio.to_thread(p.join, 180)
        assert p.exitcode == 0
    store = services(jp_serverapp).eula.store
    await wait_for(lambda: store.count(username="alice") == 2)  # the old file's row was carried over too
    assert store.count() == 8 * 25 + 25 + 2 + 2  # writers, shared, alice and bob, the two carried-over rows
    assert len(store.query(username="shared")) == 25  # 8 writers wrote the same 25: one row each
