"""The five fidelity fixes that make the SageMaker SDK v3 deploy path work on moto 5.2.5.

1. ``redirect_to_local``: the SDK builds its STS client with an explicit ``https://sts.<region>.amazonaws.com``
   endpoint, which ``AWS_ENDPOINT_URL`` does not override; a ``before-sign`` hook rewrites every
   ``*.amazonaws.com`` request URL to the local service (SigV4 is computed after the rewrite).
2. ``public_metadata_objects``: v3 ``ModelBuilder.build()`` reads ``jumpstart-cache-prod-<region>/models_manifest.json``
   and the spec files even for hub models; the fallback's S3 is seeded with them.
3. ``simulate_principal_policy``: moto has no ``iam:SimulatePrincipalPolicy`` (HTTP 500); the layer answers
   "allowed" for every action in the request.
4. ``prune_empty``: moto returns ``"VpcConfig": {}`` / ``"DataCaptureConfig": {}`` in Describe* replies, which
   sagemaker-core's pydantic models reject; empty structures and nulls are dropped.
5. ``patch_instance_type_validation``: moto's endpoint-config validation uses a stale instance list (no g5,
   g6, p4d, p5); it is replaced by botocore's ``ProductionVariantInstanceType`` enum.

Nothing here imports moto at module level; only fix 5 touches moto, when called.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit
from xml.sax.saxutils import escape

_AWS_HOST = re.compile(r"(^|\.)amazonaws\.com(\.cn)?$")


# --- fix 1 -------------------------------------------------------------------------------------


def redirect_to_local(session: Any, endpoint_url: str) -> None:
    """Register the before-sign URL rewrite on a boto3 ``Session`` (or botocore session)."""
    target = urlsplit(endpoint_url)

    def rewrite(request: Any, **_: Any) -> None:
        parts = urlsplit(request.url)
        if parts.hostname and _AWS_HOST.search(parts.hostname):
            path = parts.path
            # virtual-hosted S3 (bucket.s3.<region>.amazonaws.com) becomes path style
            host = parts.hostname
            match = re.match(r"^(?P<bucket>.+)\.s3[.-]", host)
            if match and not host.startswith("s3.") and not (path + "/").startswith(f"/{match['bucket']}/"):
                path = f"/{match['bucket']}{path or '/'}"
            request.url = urlunsplit((target.scheme, target.netloc, path, parts.query, parts.fragment))

    events = session.events if hasattr(session, "events") else session.get_component("event_emitter")
    events.register_first("before-sign", rewrite, unique_id="jumpstart-lab-local-redirect")


# --- fix 2 -------------------------------------------------------------------------------------


def public_metadata_objects(entries: Iterable[Any], region: str) -> dict[str, bytes]:
    """Objects of ``jumpstart-cache-prod-<region>``: manifests, spec files and EULA texts."""
    from .demo_objects import content_bucket_objects

    return content_bucket_objects(list(entries), region)


# --- fix 3 -------------------------------------------------------------------------------------


def simulate_principal_policy(form_body: bytes, request_id: str) -> bytes:
    """IAM query-protocol reply: ``EvalDecision=allowed`` for each ``ActionNames.member.N``."""
    form = parse_qs(form_body.decode("utf-8", "replace"))
    actions = [
        v[0]
        for k, v in sorted(form.items(), key=lambda kv: _member_index(kv[0]))
        if k.startswith("ActionNames.member.")
    ]
    resources = [v[0] for k, v in form.items() if k.startswith("ResourceArns.member.")] or ["*"]
    results = "".join(
        f"<member><EvalActionName>{escape(action)}</EvalActionName><EvalResourceName>{escape(resources[0])}"
        "</EvalResourceName><EvalDecision>allowed</EvalDecision><MatchedStatements/><MissingContextValues/></member>"
        for action in actions
    )
    return (
        '<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
        f"<SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults>{results}</EvaluationResults>"
        f"</SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
        "</SimulatePrincipalPolicyResponse>"
    ).encode()


def _member_index(key: str) -> int:
    tail = key.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else 0


# --- fix 4 -------------------------------------------------------------------------------------


def prune_empty(value: Any) -> Any:
    """Drop ``None`` and empty dicts (recursively) from a JSON value; lists keep their items."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = prune_empty(item)
            if item is None or item == {}:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [prune_empty(v) for v in value]
    return value


# --- fix 5 -------------------------------------------------------------------------------------


def patch_instance_type_validation() -> None:
    """Make moto validate endpoint-config instance types against botocore's current enum."""
    from moto.sagemaker import models as sm_models
    from moto.sagemaker.exceptions import ValidationError

    from .constraints import service_model

    valid = frozenset(service_model().shape_for("ProductionVariantInstanceType").enum)

    def validate_instance_type(self: Any, instance_type: str) -> None:
        if instance_type not in valid:
            message = (
                f"Value '{instance_type}' at 'instanceType' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(sorted(valid))}]"
            )
            raise ValidationError(message=message)

    validate_instance_type.__jumpstart_lab_patched__ = True  # type: ignore[attr-defined]
    sm_models.FakeEndpointConfig.validate_instance_type = validate_instance_type  # type: ignore[method-assign]
