"""Knobs of the local service, read from the environment once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..env import env_number

REGION = "us-west-2"
ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Settings:
    """``JUMPSTART_LAB_LOCAL_*`` environment variables.

    - ``LATENCY_MS``: added to every AWS call.
    - ``THROTTLE_RATE``: 0..1, fraction of AWS calls (every service) answered with the service's throttling
      error (ThrottlingException; S3 SlowDown; STS and IAM Throttling).
    - ``DENY_PUBLIC_HUB=1``: every SageMakerPublicHub action is AccessDenied (the private-hubs blog's user
      policy); the JumpStart content buckets only serve what every SDK user reads (the models manifest and
      specs, EULA texts, ``*.ipynb`` notebooks), no listing and no model artifacts.
    - ``EXTRA_MODELS``: synthesize N more public models (scale tests).
    - ``ENDPOINT_SECONDS``: how long a new endpoint stays ``Creating`` before ``InService``.
    - ``QUOTAS``: ``"ml.g5.12xlarge=2,ml.p4d.24xlarge=0"``, applied "<type> for endpoint usage" quotas over the
      defaults of ``economics.DEFAULT_ENDPOINT_QUOTAS``.
    """

    latency_ms: float = 0.0
    throttle_rate: float = 0.0
    deny_public_hub: bool = False
    extra_models: int = 0
    endpoint_seconds: float = 5.0
    region: str = REGION
    quotas: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def num(name: str, default: float, low: float, high: float) -> float:
            return env_number(f"JUMPSTART_LAB_LOCAL_{name}", default, low, high, env)

        deny = env.get("JUMPSTART_LAB_LOCAL_DENY_PUBLIC_HUB", "").strip().lower() in ("1", "true", "yes", "on")
        return cls(
            latency_ms=num("LATENCY_MS", 0.0, 0, 60_000),
            throttle_rate=num("THROTTLE_RATE", 0.0, 0, 1),
            deny_public_hub=deny,
            extra_models=int(num("EXTRA_MODELS", 0, 0, 100_000)),
            endpoint_seconds=num("ENDPOINT_SECONDS", 5.0, 0, 3600),
            quotas=env.get("JUMPSTART_LAB_LOCAL_QUOTAS", ""),
        )
