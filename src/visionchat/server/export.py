"""The markdown and text renderings of a session export.

Titles and messages are written by users and agents, so nothing in them may take the
document's structure: the title is one line with every character that starts inline Markdown escaped, each
message sits in a fence longer than any run of backticks it contains (text format: every
line indented), and control characters are escaped as in the CLI
(`visionchat._printable`). The JSON export carries the exact values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .._printable import inert_line, inert_text
from .models import SessionRow

#: The characters that start inline Markdown (emphasis, code, links, images, HTML,
#: entities, strikethrough, tables) or close a heading; each is escaped with a backslash.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>!&~|#])")
_BACKTICK_RUNS = re.compile(r"`+")

#: One message: role, created_at, content, metadata.
Message = tuple[str, str, str, Mapping[str, Any]]


def render_export(
    session: SessionRow, messages: Iterable[Message], *, markdown: bool, include_metadata: bool
) -> str:
    """The session as a Markdown document, or as plain text."""
    render = _markdown if markdown else _text
    return "\n".join(render(session, messages, include_metadata=include_metadata))


def _markdown(
    session: SessionRow, messages: Iterable[Message], *, include_metadata: bool
) -> list[str]:
    title = _MARKDOWN_INLINE.sub(r"\\\1", inert_line(session.title))
    lines = [
        f"# {title}",
        "",
        f"- Session: `{session.id}`",
        f"- Created: {session.created_at}",
        f"- Messages: {session.total_messages}",
        "",
    ]
    for role, created_at, content, metadata in messages:
        lines += [f"## {role.capitalize()} ({created_at})", "", *_fenced(content, "text"), ""]
        if include_metadata and metadata:
            lines += [*_fenced(_metadata(metadata), "json"), ""]
    return lines


def _text(session: SessionRow, messages: Iterable[Message], *, include_metadata: bool) -> list[str]:
    title = inert_line(session.title)
    lines = [
        title,
        "=" * len(title),
        f"Session: {session.id}",
        f"Created: {session.created_at}",
        "",
    ]
    for role, created_at, content, metadata in messages:
        lines += [f"[{created_at}] {role}:", *_indented(inert_text(content)), ""]
        if include_metadata and metadata:
            lines += [f"metadata: {_metadata(metadata)}", ""]
    return lines


def _fenced(text: str, info: str) -> list[str]:
    """`text` as a fenced code block whose fence no run of backticks in it can close."""
    longest = max((len(run) for run in _BACKTICK_RUNS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", inert_text(text), fence]


def _indented(text: str) -> list[str]:
    return ["  " + line for line in text.split("\n")]


def _metadata(metadata: Mapping[str, Any]) -> str:
    return inert_text(json.dumps(metadata, ensure_ascii=False, sort_keys=True))
