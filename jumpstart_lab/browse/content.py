"""Model documents and versions for the detail view and the action side (cached per hub, model, version)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any

from .. import validation
from ..errors import JumpStartLabError, NotFound
from . import documents as docs
from .cache import Call, JobCache
from .detail import build_detail
from .entries import public_name_from_arn
from .models import ModelDetail, ModelDocument
from .reader import PAGE_SIZE, HubReader, hub_errors

log = logging.getLogger(__name__)

PUBLIC = validation.PUBLIC_HUB


class Contents:
    """DescribeHubContent / ListHubContentVersions reads of single models, cached.

    ``content_type(ref, model_id)`` says Model or ModelReference when a loaded catalog knows (None if not);
    ``key(ref)`` is the catalog's cache key of a hub.
    """

    def __init__(
        self,
        client: Callable[[str], Any],
        documents: JobCache[Call[Any]],
        content_type: Callable[[str, str], str | None],
        key: Callable[[str], str],
    ) -> None:
        self.client = client
        self.documents = documents
        self.content_type = content_type
        self.key = key

    def describe(self, ref: str, content_type: str, model_id: str, version: str | None) -> dict[str, Any]:
        return HubReader(self.client, ref).describe(content_type, model_id, version)

    def _fetch_document(self, ref: str, model_id: str, version: str | None) -> ModelDocument:
        content_type = self.content_type(ref, model_id)
        if content_type == "ModelReference":
            reply = self._reference(ref, model_id, version)
        elif content_type is not None:
            reply = self.describe(ref, content_type, model_id, version)
        else:  # as the SDK does: a private hub's id is a reference or an imported model
            try:
                reply = self._reference(ref, model_id, version)
            except NotFound:
                reply = self.describe(ref, "Model", model_id, version)
        minimum = reply.get("ReferenceMinVersion")
        return ModelDocument(
            hub_name=reply.get("HubName") or validation.hub_name_from(ref),
            hub_arn=reply.get("HubArn") or "",
            model_id=reply["HubContentName"],
            version=reply["HubContentVersion"],
            content_type=reply["HubContentType"],
            hub_content_arn=reply["HubContentArn"],
            public_content_arn=reply.get("SageMakerPublicHubContentArn"),
            display_name=reply.get("HubContentDisplayName") or None,
            description=reply.get("HubContentDescription") or None,
            markdown=reply.get("HubContentMarkdown") or None,
            document=docs.parse_document(reply.get("HubContentDocument")),
            reference_min_version=minimum,
            search_keywords=list(reply.get("HubContentSearchKeywords") or []),
        )

    def _reference(self, ref: str, model_id: str, version: str | None) -> dict[str, Any]:
        """DescribeHubContent of a ModelReference; another version (at least its MinVersion) is the
        referenced public model's document of that version."""
        reply = self.describe(ref, "ModelReference", model_id, None)
        if version is None or version == reply["HubContentVersion"]:
            return reply
        minimum = reply.get("ReferenceMinVersion")
        if minimum and docs.version_key(version) < docs.version_key(minimum):
            raise NotFound(
                f"Version {version} of model {model_id} is older than this hub allows (minimum {minimum}).",
                code="NotFound",
            )
        public_id = public_name_from_arn(reply.get("SageMakerPublicHubContentArn"), model_id)
        public = self.describe(PUBLIC, "Model", public_id, version)
        own_arn = reply["HubContentArn"].rsplit("/", 1)[0] + f"/{version}"
        return {
            **reply,
            "HubContentVersion": version,
            "HubContentArn": own_arn,
            "HubContentDocument": public.get("HubContentDocument"),
            "SageMakerPublicHubContentArn": public["HubContentArn"],
        }

    def _cached(self, key: Hashable, fn: Callable[[], Any]) -> Future[Any]:
        return self.documents.get(key, lambda: Call(fn)).done

    def document_ready(self, hub: str, model_id: str, version: str | None = None) -> Future[ModelDocument]:
        ref = validation.hub_name_or_arn(hub)
        validation.model_id(model_id)
        if version is not None:
            validation.version(version)
        key = (self.key(ref), model_id, version or "latest")
        return self._cached(key, lambda: self._fetch_document(ref, model_id, version))

    def model_document(self, hub: str, model_id: str, version: str | None = None) -> ModelDocument:
        """The parsed document of a model version (latest when ``version`` is None); cached."""
        return self.document_ready(hub, model_id, version).result()

    def _versions(self, doc: ModelDocument) -> list[str]:
        """Versions a user can pick: a reference's are the public model's from its MinVersion on."""
        ref, minimum = doc.hub_arn or doc.hub_name, doc.reference_min_version
        if doc.content_type == "ModelReference":
            public_id = public_name_from_arn(doc.public_content_arn, doc.model_id)
            try:
                return self._list_versions(PUBLIC, "Model", public_id, minimum)
            except JumpStartLabError as exc:  # e.g. the public hub is denied: the reference's own
                log.info("jumpstart_lab: public versions of %s unavailable: %s", public_id, exc.message)
        return self._list_versions(ref, doc.content_type, doc.model_id, minimum)

    def _list_versions(self, ref: str, content_type: str, model_id: str, minimum: str | None) -> list[str]:
        found: list[str] = []
        token = None
        while True:
            kwargs: dict[str, Any] = {
                "HubName": ref,
                "HubContentType": content_type,
                "HubContentName": model_id,
                "MaxResults": PAGE_SIZE,
            }
            if minimum:
                kwargs["MinVersion"] = minimum
            if token:
                kwargs["NextToken"] = token
            with hub_errors(ref, missing=f"Model {model_id} is not in hub {validation.hub_name_from(ref)}."):
                reply = self.client("sagemaker").list_hub_content_versions(**kwargs)
            found.extend(i["HubContentVersion"] for i in reply.get("HubContentSummaries", []))
            token = reply.get("NextToken")
            if not token:
                break
        if minimum:
            found = [v for v in found if docs.version_key(v) >= docs.version_key(minimum)]
        return sorted(set(found), key=docs.version_key, reverse=True)

    def model_detail(self, hub: str, model_id: str, version: str | None = None) -> ModelDetail:
        """Everything the detail view shows about one model version."""
        ref = validation.hub_name_or_arn(hub)
        doc = self.model_document(ref, model_id, version)
        key = (self.key(ref), model_id, "versions")
        versions = self._cached(key, lambda: self._versions(doc)).result()
        return build_detail(validation.hub_name_from(ref), doc, versions)
