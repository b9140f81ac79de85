"""Deploy hub models to SageMaker real-time endpoints, and manage the endpoints jumpstart-lab made.

``DeploymentService`` is the domain contract the handlers call. The requests are built by :mod:`.plan` from
the hub content document (pure); this module resolves the inputs (document, EULA acceptance, execution role
(:mod:`.role`), a free name, the quota (:mod:`.economics`)), keeps the saved deployments (:mod:`.records`:
redeploy), and leaves AWS to :mod:`.resources` (create, delete) and :mod:`.endpoints` (status, listing).
Endpoints are "ours" when they carry the ``jumpstart-lab:model-id`` tag; anything else is invisible
here (404), so the API never touches endpoints it did not create.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

from .. import validation
from ..aws.session import AwsContext
from ..errors import Conflict, JumpStartLabError, NotFound
from . import hosting as hosting_rules
from . import payloads
from .economics import Economics
from .endpoints import Endpoints
from .errors import Context, deployment_errors
from .models import CapacityList, Deleted, Deployment, DeploymentList, DeploymentRequest, DeployOptions, InvokeResult
from .plan import TAG_HUB, TAG_HUB_ARN, TAG_MODEL_ID, TAG_VERSION, Options, build, default_endpoint_name
from .records import DeploymentRecord, DeploymentRecords, deleted_deployment
from .resources import Resources
from .role import LOCAL_ROLE_ARN, ExecutionRole

__all__ = ["LOCAL_ROLE_ARN", "DeploymentService"]

log = logging.getLogger(__name__)

LIST_WORKERS = 4
INVOKE_READ_TIMEOUT = 70.0  # long text generations take longer than the default read timeout


class DeploymentService:
    """Create, list, describe, invoke and delete the endpoints jumpstart-lab deployed."""

    def __init__(
        self,
        aws: AwsContext,
        catalog: Any,
        eula: Any,
        *,
        role_arn: str | None = None,
        economics: Economics | None = None,
        records: DeploymentRecords | None = None,
    ) -> None:
        self.aws = aws
        self.catalog = catalog
        self.eula = eula
        self.economics = economics or Economics(aws)
        self.records = records  # None: deployments are not saved (no redeploy)
        self.role = ExecutionRole(aws, role_arn)
        self.endpoints = Endpoints(aws)
        self.resources = Resources(aws)
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    def execution_role(self) -> str:
        """The role SageMaker runs the model under: configured, the local demo role, or the caller's own role."""
        return self.role.arn()

    # -- deploy options ------------------------------------------------------------------
    def deploy_options(self, hub: str, model_id: str, version: str | None = None) -> DeployOptions:
        """Each supported instance type of the model with its price, quota, instances in use and free count."""
        doc = self.catalog.model_document(hub, model_id, version)
        return self.economics.options(doc, self._pool().map)

    def capacity(self) -> CapacityList:
        """The account's endpoint quotas per instance type, with instances in use and free."""
        return self.economics.capacity(self._pool().map)

    # -- create --------------------------------------------------------------------------
    def create(self, request: DeploymentRequest | dict[str, Any], user: str) -> Deployment:
        """Validate, check the EULA gate, the quota and the name, then CreateModel -> CreateEndpointConfig ->
        CreateEndpoint; the settings are saved for a later redeploy."""
        if not isinstance(request, DeploymentRequest):
            request = DeploymentRequest.model_validate(request)
        doc = self.catalog.model_document(request.hub, request.model_id, request.version)
        hosting = hosting_rules.resolve(
            doc.document, request.instance_type, region=self.aws.region, model_id=doc.model_id
        )
        acceptance = self.eula.require(doc, "deploy", user)  # EulaNotAccepted (403) when gated and not accepted
        name = request.endpoint_name or default_endpoint_name(doc.document.get("ResourceNameBase") or doc.model_id)
        self.resources.ensure_free(name)
        self.economics.check(hosting.instance_type, request.instance_count, self._pool().map)  # QuotaExceeded (400)
        role = self.execution_role()
        plan = build(
            doc,
            hosting,
            Options(
                endpoint_name=name,
                role_arn=role,
                instance_count=request.instance_count,
                accept_eula=acceptance is not None,
                created_by=user,
            ),
        )
        ctx = Context(
            instance_type=hosting.instance_type,
            instance_count=request.instance_count,
            role_arn=role,
            subscription_link=doc.document.get("ModelSubscriptionLink") if hosting.model_package_arn else None,
        )
        self.resources.create(plan, ctx)
        log.info("jumpstart_lab: %s deployed %s/%s %s as %s", user, doc.hub_name, doc.model_id, doc.version, name)
        self._save(request, doc, hosting.instance_type, name, user)
        return self.get(name)

    # -- saved deployments ---------------------------------------------------------------
    def _save(self, request: DeploymentRequest, doc: Any, instance_type: str, name: str, user: str) -> None:
        """Keep the settings (a failure is logged: the endpoint exists and is what the caller asked for)."""
        if self.records is None:
            return
        record = DeploymentRecord(
            endpoint_name=name,
            hub=request.hub,
            hub_arn=doc.hub_arn,
            model_id=doc.model_id,
            version=doc.version,
            instance_type=instance_type,
            instance_count=request.instance_count,
            created_by=user,
            created_at=datetime.now(timezone.utc),
        )
        try:
            self.records.save(record)
        except JumpStartLabError as exc:
            log.warning("jumpstart_lab: deployment %s not saved: %s", name, exc.message)

    def redeploy(self, name: str, user: str) -> Deployment:
        """Create a deleted saved deployment again with its settings (EULA gate and quota checked again)."""
        name = _name(name)
        record = self.records.get(name) if self.records is not None else None
        if record is None:
            raise NotFound(f"No saved deployment named {name!r}.", code="NotFound")
        request = DeploymentRequest(
            hub=record.hub,
            model_id=record.model_id,
            version=record.version,
            endpoint_name=record.endpoint_name,
            instance_type=record.instance_type,
            instance_count=record.instance_count,
        )
        return self.create(request, user)  # 409 EndpointExists while the endpoint (or its model) still exists

    def _mark_deleted(self, name: str, user: str) -> None:
        if self.records is None:
            return
        try:
            self.records.mark_deleted(name, user)
        except JumpStartLabError as exc:
            log.warning("jumpstart_lab: deletion of %s not saved: %s", name, exc.message)

    # -- read ----------------------------------------------------------------------------
    def get(self, name: str) -> Deployment:
        """One deployment (404 if unknown or not ours), with its hourly price and cost so far."""
        return self.economics.annotate(self.endpoints.deployment(*self.endpoints.describe_ours(_name(name))))

    def list(self, *, include_deleted: bool = False) -> DeploymentList:
        """Every endpoint in the region that carries our tags, newest first, priced; with ``include_deleted``
        also the saved deployments whose endpoint is gone (status ``Deleted``, redeployable).

        The per-endpoint reads run on a small pool of threads (each keeps its boto3 clients).
        """
        found, live = self.endpoints.all_ours(self._pool().map)
        if include_deleted and self.records is not None:
            found += [deleted_deployment(r) for r in self.records.all() if r.endpoint_name not in live]
        return self.economics.totals([self.economics.annotate(d) for d in found])

    def close(self) -> None:
        """Stop the listing threads (idle threads otherwise end with the process)."""
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=LIST_WORKERS, thread_name_prefix="jumpstart-deploy")
            return self._executor

    # -- delete --------------------------------------------------------------------------
    def delete(self, name: str, user: str = "unknown") -> Deleted:
        """Delete the endpoint, its endpoint configuration and its model(s); a saved deployment stays, deleted."""
        endpoint, _ = self.endpoints.describe_ours(_name(name))
        config_name = endpoint.get("EndpointConfigName")
        config = self.endpoints.config(config_name)
        if config is None:  # none, or gone already
            config_name = None
        models = [v["ModelName"] for v in (config or {}).get("ProductionVariants", []) if v.get("ModelName")]
        self.resources.delete(endpoint["EndpointName"], config_name, models)
        self._mark_deleted(endpoint["EndpointName"], user)
        return Deleted(endpoint_name=endpoint["EndpointName"], endpoint_config_name=config_name, model_names=models)

    # -- invoke --------------------------------------------------------------------------
    def invoke(self, name: str, payload: Any = None, *, content_type: str | None = None) -> InvokeResult:
        """Send ``payload`` (None: the model's default payload) and return the decoded answer."""
        endpoint, tags = self.endpoints.describe_ours(_name(name))
        status = endpoint.get("EndpointStatus")
        if status != "InService":
            raise Conflict(
                f"Endpoint {endpoint['EndpointName']!r} is {status}, not InService; invoke it once it is InService.",
                code="EndpointNotReady",
                status=status,
            )
        document: dict[str, Any] = {}
        try:
            hub = tags.get(TAG_HUB_ARN) or tags[TAG_HUB]
            document = self.catalog.model_document(hub, tags[TAG_MODEL_ID], tags.get(TAG_VERSION)).document
        except (JumpStartLabError, KeyError):
            if payload is None:
                raise
        request = payloads.encode(document, payload, content_type)
        kwargs: dict[str, Any] = {
            "EndpointName": endpoint["EndpointName"],
            "Body": request.body,
            "ContentType": request.content_type,
        }
        if request.accept:
            kwargs["Accept"] = request.accept
        with deployment_errors(f"Invoking {endpoint['EndpointName']}"):
            response = self.aws.client("sagemaker-runtime", read_timeout=INVOKE_READ_TIMEOUT).invoke_endpoint(**kwargs)
            body = response["Body"].read()
        answer_type = response.get("ContentType")
        return InvokeResult(content_type=answer_type, body=payloads.decode(body, answer_type))


def _name(value: str) -> str:
    """Endpoint names from the URL are validated like any user string."""
    return validation.endpoint_name(value)
