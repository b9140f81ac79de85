"""boto3 clients for the domain layer.

One :class:`AwsContext` per server (or kernel) holds the settings; it hands out
clients configured with adaptive retries and timeouts on every call. boto3
sessions are not thread-safe, so each thread gets its own session.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

LOCAL_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
DEFAULT_LOCAL_REGION = "us-west-2"


def _env_number(name: str, default: float, low: float, high: float) -> float:
    """``JUMPSTART_LAB_AWS_<name>`` as a number in ``[low, high]`` (operators tune timeouts without code)."""
    raw = os.environ.get(f"JUMPSTART_LAB_AWS_{name}", "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"JUMPSTART_LAB_AWS_{name}={raw!r} is not a number") from None
    if not low <= value <= high:
        raise ValueError(f"JUMPSTART_LAB_AWS_{name}={raw!r} must be between {low:g} and {high:g}")
    return value


@dataclass(frozen=True)
class AwsSettings:
    """Where and how to reach AWS (or the local service).

    ``endpoint_url`` set means every client goes there; ``local`` means dummy
    credentials are used (the local service accepts any signature). Timeouts and
    retries default to ``JUMPSTART_LAB_AWS_CONNECT_TIMEOUT`` / ``_READ_TIMEOUT`` (seconds)
    and ``_MAX_ATTEMPTS`` (retries) when set.
    """

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    local: bool = False
    connect_timeout: float = field(default_factory=lambda: _env_number("CONNECT_TIMEOUT", 5.0, 0.1, 300))
    read_timeout: float = field(default_factory=lambda: _env_number("READ_TIMEOUT", 30.0, 0.1, 900))
    max_attempts: int = field(default_factory=lambda: int(_env_number("MAX_ATTEMPTS", 5, 0, 20)))


@dataclass
class AwsContext:
    """Thread-safe factory of boto3 clients for one :class:`AwsSettings`."""

    settings: AwsSettings
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @property
    def region(self) -> str:
        return self._session().region_name or DEFAULT_LOCAL_REGION

    def _session(self) -> boto3.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            kwargs: dict[str, Any] = {}
            if self.settings.profile:
                kwargs["profile_name"] = self.settings.profile
            if self.settings.local:
                kwargs.update(LOCAL_CREDENTIALS)
                kwargs["region_name"] = self.settings.region or DEFAULT_LOCAL_REGION
            elif self.settings.region:
                kwargs["region_name"] = self.settings.region
            session = boto3.Session(**kwargs)
            self._local.session = session
            self._local.clients = {}
        return session

    def client(self, service: str, *, max_attempts: int | None = None, read_timeout: float | None = None) -> Any:
        """A client for ``service`` (cached per thread); ``read_timeout`` overrides the default for slow calls."""
        session = self._session()
        key = (service, max_attempts, read_timeout)
        clients: dict[Any, Any] = self._local.clients
        if key not in clients:
            config = Config(
                retries={"mode": "adaptive", "max_attempts": max_attempts or self.settings.max_attempts},
                connect_timeout=self.settings.connect_timeout,
                read_timeout=read_timeout or self.settings.read_timeout,
                user_agent_extra="jumpstart-lab",
                s3={"addressing_style": "path"} if self.settings.endpoint_url else None,
            )
            clients[key] = session.client(service, endpoint_url=self.settings.endpoint_url, config=config)
        return clients[key]

    def has_credentials(self) -> bool:
        return self.settings.local or self._session().get_credentials() is not None
