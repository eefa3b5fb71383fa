"""`visionchat sessions list|show|rename|close|export`: session housekeeping for scripts.

With `--json` every subcommand prints one JSON document (the API's models encoded with
msgspec, wire field names) on stdout; without it, lines for a person.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from .._printable import inert_line, inert_text
from ..models import ChatSession, ChatSessionDetail
from .embedded import add_endpoint_arguments, connect
from .output import BOLD, DIM, Console

if TYPE_CHECKING:
    from .._sync._client import VisionChat

FORMATS = ("markdown", "json", "text")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `sessions` command and its subcommands."""
    parser = commands.add_parser(
        "sessions",
        help="list, show, rename, close or export sessions",
        description="Manage chat sessions (add --json for machine-readable output).",
    )
    _add_common(parser, nested=False)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("list", help="list sessions, newest first")
    p.add_argument("--limit", type=int, default=20, help="page size, 1-100 (default 20)")
    p.add_argument("--offset", type=int, default=0, help="sessions to skip (default 0)")
    p.add_argument("--active-only", action="store_true", help="only sessions still open")
    p.set_defaults(run=run_list)

    p = actions.add_parser("show", help="show a session and its recent messages")
    p.add_argument("session_id", metavar="ID")
    p.add_argument("--messages", type=int, default=None, metavar="N", help="last N messages")
    p.set_defaults(run=run_show)

    p = actions.add_parser("rename", help="rename a session")
    p.add_argument("session_id", metavar="ID")
    p.add_argument("title", metavar="TITLE")
    p.set_defaults(run=run_rename)

    p = actions.add_parser("close", help="close a session (it refuses new messages)")
    p.add_argument("session_id", metavar="ID")
    p.set_defaults(run=run_close)

    p = actions.add_parser("export", help="export a session (to stdout, or --out FILE)")
    p.add_argument("session_id", metavar="ID")
    p.add_argument("--format", choices=FORMATS, default="markdown", help="default markdown")
    p.add_argument("--include-metadata", action="store_true", help="include message metadata")
    p.add_argument("--out", type=Path, default=None, metavar="FILE", help="write to FILE")
    p.set_defaults(run=run_export)

    for sub in actions.choices.values():
        _add_common(sub, nested=True)


def _add_common(parser: argparse.ArgumentParser, *, nested: bool) -> None:
    add_endpoint_arguments(parser, nested=nested)
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if nested else False,
        help="print JSON instead of text",
    )


def _print_json(console: Console, value: Any) -> None:
    console.line(msgspec.json.encode(value).decode())


def _with_client(
    args: argparse.Namespace, console: Console, action: Callable[[VisionChat], int]
) -> int:
    with (
        connect(console, args.base_url, args.api_key) as endpoint,
        endpoint.client() as client,
    ):
        result: int = action(client)
        return result


def _session_line(console: Console, session: ChatSession) -> str:
    state = "open" if session.is_active else "closed"
    when = session.updated_at.strftime("%Y-%m-%d %H:%M") if session.updated_at else "-"
    title = console.style(inert_line(session.title or "(untitled)"), BOLD)
    details = console.style(
        f"{state}, {session.total_messages} messages, {session.total_tokens} tokens, {when}", DIM
    )
    return f"{session.id}  {title}  {details}"


def run_list(args: argparse.Namespace, console: Console) -> int:
    """`sessions list`."""

    def action(client: VisionChat) -> int:
        page = client.chats.list_sessions(
            limit=args.limit, offset=args.offset, active_only=args.active_only
        )
        if args.json:
            _print_json(console, page)
            return 0
        if not page.items:
            console.line("No sessions.")
            return 0
        for session in page.items:
            console.line(_session_line(console, session))
        more = ", more with --offset" if page.has_more else ""
        console.line(console.style(f"{len(page.items)} of {page.total}{more}", DIM))
        return 0

    return _with_client(args, console, action)


def show_detail(console: Console, detail: ChatSessionDetail) -> None:
    """A session and its messages, for a person."""
    console.line(_session_line(console, detail.session))
    summary = detail.context_summary or detail.session.context_summary
    if summary:
        console.line(console.style(summary, DIM))
    for message in detail.messages:
        console.line()
        console.line(console.style(f"{message.role}:", BOLD))
        console.line(inert_text(message.resolved_content))


def run_show(args: argparse.Namespace, console: Console) -> int:
    """`sessions show ID`."""

    def action(client: VisionChat) -> int:
        detail = client.chats.get_session(args.session_id, message_limit=args.messages)
        if args.json:
            _print_json(console, detail)
        else:
            show_detail(console, detail)
        return 0

    return _with_client(args, console, action)


def run_rename(args: argparse.Namespace, console: Console) -> int:
    """`sessions rename ID TITLE`."""

    def action(client: VisionChat) -> int:
        result = client.chats.rename_session(args.session_id, args.title)
        if args.json:
            _print_json(console, result)
        else:
            console.success(f'Renamed {result.session_id} to "{inert_line(result.title)}".')
        return 0

    return _with_client(args, console, action)


def run_close(args: argparse.Namespace, console: Console) -> int:
    """`sessions close ID`."""

    def action(client: VisionChat) -> int:
        result = client.chats.close_session(args.session_id)
        if args.json:
            _print_json(console, result)
        else:
            console.success(
                f"Closed {result.session_id} "
                f"({result.total_messages} messages, {result.total_tokens} tokens)."
            )
        return 0

    return _with_client(args, console, action)


def run_export(args: argparse.Namespace, console: Console) -> int:
    """`sessions export ID`: the file on stdout, or written to `--out`."""

    def action(client: VisionChat) -> int:
        out: Path | None = args.out
        if out is None:
            data = client.chats.export_session(
                args.session_id, format=args.format, include_metadata=args.include_metadata
            )
            if args.json and args.format != "json":
                _print_json(
                    console,
                    {
                        "session_id": args.session_id,
                        "format": args.format,
                        "content": data.decode("utf-8", "replace"),
                    },
                )
            else:
                console.write_file(data)
            return 0
        client.chats.export_session(
            args.session_id,
            format=args.format,
            include_metadata=args.include_metadata,
            path=out,
        )
        size = out.stat().st_size
        if args.json:
            _print_json(
                console,
                {
                    "session_id": args.session_id,
                    "format": args.format,
                    "path": str(out.resolve()),
                    "bytes": size,
                },
            )
        else:
            console.success(f"Wrote {out} ({size} bytes, {args.format}).")
        return 0

    return _with_client(args, console, action)
