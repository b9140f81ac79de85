"""``jumpstart-lab`` command line: ``jumpstart-lab local [--port N]`` runs the local AWS-compatible service;
``jumpstart-lab audit-service --db-url URL`` runs the EULA audit service under JupyterHub."""

from __future__ import annotations

import argparse
import logging
import sys

from .local import __main__ as local


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
    local.add_arguments(
        sub.add_parser("local", help="run the local AWS-compatible service (demo catalog, moto behind it)")
    )
    audit = sub.add_parser(
        "audit-service",
        help="run the EULA audit service as a JupyterHub service (c.JupyterHub.services: jumpstart-lab-audit)",
    )
    audit.add_argument("--db-url", default=None, help="the team's database (default: $JUMPSTART_LAB_DB_URL)")
    audit.add_argument("--port", type=int, default=None, help="port (default: the one in $JUPYTERHUB_SERVICE_URL)")
    audit.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)
    if args.command == "local":
        return local.run(args)
    if args.command == "audit-service":
        return _audit(args)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
