"""Browse benchmark: the hub browsing API vs the SageMaker SDK's own approach, on the same service.

For each public-hub size (``--models 743 2000``: the demo's 70 plus ``JUMPSTART_LAB_LOCAL_EXTRA_MODELS``
realistic synthetic ones), starts the local service with ``JUMPSTART_LAB_LOCAL_LATENCY_MS`` (default 100),
then Jupyter servers with the extension on it, and prints:

- cold first page: ``GET hubs/SageMakerPublicHub/models`` on a fresh server (no snapshot);
- cold full catalog: a filtered query (``gated=true``: needs every model's document facts) on a fresh
  server, against the SDK's ``search_public_hub_models("@provider:meta")`` and plain boto3 NextToken paging
  of ListHubContents (the listing alone, no documents);
- restarted server's first full query: a new server process on the snapshot a previous one wrote (which it
  reads when it starts), asked once it has settled, and asked as soon as it answers ``GET status`` (the query
  then may wait for the snapshot being read);
- AWS calls per full (cold) load by action, from the local service's call log;
- DescribeHubContent calls per hour for 50 user servers sharing nothing: each starts cold once and
  reloads every ``cache_ttl_seconds`` (900 s: 4 reloads an hour), measured per cold load and per reload;
- warm search p50/p95 (varied queries, after the catalog is loaded), beside Jupyter's own ``GET /api/status``
  p95 in the same server (how loaded the machine is: it does no work of ours).

``--status-load`` adds ``GET status`` p95 while 50 clients load cold hubs, against a minimal tornado server
that runs the SDK search on a 32-thread pool (the straightforward design).

Usage: ``.venv/bin/python benchmarks/browse.py [--latency-ms 100] [--models 743 2000] [--trials 3]``
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

    def __init__(self, endpoint: str, snapshots: str = "") -> None:
        self.endpoint = endpoint
        self.snapshots = snapshots
        self.port = free_port()
        self.token = "bench-token"
        self.tmp = tempfile.TemporaryDirectory(prefix="jumpstart-bench-")
        self.base = f"http://127.0.0.1:{self.port}/jumpstart-lab/api/"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {self.token}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *, settle: bool = True) -> LabServer:
        config = {
            "ServerApp": {"jpserver_extensions": {"jumpstart_lab": True}, "token": self.token, "open_browser": False,
                          "root_dir": self.tmp.name, "port": self.port, "ip": "127.0.0.1", "allow_root": True},
            "IdentityProvider": {"token": self.token},
            "JumpStartLab": {"mode": "local", "endpoint_url": self.endpoint, "catalog_snapshot_dir": self.snapshots,
                             "eula_store_path": str(Path(self.tmp.name) / "eula.sqlite3")},
        }  # fmt: skip
        path = Path(self.tmp.name) / "jupyter_server_config.json"
        path.write_text(json.dumps(config))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTER_CONFIG_DIR": self.tmp.name}
        log = open(Path(self.tmp.name) / "server.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", f"--config={path}"], stdout=log, stderr=subprocess.STDOUT, env=env
        )
        deadline = time.monotonic() + 240  # a loaded 2-core machine can take minutes to import everything
        while time.monotonic() < deadline:
            try:
                if self.session.get(self.base + "status", timeout=2).status_code == 200:
                    if settle:
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


def start_service(env: dict[str, str]) -> tuple[str, Callable[[], None]]:
    """The local service: (endpoint URL, stop)."""
    service = LocalServiceProcess(env=env)
    return service.start(), service.stop


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


def emu(endpoint: str, method: str, path: str) -> Any:
    r = requests.request(method, f"{endpoint}/_emu/{path}", timeout=30)
    r.raise_for_status()
    return r.json()


def calls_by_action(endpoint: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for call in emu(endpoint, "GET", "log")["calls"]:
        if call["service"] == "sagemaker":
            counts[call["action"]] = counts.get(call["action"], 0) + 1
    return dict(sorted(counts.items()))


def boto3_paging(endpoint: str) -> int:
    """Every public model by plain NextToken paging of ListHubContents (what a script would write)."""
    import boto3

    sm = boto3.client("sagemaker", endpoint_url=endpoint, region_name="us-west-2",
                      aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    items, token = 0, None
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", MaxResults=100, **kwargs)
        items += len(page["HubContentSummaries"])
        token = page.get("NextToken")
        if not token:
            return items


FULL = {"gated": "true"}  # needs every model's document facts


def run_size(models: int, args: argparse.Namespace) -> tuple[list[tuple[str, str, str, str]], dict[str, Any]]:
    env = {"JUMPSTART_LAB_LOCAL_LATENCY_MS": str(args.latency_ms),
           "JUMPSTART_LAB_LOCAL_EXTRA_MODELS": str(max(0, models - 70))}  # fmt: skip
    endpoint, stop_service = start_service(env)
    rows: list[tuple[str, str, str, str]] = []
    extra: dict[str, Any] = {}
    try:
        session = sdk_session(endpoint)
        total = sdk_search(session, "*")
        print(f"local service {endpoint}: {total} public models, {args.latency_ms} ms per AWS call")
        first, full, restarted, restarted_at_once, loads, reload_describes = [], [], [], [], [], []
        for _ in range(args.trials):
            with tempfile.TemporaryDirectory(prefix="jumpstart-bench-snap-") as snaps:
                server = LabServer(endpoint, snaps).start()
                try:
                    first.append(server.get(f"hubs/{PUBLIC}/models", limit="50")[0])
                finally:
                    server.stop()
            with tempfile.TemporaryDirectory(prefix="jumpstart-bench-snap-") as snaps:
                server = LabServer(endpoint, snaps).start()
                try:
                    emu(endpoint, "DELETE", "log")
                    elapsed, page = server.get(f"hubs/{PUBLIC}/models", **FULL)
                    assert page["complete"] and page["total"] > 0, page
                    full.append(elapsed)
                    loads.append(calls_by_action(endpoint))
                    emu(endpoint, "DELETE", "log")  # a TTL reload: same versions, facts known
                    server.get(f"hubs/{PUBLIC}/models", refresh="true", **FULL)
                    reload_describes.append(calls_by_action(endpoint).get("DescribeHubContent", 0))
                    status = server.get("status")[1]["catalog"]["hubs"][PUBLIC]
                finally:
                    server.stop()
                for settle, times in ((True, restarted), (False, restarted_at_once)):
                    server = LabServer(endpoint, snaps).start(settle=settle)  # restarted: answers from the snapshot
                    try:
                        elapsed, page = server.get(f"hubs/{PUBLIC}/models", **FULL)
                        assert page["complete"] and page["stale"], page
                        times.append(elapsed)
                    finally:
                        server.stop()
        sdk_full = [timed(lambda: sdk_search(session, "@provider:meta")) for _ in range(args.trials)]
        paging = [timed(lambda: boto3_paging(endpoint)) for _ in range(args.trials)]
        cold = statistics.median(full)
        rows.append(("cold first page (median)", ms(statistics.median(first)), "", "target < 250 ms"))
        rows.append(("cold full query, gated=true (median)", ms(cold), "", ""))
        rows.append(("  SDK search_public_hub_models", ms(statistics.median(sdk_full)),
                     f"{statistics.median(sdk_full) / cold:.2f}x", "target >= 1.5x"))  # fmt: skip
        rows.append(("  plain boto3 ListHubContents paging", ms(statistics.median(paging)),
                     f"{statistics.median(paging) / cold:.2f}x", ""))  # fmt: skip
        rows.append(("restarted server, first full query", ms(statistics.median(restarted)),
                     f"{statistics.median(restarted) / cold:.0%} of cold", "target <= 10%"))  # fmt: skip
        at_once = statistics.median(restarted_at_once)
        rows.append(("  asked as soon as it answers GET status", ms(at_once), f"{at_once / cold:.0%} of cold",
                     "may wait for the snapshot being read"))  # fmt: skip
        per_load = loads[-1]
        describes = max(load.get("DescribeHubContent", 0) for load in loads)
        rows.append(("AWS calls per full load", ", ".join(f"{k} {v}" for k, v in per_load.items()), "",
                     f"DescribeHubContent {describes / total:.1%} of models (target <= 5%)"))  # fmt: skip
        reload = max(reload_describes)
        hourly = 50 * (describes + 4 * reload)
        old = 50 * 5 * total  # one DescribeHubContent per model per load, the cold one and 4 reloads
        rows.append(("DescribeHubContent/hour, 50 servers", f"{hourly:,}", f"was {old:,}",
                     f"cold {describes} + 4 reloads x {reload} per server"))  # fmt: skip
        extra["status"] = status

        server = LabServer(endpoint, "").start()
        try:
            server.get(f"hubs/{PUBLIC}/models", **FULL)
            warm = [server.get(f"hubs/{PUBLIC}/models", **WARM_QUERIES[i % len(WARM_QUERIES)])[0] for i in range(300)]
            rows.append(("warm search p50 / p95", f"{ms(pct(warm, 50))} / {ms(pct(warm, 95))}", "",
                         "target p95 < 20 ms"))  # fmt: skip
            own = [timed(lambda: server.session.get(f"http://127.0.0.1:{server.port}/api/status", timeout=30))
                   for _ in range(300)]  # fmt: skip
            rows.append(("  Jupyter's own GET /api/status p50 / p95", f"{ms(pct(own, 50))} / {ms(pct(own, 95))}", "",
                         "the machine's load, no work of ours"))  # fmt: skip
            if args.status_load:
                rows.append(status_rows(server, endpoint, args))
        finally:
            server.stop()
    finally:
        stop_service()
    return rows, extra


def status_rows(server: LabServer, endpoint: str, args: argparse.Namespace) -> tuple[str, str, str, str]:
    def lab_load(i: int) -> None:
        server.session.get(server.base + f"hubs/{HUBS[i % len(HUBS)]}/models",
                           params={"refresh": "true", "gated": "true"}, timeout=120)  # fmt: skip

    lab_status = status_under_load(lambda: server.get("status"), lab_load, args.load_seconds)
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
    ours, sdk = pct(lab_status, 95), pct(sdk_status, 95)
    return ("GET status p95, 50 clients loading", ms(ours), f"SDK pool {ms(sdk)}", f"{sdk / ours:.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--models", type=int, nargs="+", default=[743, 2000])
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--status-load", action="store_true", help="also GET status p95 under 50 loading clients")
    parser.add_argument("--load-seconds", type=float, default=8.0)
    parser.add_argument("--baseline-server", nargs=2, metavar=("PORT", "ENDPOINT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_server:
        baseline_server(int(args.baseline_server[0]), args.baseline_server[1])
        return
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores)")
    for models in args.models:
        rows, extra = run_size(models, args)
        print(f"\n| {models} public models | jumpstart-lab | ratio | note |\n|---|---:|---:|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print(f"\nstatus of the public hub after a full load: {json.dumps(extra['status'])}")
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
