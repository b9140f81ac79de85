"""``python -m jumpstart_lab.local [--port N]`` (also ``jumpstart-lab local``): run the local AWS-compatible service."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

REGION = "us-west-2"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The service's options (shared with the ``jumpstart-lab local`` subcommand)."""
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--host", default="127.0.0.1", help=argparse.SUPPRESS)
    parser.add_argument("--ready-file", type=Path, default=None, help="write the endpoint URL here once it answers")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])


def print_settings(url: str, seconds: float) -> None:
    """How to point boto3, the SageMaker SDK and JupyterLab at the running service."""
    print(
        f"jumpstart-lab local AWS-compatible service ready in {seconds:.2f}s\n"
        f"  endpoint URL: {url}\n\n"
        "Point boto3 (and the SageMaker SDK) at it:\n"
        f"  export AWS_ENDPOINT_URL={url}\n"
        f"  export AWS_DEFAULT_REGION={REGION}\n"
        "  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing\n"
        "or in Python:\n"
        f"  boto3.client('sagemaker', endpoint_url='{url}', region_name='{REGION}',\n"
        "               aws_access_key_id='testing', aws_secret_access_key='testing')\n"
        "  # SageMaker SDK in a notebook:\n"
        f"  from jumpstart_lab.local.sdk import use_local_service; use_local_service('{url}')\n"
        f"Run JupyterLab on it: jupyter lab --JumpStartLab.mode=local --JumpStartLab.endpoint_url={url}\n"
        "Press Ctrl+C to stop.",
        flush=True,
    )


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 3 when moto is missing or a knob is invalid (the message says which)."""
    from .moto_backend import require_moto
    from .server import serve
    from .settings import Settings

    logging.basicConfig(level=getattr(logging, args.log_level), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        require_moto()
        settings = Settings.from_env()
    except (RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 3
    serve(args.port, host=args.host, ready_file=args.ready_file, settings=settings, on_ready=print_settings)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jumpstart_lab.local",
        description="The local AWS-compatible service (demo catalog, moto behind it).",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
