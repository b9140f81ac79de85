"""Starting and stopping the local service: LocalServiceProcess, the CLI, and the missing-moto error."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

import pytest
from jupyter_process import free_port

from jumpstart_lab.local import moto_backend, process
from jumpstart_lab.local.process import LocalServiceProcess


def test_fixed_port_log_file_and_stop(tmp_path):
    port = free_port()
    log = tmp_path / "service.log"
    proc = LocalServiceProcess(port=port, log_path=log)
    url = proc.start()
    try:
        assert url == f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{url}/_emu/health") as resp:
            assert resp.status == 200
        text = log.read_text()
        assert f"export AWS_ENDPOINT_URL={url}" in text and "AWS_DEFAULT_REGION=us-west-2" in text
        assert proc.start() == url  # idempotent while running
        for _ in range(20):
            urllib.request.urlopen(f"{url}/_emu/health").read()
        assert "GET /_emu/health" not in log.read_text()  # no per-request lines (werkzeug logging silenced)
    finally:
        proc.stop()
    assert not proc.running
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/_emu/health", timeout=2)


def test_cli_help_names_the_local_command():
    out = subprocess.run([sys.executable, "-m", "jumpstart_lab.cli", "local", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "--port" in out.stdout


def test_the_module_and_the_subcommand_take_the_same_options():
    module = subprocess.run([sys.executable, "-m", "jumpstart_lab.local", "--help"], capture_output=True, text=True)
    assert module.returncode == 0
    assert all(option in module.stdout for option in ("--port", "--ready-file", "--log-level"))


def test_missing_moto_in_this_interpreter(monkeypatch):
    real = process.importlib.util.find_spec
    monkeypatch.setattr(
        process.importlib.util, "find_spec", lambda name, *a: None if name == "moto" else real(name, *a)
    )
    with pytest.raises(RuntimeError, match=r"pip install 'jumpstart_lab\[local\]'"):
        LocalServiceProcess().start()


def test_missing_moto_in_the_child(tmp_path):
    blocker = tmp_path / "moto"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('No module named moto (blocked by the test)')\n")
    proc = LocalServiceProcess(env={"PYTHONPATH": str(tmp_path)})
    with pytest.raises(RuntimeError) as exc:
        proc.start()
    assert "pip install 'jumpstart_lab[local]'" in str(exc.value)


def test_require_moto_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "moto", None)
    with pytest.raises(RuntimeError, match=r"moto\[server\]==5\.2\.5.*pip install 'jumpstart_lab\[local\]'"):
        moto_backend.require_moto()
