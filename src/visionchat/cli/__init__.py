"""The `visionchat` command line: `demo`, `chat`, `sessions` and `serve`.

`main(argv)` parses the arguments, runs one command and returns its exit code. SDK
errors end the command with a one-line message on stderr and a non-zero code, never
a traceback.
"""

from __future__ import annotations

import argparse
import signal
from collections.abc import Sequence
from types import FrameType
from typing import NoReturn

from .._version import __version__
from ..errors import VisionChatError
from .chat import register as register_chat
from .demo import register as register_demo
from .output import Console
from .serve import register as register_serve
from .sessions import register as register_sessions

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = argparse.ArgumentParser(
        prog="visionchat",
        description="Chat with AI agents over your images, documents and videos.",
    )
    parser.add_argument("--version", action="version", version=f"visionchat {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register_demo(commands)
    register_chat(commands)
    register_sessions(commands)
    register_serve(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: the process's arguments)."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest:
        if not hasattr(args, "forwarded"):  # only `serve` passes options on
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        args.forwarded = rest
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(args, Console())
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminate(signum: int, frame: FrameType | None) -> NoReturn:
    """SIGTERM unwinds the command as Ctrl-C does, so an embedded server deletes its
    temporary database; the exit status is the usual 128 + 15."""
    raise SystemExit(128 + signum)


def _run(args: argparse.Namespace, console: Console) -> int:
    try:
        code: int = args.run(args, console)
    except VisionChatError as exc:
        console.error(f"visionchat: {type(exc).__name__}: {exc}")
        return EXIT_ERROR
    except ValueError as exc:  # the SDK checks arguments before sending anything
        console.error(f"visionchat: invalid argument: {exc}")
        return EXIT_USAGE
    except OSError as exc:
        console.error(f"visionchat: {exc}")
        return EXIT_ERROR
    except ImportError as exc:  # a part whose extra is not installed: the message names it
        console.error(f"visionchat: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        console.error("visionchat: interrupted")
        return EXIT_INTERRUPTED
    return code
