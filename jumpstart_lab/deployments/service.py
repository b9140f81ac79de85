"""Deploy hub models to SageMaker endpoints through boto3 (skeleton, filled in next)."""

from __future__ import annotations

from typing import Any


class DeploymentService:
    """Create, list, describe, invoke and delete the endpoints jumpstart-lab deployed."""

    def __init__(self, aws: Any, catalog: Any, eula: Any, *, role_arn: str | None = None) -> None:
        self.aws = aws
        self.catalog = catalog
        self.eula = eula
        self.role_arn = role_arn
