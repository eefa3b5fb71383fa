"""``python -m visionchat.server``: run the reference server from the command line."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence

from .runner import serve


def _rate(value: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*(?:/\s*min)?\s*", value)
    if not match or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError("expected N or N/min with N >= 1")
    return int(match.group(1))


def build_parser() -> argparse.ArgumentParser:
    """The command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m visionchat.server",
        description="Run the visionchat reference server (Chat API v2) locally.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    parser.add_argument(
        "--db", default=None, help="SQLite file to keep data in (default: temporary)"
    )
    parser.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="[TENANT:]KEY",
        help="accepted key, repeatable (default: vc-demo-key for tenant demo)",
    )
    parser.add_argument(
        "--token-delay", type=float, default=0.0, help="seconds between streamed tokens (default 0)"
    )
    parser.add_argument(
        "--rate-limit",
        type=_rate,
        default=None,
        metavar="N/min",
        help="requests per minute per key (default: unlimited)",
    )
    parser.add_argument(
        "--faults",
        action="store_true",
        help="enable fault injection and the /_control/faults endpoint",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments and serve until Ctrl-C."""
    serve_from_args(build_parser().parse_args(argv))


def serve_from_args(args: argparse.Namespace) -> None:
    """Serve until Ctrl-C with the options `build_parser()` parsed (the CLI reuses both)."""
    serve(
        host=args.host,
        port=args.port,
        db=args.db,
        api_keys=args.api_keys,
        token_delay=args.token_delay,
        rate_limit=args.rate_limit,
        faults=args.faults,
    )


if __name__ == "__main__":
    main()
