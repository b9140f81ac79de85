"""The EULA gate: read a gated model's license text, record acceptances, refuse actions without one.

An acceptance covers one hub + model + version + the SHA-256 of the EULA text as it is *now*
in S3, so a changed text needs a new acceptance. Nothing here ever accepts on a user's behalf.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .. import validation
from ..aws.errors import aws_errors
from ..errors import Conflict, EulaNotAccepted, InvalidInput
from .models import ACTIONS, Acceptance, EulaInfo
from .store import AcceptanceStore

if TYPE_CHECKING:
    from ..aws.session import AwsContext
    from ..browse.models import ModelDocument

log = logging.getLogger(__name__)
MAX_EULA_BYTES = 4 * 1024 * 1024
NO_TEXT_SHA256 = hashlib.sha256(b"").hexdigest()  # gated by GatedBucket alone: there is no text to hash


class EulaService:
    """EULA text, acceptance and enforcement for hub models."""

    def __init__(
        self,
        aws: AwsContext,
        catalog: Any,
        store: AcceptanceStore,
        *,
        private: bool = False,
        on_accept: Callable[[Acceptance, bool], None] | None = None,
    ) -> None:
        self.aws = aws
        self.catalog = catalog
        self.store = store
        self.private = private  # a shared database (a team): each user sees only their own acceptances
        self.on_accept = on_accept

    # -- reading -----------------------------------------------------------------------
    def _document(self, hub: str, model_id: str, version: str | None) -> ModelDocument:
        hub = validation.hub_name_or_arn(hub)
        model_id = validation.model_id(model_id)
        if version is not None:
            version = validation.version(version)
        return self.catalog.model_document(hub, model_id, version)

    def text(self, doc: ModelDocument) -> tuple[str | None, str]:
        """The EULA text of a gated model (read from S3 now) and its SHA-256."""
        uri = doc.eula_uri
        if not uri:
            return None, NO_TEXT_SHA256
        try:
            bucket, key = validation.s3_uri(uri)
        except InvalidInput as exc:
            raise InvalidInput(
                f"The model document names an invalid EULA location {uri!r}.", code="BadEulaUri"
            ) from exc
        with aws_errors(f"EULA of {doc.model_id} ({uri})"):
            obj = self.aws.client("s3").get_object(Bucket=bucket, Key=key)
            body = obj["Body"].read(MAX_EULA_BYTES + 1)
        if len(body) > MAX_EULA_BYTES:
            raise InvalidInput(f"The EULA at {uri} is larger than {MAX_EULA_BYTES} bytes.", code="BadEulaUri")
        return body.decode("utf-8", errors="replace"), hashlib.sha256(body).hexdigest()

    def get(self, hub: str, model_id: str, version: str | None, user: str) -> EulaInfo:
        """Whether the model needs a EULA, its text and hash, and whether ``user`` accepted it."""
        doc = self._document(hub, model_id, version)
        if not doc.gated:
            return EulaInfo(required=False)
        text, sha256 = self.text(doc)
        found = self.store.find(user, doc.hub_arn, doc.model_id, doc.version, sha256)
        return EulaInfo(
            required=True,
            uri=doc.eula_uri,
            text=text,
            sha256=sha256,
            accepted=found is not None,
            accepted_at=found.accepted_at if found else None,
            accepted_by=found.username if found else None,
        )

    # -- accepting ---------------------------------------------------------------------
    def accept(
        self, hub: str, model_id: str, version: str | None, action: str, user: str, *, sha256: str | None = None
    ) -> Acceptance:
        """Record that ``user`` accepted the current EULA text (``sha256``: the hash of the text they read)."""
        if action not in ACTIONS:
            raise InvalidInput(f"action must be one of {', '.join(ACTIONS)}.", field="action")
        doc = self._document(hub, model_id, version)
        if not doc.gated:
            raise InvalidInput(f"{doc.model_id} {doc.version} has no EULA to accept.", code="EulaNotRequired")
        _, current = self.text(doc)
        if sha256 is not None and sha256 != current:
            raise Conflict(
                f"The EULA of {doc.model_id} changed since it was shown (sha256 {current}); read it again before "
                "accepting.",
                code="EulaChanged",
                eula_uri=doc.eula_uri,
            )
        acceptance = Acceptance(
            username=user,
            hub=doc.hub_name,
            hub_arn=doc.hub_arn,
            model_id=doc.model_id,
            version=doc.version,
            eula_uri=doc.eula_uri,
            sha256=current,
            action=action,
            accepted_at=datetime.now(timezone.utc),
        )
        stored, created = self.store.record_new(acceptance)
        if self.on_accept is not None:
            try:
                self.on_accept(stored, created)
            except Exception:  # an audit sink failing must not undo a committed acceptance
                log.exception("jumpstart_lab: the acceptance event could not be emitted")
        return stored

    # -- enforcing ---------------------------------------------------------------------
    def require(self, doc: ModelDocument, action: str, user: str) -> Acceptance | None:
        """``user``'s acceptance that unlocks ``action`` on a gated model; None when not gated.

        Raises :class:`EulaNotAccepted` (403) without a matching acceptance, and
        :class:`~jumpstart_lab.errors.StoreError` (503) when the store is unusable.
        """
        if not doc.gated:
            return None
        _, sha256 = self.text(doc)
        found = self.store.find(user, doc.hub_arn, doc.model_id, doc.version, sha256)
        if found is None:
            where = f" at {doc.eula_uri}" if doc.eula_uri else ""
            raise EulaNotAccepted(
                f"{doc.model_id} {doc.version} requires accepting its end-user license agreement{where} before "
                f"you can {action} it. Read and accept the EULA first"
                + (
                    " (its text changed since the earlier acceptance)."
                    if self.store.accepted_any_text(user, doc.hub_arn, doc.model_id, doc.version)
                    else "."
                ),
                eula_uri=doc.eula_uri,
                model_id=doc.model_id,
                version=doc.version,
                action=action,
            )
        return found

    def acceptances(self, user: str | None = None) -> list[Acceptance]:
        """The audit log, oldest first: only ``user``'s rows when the database is shared by a team (the
        organisation's log is the audit service's), every row of this server's own store otherwise."""
        if self.private:
            return self.store.query(username=user or "")
        return self.store.all()
