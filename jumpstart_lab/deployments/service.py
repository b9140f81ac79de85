"""Deploy hub models to SageMaker real-time endpoints, and manage the endpoints jumpstart-lab made.

The requests are built by :mod:`.plan` from the hub content document (pure); this module only
resolves the inputs (document, EULA acceptance, execution role, a free name) and talks to AWS.
Endpoints are "ours" when they carry the ``jumpstart-lab:model-id`` tag; anything else is invisible
here (404), so the API never touches endpoints it did not create.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

from .. import validation
from ..aws.session import AwsContext
from ..errors import Conflict, InvalidInput, JumpStartLabError, NotFound, ServiceUnavailable
from . import hosting as hosting_rules
from . import payloads
from .economics import Economics
from .errors import Context, deployment_errors, failure_advice
from .models import CapacityList, Deleted, Deployment, DeploymentList, DeploymentRequest, DeployOptions, InvokeResult
from .plan import TAG_HUB, TAG_HUB_ARN, TAG_MODEL_ID, TAG_VERSION, Options, Plan, build, default_endpoint_name
from .records import DeploymentRecord, DeploymentRecords, deleted_deployment

log = logging.getLogger(__name__)

LIST_WORKERS = 4
INVOKE_READ_TIMEOUT = 70.0  # long text generations take longer than the default read timeout
LOCAL_ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerRole"
ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}")
ASSUMED_ROLE = re.compile(r"arn:aws[a-z-]*:sts::(\d{12}):assumed-role/([\w+=,.@-]+)/.+")
ROLE_HELP = (
    "No SageMaker execution role is configured. Start JupyterLab with "
    "--JumpStartLab.execution_role_arn=arn:aws:iam::<account>:role/<role> (a role that trusts "
    "sagemaker.amazonaws.com), or run it under such a role (SageMaker Studio does)."
)


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
        self._role_arn = role_arn
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    # -- configuration -------------------------------------------------------------------
    def execution_role(self) -> str:
        """The role SageMaker runs the model under: configured, the local demo role, or the caller's own role."""
        if self._role_arn:
            if not ROLE_ARN.fullmatch(self._role_arn):
                raise ServiceUnavailable(
                    f"The configured execution role {self._role_arn!r} is not an IAM role ARN. {ROLE_HELP}",
                    code="ExecutionRoleNotConfigured",
                )
            return self._role_arn
        if self.aws.settings.local:
            return LOCAL_ROLE_ARN
        with deployment_errors("Finding the execution role"):
            arn = self.aws.client("sts").get_caller_identity()["Arn"]
        match = ASSUMED_ROLE.fullmatch(arn)
        if match is None:
            raise ServiceUnavailable(ROLE_HELP, code="ExecutionRoleNotConfigured")
        try:
            with deployment_errors("Finding the execution role"):
                role = self.aws.client("iam").get_role(RoleName=match[2])["Role"]["Arn"]
        except JumpStartLabError as exc:
            raise ServiceUnavailable(f"{ROLE_HELP} ({exc.message})", code="ExecutionRoleNotConfigured") from exc
        self._role_arn = role
        return role

    @property
    def _sm(self) -> Any:
        return self.aws.client("sagemaker")

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
        self._ensure_free(name)
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
        self._send(plan, ctx)
        log.info("jumpstart_lab: %s deployed %s/%s %s as %s", user, doc.hub_name, doc.model_id, doc.version, name)
        self._save(request, doc, hosting.instance_type, name, user)
        return self.get(name)

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

    def _ensure_free(self, name: str) -> None:
        """409 when an endpoint, endpoint config or model already has this name."""
        checks: list[tuple[str, Callable[..., Any], dict[str, str]]] = [
            ("An endpoint", self._sm.describe_endpoint, {"EndpointName": name}),
            ("An endpoint configuration", self._sm.describe_endpoint_config, {"EndpointConfigName": name}),
            ("A model", self._sm.describe_model, {"ModelName": name}),
        ]
        for what, call, kwargs in checks:
            if self._exists(call, **kwargs):
                raise Conflict(
                    f"{what} named {name!r} already exists. Choose another endpoint name or delete it first.",
                    code="EndpointExists",
                    field="endpoint_name",
                )

    @staticmethod
    def _exists(call: Callable[..., Any], **kwargs: str) -> bool:
        try:
            with deployment_errors("Checking the endpoint name"):
                call(**kwargs)
        except NotFound:
            return False
        except InvalidInput as exc:  # SageMaker answers ValidationException "Could not find ..."
            if "could not find" in exc.message.lower():
                return False
            raise
        return True

    def _send(self, plan: Plan, ctx: Context) -> None:
        """Create the three resources; remove what was created if a later step fails."""
        undo: list[Callable[[], Any]] = []
        steps: list[tuple[str, Callable[..., Any], dict[str, Any], Callable[[], Any]]] = [
            (
                "Creating the model",
                self._sm.create_model,
                plan.create_model,
                lambda: self._sm.delete_model(ModelName=plan.model_name),
            ),
            (
                "Creating the endpoint configuration",
                self._sm.create_endpoint_config,
                plan.create_endpoint_config,
                lambda: self._sm.delete_endpoint_config(EndpointConfigName=plan.endpoint_config_name),
            ),
            ("Creating the endpoint", self._sm.create_endpoint, plan.create_endpoint, lambda: None),
        ]
        try:
            for what, call, kwargs, rollback in steps:
                with deployment_errors(what, ctx):
                    call(**kwargs)
                undo.append(rollback)
        except JumpStartLabError:
            for rollback in reversed(undo):
                try:
                    rollback()
                except Exception:  # best effort: the original error is what the user needs
                    log.warning("jumpstart_lab: rollback of %s failed", plan.endpoint_name, exc_info=True)
            raise

    # -- read ----------------------------------------------------------------------------
    def _describe_ours(self, name: str) -> tuple[dict[str, Any], dict[str, str]]:
        """DescribeEndpoint + its tags; NotFound unless jumpstart-lab created it."""
        try:
            with deployment_errors(f"Endpoint {name}"):
                endpoint = self._sm.describe_endpoint(EndpointName=name)
        except InvalidInput as exc:
            if "could not find" in exc.message.lower():
                raise NotFound(f"No deployment named {name!r}.", code="NotFound") from exc
            raise
        tags = self._tags(endpoint["EndpointArn"])
        if TAG_MODEL_ID not in tags:
            raise NotFound(f"Endpoint {name!r} was not deployed by jumpstart-lab.", code="NotFound")
        return endpoint, tags

    def _tags(self, arn: str) -> dict[str, str]:
        with deployment_errors("Reading endpoint tags"):
            pages = self._sm.get_paginator("list_tags").paginate(ResourceArn=arn)
            return {t["Key"]: t["Value"] for page in pages for t in page.get("Tags", [])}

    def _variant(self, config_name: str | None) -> dict[str, Any]:
        """The first production variant of an endpoint configuration ({} if it is gone)."""
        if not config_name:
            return {}
        try:
            with deployment_errors("Reading the endpoint configuration"):
                config = self._sm.describe_endpoint_config(EndpointConfigName=config_name)
        except (NotFound, InvalidInput):
            return {}
        return (config.get("ProductionVariants") or [{}])[0]

    def _deployment(self, endpoint: dict[str, Any], tags: dict[str, str]) -> Deployment:
        """A Deployment from DescribeEndpoint (or a ListEndpoints summary) and the endpoint's tags."""
        variant = self._variant(endpoint.get("EndpointConfigName"))
        status = endpoint.get("EndpointStatus", "Unknown")
        reason = endpoint.get("FailureReason") or None
        return Deployment(
            endpoint_name=endpoint["EndpointName"],
            status=status,
            hub=tags.get(TAG_HUB),
            model_id=tags.get(TAG_MODEL_ID),
            version=tags.get(TAG_VERSION),
            instance_type=variant.get("InstanceType"),
            instance_count=variant.get("InitialInstanceCount"),
            created_at=endpoint.get("CreationTime"),
            failure_reason=reason,
            advice=failure_advice(reason, variant.get("InstanceType"), endpoint["EndpointName"])
            if status == "Failed"
            else None,
        )

    def get(self, name: str) -> Deployment:
        """One deployment (404 if unknown or not ours), with its hourly price and cost so far."""
        return self.economics.annotate(self._deployment(*self._describe_ours(_name(name))))

    def list(self, *, include_deleted: bool = False) -> DeploymentList:
        """Every endpoint in the region that carries our tags, newest first, priced; with ``include_deleted``
        also the saved deployments whose endpoint is gone (status ``Deleted``, redeployable).

        One ListTags per endpoint and one DescribeEndpointConfig per deployment, run on a small
        pool of threads (each keeps its boto3 clients) so a long endpoint list stays fast.
        """
        with deployment_errors("Listing endpoints"):
            pages = self._sm.get_paginator("list_endpoints").paginate(SortBy="CreationTime", SortOrder="Descending")
            summaries = [s for page in pages for s in page.get("Endpoints", [])]
        found = [d for d in self._pool().map(self._summary_to_deployment, summaries) if d is not None]
        live = {s["EndpointName"] for s in summaries}
        if include_deleted and self.records is not None:
            found += [deleted_deployment(r) for r in self.records.all() if r.endpoint_name not in live]
        return self.economics.totals([self.economics.annotate(d) for d in found])

    def _summary_to_deployment(self, summary: dict[str, Any]) -> Deployment | None:
        try:
            tags = self._tags(summary["EndpointArn"])
            if TAG_MODEL_ID not in tags:
                return None
            with deployment_errors(f"Endpoint {summary['EndpointName']}"):  # the summary lacks config and reason
                endpoint = self._sm.describe_endpoint(EndpointName=summary["EndpointName"])
        except (NotFound, InvalidInput):  # deleted meanwhile
            return None
        return self._deployment(endpoint, tags)

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
        endpoint, _ = self._describe_ours(_name(name))
        config_name = endpoint.get("EndpointConfigName")
        models: list[str] = []
        if config_name:
            try:
                with deployment_errors("Reading the endpoint configuration"):
                    config = self._sm.describe_endpoint_config(EndpointConfigName=config_name)
                models = [v["ModelName"] for v in config.get("ProductionVariants", []) if v.get("ModelName")]
            except (NotFound, InvalidInput):
                config_name = None
        with deployment_errors(f"Deleting endpoint {name}"):
            self._sm.delete_endpoint(EndpointName=endpoint["EndpointName"])
        if config_name:
            self._delete_quietly(
                "endpoint configuration", self._sm.delete_endpoint_config, EndpointConfigName=config_name
            )
        for model in models:
            self._delete_quietly("model", self._sm.delete_model, ModelName=model)
        if self.records is not None:
            try:
                self.records.mark_deleted(endpoint["EndpointName"], user)
            except JumpStartLabError as exc:
                log.warning("jumpstart_lab: deletion of %s not saved: %s", name, exc.message)
        return Deleted(endpoint_name=endpoint["EndpointName"], endpoint_config_name=config_name, model_names=models)

    @staticmethod
    def _delete_quietly(what: str, call: Callable[..., Any], **kwargs: str) -> None:
        try:
            with deployment_errors(f"Deleting the {what}"):
                call(**kwargs)
        except (NotFound, InvalidInput) as exc:  # already gone
            log.info("jumpstart_lab: %s already deleted: %s", what, exc.message)

    # -- invoke --------------------------------------------------------------------------
    def invoke(self, name: str, payload: Any = None, *, content_type: str | None = None) -> InvokeResult:
        """Send ``payload`` (None: the model's default payload) and return the decoded answer."""
        endpoint, tags = self._describe_ours(_name(name))
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
