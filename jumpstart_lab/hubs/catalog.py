"""Hub discovery and the cached, searchable model catalog of each hub (skeleton; being built)."""

from __future__ import annotations

from ..aws.session import AwsContext
from .models import HubList, ModelDetail, ModelDocument, ModelPage, ModelQuery


class Catalog:
    """Hubs the caller can use, and each hub's models (cached per hub)."""

    def __init__(
        self, aws: AwsContext, *, extra_hubs: tuple[str, ...] = (), ttl_seconds: float = 900.0, local: bool = False
    ) -> None:
        self.aws = aws
        self.extra_hubs = tuple(extra_hubs)
        self.ttl_seconds = ttl_seconds
        self.local = local

    def list_hubs(self) -> HubList:
        raise NotImplementedError

    def search(self, hub: str, query: ModelQuery) -> ModelPage:
        raise NotImplementedError

    def model_detail(self, hub: str, model_id: str, version: str | None = None) -> ModelDetail:
        raise NotImplementedError

    def model_document(self, hub: str, model_id: str, version: str | None = None) -> ModelDocument:
        raise NotImplementedError

    def invalidate(self, hub: str | None = None) -> None:
        return None
