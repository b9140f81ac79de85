"""The local service's admin paths (``/_emu/…``) as tests use them: its call log, injected faults, a reset."""

from __future__ import annotations

import requests

TIMEOUT = 30


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
