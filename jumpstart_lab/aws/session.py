"""boto3 clients for the domain layer.

One :class:`AwsContext` per server (or kernel) holds the settings; it hands out
clients configured with adaptive retries and timeouts on every call, shared by all
threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.utils import parse_timestamp

from ..env import env_number

LOCAL_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
DEFAULT_LOCAL_REGION = "us-west-2"
MAX_POOL_CONNECTIONS = 64  # a shared client serves every thread of the AWS pool (botocore's default is 10)


def _env_number(name: str, default: float, low: float, high: float) -> float:
    """``JUMPSTART_LAB_AWS_<name>`` as a number in ``[low, high]`` (operators tune timeouts without code)."""
    return env_number(f"JUMPSTART_LAB_AWS_{name}", default, low, high)


def epoch_timestamp(value: Any) -> datetime:
    """botocore's timestamp parser, faster for the epoch numbers of the JSON APIs: the same instant and local
    wall time, in a fixed-offset local zone rather than dateutil's ``tzlocal`` (whose DST look-ups were half the
    time of parsing a ListHubContents or Search page). Anything else goes to botocore's own parser."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, timezone.utc).astimezone()
        except (OSError, OverflowError, ValueError):
            pass
    return parse_timestamp(value)


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
    """Thread-safe factory of boto3 clients for one :class:`AwsSettings`.

    One boto3 session; each client is created once (under a lock, as sessions are not
    thread-safe) and shared by every thread (botocore clients are). A session and its
    clients cost about 30 MB, so per-thread copies would grow with the AWS thread pool.
    """

    settings: AwsSettings
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _boto_session: boto3.Session | None = field(default=None, repr=False)
    _clients: dict[tuple[str, int | None, float | None, str | None], Any] = field(default_factory=dict, repr=False)

    @property
    def region(self) -> str:
        return self._session().region_name or DEFAULT_LOCAL_REGION

    def _session(self) -> boto3.Session:
        with self._lock:
            if self._boto_session is None:
                core = botocore.session.get_session()
                core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=epoch_timestamp)
                kwargs: dict[str, Any] = {"botocore_session": core}
                if self.settings.profile:
                    kwargs["profile_name"] = self.settings.profile
                if self.settings.local:
                    kwargs.update(LOCAL_CREDENTIALS)
                    kwargs["region_name"] = self.settings.region or DEFAULT_LOCAL_REGION
                elif self.settings.region:
                    kwargs["region_name"] = self.settings.region
                self._boto_session = boto3.Session(**kwargs)
            return self._boto_session

    def client(
        self,
        service: str,
        *,
        max_attempts: int | None = None,
        read_timeout: float | None = None,
        region: str | None = None,
    ) -> Any:
        """A client for ``service`` (created once, shared by all threads); ``read_timeout`` overrides the
        default for slow calls, ``region`` the session's region (the Price List API has its own endpoints)."""
        key = (service, max_attempts, read_timeout, region)
        client = self._clients.get(key)
        if client is not None:
            return client
        with self._lock:
            if key not in self._clients:
                config = Config(
                    retries={"mode": "adaptive", "max_attempts": max_attempts or self.settings.max_attempts},
                    connect_timeout=self.settings.connect_timeout,
                    read_timeout=read_timeout or self.settings.read_timeout,
                    user_agent_extra="jumpstart-lab",
                    s3={"addressing_style": "path"} if self.settings.endpoint_url else None,
                    max_pool_connections=MAX_POOL_CONNECTIONS,
                )
                self._clients[key] = self._session().client(
                    service, endpoint_url=self.settings.endpoint_url, config=config, region_name=region
                )
            return self._clients[key]

    def has_credentials(self) -> bool:
        return self.settings.local or self._session().get_credentials() is not None
