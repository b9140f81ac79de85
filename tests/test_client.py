"""The kernel-side client: server discovery, token handling, errors, and the Python API,
against the real server (pytest-jupyter) on the local service."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys

import pytest

from jumpstart_lab.client import ApiError, JumpStartClient, ServerInfo, ServerNotFound, discover_server
from jumpstart_lab.client import api as pyapi

PUBLIC = "SageMakerPublicHub"
GATED = "meta-textgeneration-llama-2-13b-f"


# -- discovery (no server needed) ---------------------------------------------------------


def _write_server(runtime, pid: int, port: int, token: str) -> None:
    info = {
        "url": f"http://127.0.0.1:{port}/",
        "base_url": "/",
        "token": token,
        "pid": pid,
        "port": port,
        "root_dir": "/tmp",
        "secure": False,
        "sock": "",
        "password": False,
        "hostname": "127.0.0.1",
        "version": "2",
    }
    path = runtime / f"jpserver-{pid}.json"
    path.write_text(json.dumps(info))
    path.chmod(0o600)


def test_env_override_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    _write_server(tmp_path, os.getpid(), 9999, "file-token")
    env = {
        "JUMPSTART_SERVER_URL": "http://remote:8888/base",
        "JUPYTER_TOKEN": "env-token",
        "JPY_PARENT_PID": str(os.getpid()),
    }
    info = discover_server(env)
    assert info.url == "http://remote:8888/base/"
    assert info.token == "env-token"


def test_runtime_file_of_parent_server_is_chosen(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    _write_server(tmp_path, os.getpid(), 8001, "mine")
    _write_server(tmp_path, os.getppid(), 8002, "parent")
    info = discover_server({"JPY_PARENT_PID": str(os.getppid())})
    assert info == ServerInfo("http://127.0.0.1:8002/", "parent")


def test_no_server_is_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    with pytest.raises(ServerNotFound) as err:
        discover_server({})
    assert "No running Jupyter server" in err.value.message
    assert "JUMPSTART_SERVER_URL" in err.value.message


def test_ambiguous_servers_without_parent_pid(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    _write_server(tmp_path, os.getpid(), 8001, "a")
    _write_server(tmp_path, os.getppid(), 8002, "b")
    with pytest.raises(ServerNotFound):
        discover_server({"JPY_PARENT_PID": "1"})


def test_token_stays_out_of_reprs():
    secret = "s3cr3t-token-value"
    info = ServerInfo("http://127.0.0.1:1/", secret)
    client = JumpStartClient("http://127.0.0.1:1/", token=secret)
    assert secret not in repr(info) and secret not in str(info)
    assert secret not in repr(client)
    assert client.url_for("lab/tree/x.ipynb") == "http://127.0.0.1:1/lab/tree/x.ipynb"


def test_unreachable_server_is_server_not_found():
    client = JumpStartClient("http://127.0.0.1:9/", token="t", timeout=2)
    with pytest.raises(ServerNotFound) as err:
        client.status()
    assert "cannot be reached" in err.value.message


# -- against the server ---------------------------------------------------------------------


async def test_status_and_hubs(jumpstart_client):
    status = await asyncio.to_thread(jumpstart_client.status)
    assert status["mode"] == "local"
    hubs = await asyncio.to_thread(jumpstart_client.hubs)
    assert PUBLIC in [h["name"] for h in hubs["hubs"]]


async def test_server_errors_carry_code_and_message(jumpstart_client):
    with pytest.raises(ApiError) as err:
        await asyncio.to_thread(jumpstart_client.model, PUBLIC, "no-such-model-anywhere")
    assert err.value.status == 404
    assert err.value.code == "NotFound" or err.value.code.endswith("NotFound")
    assert err.value.message and "Traceback" not in err.value.message

    with pytest.raises(ApiError) as err:
        await asyncio.to_thread(jumpstart_client.models, "bad hub!")
    assert err.value.status == 400
    assert err.value.message


async def test_wrong_token_is_refused(jumpstart_client):
    other = JumpStartClient(jumpstart_client.server_url, token="wrong-token")
    with pytest.raises(ApiError) as err:
        await asyncio.to_thread(other.status)
    assert err.value.status == 403
    assert err.value.message


async def test_token_not_logged(jumpstart_client, jp_serverapp, caplog):
    token = jp_serverapp.identity_provider.token
    with caplog.at_level(logging.DEBUG):
        await asyncio.to_thread(jumpstart_client.models, PUBLIC, q="llama", limit=2)
    assert token not in caplog.text


async def test_python_api(jumpstart_client):
    pyapi.set_client(jumpstart_client)
    try:
        hubs = await asyncio.to_thread(pyapi.hubs)
        assert PUBLIC in [h.name for h in hubs]
        public = next(h for h in hubs if h.name == PUBLIC)
        assert public.kind == "public"
        assert repr(public).startswith("Hub(name='SageMakerPublicHub'")
        assert "hubs" in repr(hubs)

        found = await asyncio.to_thread(pyapi.models, PUBLIC, q="llama", gated=True, limit=5)
        assert 0 < len(found) <= 5 and found.total >= len(found)
        assert all(m.gated for m in found)
        assert all("llama" in (m.model_id + (m.display_name or "")).lower() for m in found)
        assert "models" in repr(found) and found[0].model_id in repr(found)
        assert isinstance(found.facets, dict)

        detail = await asyncio.to_thread(pyapi.model, PUBLIC, GATED)
        assert detail.model_id == GATED and detail.gated is True
        assert detail.eula["required"] is True
        assert f"model_id='{GATED}'" in repr(detail)
        assert detail.to_dict()["inference"]["supported_instance_types"]
        with pytest.raises(AttributeError):
            detail.model_id = "x"
    finally:
        pyapi.set_client(None)


async def test_top_level_api_in_a_fresh_kernel_process(jumpstart_client, jp_serverapp):
    """What a notebook user types, in a fresh interpreter that finds the server through the environment."""
    code = (
        "import jumpstart_lab as j\n"
        "hubs = j.hubs()\n"
        "print(repr(hubs))\n"
        "found = j.models('SageMakerPublicHub', q='llama', gated=True, limit=3)\n"
        "print(repr(found))\n"
        f"print(repr(j.model('SageMakerPublicHub', '{GATED}')))\n"
    )
    env = dict(
        os.environ,
        JUMPSTART_SERVER_URL=jumpstart_client.server_url,
        JUPYTER_TOKEN=jp_serverapp.identity_provider.token,
        PYTHONPATH=os.getcwd(),
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    text = out.decode()
    assert "SageMakerPublicHub" in text and "public" in text
    assert "of" in text and "models" in text and "gated" in text
    assert f"Model(model_id='{GATED}'" in text
    assert jp_serverapp.identity_provider.token not in text
