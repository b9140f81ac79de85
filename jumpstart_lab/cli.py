"""``jumpstart-lab`` command line: ``jumpstart-lab local [--port N]`` runs the local AWS-compatible service;
``jumpstart-lab audit-service --db-url URL`` runs the EULA audit service under JupyterHub."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def _print_settings(url: str, seconds: float) -> None:
    region = "us-west-2"
    print(
        f"jumpstart-lab local AWS-compatible service ready in {seconds:.2f}s\n"
        f"  endpoint URL: {url}\n\n"
        "Point boto3 (and the SageMaker SDK) at it:\n"
        f"  export AWS_ENDPOINT_URL={url}\n"
        f"  export AWS_DEFAULT_REGION={region}\n"
        "  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing\n"
        "or in Python:\n"
        f"  boto3.client('sagemaker', endpoint_url='{url}', region_name='{region}',\n"
        "               aws_access_key_id='testing', aws_secret_access_key='testing')\n"
        "  # SageMaker SDK in a notebook:\n"
        f"  from jumpstart_lab.local.sdk import use_local_service; use_local_service('{url}')\n"
        f"Run JupyterLab on it: jupyter lab --JumpStartLab.mode=local --JumpStartLab.endpoint_url={url}\n"
        "Press Ctrl+C to stop.",
        flush=True,
    )


def _local(args: argparse.Namespace) -> int:
    from .local.moto_backend import require_moto
    from .local.server import serve
    from .local.settings import Settings

    logging.basicConfig(level=getattr(logging, args.log_level), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        require_moto()
        settings = Settings.from_env()
    except (RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 3
    serve(args.port, host=args.host, ready_file=args.ready_file, settings=settings, on_ready=_print_settings)
    return 0


def _audit(args: argparse.Namespace) -> int:
    import os

    logging.basicConfig(level=getattr(logging, args.log_level), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    db_url = args.db_url or os.environ.get("JUMPSTART_LAB_DB_URL")
    if not db_url:
        print("error: give the database with --db-url or JUMPSTART_LAB_DB_URL", file=sys.stderr, flush=True)
        return 2
    try:
        from .audit.service import serve
    except ImportError as exc:
        print(f"error: the audit service needs JupyterHub installed ({exc})", file=sys.stderr, flush=True)
        return 3
    from .errors import JumpStartLabError

    try:
        serve(db_url, port=args.port)
    except (RuntimeError, JumpStartLabError) as exc:
        print(f"error: {getattr(exc, 'message', exc)}", file=sys.stderr, flush=True)
        return 3
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jumpstart-lab", description="SageMaker JumpStart hubs in JupyterLab.")
    sub = parser.add_subparsers(dest="command", required=True)
    local = sub.add_parser("local", help="run the local AWS-compatible service (demo catalog, moto behind it)")
    local.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    local.add_argument("--host", default="127.0.0.1", help=argparse.SUPPRESS)
    local.add_argument("--ready-file", type=Path, default=None, help="write the endpoint URL here once it answers")
    local.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    audit = sub.add_parser(
        "audit-service",
        help="run the EULA audit service as a JupyterHub service (c.JupyterHub.services: jumpstart-lab-audit)",
    )
    audit.add_argument("--db-url", default=None, help="the team's database (default: $JUMPSTART_LAB_DB_URL)")
    audit.add_argument("--port", type=int, default=None, help="port (default: the one in $JUPYTERHUB_SERVICE_URL)")
    audit.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)
    if args.command == "local":
        return _local(args)
    if args.command == "audit-service":
        return _audit(args)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
