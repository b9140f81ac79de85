"""Browse benchmark: the hub browsing API vs the SageMaker SDK's own approach, on the same service.

Starts the local service with ``JUMPSTART_LAB_LOCAL_LATENCY_MS`` (default 100) and
``JUMPSTART_LAB_LOCAL_EXTRA_MODELS`` (default 1000), then Jupyter servers with the extension
on it, and prints:

- cold first page: ``GET hubs/SageMakerPublicHub/models`` on a fresh server;
- cold full catalog: a filtered query (``provider=meta``) on a fresh server;
- warm search and filter p50/p95 (varied queries, after the catalog is loaded);
- ``GET status`` p95 while 50 clients load cold hubs (``refresh=true`` on every hub, in a loop).

The SDK figures: ``sagemaker.core.jumpstart.search.search_public_hub_models`` (lists every page,
filters keywords in Python; nothing is cached, so cold and warm cost the same) and
``Hub(...).list_models()`` for private hubs; for ``status`` under load, a minimal tornado server
that runs the SDK search on a 32-thread pool (the straightforward design) and answers ``status``
through the same pool.

Usage: ``.venv/bin/python benchmarks/browse.py [--latency-ms 100] [--extra-models 1000] [--trials 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jumpstart_lab.local.process import LocalServiceProcess  # noqa: E402

PUBLIC = "SageMakerPublicHub"
HUBS = (PUBLIC, "CompanyHub", "ResearchHub", "arn:aws:sagemaker:us-west-2:111122223333:hub/PartnerHub")
WARM_QUERIES: list[dict[str, str]] = [
    {"q": "llama"},
    {"provider": "meta"},
    {"task": "text-generation", "limit": "100"},
    {"gated": "true"},
    {"q": "instruct", "trainable": "true"},
    {"license": "Apache 2.0"},
    {"instance_type": "ml.g5.2xlarge"},
    {"sort": "newest"},
    {"model_type": "proprietary"},
    {"q": "synthetic text embedding", "limit": "200"},
]
SETTLE_SECONDS = 2.0
SDK_QUERIES = ["llama", "@provider:meta", "@task:text-generation", "Gated", "*instruct*"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


class LabServer:
    """A Jupyter server with the extension, pointed at ``endpoint`` (subprocess)."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.port = free_port()
        self.token = "bench-token"
        self.tmp = tempfile.TemporaryDirectory(prefix="jumpstart-bench-")
        self.base = f"http://127.0.0.1:{self.port}/jumpstart-lab/api/"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {self.token}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> LabServer:
        config = {
            "ServerApp": {"jpserver_extensions": {"jumpstart_lab": True}, "token": self.token, "open_browser": False,
                          "root_dir": self.tmp.name, "port": self.port, "ip": "127.0.0.1", "allow_root": True},
            "IdentityProvider": {"token": self.token},
            "JumpStartLab": {"mode": "local", "endpoint_url": self.endpoint,
                             "eula_store_path": str(Path(self.tmp.name) / "eula.sqlite3")},
        }  # fmt: skip
        path = Path(self.tmp.name) / "jupyter_server_config.json"
        path.write_text(json.dumps(config))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTER_CONFIG_DIR": self.tmp.name}
        log = open(Path(self.tmp.name) / "server.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", f"--config={path}"], stdout=log, stderr=subprocess.STDOUT, env=env
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.session.get(self.base + "status", timeout=2).status_code == 200:
                    time.sleep(SETTLE_SECONDS)  # cold catalog, not a process still importing
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("the Jupyter server did not start; see " + str(Path(self.tmp.name) / "server.log"))

    def get(self, path: str, **params: str) -> tuple[float, dict[str, Any]]:
        t0 = time.perf_counter()
        r = self.session.get(self.base + path, params=params, timeout=120)
        elapsed = time.perf_counter() - t0
        r.raise_for_status()
        return elapsed, r.json()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.tmp.cleanup()


