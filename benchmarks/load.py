"""Load test (issue 7): concurrent users through browse -> details -> EULA -> notebook.

Starts the local service with ``JUMPSTART_LAB_LOCAL_LATENCY_MS`` (default 100) and one Jupyter
server with the extension on it (subprocesses, loopback only), warms nothing on purpose
except the server's start, then runs ``--clients`` concurrent clients for ``--seconds``.
Each client loops over one user journey:

1. ``GET hubs``; ``GET hubs/{hub}/models`` with a varied search/filter/page;
2. ``GET hubs/{hub}/models/{model}`` (details);
3. ``GET .../eula``; for a gated model ``POST .../eula`` (accept, with the text's sha256);
4. ``POST notebooks`` (deploy, train when supported, or evaluate).

Reports throughput, p50/p95/p99 per step and overall, the error count (must be zero) and the
server's RSS before and after (plus the highest seen), as text and, with ``--json``, as JSON::

    .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 60] [--latency-ms 100] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import aiohttp
import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jumpstart_lab.local.process import LocalServiceProcess  # noqa: E402

MAX_CLIENTS = 200
MAX_SECONDS = 600
# RSS may rise while the bounded caches fill (the first 10 s sample); after that, more than this many MB per
# minute of steady load is a leak, and the run fails.
STEADY_GROWTH_LIMIT_MB_PER_MIN = 15.0
HUBS = ("SageMakerPublicHub", "CompanyHub", "ResearchHub")
QUERIES: list[dict[str, str]] = [
    {},
    {"q": "llama"},
    {"q": "mistral", "limit": "10"},
    {"gated": "true"},
    {"trainable": "true", "sort": "newest"},
    {"task": "text-generation"},
    {"model_type": "open_weights", "limit": "100"},
    {"instance_type": "ml.g5.12xlarge"},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class JupyterServer:
    """``python -m jupyter_server`` with the extension, on 127.0.0.1, pointed at the local service."""

    def __init__(self, endpoint: str, workdir: Path) -> None:
        self.endpoint = endpoint
        self.workdir = workdir
        self.port = free_port()
        self.token = os.urandom(16).hex()
        self.api = f"http://127.0.0.1:{self.port}/jumpstart-lab/api/"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def start(self) -> None:
        root = self.workdir / "root"
        root.mkdir()
        config = {
            "ServerApp": {
                "jpserver_extensions": {"jumpstart_lab": True},
                "open_browser": False,
                "root_dir": str(root),
                "port": self.port,
                "port_retries": 0,
                "ip": "127.0.0.1",
                "allow_root": True,
            },
            "IdentityProvider": {"token": self.token},
            "JumpStartLab": {
                "mode": "local",
                "endpoint_url": self.endpoint,
                "eula_store_path": str(self.workdir / "eula.sqlite3"),
            },
        }
        path = self.workdir / "jupyter_server_config.json"
        path.write_text(json.dumps(config))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTER_CONFIG_DIR": str(self.workdir)}
        with open(self.workdir / "server.log", "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyter_server", f"--config={path}"],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(self.api + "status", headers=self.headers, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"the Jupyter server did not start; see {self.workdir / 'server.log'}")

    def rss_mb(self) -> float:
        assert self.proc is not None
        return psutil.Process(self.proc.pid).memory_info().rss / 2**20

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.journeys = 0
        self.rss_timeline: list[float] = []  # MB, every 10 s

    def add(self, step: str, seconds: float) -> None:
        self.latency[step].append(seconds)

    def all(self) -> list[float]:
        return [v for values in self.latency.values() for v in values]


class Client:
    """One simulated user: an HTTP session and a random generator of its own (seeded)."""

    def __init__(self, index: int, server: JupyterServer, session: aiohttp.ClientSession, stats: Stats) -> None:
        self.random = random.Random(index)
        self.server = server
        self.session = session
        self.stats = stats

    async def call(self, step: str, method: str, path: str, *, params: dict | None = None, body: Any = None) -> Any:
        started = time.perf_counter()
        try:
            async with self.session.request(
                method, self.server.api + path, params=params, json=body, headers=self.server.headers
            ) as r:
                payload = await r.read()
                status = r.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            self.stats.errors.append(f"{method} {path}: {type(exc).__name__} {exc}")
            return None
        self.stats.add(step, time.perf_counter() - started)
        if status >= 400:
            self.stats.errors.append(f"{method} {path} -> {status} {payload[:200]!r}")
            return None
        return json.loads(payload)

    async def journey(self) -> None:
        hubs = await self.call("browse: hubs", "GET", "hubs")
        if hubs is None:
            return
        hub = self.random.choice(HUBS)
        query = dict(self.random.choice(QUERIES))
        page = await self.call("browse: models", "GET", f"hubs/{hub}/models", params=query)
        if not page or not page["models"]:
            page = await self.call("browse: models", "GET", f"hubs/{hub}/models")
        if not page or not page["models"]:
            return
        model = self.random.choice(page["models"])
        detail = await self.call("details", "GET", f"hubs/{hub}/models/{model['model_id']}")
        if detail is None:
            return
        eula_path = f"hubs/{hub}/models/{model['model_id']}/eula"
        eula = await self.call("eula: get", "GET", eula_path)
        if eula is None:
            return
        action = self.random.choice(["deploy", "evaluate", "train" if detail.get("trainable") else "deploy"])
        if eula["required"]:
            accepted = await self.call(
                "eula: accept", "POST", eula_path, body={"action": action, "sha256": eula["sha256"]}
            )
            if accepted is None:
                return
        body = {"hub": hub, "model_id": model["model_id"], "action": action}
        if await self.call("notebook", "POST", "notebooks", body=body) is not None:
            self.stats.journeys += 1

    async def run(self, until: float) -> None:
        while time.monotonic() < until:
            await self.journey()


async def load(server: JupyterServer, clients: int, seconds: float) -> tuple[Stats, float, float]:
    stats = Stats()
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=clients)
    peak = server.rss_mb()
    timeline: list[float] = []

    async def sample() -> None:
        nonlocal peak
        tick = 0
        while True:
            rss = server.rss_mb()
            peak = max(peak, rss)
            if tick % 10 == 0:
                timeline.append(round(rss, 1))
            tick += 1
            await asyncio.sleep(1)

    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.monotonic()
        sampler = asyncio.ensure_future(sample())
        until = started + seconds
        await asyncio.gather(*(Client(i, server, session, stats).run(until) for i in range(clients)))
        sampler.cancel()
        elapsed = time.monotonic() - started
    stats.rss_timeline = timeline
    return stats, elapsed, peak


def report(stats: Stats, elapsed: float, args: argparse.Namespace, rss: dict[str, float]) -> dict[str, Any]:
    def summary(values: list[float]) -> dict[str, float]:
        return {
            "count": len(values),
            "p50_ms": round(percentile(values, 50) * 1000, 1),
            "p95_ms": round(percentile(values, 95) * 1000, 1),
            "p99_ms": round(percentile(values, 99) * 1000, 1),
        }

    every = stats.all()
    return {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "aws_latency_ms": args.latency_ms,
        "requests": len(every),
        "throughput_rps": round(len(every) / elapsed, 1),
        "journeys": stats.journeys,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:10],
        "overall": summary(every),
        "steps": {step: summary(values) for step, values in sorted(stats.latency.items())},
        "server_rss_mb": {k: round(v, 1) for k, v in rss.items()},
        "server_rss_every_10s_mb": stats.rss_timeline,
        "steady_growth_mb_per_min": steady_growth(stats.rss_timeline),
    }


def steady_growth(timeline: list[float]) -> float | None:
    """RSS growth per minute after warm-up (from the 10 s sample to the last one); None for runs under 30 s."""
    if len(timeline) < 4:
        return None
    return round((timeline[-1] - timeline[1]) / ((len(timeline) - 2) * 10 / 60), 1)


def print_report(result: dict[str, Any]) -> None:
    print(
        f"{result['clients']} clients, {result['seconds']} s, AWS latency {result['aws_latency_ms']} ms: "
        f"{result['requests']} requests ({result['throughput_rps']} req/s), {result['journeys']} journeys, "
        f"{result['errors']} errors"
    )
    print(f"{'step':<16}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for step, s in [*result["steps"].items(), ("overall", result["overall"])]:
        print(f"{step:<16}{s['count']:>8}{s['p50_ms']:>10}{s['p95_ms']:>10}{s['p99_ms']:>10}")
    rss = result["server_rss_mb"]
    print(f"server RSS: {rss['before']} MB before, {rss['peak']} MB peak, {rss['after']} MB after")
    print("server RSS every 10 s (MB):", " ".join(str(v) for v in result["server_rss_every_10s_mb"]))
    growth = result["steady_growth_mb_per_min"]
    if growth is not None:
        print(f"RSS growth after warm-up: {growth} MB/min (limit {STEADY_GROWTH_LIMIT_MB_PER_MIN})")
    for sample in result["error_samples"]:
        print("error:", sample)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS or not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--clients must be 1..{MAX_CLIENTS} and --seconds 1..{MAX_SECONDS}")

    with tempfile.TemporaryDirectory(prefix="jumpstart-load-") as tmp:
        service = LocalServiceProcess(env={"JUMPSTART_LAB_LOCAL_LATENCY_MS": str(args.latency_ms)})
        endpoint = service.start()
        server = JupyterServer(endpoint, Path(tmp))
        try:
            server.start()
            before = server.rss_mb()
            stats, elapsed, peak = asyncio.run(load(server, args.clients, args.seconds))
            time.sleep(2)  # let finished jobs be collected
            rss = {"before": before, "peak": peak, "after": server.rss_mb()}
            notebooks = sum(1 for _ in (Path(tmp) / "root").rglob("*.ipynb"))
        finally:
            server.stop()
            service.stop()
    result = report(stats, elapsed, args, rss)
    result["notebooks_written"] = notebooks
    print_report(result)
    print(f"notebooks written: {notebooks}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    leaking = (result["steady_growth_mb_per_min"] or 0) > STEADY_GROWTH_LIMIT_MB_PER_MIN
    return 1 if result["errors"] or leaking else 0


if __name__ == "__main__":
    sys.exit(main())
