"""Hub curation for administrators (private hubs, references, RAM shares)."""

from __future__ import annotations

from typing import Any

from ..aws.session import AwsContext


class CurationService:
    """Create and delete private hubs, curate their model references, share them."""

    def __init__(self, aws: AwsContext, catalog: Any) -> None:
        self.aws = aws
        self.catalog = catalog
