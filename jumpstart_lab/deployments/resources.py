"""The three SageMaker resources of a deployment (model, endpoint configuration, endpoint): a free name,
creation with rollback, deletion."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..aws.session import AwsContext
from ..errors import Conflict, InvalidInput, JumpStartLabError, NotFound
from .errors import Context, deployment_errors
from .plan import Plan

log = logging.getLogger(__name__)


class Resources:
    """Create and delete a deployment's model, endpoint configuration and endpoint."""

    def __init__(self, aws: AwsContext) -> None:
        self.aws = aws

    @property
    def _sm(self) -> Any:
        return self.aws.client("sagemaker")

    def ensure_free(self, name: str) -> None:
        """409 when an endpoint, endpoint config or model already has this name."""
        checks: list[tuple[str, Callable[..., Any], dict[str, str]]] = [
            ("An endpoint", self._sm.describe_endpoint, {"EndpointName": name}),
            ("An endpoint configuration", self._sm.describe_endpoint_config, {"EndpointConfigName": name}),
            ("A model", self._sm.describe_model, {"ModelName": name}),
        ]
        for what, call, kwargs in checks:
            if _exists(call, **kwargs):
                raise Conflict(
                    f"{what} named {name!r} already exists. Choose another endpoint name or delete it first.",
                    code="EndpointExists",
                    field="endpoint_name",
                )

    def create(self, plan: Plan, ctx: Context) -> None:
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

    def delete(self, endpoint_name: str, config_name: str | None, models: list[str]) -> None:
        """Delete the endpoint, then its configuration and models (any already gone: fine)."""
        with deployment_errors(f"Deleting endpoint {endpoint_name}"):
            self._sm.delete_endpoint(EndpointName=endpoint_name)
        if config_name:
            _delete_quietly("endpoint configuration", self._sm.delete_endpoint_config, EndpointConfigName=config_name)
        for model in models:
            _delete_quietly("model", self._sm.delete_model, ModelName=model)


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


def _delete_quietly(what: str, call: Callable[..., Any], **kwargs: str) -> None:
    try:
        with deployment_errors(f"Deleting the {what}"):
            call(**kwargs)
    except (NotFound, InvalidInput) as exc:  # already gone
        log.info("jumpstart_lab: %s already deleted: %s", what, exc.message)
