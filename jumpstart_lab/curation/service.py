"""Hub curation for administrators: private hubs, their model references, RAM shares.

Blocking boto3 code (runs on the server's AWS pool). Every user string is
validated before it reaches boto3; AWS errors become domain errors.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import validation
from ..aws.errors import aws_errors
from ..aws.session import AwsContext
from ..browse.models import Hub, ModelQuery
from ..errors import AccessDenied, JumpStartLabError, NotFound
from .contents import list_contents
from .deletion import HubEmptier, Progress
from .models import (
    AddReferencesRequest,
    AddReferencesResult,
    CreateHubRequest,
    DeleteHubResult,
    HubContents,
    OwnedContent,
    Reference,
    ReferenceList,
    ReferenceResult,
    RemovedContent,
    RemovedReference,
    Share,
    ShareList,
    ShareRequest,
)
from .references import create_reference, pin_reference, triage
from .sharing import HubSharing

log = logging.getLogger(__name__)

REFERENCE_WORKERS = 8
FILTER_PAGE = 200


def _no_progress(what: str, done: int, total: int) -> None:
    return None


def _ram_warning(exc: AccessDenied, hub_arn: str) -> str:
    return f"AWS RAM shares were not checked ({exc.message}); remove {hub_arn} from any share."


def _not_deleted(
    exc: Exception,
    name: str,
    hub_arn: str,
    shares: list[str],
    removed: list[RemovedContent],
    items: list[RemovedContent] | None,
) -> JumpStartLabError:
    """``exc`` (same class, code and status) with what the deletion did before it: ``removed``, ``remaining``
    (absent when the contents could not be listed) and ``shares_updated``."""
    if not isinstance(exc, JumpStartLabError):
        log.exception("jumpstart_lab: unexpected error deleting hub %s", name)
        exc = JumpStartLabError(f"Deleting hub {name} failed: unexpected error ({type(exc).__name__}).")
    gone = {(r.content_type, r.model_id, r.version) for r in removed}
    remaining = None if items is None else [i for i in items if (i.content_type, i.model_id, i.version) not in gone]
    left = "" if remaining is None else f"; still in the hub: {len(remaining)} (see 'remaining')"
    message = (
        f"{exc.message} Hub {name} is not deleted. Removed before this error: {len(removed)} items (see 'removed')"
        f"{left}. Deleting the hub again continues from there."
    )
    report = {
        "hub": name,
        "hub_arn": hub_arn,
        "deleted": False,
        "shares_updated": list(shares),
        "removed": [r.model_dump() for r in removed],
        "remaining": None if remaining is None else [r.model_dump() for r in remaining],
    }
    log.warning("jumpstart_lab: hub %s not deleted (%s); %d items removed", name, exc.code, len(removed))
    return type(exc)(message, code=exc.code, **{**exc.details, **report})


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
        self.emptier = HubEmptier(aws, self._pool)

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

    def _hub_list_changed(self, name: str) -> None:
        """Forget the hub's cached catalog and reload the hub list in the background (the public catalog,
        expensive to load, stays cached)."""
        self.catalog.invalidate(name)
        self.catalog.hubs_ready(refresh=True)

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
        self._hub_list_changed(request.name)
        log.info("jumpstart_lab: created hub %s", request.name)
        return self._hub_model(self._describe_hub(request.name))

    def _shares_or_warning(self, hub_arn: str, warnings: list[str]) -> list[Share]:
        try:
            return self.sharing.shares(hub_arn)
        except AccessDenied as exc:  # a role without RAM rights can still curate the hub; say what was skipped
            warnings.append(_ram_warning(exc, hub_arn))
            return []

    def contents(self, hub: str) -> HubContents:
        """What ``delete_hub`` would remove: references, owned content (every version), RAM shares."""
        hub = self._private_hub(hub)
        described = self._describe_hub(hub)
        warnings: list[str] = []
        shares = self._shares_or_warning(described["HubArn"], warnings)
        items = self.emptier.contents(hub)
        owned: dict[tuple[str, str], list[str]] = {}
        for item in items:
            if item.version is not None:
                owned.setdefault((item.content_type, item.model_id), []).append(item.version)
        return HubContents(
            hub=described["HubName"],
            hub_arn=described["HubArn"],
            references=sorted(i.model_id for i in items if i.version is None),
            owned=[OwnedContent(content_type=t, model_id=m, versions=v) for (t, m), v in sorted(owned.items())],
            shares=shares,
            warnings=warnings,
        )

    def delete_hub(self, hub: str, progress: Progress = _no_progress) -> DeleteHubResult:
        """Unshare the hub, remove its references and contents (all versions), then DeleteHub.

        A failure once the deletion has started raises the error with a report of what was done:
        ``removed`` (in order), ``remaining`` (what the hub still holds) and ``shares_updated``.
        """
        hub = self._private_hub(hub)
        described = self._describe_hub(hub)
        name, hub_arn = described["HubName"], described["HubArn"]

        warnings: list[str] = []
        shares: list[str] = []
        removed: list[RemovedContent] = []
        items: list[RemovedContent] | None = None
        try:
            try:
                self.sharing.unshare_hub(hub_arn, shares)
            except AccessDenied as exc:  # a role without RAM rights can still delete the hub; say what was skipped
                warnings.append(_ram_warning(exc, hub_arn))
            items = self.emptier.contents(hub)
            self.emptier.remove(hub, name, items, progress, removed)
            self.emptier.delete_hub(hub, name)
        except Exception as exc:
            if removed:
                self.catalog.invalidate(hub)
            raise _not_deleted(exc, name, hub_arn, shares, removed, items) from exc
        progress(f"deleted hub {name}", len(removed) + 1, len(removed) + 1)
        self._hub_list_changed(name)
        log.info("jumpstart_lab: deleted hub %s (%d items removed, %d shares updated)", name, len(removed), len(shares))
        return DeleteHubResult(
            hub=name, hub_arn=hub_arn, shares_updated=shares, removed=removed, deleted=True, warnings=warnings
        )

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

        results, to_add, to_pin = triage(wanted, public, present, request.min_version)

        def add(model_id: str) -> ReferenceResult:
            return create_reference(self.aws.client("sagemaker"), hub, public[model_id], request.min_version)

        def pin(model_id: str) -> ReferenceResult:
            return pin_reference(self.aws.client("sagemaker"), hub, model_id, request.min_version)  # type: ignore[arg-type]

        total = len(wanted)
        done = len(results)
        for action, ids in ((add, to_add), (pin, to_pin)):
            for result in self._pool.map(action, ids):
                results[result.model_id] = result
                done += 1
                progress(f"{result.status} {result.model_id}", done, total)
        if to_add or to_pin:
            self.catalog.invalidate(hub)  # as given: a shared hub is cached under its ARN

        ordered = [results[m] for m in wanted]
        counts = {s: sum(r.status == s for r in ordered) for s in ("added", "updated", "already_present", "failed")}
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
