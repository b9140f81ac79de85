"""Hub curation for administrators: private hubs, their model references, RAM shares.

Blocking boto3 code (runs on the server's AWS pool). Every user string is
validated before it reaches boto3; AWS errors become domain errors.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import validation
from ..aws.errors import aws_errors, translate
from ..aws.session import AwsContext
from ..errors import AccessDenied, Conflict, JumpStartLabError, NotFound
from ..hubs.models import Hub, ModelQuery
from .contents import OWNED_TYPES, list_contents, list_versions
from .models import (
    AddReferencesRequest,
    AddReferencesResult,
    CreateHubRequest,
    DeleteHubResult,
    Reference,
    ReferenceList,
    ReferenceResult,
    RemovedContent,
    RemovedReference,
    ShareList,
    ShareRequest,
)
from .sharing import HubSharing

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (what was just done, done, total)
REFERENCE_WORKERS = 8
FILTER_PAGE = 200
# Seconds between DeleteHub attempts while AWS finishes deleting content (about a minute in all).
DELETE_HUB_WAITS: tuple[float, ...] = (0.5, 1, 2, 4, 8, 15, 30)


def _no_progress(what: str, done: int, total: int) -> None:
    return None


def _owner(hub_arn: str) -> str:
    parts = hub_arn.split(":")
    return parts[4] if len(parts) > 4 else ""


class CurationService:
    """Create and delete private hubs, curate their model references, share them."""

    def __init__(self, aws: AwsContext, catalog: Any) -> None:
        self.aws = aws
        self.catalog = catalog
        self.sharing = HubSharing(aws)
        # Long-lived so each worker thread keeps its boto3 client between requests.
        self._pool = ThreadPoolExecutor(max_workers=REFERENCE_WORKERS, thread_name_prefix="jumpstart-curation")

    @property
    def _sagemaker(self) -> Any:
        return self.aws.client("sagemaker")

    # -- hubs ---------------------------------------------------------------------------
    def _private_hub(self, hub: str) -> str:
        """Validate a hub name or ARN that curation may change (never the public hub)."""
        hub = validation.hub_name_or_arn(hub)
        if validation.hub_name_from(hub) == validation.PUBLIC_HUB:
            raise AccessDenied(
                f"{validation.PUBLIC_HUB} is managed by AWS and cannot be changed; curate a private hub instead.",
                code="PublicHubReadOnly",
            )
        return hub

    def _describe_hub(self, hub: str) -> dict[str, Any]:
        with aws_errors(f"hub {validation.hub_name_from(hub)}"):
            return self._sagemaker.describe_hub(HubName=hub)

    def _hub_model(self, described: dict[str, Any]) -> Hub:
        return Hub(
            name=described["HubName"],
            arn=described["HubArn"],
            display_name=described.get("HubDisplayName"),
            description=described.get("HubDescription"),
            kind="private",
            owner_account=_owner(described["HubArn"]),
            status=described.get("HubStatus", "InService"),
        )

    def create_hub(self, request: CreateHubRequest) -> Hub:
        """CreateHub (409 ``Conflict`` when a hub of that name exists)."""
        kwargs: dict[str, Any] = {
            "HubName": request.name,
            "HubDisplayName": request.display_name,
            "HubDescription": request.description,
        }
        if request.keywords:
            kwargs["HubSearchKeywords"] = request.keywords
        with aws_errors(f"hub {request.name}"):
            self._sagemaker.create_hub(**kwargs)
        self.catalog.invalidate()  # the hub list changed (a per-hub invalidation keeps the old list)
        log.info("jumpstart_lab: created hub %s", request.name)
        return self._hub_model(self._describe_hub(request.name))

    def delete_hub(self, hub: str, progress: Progress = _no_progress) -> DeleteHubResult:
        """Unshare the hub, remove its references and contents (all versions), then DeleteHub."""
        hub = self._private_hub(hub)
        described = self._describe_hub(hub)
        name, hub_arn = described["HubName"], described["HubArn"]

        warnings: list[str] = []
        try:
            shares = self.sharing.unshare_hub(hub_arn)
        except AccessDenied as exc:  # a role without RAM rights can still delete the hub; say what was skipped
            shares = []
            warnings.append(f"AWS RAM shares were not checked ({exc.message}); remove {hub_arn} from any share.")
        items = self._contents_to_remove(hub)
        total = len(items) + 1

        def remove(item: RemovedContent) -> RemovedContent:
            client = self.aws.client("sagemaker")
            with aws_errors(f"{item.content_type} {item.model_id} in hub {name}"):
                if item.version is None:
                    client.delete_hub_content_reference(
                        HubName=hub, HubContentType="ModelReference", HubContentName=item.model_id
                    )
                else:
                    client.delete_hub_content(
                        HubName=hub, HubContentType=item.content_type, HubContentName=item.model_id,
                        HubContentVersion=item.version,
                    )  # fmt: skip
            return item

        # References first, then owned content (each group in parallel); the hub must be empty to go.
        removed: list[RemovedContent] = []
        for group in ([i for i in items if i.version is None], [i for i in items if i.version is not None]):
            for item in self._pool.map(remove, group):
                removed.append(item)
                what = f"removed {item.content_type} {item.model_id} {item.version or ''}".strip()
                progress(what, len(removed), total)
        self._delete_when_empty(hub, name)
        progress(f"deleted hub {name}", total, total)
        self.catalog.invalidate()  # the hub list changed
        log.info("jumpstart_lab: deleted hub %s (%d items removed, %d shares updated)", name, len(removed), len(shares))
        return DeleteHubResult(
            hub=name, hub_arn=hub_arn, shares_updated=shares, removed=removed, deleted=True, warnings=warnings
        )

    def _delete_when_empty(self, hub: str, name: str) -> None:
        """DeleteHub, retried while AWS still finishes deleting content (ResourceInUse)."""
        for delay in (*DELETE_HUB_WAITS, None):
            try:
                with aws_errors(f"hub {name}"):
                    self._sagemaker.delete_hub(HubName=hub)
                return
            except Conflict as exc:
                if delay is None:
                    raise Conflict(
                        f"Hub {name} is empty of references now, but AWS is still deleting some of its content "
                        f"({exc.message}). Delete the hub again in a minute.",
                        code="HubNotEmpty",
                    ) from exc
                log.info("jumpstart_lab: hub %s not empty yet, retrying DeleteHub in %.1f s", name, delay)
                time.sleep(delay)

    def _contents_to_remove(self, hub: str) -> list[RemovedContent]:
        """Every reference, and every version of every owned item (listed in parallel)."""

        def listing(content_type: str) -> list[dict[str, Any]]:
            return list_contents(self.aws.client("sagemaker"), hub, content_type)

        def versions(key: tuple[str, str]) -> list[RemovedContent]:
            content_type, name = key
            found = list_versions(self.aws.client("sagemaker"), hub, content_type, name)
            return [RemovedContent(content_type=content_type, model_id=name, version=v) for v in found]

        types = ("ModelReference", *OWNED_TYPES)
        listed = dict(zip(types, self._pool.map(listing, types), strict=True))
        items = [
            RemovedContent(content_type="ModelReference", model_id=i["HubContentName"])
            for i in listed.pop("ModelReference")
        ]
        keys = [(t, i["HubContentName"]) for t, found in listed.items() for i in found]
        return items + [item for group in self._pool.map(versions, keys) for item in group]

    # -- references ---------------------------------------------------------------------
    def references(self, hub: str) -> ReferenceList:
        """The hub's ModelReferences, read from AWS (not the catalog cache)."""
        hub = validation.hub_name_or_arn(hub)
        name = self._describe_hub(hub)["HubName"]
        items = list_contents(self._sagemaker, hub, "ModelReference")
        refs = [
            Reference(
                model_id=i["HubContentName"],
                version=i["HubContentVersion"],
                hub_content_arn=i["HubContentArn"],
                public_content_arn=i.get("SageMakerPublicHubContentArn"),
                display_name=i.get("HubContentDisplayName"),
                status=i.get("HubContentStatus"),
            )
            for i in items
        ]
        return ReferenceList(hub=name, references=sorted(refs, key=lambda r: r.model_id))

    def _filtered_ids(self, query: ModelQuery) -> list[str]:
        """Every public model id the catalog's filters select (all pages)."""
        ids: list[str] = []
        cursor: str | None = None
        while True:
            page_query = query.model_copy(update={"limit": FILTER_PAGE, "cursor": cursor})
            page = self.catalog.search(validation.PUBLIC_HUB, page_query)
            ids += [m.model_id for m in page.models]
            cursor = page.next_cursor
            if not cursor:
                return list(dict.fromkeys(ids))

    def add_references(
        self, hub: str, request: AddReferencesRequest, progress: Progress = _no_progress
    ) -> AddReferencesResult:
        """A ModelReference per requested public model; a result per model, failures included."""
        hub = self._private_hub(hub)
        name = self._describe_hub(hub)["HubName"]
        wanted = request.models if request.models is not None else self._filtered_ids(request.filter)  # type: ignore[arg-type]
        listings = self._pool.map(
            lambda where: list_contents(self.aws.client("sagemaker"), *where),
            [(validation.PUBLIC_HUB, "Model"), (hub, "ModelReference")],
        )
        public, present = ({i["HubContentName"]: i for i in items} for items in listings)

        results: dict[str, ReferenceResult] = {}
        to_add: list[str] = []
        for model_id in wanted:
            if model_id in present:
                results[model_id] = ReferenceResult(
                    model_id=model_id,
                    status="already_present",
                    version=present[model_id]["HubContentVersion"],
                    hub_content_arn=present[model_id]["HubContentArn"],
                )
            elif model_id not in public:
                results[model_id] = ReferenceResult(
                    model_id=model_id,
                    status="failed",
                    code="NotFound",
                    message=f"Model {model_id} is not in {validation.PUBLIC_HUB}.",
                )
            else:
                to_add.append(model_id)

        def add(model_id: str) -> ReferenceResult:
            source = public[model_id]
            kwargs: dict[str, Any] = {
                "HubName": hub,
                "SageMakerPublicHubContentArn": _unversioned(source["HubContentArn"], source["HubContentVersion"]),
                "HubContentName": model_id,
            }
            if request.min_version:
                kwargs["MinVersion"] = request.min_version
            try:
                reply = self.aws.client("sagemaker").create_hub_content_reference(**kwargs)
            except Exception as exc:  # one model's failure must not lose the others' results
                error = _as_domain(exc, f"reference {model_id}")
                if error.details.get("aws_code") in {"ResourceInUse", "ResourceInUseException"}:
                    return ReferenceResult(
                        model_id=model_id, status="already_present", version=source["HubContentVersion"]
                    )
                return ReferenceResult(model_id=model_id, status="failed", code=error.code, message=error.message)
            return ReferenceResult(
                model_id=model_id,
                status="added",
                version=source["HubContentVersion"],
                hub_content_arn=reply["HubContentArn"],
            )

        total = len(wanted)
        done = len(results)
        if to_add:
            for result in self._pool.map(add, to_add):
                results[result.model_id] = result
                done += 1
                progress(f"{result.status} {result.model_id}", done, total)
            self.catalog.invalidate(hub)  # as given: a shared hub is cached under its ARN

        ordered = [results[m] for m in wanted]
        counts = {s: sum(r.status == s for r in ordered) for s in ("added", "already_present", "failed")}
        log.info("jumpstart_lab: hub %s references: %s", name, counts)
        return AddReferencesResult(hub=name, requested=len(ordered), results=ordered, **counts)

    def remove_reference(self, hub: str, model_id: str) -> RemovedReference:
        """DeleteHubContentReference (404 when the hub has no such reference)."""
        hub = self._private_hub(hub)
        model_id = validation.model_id(model_id)
        name = self._describe_hub(hub)["HubName"]
        with aws_errors(f"reference {model_id} in hub {name}"):
            self._sagemaker.delete_hub_content_reference(
                HubName=hub, HubContentType="ModelReference", HubContentName=model_id
            )
        self.catalog.invalidate(hub)
        return RemovedReference(hub=name, model_id=model_id)

    # -- sharing ------------------------------------------------------------------------
    def shares(self, hub: str) -> ShareList:
        hub = self._private_hub(hub)
        described = self._describe_hub(hub)
        shares = self.sharing.shares(described["HubArn"])
        return ShareList(hub=described["HubName"], hub_arn=described["HubArn"], shares=shares)

    def share(self, hub: str, request: ShareRequest) -> ShareList:
        """Give the accounts the permission on the hub (RAM share created or updated)."""
        hub = self._private_hub(hub)
        described = self._describe_hub(hub)
        self.sharing.share(described["HubName"], described["HubArn"], request.account_ids, request.permission)
        log.info(
            "jumpstart_lab: hub %s shared with %d account(s), %s",
            described["HubName"],
            len(request.account_ids),
            request.permission,
        )
        return self.shares(hub)

    def unshare(self, hub: str, account: str) -> ShareList:
        """Stop sharing the hub with one account (404 when it is not shared with it)."""
        hub = self._private_hub(hub)
        account = validation.account_id(account)
        described = self._describe_hub(hub)
        if not self.sharing.unshare_account(described["HubArn"], account):
            raise NotFound(f"Hub {described['HubName']} is not shared with account {account}.")
        log.info("jumpstart_lab: hub %s no longer shared with one account", described["HubName"])
        return self.shares(hub)


def _unversioned(arn: str, version: str) -> str:
    """The public content ARN without its ``/<version>`` (as the SDK's blog flow passes it; MinVersion pins)."""
    suffix = f"/{version}"
    return arn[: -len(suffix)] if arn.endswith(suffix) else arn


def _as_domain(exc: Exception, what: str) -> JumpStartLabError:
    try:
        return translate(exc, what=what)
    except Exception:  # not a botocore error: report it on this model, keep the others
        log.exception("jumpstart_lab: unexpected error for %s", what)
        return JumpStartLabError(f"{what}: unexpected error ({type(exc).__name__}).", code="InternalError")
