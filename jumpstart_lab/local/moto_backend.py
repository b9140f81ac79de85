"""The AWS fallback behind the hub layer: moto's ``DomainDispatcherApplication`` (pinned moto 5.2.5),
with the fidelity fixes applied and seeded in-process (S3 content bucket, execution role)."""

from __future__ import annotations

import json
from typing import Any

from .seed import EXECUTION_ROLE, SAGEMAKER_TRUST_POLICY, Seed
from .settings import ACCOUNT

MOTO_VERSION = "5.2.5"
INSTALL_HINT = "pip install 'jumpstart_lab[local]'"


def require_moto() -> None:
    """Fail with the install command when moto (the ``local`` extra) is missing."""
    try:
        import moto  # noqa: F401
        from moto.moto_server import werkzeug_app  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(
            f"The jumpstart-lab local service needs moto[server]=={MOTO_VERSION}: run {INSTALL_HINT} ({exc})"
        ) from exc


def build_app() -> tuple[Any, Any]:
    """(moto WSGI app, moto's request handler class) with fix 5 applied."""
    require_moto()
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

    from .fidelity import patch_instance_type_validation

    patch_instance_type_validation()
    return DomainDispatcherApplication(create_backend_app), MotoRequestHandler


def reset() -> None:
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


def seed(state: Seed, region: str) -> None:
    """Put the seed's S3 objects into moto S3 and create the SageMaker execution role in moto IAM."""
    from moto.iam.models import iam_backends
    from moto.s3.models import s3_backends

    s3 = s3_backends[ACCOUNT]["aws"]
    for bucket, objects in state.s3_objects.items():
        if bucket not in s3.buckets:
            s3.create_bucket(bucket, region)
        for key, body in objects.items():
            s3.put_object(bucket, key, body)
    iam = iam_backends[ACCOUNT]["global"]
    try:
        iam.get_role(EXECUTION_ROLE)
    except Exception:
        iam.create_role(
            role_name=EXECUTION_ROLE,
            assume_role_policy_document=json.dumps(SAGEMAKER_TRUST_POLICY),
            path="/",
            permissions_boundary=None,
            description="SageMaker execution role of the jumpstart-lab demo (local service).",
            tags=[],
            max_session_duration="3600",
        )


def reset_and_seed(state: Seed, region: str) -> None:
    reset()
    seed(state, region)
