"""`visionchat serve`: run the reference server (the options of `python -m visionchat.server`)."""

from __future__ import annotations

import argparse

from .output import Console


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `serve` command; its options are the reference server's own, parsed when it runs.

    Parsing them later keeps the server (and aiohttp) out of every other command's
    start, and lets a base install without the `server` extra run `visionchat --help`.
    """
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve",
        add_help=False,  # -h/--help goes on to the server's parser
        help="run the reference server; prints its base URL and demo key",
        description="Run the visionchat reference server (Chat API v2) on this machine.",
    )
    parser.set_defaults(run=run, forwarded=[])


def run(args: argparse.Namespace, console: Console) -> int:
    """Serve until Ctrl-C or SIGTERM; a busy port is an `OSError`, one line from `main`."""
    from ..server.__main__ import build_parser, serve_from_args

    serve_from_args(build_parser(prog="visionchat serve").parse_args(args.forwarded))
    return 0
