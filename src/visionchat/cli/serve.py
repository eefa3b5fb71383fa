"""`visionchat serve`: run the reference server (the options of `python -m visionchat.server`)."""

from __future__ import annotations

import argparse

from .output import Console


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `serve` command, reusing the reference server's own option parser."""
    from ..server.__main__ import build_parser

    parser: argparse.ArgumentParser = commands.add_parser(
        "serve",
        parents=[build_parser()],
        add_help=False,  # the parent's -h/--help comes along
        help="run the reference server; prints its base URL and demo key",
        description="Run the visionchat reference server (Chat API v2) on this machine.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Serve until Ctrl-C or SIGTERM; a busy port is an `OSError`, one line from `main`."""
    from ..server.__main__ import serve_from_args

    serve_from_args(args)
    return 0
