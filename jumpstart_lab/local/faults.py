"""Fault injection and the call log of the local service (``/_emu/faults``, ``/_emu/log``).

Fault rules (``POST /_emu/faults`` with one rule or a list of rules)::

    {"action": "ListHubContents",     # action name: the X-Amz-Target operation (SageMaker), the IAM/STS Action,
                                      #   "InvokeEndpoint", a RAM operation ("CreateResourceShare"), an S3 call
                                      #   ("GetObject", "HeadObject", "PutObject", "ListObjects", "ListBuckets",
                                      #   ...), or "*" for every AWS call
     "service": "sagemaker",          # optional: only calls signed for this service
     "code": "ThrottlingException",   # default "InternalFailure"
     "status": 400,                   # default 400 (500 for InternalFailure, 503 for ServiceUnavailable)
     "message": "Rate exceeded",      # optional
     "count": 2}                      # the next N matching calls fail (default 1); -1 = until cleared

``GET /_emu/faults`` lists the pending rules, ``DELETE /_emu/faults`` clears them.
``GET /_emu/log`` returns the recorded calls (``[{"time", "service", "action", "status", "region", "ms"}]``,
newest last, at most 5000); ``DELETE /_emu/log`` clears it. ``POST /_emu/reset`` re-seeds both stores.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from .errors import AwsError

_DEFAULT_STATUS = {"InternalFailure": 500, "ServiceUnavailable": 503, "ThrottlingException": 400}


@dataclass
class FaultRule:
    action: str
    code: str
    status: int
    message: str
    remaining: int
    service: str | None = None

    def matches(self, service: str, action: str) -> bool:
        return (self.action in ("*", action)) and (self.service is None or self.service == service)

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "service": self.service,
            "code": self.code,
            "status": self.status,
            "message": self.message,
            "count": self.remaining,
        }


def parse_rule(raw: Any) -> FaultRule:
    """A rule from its JSON form; ValueError with a readable reason when malformed."""
    if not isinstance(raw, dict):
        raise ValueError("a fault rule must be a JSON object")
    action = raw.get("action")
    if not isinstance(action, str) or not action:
        raise ValueError("'action' (string) is required")
    code = raw.get("code", "InternalFailure")
    status = raw.get("status", _DEFAULT_STATUS.get(code, 400))
    count = raw.get("count", 1)
    if not isinstance(code, str) or not code:
        raise ValueError("'code' must be a non-empty string")
    if not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError("'status' must be an HTTP error status (400-599)")
    if not isinstance(count, int) or count == 0 or count < -1:
        raise ValueError("'count' must be a positive integer or -1")
    service = raw.get("service")
    if service is not None and not isinstance(service, str):
        raise ValueError("'service' must be a string")
    message = raw.get("message") or f"Injected fault: {code}"
    return FaultRule(action, code, status, str(message), count, service)


class Faults:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rules: list[FaultRule] = []

    def add(self, rules: list[FaultRule]) -> None:
        with self.lock:
            self.rules.extend(rules)

    def clear(self) -> None:
        with self.lock:
            self.rules.clear()

    def list(self) -> list[dict[str, Any]]:
        with self.lock:
            return [r.to_dict() for r in self.rules]

    def take(self, service: str, action: str) -> AwsError | None:
        """The error for this call if a rule matches (consuming one use of it)."""
        with self.lock:
            for rule in self.rules:
                if rule.matches(service, action):
                    if rule.remaining > 0:
                        rule.remaining -= 1
                        if rule.remaining == 0:
                            self.rules.remove(rule)
                    return AwsError(rule.code, rule.message, rule.status)
        return None


class CallLog:
    def __init__(self, size: int = 5000) -> None:
        self.lock = threading.Lock()
        self.calls: deque[dict[str, Any]] = deque(maxlen=size)

    def record(self, service: str, action: str, status: int, region: str, started: float) -> None:
        entry = {
            "time": started,
            "service": service,
            "action": action,
            "status": status,
            "region": region,
            "ms": round((time.time() - started) * 1000, 2),
        }
        with self.lock:
            self.calls.append(entry)

    def list(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.calls)

    def clear(self) -> None:
        with self.lock:
            self.calls.clear()
