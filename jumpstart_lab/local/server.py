"""Builds and runs the local service: hub layer + moto on 127.0.0.1, werkzeug threaded server."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import discovery
from .hub_layer import WARM_UP_HEADER, HubLayer
from .settings import Settings

log = logging.getLogger("jumpstart_lab.local")


def build(settings: Settings) -> tuple[HubLayer, Any]:
    """(layer in front of seeded moto, request handler class)."""
    from . import moto_backend

    moto_app, handler = moto_backend.build_app()
    layer = HubLayer(settings, moto_app, on_reset=lambda seed: moto_backend.reset_and_seed(seed, settings.region))
    moto_backend.seed(layer.seed, settings.region)
    return layer, handler


def _warm_up(url: str) -> None:
    """Build moto's lazily created per-service apps (sts, s3, iam, sagemaker) off the request path."""
    import urllib.request

    scope = "Credential=testing/20260101/{}/{}/aws4_request, SignedHeaders=host, Signature=0"
    calls = [
        ("sts", "/", b"Action=GetCallerIdentity&Version=2011-06-15", "application/x-www-form-urlencoded", None),
        ("s3", "/", None, None, None),
        ("iam", "/", b"Action=ListRoles&Version=2010-05-08", "application/x-www-form-urlencoded", None),
        ("sagemaker", "/", b"{}", "application/x-amz-json-1.1", "SageMaker.ListModels"),
    ]
    for service, path, body, ctype, target in calls:
        req = urllib.request.Request(url + path, data=body, method="POST" if body is not None else "GET")  # noqa: S310
        req.add_header("Authorization", "AWS4-HMAC-SHA256 " + scope.format("us-west-2", service))
        req.add_header(WARM_UP_HEADER, "1")
        if ctype:
            req.add_header("Content-Type", ctype)
        if target:
            req.add_header("X-Amz-Target", target)
        try:
            urllib.request.urlopen(req, timeout=30).read()  # noqa: S310 - loopback URL we just opened
        except Exception as exc:  # warm-up is best effort
            log.debug("warm-up %s failed: %s", service, exc)


def serve(
    port: int = 0,
    *,
    host: str = "127.0.0.1",
    ready_file: Path | None = None,
    settings: Settings | None = None,
    on_ready: Callable[[str, float], None] | None = None,
) -> None:
    """Run until interrupted. Writes the endpoint URL to ``ready_file`` (and calls ``on_ready``) once it answers."""
    from werkzeug.serving import make_server

    started = time.time()
    settings = settings or Settings.from_env()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no per-request lines
    layer, handler = build(settings)
    srv = make_server(host, port, layer, threaded=True, request_handler=handler)
    url = f"http://{host}:{srv.server_address[1]}"
    thread = threading.Thread(target=srv.serve_forever, name="jumpstart-lab-local", daemon=True)
    thread.start()
    # moto builds each service's app lazily (30-400 ms each): do it off the request path, in the background
    threading.Thread(target=_warm_up, args=(url,), name="jumpstart-lab-warm-up", daemon=True).start()
    log.info(
        "jumpstart-lab local service on %s (ready %.2fs after start, %.2fs CPU since process start)",
        url,
        time.time() - started,
        time.process_time(),
    )
    if on_ready is not None:
        on_ready(url, time.time() - started)
    registration = discovery.register(url)  # notebooks find it by this, whatever port it got
    if ready_file is not None:
        tmp = ready_file.with_suffix(".tmp")
        tmp.write_text(url)
        tmp.replace(ready_file)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm) if in_main else None
    try:
        thread.join()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        discovery.unregister(registration)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        srv.shutdown()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (the server extension stopping us) ends the service cleanly: its registration is removed."""
    raise SystemExit(0)
