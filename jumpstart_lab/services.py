"""Assembly of the domain services (plain Python; no tornado).

``build_services`` is what the server extension calls; a kernel or a script can
call it too. Every component receives its collaborators explicitly.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from . import __version__
from .aws.errors import aws_errors
from .aws.session import AwsContext, AwsSettings
from .errors import DatabaseUnavailable, InvalidInput, JumpStartLabError, LocalServiceUnavailable
from .local.discovery import ENV as LOCAL_ENDPOINT_ENV

log = logging.getLogger(__name__)

IDENTITY_RETRY_SECONDS = 30.0


@dataclass(frozen=True)
class ServiceConfig:
    """Plain values from the ``JumpStartLab`` traits (or a script)."""

    mode: str = "local"
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    extra_hubs: tuple[str, ...] = ()
    root_dir: Path = field(default_factory=Path.cwd)
    notebook_dir: str = "jumpstart"
    cache_ttl_seconds: float = 900.0
    db_url: str = "sqlite:///jumpstart-lab.sqlite3"  # SQLAlchemy URL (JumpStartLab.db_url)
    legacy_store_path: Path | None = None  # an earlier version's acceptance file, carried over into db_url
    jupyterhub: bool = False  # a JupyterHub single-user server: each user sees only their own acceptances
    catalog_snapshot_dir: Path | None = None  # persistent hub catalogs (None: kept in memory only)
    allow_curation: bool = True
    aws_workers: int = 32
    local_port: int = 0
    execution_role_arn: str | None = None
    aws_timeouts: dict[str, float | int | None] = field(default_factory=dict)  # AwsSettings overrides (None = default)


def resolve_mode(mode: str, *, region: str | None = None, profile: str | None = None) -> str:
    """``auto`` becomes ``aws`` when boto3 finds credentials and a region, else ``local``."""
    if mode != "auto":
        return mode
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
        if session.get_credentials() is not None and session.region_name:
            return "aws"
    except Exception:  # a broken profile: fall back to the demo, the log says why
        log.warning("jumpstart_lab: AWS configuration unusable, using the local demo service", exc_info=True)
    return "local"


@dataclass
class Services:
    """Everything the handlers (and the kernel-side API) need."""

    config: ServiceConfig
    aws: AwsContext
    executor: ThreadPoolExecutor
    catalog: Any
    eula: Any
    notebooks: Any
    deployments: Any
    curation: Any
    db: Any = None
    local_service: Any = None
    _identity: dict[str, str] | None = None
    _identity_failed_at: float | None = None
    _identity_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def mode(self) -> str:
        return self.config.mode

    @property
    def region(self) -> str:
        return self.aws.region

    @property
    def identity_known(self) -> bool:
        """True when ``identity()`` answers without calling AWS."""
        failed = self._identity_failed_at
        return self._identity is not None or (failed is not None and time.monotonic() - failed < IDENTITY_RETRY_SECONDS)

    def identity(self) -> dict[str, str] | None:
        """The caller's account and ARN: cached after success; a failure is retried after a pause."""
        if self.identity_known:
            return self._identity
        with self._identity_lock:
            if not self.identity_known:
                try:
                    with aws_errors("sts"):
                        who = self.aws.client("sts", max_attempts=2).get_caller_identity()
                    self._identity = {"account": who["Account"], "arn": who["Arn"]}
                except JumpStartLabError as exc:
                    log.info("jumpstart_lab: caller identity unknown: %s", exc.message)
                    self._identity_failed_at = time.monotonic()
        return self._identity

    def status(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "region": self.region,
            "identity": self.identity(),
            "version": __version__,
            "database": self.db.describe() if self.db is not None else None,
            "catalog": self.catalog.status(),
        }

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.deployments.close()
        self.catalog.close()
        if self.db is not None:
            self.db.dispose()
        if self.local_service is not None:
            self.local_service.stop()


