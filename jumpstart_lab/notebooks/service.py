"""Generate prefilled Train / Deploy / Evaluate notebooks for a hub model.

Checks the request, resolves the model document, enforces the EULA gate, renders the
notebook from templates (:mod:`.render`) and writes it as a new file inside the server
root (:mod:`.writer`).
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
from pathlib import Path
from typing import Any

import nbformat

from .. import validation
from ..browse import documents
from ..errors import InvalidInput
from .context import NotebookContext, build_context
from .models import NotebookCreated, NotebookRequest
from .render import render_notebook
from .writer import find_written, notebook_folder, write_new


def installed_sdk_major() -> str:
    """``v2`` or ``v3`` from the installed ``sagemaker`` distribution (not imported), else ``v3``."""
    try:
        major = int(importlib.metadata.version("sagemaker").split(".", 1)[0])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return "v3"
    return "v2" if major == 2 else "v3"


class NotebookService:
    """Writes generated notebooks under ``root_dir / notebook_dir`` (or the folder a request names)."""

    def __init__(
        self,
        catalog: Any,
        eula: Any,
        *,
        root_dir: Path,
        notebook_dir: str,
        region: str,
        run_on: str = "aws",
        prices: Any = None,
    ) -> None:
        self.catalog = catalog
        self.prices = prices  # a deployments.pricing.PriceBook: the notebook states the hourly prices
        self.eula = eula
        self.root_dir = Path(root_dir).resolve()
        self.notebook_dir = notebook_dir
        self.region = region
        self.run_on = run_on  # "aws", "local" or "aws-or-local" (notebooks/context.py RUN_ON)

    def render(self, request: NotebookRequest, user: str) -> nbformat.NotebookNode:
        """The notebook for ``request`` (deterministic for the same model, acceptance and settings)."""
        hub = validation.hub_name_or_arn(request.hub)
        model_id = validation.model_id(request.model_id)
        version = validation.version(request.version) if request.version is not None else None
        endpoint_name = validation.endpoint_name(request.endpoint_name) if request.endpoint_name else None
        sdk = request.sdk or installed_sdk_major()
        doc = self.catalog.model_document(hub, model_id, version)
        if request.action == "train" and not doc.document.get("TrainingSupported"):
            raise InvalidInput(f"{doc.model_id} {doc.version} does not support training.", code="TrainingNotSupported")
        acceptance = self.eula.require(doc, request.action, user)
        context = build_context(
            doc,
            action=request.action,
            sdk=sdk,
            region=self.region,
            acceptance=acceptance,
            endpoint_name=endpoint_name,
            run_on=self.run_on,
        )
        context = dataclasses.replace(context, marketplace=documents.marketplace(doc.document) is not None)
        return render_notebook(self._priced(context))

    def _priced(self, context: NotebookContext) -> NotebookContext:
        """The context with the on-demand prices of its instance types (unknown ones stay None)."""
        if self.prices is None:
            return context

        def per_hour(instance_type: str | None, component: str) -> float | None:
            return self.prices.price(instance_type, component).per_hour if instance_type else None

        return dataclasses.replace(
            context,
            instance_price=per_hour(context.instance_type, "Hosting"),
            training_price=per_hour(context.training_instance_type, "Training") if context.action == "train" else None,
            demo_prices=self.run_on == "local",
        )

    def create(self, request: NotebookRequest, user: str) -> str:
        """Write a new notebook for ``request``; returns its path relative to the server root."""
        return self.open_or_create(request.model_copy(update={"fresh": True}), user).path

    def open_or_create(self, request: NotebookRequest, user: str) -> NotebookCreated:
        """The notebook already written for this model, version, action and SDK in the folder (the newest),
        else a new one; ``request.fresh``: always a new file. The EULA gate applies either way."""
        directory = validation.folder(request.directory) if request.directory is not None else self.notebook_dir
        nb = self.render(request, user)
        folder = notebook_folder(self.root_dir, directory)
        stem = f"{validation.model_id(request.model_id)}-{request.action}-{request.sdk or installed_sdk_major()}"
        if not request.fresh:
            existing = find_written(folder, stem, nb.metadata["jumpstart_lab"], self.root_dir)
            if existing is not None:
                return NotebookCreated(path=existing, reused=True)
        return NotebookCreated(path=write_new(nb, folder, stem, self.root_dir))