def start_service(env: dict[str, str], summary_facts: bool) -> tuple[str, Callable[[], None]]:
    """The local service (or its what-if variant, ``summary_facts.py``): (endpoint URL, stop)."""
    if not summary_facts:
        service = LocalServiceProcess(env=env)
        return service.start(), service.stop
    tmp = tempfile.TemporaryDirectory(prefix="jumpstart-bench-svc-")
    ready = Path(tmp.name) / "ready"
    log = open(Path(tmp.name) / "service.log", "wb")
    script = str(Path(__file__).with_name("summary_facts.py"))
    proc = subprocess.Popen(
        [sys.executable, script, "--port", "0", "--ready-file", str(ready)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the local service did not start; see " + str(Path(tmp.name) / "service.log"))
        time.sleep(0.05)

    def stop() -> None:
        proc.terminate()
        proc.wait(timeout=20)
        tmp.cleanup()

    return ready.read_text().strip(), stop


def sdk_session(endpoint: str) -> Any:
    """A SageMaker SDK (v3) session on the local service."""
    import boto3
    from sagemaker.core.helper.session_helper import Session

    boto = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-west-2")
    client = boto.client("sagemaker", endpoint_url=endpoint)
    return Session(boto_session=boto, sagemaker_client=client)


def sdk_search(session: Any, query: str) -> int:
    from sagemaker.core.jumpstart.search import search_public_hub_models

    return len(search_public_hub_models(query, sagemaker_session=session))


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def status_under_load(status: Callable[[], Any], load: Callable[[int], Any], seconds: float) -> list[float]:
    """``status`` latencies (every 20 ms) while 50 threads call ``load(i)`` in a loop."""
    stop = threading.Event()

    def client(i: int) -> None:
        while not stop.is_set():
            try:
                load(i)
            except Exception:
                continue

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(50)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # let the load build up
    latencies = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        latencies.append(timed(status))
        time.sleep(0.02)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    return latencies


# -- baseline server: the SDK search on a thread pool, status through the same pool ----------
def baseline_server(port: int, endpoint: str) -> None:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import tornado.web

    pool = ThreadPoolExecutor(max_workers=32)
    local = threading.local()

    def session() -> Any:
        if not hasattr(local, "session"):
            local.session = sdk_session(endpoint)
        return local.session

    class Status(tornado.web.RequestHandler):
        async def get(self) -> None:
            loop = asyncio.get_running_loop()
            self.write(await loop.run_in_executor(pool, lambda: {"mode": "local", "region": "us-west-2"}))

    class Search(tornado.web.RequestHandler):
        async def get(self) -> None:
            loop = asyncio.get_running_loop()
            count = await loop.run_in_executor(pool, lambda: sdk_search(session(), self.get_argument("q", "*")))
            self.write({"total": count})

    async def main() -> None:
        tornado.web.Application([(r"/status", Status), (r"/search", Search)]).listen(port, "127.0.0.1")
        await asyncio.Event().wait()

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--extra-models", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--load-seconds", type=float, default=8.0)
    parser.add_argument(
        "--summary-facts",
        action="store_true",
        help="what-if: the hub's summaries carry every list-page fact as keywords (benchmarks/summary_facts.py)",
    )
    parser.add_argument("--baseline-server", nargs=2, metavar=("PORT", "ENDPOINT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_server:
        baseline_server(int(args.baseline_server[0]), args.baseline_server[1])
        return

    env = {"JUMPSTART_LAB_LOCAL_LATENCY_MS": str(args.latency_ms),
           "JUMPSTART_LAB_LOCAL_EXTRA_MODELS": str(args.extra_models)}  # fmt: skip
    endpoint, stop_service = start_service(env, args.summary_facts)
    rows: list[tuple[str, float, float]] = []
    try:
        session = sdk_session(endpoint)
        total = sdk_search(session, "*")
        facts = "every list-page fact in the summaries" if args.summary_facts else "the demo catalog's keywords"
        print(f"local service {endpoint}: {total} public models, {args.latency_ms} ms per AWS call, {facts}\n")

        # cold first page and cold full catalog: a fresh server each time
        first, full = [], []
        for _ in range(args.trials):
            server = LabServer(endpoint).start()
            try:
                first.append(server.get(f"hubs/{PUBLIC}/models", limit="50")[0])
            finally:
                server.stop()
            server = LabServer(endpoint).start()
            try:
                elapsed, page = server.get(f"hubs/{PUBLIC}/models", provider="meta")
                assert page["complete"], page
                full.append(elapsed)
            finally:
                server.stop()
        sdk_first = [timed(lambda: sdk_search(session, "*")) for _ in range(args.trials)]
        sdk_full = [timed(lambda: sdk_search(session, "@provider:meta")) for _ in range(args.trials)]
        rows.append(("cold first page (median)", statistics.median(first), statistics.median(sdk_first)))
        rows.append(("cold full catalog, filtered (median)", statistics.median(full), statistics.median(sdk_full)))

        # warm search and status under load: one server
        server = LabServer(endpoint).start()
        try:
            server.get(f"hubs/{PUBLIC}/models", provider="meta")
            warm = [server.get(f"hubs/{PUBLIC}/models", **WARM_QUERIES[i % len(WARM_QUERIES)])[0] for i in range(300)]
            sdk_warm = [timed(lambda q=q: sdk_search(session, q)) for q in SDK_QUERIES * 2]
            rows.append(("warm search p50", pct(warm, 50), pct(sdk_warm, 50)))
            rows.append(("warm search p95", pct(warm, 95), pct(sdk_warm, 95)))

            def lab_load(i: int) -> None:
                server.session.get(server.base + f"hubs/{HUBS[i % len(HUBS)]}/models",
                                   params={"refresh": "true", "gated": "true"}, timeout=120)  # fmt: skip

            lab_status = status_under_load(lambda: server.get("status"), lab_load, args.load_seconds)
        finally:
            server.stop()
        port = free_port()
        baseline = subprocess.Popen([sys.executable, __file__, "--baseline-server", str(port), endpoint])
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    requests.get(f"{base}/status", timeout=2)
                    break
                except requests.RequestException:
                    time.sleep(0.2)
            sdk_status = status_under_load(
                lambda: requests.get(f"{base}/status", timeout=120),
                lambda i: requests.get(f"{base}/search", params={"q": SDK_QUERIES[i % len(SDK_QUERIES)]}, timeout=300),
                args.load_seconds,
            )
        finally:
            baseline.terminate()
            baseline.wait(timeout=20)
        rows.append(("GET status p95, 50 clients loading cold hubs", pct(lab_status, 95), pct(sdk_status, 95)))
    finally:
        stop_service()

    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  {'jumpstart-lab':>14}  {'SageMaker SDK':>14}  {'SDK / ours':>10}")
    for name, ours, sdk in rows:
        print(f"{name:{width}}  {ms(ours):>14}  {ms(sdk):>14}  {sdk / ours:>9.1f}x")


if __name__ == "__main__":
    main()
