"""Point the SageMaker SDK (v3 and v2) at the local service, from a notebook or a test.

Call :func:`use_local_service` **before importing sagemaker**: the SDK reads the region at import time.
"""

from __future__ import annotations

import getpass
import os
import tempfile
from pathlib import Path

from . import discovery
from .fidelity import redirect_to_local

EXECUTION_ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerRole"
_SDK_DEFAULTS = """\
SchemaVersion: '1.0'
SageMaker:
  PythonSDK:
    Modules:
      TelemetryOptOut: true
"""


def use_local_service(endpoint_url: str | None = None, region: str = "us-west-2") -> str:
    """Route boto3 and the SageMaker SDK to ``endpoint_url`` (default: the running local service) with
    dummy credentials; returns the endpoint URL.

    Without ``endpoint_url`` the running service is found at run time (:mod:`.discovery`), so a
    notebook keeps working after JupyterLab restarted the service on another port; when none runs,
    :class:`~.discovery.LocalServiceNotRunning` says what to start.

    Sets ``AWS_ENDPOINT_URL``, dummy credentials and ``AWS_DEFAULT_REGION``; registers the before-sign
    redirect (fidelity fix 1) on boto3's default session so the SDK's hard-coded STS endpoint reaches the
    local service; opts out of SDK telemetry; silences the v2 deprecation banner.
    """
    import boto3

    endpoint_url = (endpoint_url or discovery.require()).rstrip("/")
    os.environ.update(
        AWS_ENDPOINT_URL=endpoint_url,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",  # noqa: S106 - the local service accepts any credentials
        AWS_DEFAULT_REGION=region,
        AWS_REGION=region,
        SAGEMAKER_SUPPRESS_V2_WARNING="1",
        DISABLE_JUMPSTART_TELEMETRY="1",
        SAGEMAKER_USER_CONFIG_OVERRIDE=str(_sdk_defaults_file()),
    )
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)
    boto3.setup_default_session(region_name=region)
    assert boto3.DEFAULT_SESSION is not None
    redirect_to_local(boto3.DEFAULT_SESSION, endpoint_url)
    _redirect_new_sessions(endpoint_url)
    return endpoint_url


def use_local_service_without_aws(region: str = "us-west-2") -> str | None:
    """The example notebooks' switch: with AWS credentials nothing changes (None); without them, the
    running local demo service is used (its URL), or :class:`~.discovery.LocalServiceNotRunning` says
    what to start."""
    import boto3

    if boto3.Session().get_credentials() is not None:
        return None
    return use_local_service(region=region)


def _sdk_defaults_file() -> Path:
    """An SDK defaults config (``TelemetryOptOut: true``) in a per-user temp folder."""
    folder = Path(tempfile.gettempdir()) / f"jumpstart-lab-{getpass.getuser()}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sagemaker-local-config.yaml"
    if not path.exists() or path.read_text() != _SDK_DEFAULTS:
        path.write_text(_SDK_DEFAULTS)
    return path


def _redirect_new_sessions(endpoint_url: str) -> None:
    """Sessions the SDK creates itself (``boto3.Session()``) get the redirect too."""
    import boto3.session

    cls = boto3.session.Session
    if getattr(cls, "_jumpstart_lab_redirect", None) is not None:
        cls._jumpstart_lab_redirect = endpoint_url  # type: ignore[attr-defined]
        return
    original_init = cls.__init__

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original_init(self, *args, **kwargs)
        target = getattr(cls, "_jumpstart_lab_redirect", None)
        if target:
            redirect_to_local(self, target)

    cls.__init__ = __init__  # type: ignore[method-assign]
    cls._jumpstart_lab_redirect = endpoint_url  # type: ignore[attr-defined]