def prepare_store(store: Any, legacy: Path | None, *, log: logging.Logger = log) -> None:
    """Migrate the database and carry an earlier version's acceptance file over (at start, off the event loop).

    A failure is logged and retried at first use: the server starts while its database is down."""
    import sqlite3

    from .eula.legacy import import_legacy

    try:
        store.ready()
        if legacy is not None and legacy.is_file():
            import_legacy(legacy, store)
    except JumpStartLabError as exc:
        log.warning("jumpstart_lab: %s", exc.message)
    except (sqlite3.Error, OSError, ValueError) as exc:
        log.warning("jumpstart_lab: the earlier acceptance file %s could not be read (%s)", legacy, exc)


def build_services(
    config: ServiceConfig, *, log: logging.Logger = log, on_accept: Callable[..., None] | None = None
) -> Services:
    """Start what the mode needs and wire the domain services together (``on_accept(acceptance, created)``
    is called after each recorded acceptance: the server emits it as an event)."""
    from .browse.catalog import Catalog
    from .curation.service import CurationService
    from .db import Database
    from .deployments.records import DeploymentRecords
    from .deployments.service import DeploymentService
    from .eula.service import EulaService
    from .eula.store import AcceptanceStore
    from .notebooks.service import NotebookService

    local_service = None
    endpoint_url = config.endpoint_url
    if config.mode == "local" and not endpoint_url:
        from .local.process import LocalServiceProcess

        local_service = LocalServiceProcess(port=config.local_port)
        try:
            endpoint_url = local_service.start()
        except RuntimeError as exc:  # the `local` extra missing, or the service would not start: say why
            raise LocalServiceUnavailable(str(exc)) from exc
        log.info("jumpstart_lab: local demo service at %s", endpoint_url)
        # kernels this server starts (generated notebooks) find it through this first (local/discovery.py)
        os.environ[LOCAL_ENDPOINT_ENV] = endpoint_url

    overrides: dict[str, Any] = {k: v for k, v in config.aws_timeouts.items() if v is not None}
    aws = AwsContext(
        AwsSettings(
            region=config.region,
            profile=config.profile,
            endpoint_url=endpoint_url,
            local=config.mode == "local",
            **overrides,
        )
    )
    catalog = Catalog(
        aws,
        extra_hubs=config.extra_hubs,
        ttl_seconds=config.cache_ttl_seconds,
        local=config.mode == "local",
        snapshot_dir=config.catalog_snapshot_dir,
    )
    catalog.restore_snapshots()  # in the background: a restarted server's first query answers from memory
    try:
        db = Database(config.db_url)
    except InvalidInput as exc:
        raise DatabaseUnavailable(f"JumpStartLab.db_url is unusable: {exc.message}") from None
    store = AcceptanceStore(db)
    eula = EulaService(aws, catalog, store, private=db.shared or config.jupyterhub, on_accept=on_accept)
    records = DeploymentRecords(db, aws.region)  # saved deployments, in the same database as acceptances
    deployments = DeploymentService(aws, catalog, eula, role_arn=config.execution_role_arn, records=records)
    notebooks = NotebookService(
        catalog,
        eula,
        root_dir=config.root_dir,
        notebook_dir=config.notebook_dir,
        region=aws.region,
        run_on="local" if config.mode == "local" else "aws",
        prices=deployments.economics.prices,
    )
    curation = CurationService(aws, catalog)
    executor = ThreadPoolExecutor(max_workers=config.aws_workers, thread_name_prefix="jumpstart-aws")
    services = Services(
        config=config,
        aws=aws,
        executor=executor,
        catalog=catalog,
        eula=eula,
        notebooks=notebooks,
        deployments=deployments,
        curation=curation,
        db=db,
        local_service=local_service,
    )
    executor.submit(services.identity)  # warm the status endpoint's cache
    executor.submit(prepare_store, store, config.legacy_store_path, log=log)
    return services
