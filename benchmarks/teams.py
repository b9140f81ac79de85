"""Teams benchmark (issue 16): N Jupyter servers x M clients accepting EULAs and checking the gate against
one PostgreSQL, with one server killed (SIGKILL) halfway.

Starts a throwaway PostgreSQL (tests/postgres.py), the local service and ``--servers`` Jupyter servers on
it (subprocesses, loopback only), then runs ``--clients`` clients per server for ``--seconds``. Each client
is its own user (``X-Bench-User``) and loops: ``POST .../eula`` (accept a gated model for an action, with
the text's sha256) -> ``GET .../eula`` (the gate: must say accepted) -> now and then ``POST notebooks`` for a
model it has not accepted (must be refused 403 EulaNotAccepted). At ``--kill-at`` seconds server 0 is
killed; its clients stop. Afterwards every acceptance that was acknowledged (201) must be in the database
(``lost``), no key may be stored twice (``duplicates``), and no request to a live server may fail
(``errors``); all three must be 0. Reports p50/p95/p99 per step::

    .venv/bin/python benchmarks/teams.py [--servers 8] [--clients 25] [--seconds 60] [--baseline] [--json out.json]

``--baseline`` runs the same load again with each server on its own SQLite file (how acceptances were kept
before teams) and reports the PostgreSQL run's throughput and p95 as ratios to it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import aiohttp
import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from jupyter_process import free_port  # noqa: E402
from postgres import PostgresCluster  # noqa: E402

from jumpstart_lab.local.process import LocalServiceProcess  # noqa: E402

ACTIONS = ("deploy", "train", "evaluate", "notebook")
HUB = "SageMakerPublicHub"


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Server:
    """``python -m jupyter_server`` with the extension on the local service and the shared database."""

    def __init__(self, index: int, endpoint: str, db_url: str, workdir: Path) -> None:
        self.index = index
        self.endpoint = endpoint
        self.db_url = db_url
        self.workdir = workdir / f"server-{index}"
        self.workdir.mkdir()
        self.port = free_port()
        self.token = os.urandom(16).hex()
        self.api = f"http://127.0.0.1:{self.port}/jumpstart-lab/api/"
        self.proc: subprocess.Popen[bytes] | None = None
        self.killed_at: float | None = None

    def start(self) -> None:
        root = self.workdir / "root"
        root.mkdir()
        config = {
            "ServerApp": {
                "jpserver_extensions": {  # the extension alone: eight servers start faster on two cores
                    "jumpstart_lab": True,
                    "jupyterlab": False,
                    "notebook": False,
                    "notebook_shim": False,
                    "jupyter_lsp": False,
                    "jupyter_server_terminals": False,
                },
                "open_browser": False,
                "root_dir": str(root),
                "port": self.port,
                "port_retries": 0,
                "ip": "127.0.0.1",
                "allow_root": True,
                "identity_provider_class": "teams_identity.HeaderUser",
            },
            "IdentityProvider": {"token": self.token},
            "JumpStartLab": {"mode": "local", "endpoint_url": self.endpoint, "db_url": self.db_url},
        }
        path = self.workdir / "jupyter_server_config.json"
        path.write_text(json.dumps(config))
        env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT}:{ROOT / 'benchmarks'}",
            "JUPYTER_CONFIG_DIR": str(self.workdir),
            "JUPYTER_DATA_DIR": str(self.workdir / "data"),
        }
        with open(self.workdir / "server.log", "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyter_server", f"--config={path}"],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )

    def wait(self) -> None:
        deadline = time.monotonic() + 600
        headers = {"Authorization": f"token {self.token}", "X-Bench-User": "probe"}
        while time.monotonic() < deadline:
            try:
                if requests.get(self.api + "status", headers=headers, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc is not None and self.proc.poll() is not None:
                break
            time.sleep(0.3)
        raise RuntimeError(f"server {self.index} did not start; see {self.workdir / 'server.log'}")

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.killed_at = time.monotonic()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.acknowledged: set[tuple[str, str, str]] = set()  # (user, model, action) answered 201
        self.on_killed_server = 0  # requests that failed because their server was killed (expected)
        self.refused = 0  # gate checks answered 403 EulaNotAccepted (expected)

    def all(self) -> list[float]:
        return [v for values in self.latency.values() for v in values]


class Client:
    def __init__(self, server: Server, index: int, gated: list[str], session: aiohttp.ClientSession, stats: Stats):
        self.server = server
        self.user = f"s{server.index}-u{index}"
        self.random = random.Random(f"{server.index}-{index}")
        self.todo = [(m, a) for m in gated[:-1] for a in ACTIONS]  # the last one is never accepted
        self.random.shuffle(self.todo)
        self.locked = gated[-1]
        self.session = session
        self.stats = stats
        self.headers = {"Authorization": f"token {server.token}", "X-Bench-User": self.user}

    async def call(self, step: str, method: str, path: str, body: Any = None) -> tuple[int, Any] | None:
        started = time.perf_counter()
        try:
            async with self.session.request(method, self.server.api + path, json=body, headers=self.headers) as r:
                payload = await r.read()
                status = r.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            if self.server.killed_at is not None:
                self.stats.on_killed_server += 1
            else:
                self.stats.errors.append(f"{self.user} {method} {path}: {type(exc).__name__} {exc}")
            return None
        self.stats.latency[step].append(time.perf_counter() - started)
        return status, json.loads(payload) if payload else None

    async def iteration(self, n: int) -> None:
        model, action = self.todo[n % len(self.todo)]
        path = f"hubs/{HUB}/models/{model}/eula"
        done = await self.call("accept", "POST", path, {"action": action})
        if done is None:
            return
        if done[0] != 201:
            self.stats.errors.append(f"{self.user} accept {model} {action} -> {done[0]} {done[1]}")
            return
        self.stats.acknowledged.add((self.user, model, action))
        gate = await self.call("gate: GET eula", "GET", path)
        if gate is not None and (gate[0] != 200 or gate[1]["accepted"] is not True):
            self.stats.errors.append(f"{self.user} gate {model} -> {gate[0]} {gate[1]}")
        if n % 4 == 3:  # a model this user never accepted stays locked
            body = {"hub": HUB, "model_id": self.locked, "action": "deploy"}
            refused = await self.call("gate: refused notebook", "POST", "notebooks", body)
            if refused is not None and (refused[0] != 403 or refused[1]["code"] != "EulaNotAccepted"):
                self.stats.errors.append(f"{self.user} refused-notebook -> {refused[0]} {refused[1]}")
            elif refused is not None:
                self.stats.refused += 1

    async def run(self, until: float) -> None:
        n = 0
        while time.monotonic() < until and self.server.killed_at is None:
            await self.iteration(n)
            n += 1


async def load(servers: list[Server], clients: int, gated: list[str], seconds: float, kill_at: float) -> Stats:
    stats = Stats()
    connector = aiohttp.TCPConnector(limit=len(servers) * clients)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120), connector=connector) as session:
        until = time.monotonic() + seconds
        everyone = [Client(s, i, gated, session, stats) for s in servers for i in range(clients)]

        async def killer() -> None:
            await asyncio.sleep(kill_at)
            servers[0].kill()

        task = asyncio.ensure_future(killer())
        await asyncio.gather(*(c.run(until) for c in everyone))
        await task
    return stats


def check_database(db_url: str, stats: Stats) -> dict[str, int]:
    """Rows and duplicated keys in one database (``lost`` is computed over every database of the run)."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT username, model_id, action FROM jumpstart_lab_acceptances")).all()
            duplicates = conn.execute(
                sa.text(
                    "SELECT count(*) FROM (SELECT 1 FROM jumpstart_lab_acceptances GROUP BY username, hub_arn, "
                    "model_id, version, sha256, action HAVING count(*) > 1) d"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    stored = {tuple(r) for r in rows}
    return {"rows": len(rows), "lost": len(stats.acknowledged - stored), "duplicates": int(duplicates)}


def summary(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 1),
        "p95_ms": round(percentile(values, 95) * 1000, 1),
        "p99_ms": round(percentile(values, 99) * 1000, 1),
    }


def phase(args: argparse.Namespace, kill_at: float, *, shared: bool) -> dict[str, Any]:
    """One run: every server on one PostgreSQL (``shared``), or each on its own SQLite file (the baseline:
    how servers kept acceptances before teams)."""
    cluster = PostgresCluster() if shared else None
    local = LocalServiceProcess()
    endpoint = local.start()
    work = Path(tempfile.mkdtemp(prefix="jumpstart-teams-bench-"))
    urls = [cluster.url if cluster else f"sqlite:///{work}/own-{i}.sqlite3" for i in range(args.servers)]
    servers = [Server(i, endpoint, urls[i], work) for i in range(args.servers)]
    try:
        for s in servers:
            s.start()  # all at once: on PostgreSQL the migration runs once, under the advisory lock
        for s in servers:
            s.wait()
        probe = {"Authorization": f"token {servers[0].token}", "X-Bench-User": "probe"}
        page = requests.get(
            servers[0].api + f"hubs/{HUB}/models", params={"gated": "true", "limit": "100"}, headers=probe, timeout=300
        ).json()
        gated = [m["model_id"] for m in page["models"]][:9]
        for s in servers[1:]:  # warm every server's catalog before the clock starts
            headers = {"Authorization": f"token {s.token}", "X-Bench-User": "probe"}
            requests.get(s.api + f"hubs/{HUB}/models", headers=headers, timeout=300).raise_for_status()
        started = time.monotonic()
        stats = asyncio.run(load(servers, args.clients, gated, args.seconds, kill_at))
        elapsed = time.monotonic() - started
        checks = [check_database(url, stats) for url in sorted(set(urls))]
        stored_keys = stats_rows(urls)
    finally:
        for s in servers:
            s.stop()
        local.stop()
        if cluster is not None:
            cluster.destroy()
    stored = sum(c["rows"] for c in checks)
    every = stats.all()
    return {
        "database": "one PostgreSQL" if shared else "a SQLite file per server (baseline)",
        "seconds": round(elapsed, 1),
        "killed": f"server 0 at {kill_at:.0f} s",
        "requests": len(every),
        "throughput_rps": round(len(every) / elapsed, 1),
        "acknowledged_acceptances": len(stats.acknowledged),
        "errors": len(stats.errors),
        "error_samples": stats.errors[:10],
        "failed_on_killed_server": stats.on_killed_server,
        "refused_as_expected": stats.refused,
        "rows": stored,
        "lost": len(stats.acknowledged - stored_keys),
        "duplicates": sum(c["duplicates"] for c in checks),
        "overall": summary(every),
        "steps": {step: summary(values) for step, values in sorted(stats.latency.items())},
    }


def stats_rows(urls: list[str]) -> set[tuple]:
    found: set[tuple] = set()
    for url in sorted(set(urls)):
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                query = sa.text("SELECT username, model_id, action FROM jumpstart_lab_acceptances")
                found |= {tuple(r) for r in conn.execute(query)}
        finally:
            engine.dispose()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=8)
    parser.add_argument("--clients", type=int, default=25, help="per server")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--kill-at", type=float, default=None, help="seconds (default: half of --seconds)")
    parser.add_argument("--baseline", action="store_true", help="also run with a SQLite file per server, then compare")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    args.servers, args.clients, args.seconds = min(args.servers, 16), min(args.clients, 50), min(args.seconds, 600)
    kill_at = args.kill_at if args.kill_at is not None else args.seconds / 2

    result: dict[str, Any] = {"servers": args.servers, "clients_per_server": args.clients}
    result["postgresql"] = phase(args, kill_at, shared=True)
    if args.baseline:
        result["baseline"] = phase(args, kill_at, shared=False)
        pg, base = result["postgresql"], result["baseline"]
        result["ratio_postgresql_to_baseline"] = {
            "throughput": round(pg["throughput_rps"] / base["throughput_rps"], 2),
            "p95": round(pg["overall"]["p95_ms"] / base["overall"]["p95_ms"], 2),
        }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    runs = [r for r in (result["postgresql"], result.get("baseline")) if r]
    return 0 if all(r["errors"] == 0 and r["lost"] == 0 and r["duplicates"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
