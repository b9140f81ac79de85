"""The Jupyter server extension: configuration and wiring, nothing else.

Config section ``JumpStartLab`` (``--JumpStartLab.mode=local``). The app resolves
the mode, starts the embedded local service when needed, builds the domain
services (:mod:`jumpstart_lab.services`) and registers the handlers.
"""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from jupyter_server.extension.application import ExtensionApp
from jupyter_server.utils import url_path_join
from traitlets import Bool, Enum, Float, Int, List, Unicode, default

from .. import __version__
from ..errors import DatabaseUnavailable, LocalServiceUnavailable
from ..eula.events import emit_acceptance, register_events
from ..eula.models import Acceptance
from ..services import ServiceConfig, Services, build_services, resolve_mode
from .handlers import ROUTES
from .hub import under_jupyterhub
from .sidebar_kernel import UnusedSidebarKernel

API_PREFIX = "jumpstart-lab/api"


class JumpStartLab(ExtensionApp):
    """SageMaker JumpStart hubs in JupyterLab."""

    name = "jumpstart_lab"
    load_other_extensions = True
    version = __version__

    mode = Enum(
        ["auto", "local", "aws"],
        default_value="auto",
        config=True,
        help="auto: aws when boto3 finds credentials and a region, else local (the embedded demo service).",
    )
    region = Unicode(None, allow_none=True, config=True, help="AWS region (default: the AWS chain's).")
    profile = Unicode(None, allow_none=True, config=True, help="AWS profile name (default: the AWS chain's).")
    endpoint_url = Unicode(
        None, allow_none=True, config=True, help="Send every AWS call here (an AWS-compatible service)."
    )
    extra_hubs = List(
        Unicode(), default_value=[], config=True, help="Hub ARNs shared with the user from other accounts."
    )
    notebook_dir = Unicode(
        "jumpstart", config=True, help="Folder, relative to the server root, for generated notebooks."
    )
    cache_ttl_seconds = Float(900.0, config=True, help="How long a hub's catalog is kept before it is fetched again.")
    db_url = Unicode(
        config=True,
        help="SQLAlchemy URL of the extension's database (EULA acceptances). Default: a SQLite file in the Jupyter "
        "data dir; a team on JupyterHub shares one PostgreSQL: postgresql+psycopg://user:password@host/db.",
    )
    eula_store_path = Unicode(
        config=True,
        help="Deprecated (use db_url): the SQLite file of EULA acceptances of earlier versions. Set without db_url, "
        "it is the database (sqlite:///<path>); its acceptances are carried over into db_url at start.",
    )
    catalog_snapshot_dir = Unicode(
        None, allow_none=True, config=True,
        help="Folder for hub catalog snapshots a restarted server answers from "
        "(default: in the Jupyter data dir; '' = none).",
    )  # fmt: skip
    allow_curation = Bool(True, config=True, help="Offer the hub curation (admin) API and view.")
    aws_workers = Int(32, config=True, help="Threads for AWS calls (boto3 never runs on the event loop).")
    execution_role_arn = Unicode(
        None, allow_none=True, config=True, help="IAM role SageMaker endpoints run under (aws mode)."
    )
    aws_connect_timeout = Float(
        None,
        allow_none=True,
        config=True,
        help="Seconds to connect to AWS (default 5, or JUMPSTART_LAB_AWS_CONNECT_TIMEOUT).",
    )
    aws_read_timeout = Float(
        None,
        allow_none=True,
        config=True,
        help="Seconds to wait for an AWS answer (default 30, or JUMPSTART_LAB_AWS_READ_TIMEOUT).",
    )
    aws_max_attempts = Int(
        None,
        allow_none=True,
        config=True,
        help="Retries of a failed AWS call (default 5, or JUMPSTART_LAB_AWS_MAX_ATTEMPTS).",
    )
    local_port = Int(0, config=True, help="Port of the embedded local service in local mode (0 = any free port).")
    sidebar_kernel_grace_seconds = Float(
        60.0,
        config=True,
        help="End the sidebar's kernel once no browser tab has been connected to it for this long "
        "(a reload reconnects well within it); 0 = never.",
    )

    @default("eula_store_path")
    def _default_store(self) -> str:
        return str(Path(jupyter_data_dir()) / "jumpstart_lab" / "eula-acceptances.sqlite3")

    @default("db_url")
    def _default_db_url(self) -> str:
        if os.environ.get("JUMPSTART_LAB_DB_URL"):  # a hub's spawner environment (keeps the password out of `ps`)
            return os.environ["JUMPSTART_LAB_DB_URL"]
        if self._configured("eula_store_path"):  # the deprecated alias, alone: that file is the database
            return f"sqlite:///{Path(self.eula_store_path).expanduser()}"
        return f"sqlite:///{Path(jupyter_data_dir()) / 'jumpstart_lab' / 'jumpstart-lab.sqlite3'}"

    def _configured(self, name: str) -> bool:
        return name in self.config.get(type(self).__name__, {})

    services: Services | None = None
    sidebar_kernel: UnusedSidebarKernel | None = None

    def initialize_settings(self) -> None:
        self._start_sidebar_kernel_reaper()
        config = ServiceConfig(
            mode=resolve_mode(self.mode, region=self.region, profile=self.profile),
            region=self.region,
            profile=self.profile,
            endpoint_url=self.endpoint_url,
            extra_hubs=tuple(self.extra_hubs),
            root_dir=Path(os.path.expanduser(self.serverapp.root_dir)).resolve(),
            notebook_dir=self.notebook_dir,
            cache_ttl_seconds=self.cache_ttl_seconds,
            db_url=self.db_url,
            legacy_store_path=Path(self.eula_store_path).expanduser(),
            jupyterhub=under_jupyterhub(self.serverapp),
            catalog_snapshot_dir=_snapshot_dir(self.catalog_snapshot_dir),
            allow_curation=self.allow_curation,
            aws_workers=self.aws_workers,
            local_port=self.local_port,
            execution_role_arn=self.execution_role_arn,
            aws_timeouts={
                "connect_timeout": self.aws_connect_timeout,
                "read_timeout": self.aws_read_timeout,
                "max_attempts": self.aws_max_attempts,
            },
        )
        if self._configured("eula_store_path"):
            self.log.warning("jumpstart_lab: JumpStartLab.eula_store_path is deprecated; set JumpStartLab.db_url")
        try:
            self.services = build_services(config, log=self.log, on_accept=self._emit_acceptance)
        except (LocalServiceUnavailable, DatabaseUnavailable) as exc:
            # Stay loaded so the panel (every endpoint: 503) shows the reason and the fix, not a 404.
            self.log.error("jumpstart_lab: %s", exc.message)
            self.settings["jumpstart_lab.startup_error"] = exc
            return
        self.settings["jumpstart_lab.services"] = self.services
        register_events(self.serverapp.event_logger)
        self.log.info(
            "jumpstart_lab %s: mode=%s region=%s database=%s",
            __version__,
            config.mode,
            self.services.region,
            self.services.db.redacted,
        )

    def _emit_acceptance(self, acceptance: Acceptance, created: bool) -> None:
        emit_acceptance(self.serverapp.event_logger, acceptance, created)

    def _start_sidebar_kernel_reaper(self) -> None:
        self.sidebar_kernel = UnusedSidebarKernel(
            self.serverapp.session_manager, self.sidebar_kernel_grace_seconds, self.log
        )
        self.sidebar_kernel.start()

    def initialize_handlers(self) -> None:
        self.handlers.extend((url_path_join("/", API_PREFIX, path), handler) for path, handler in ROUTES)

    async def stop_extension(self) -> None:
        if self.sidebar_kernel is not None:
            self.sidebar_kernel.stop()
        if self.services is not None:
            self.services.close()


def _snapshot_dir(value: str | None) -> Path | None:
    """``catalog_snapshot_dir``: unset = the Jupyter data dir's ``jumpstart_lab/catalog``, empty = no snapshots."""
    if value is None:
        return Path(jupyter_data_dir()) / "jumpstart_lab" / "catalog"
    return Path(os.path.expanduser(value)) if value else None
