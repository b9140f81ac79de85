"""The local service as tests use it: plain boto3 clients on it, and its admin paths (``/_emu/…``): the call log,
injected faults, a reset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import requests
from botocore.config import Config

TIMEOUT = 30
REGION = "us-west-2"


def own_service(**env: str) -> Iterator[str]:
    """A local service only one module talks to (``yield from own_service(...)`` in a module fixture): its call log
    holds none of another test's calls (a retry still in backoff after its server stopped), its state none of another
    test's hubs. ``env``: ``JUMPSTART_LAB_LOCAL_*`` knobs."""
    from jumpstart_lab.local.process import LocalServiceProcess

    proc = LocalServiceProcess(env=env)
    try:
        yield proc.start()
    finally:
        proc.stop()


def aws_client(url: str, service: str = "sagemaker", *, region: str = REGION, max_attempts: int = 1, **config: Any):
    """A plain boto3 client on the local service (any credentials do; standard retries, ``max_attempts`` of them)."""
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "max_attempts": max_attempts}, **config),
    )


def aws_calls(url: str, service: str | None = None) -> list[dict]:
    """Every AWS call the service has logged since the last clear (optionally of one service, e.g. "sagemaker")."""
    r = requests.get(f"{url}/_emu/log", timeout=TIMEOUT)
    r.raise_for_status()
    return [c for c in r.json()["calls"] if service is None or c["service"] == service]


def clear_aws_calls(url: str) -> None:
    requests.delete(f"{url}/_emu/log", timeout=TIMEOUT).raise_for_status()


def add_fault(url: str, rule: dict | list[dict]) -> None:
    """Make the service fail matching calls (``local/faults.py`` lists a rule's fields)."""
    requests.post(f"{url}/_emu/faults", json=rule, timeout=TIMEOUT).raise_for_status()


def clear_faults(url: str) -> None:
    requests.delete(f"{url}/_emu/faults", timeout=TIMEOUT).raise_for_status()


def reset_service(url: str) -> None:
    """Re-seed the service's stores: back to the demo catalog."""
    requests.post(f"{url}/_emu/reset", timeout=TIMEOUT).raise_for_status()
