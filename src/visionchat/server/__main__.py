"""``python -m visionchat.server``: run the reference server from the command line."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence

from .connections import ConnectionLimits
from .runner import serve

_DEFAULTS = ConnectionLimits()


def _rate(value: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*(?:/\s*min)?\s*", value)
    if not match or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError("expected N or N/min with N >= 1")
    return int(match.group(1))


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a number of seconds") from None
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError("expected a positive number of seconds")
    return seconds


def _count(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError("expected a whole number >= 1")
    return int(value)


def build_parser(prog: str = "python -m visionchat.server") -> argparse.ArgumentParser:
    """The command-line options (also those of `visionchat serve`)."""
    parser = argparse.ArgumentParser(
        prog=prog,
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
    limits = parser.add_argument_group("connection limits (see docs/server.md)")
    limits.add_argument(
        "--header-timeout",
        type=_seconds,
        default=_DEFAULTS.header_timeout,
        metavar="S",
        help="seconds a new connection has to send a whole request head "
        f"(default {_DEFAULTS.header_timeout:g})",
    )
    limits.add_argument(
        "--idle-timeout",
        type=_seconds,
        default=_DEFAULTS.idle_timeout,
        metavar="S",
        help=f"seconds an idle keep-alive connection is kept (default {_DEFAULTS.idle_timeout:g})",
    )
    limits.add_argument(
        "--body-timeout",
        type=_seconds,
        default=_DEFAULTS.body_timeout,
        metavar="S",
        help=f"seconds to receive a request body (default {_DEFAULTS.body_timeout:g})",
    )
    limits.add_argument(
        "--max-connections",
        type=_count,
        default=_DEFAULTS.max_connections,
        metavar="N",
        help="open connections served at once; more are answered 503 "
        f"(default {_DEFAULTS.max_connections})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments and serve until Ctrl-C or SIGTERM; a port that cannot be bound
    ends it with one line on stderr and exit code 1."""
    try:
        serve_from_args(build_parser().parse_args(argv))
    except OSError as exc:
        raise SystemExit(f"visionchat server: {exc}") from None


def serve_from_args(args: argparse.Namespace) -> None:
    """Serve until Ctrl-C or SIGTERM with the options `build_parser()` parsed (the CLI
    reuses both)."""
    serve(
        host=args.host,
        port=args.port,
        db=args.db,
        api_keys=args.api_keys,
        token_delay=args.token_delay,
        rate_limit=args.rate_limit,
        faults=args.faults,
        limits=limits_from_args(args),
    )


def limits_from_args(args: argparse.Namespace) -> ConnectionLimits:
    """The connection limits the command line asked for."""
    return ConnectionLimits(
        header_timeout=args.header_timeout,
        idle_timeout=args.idle_timeout,
        body_timeout=args.body_timeout,
        max_connections=args.max_connections,
    )


if __name__ == "__main__":
    main()
