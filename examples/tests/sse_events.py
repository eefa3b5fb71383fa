"""Helpers shared by the example tests: read the Server-Sent Events the examples send."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def parse_sse(chunks: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
    """(event, data) pairs from Server-Sent Event text, however it was split."""
    events: list[tuple[str, dict[str, Any]]] = []
    for block in "".join(chunks).split("\n\n"):
        if not block.strip():
            continue
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def check_answer(events: list[tuple[str, dict[str, Any]]]) -> str:
    """Assert the shape every example streams; return the streamed text."""
    names = [name for name, _ in events]
    assert names[0] == "session", names
    assert names[-1] == "done", events[-3:]
    assert names.count("token") > 10, names
    streamed = "".join(data["text"] for name, data in events if name == "token")
    final = events[-1][1]["text"]
    assert "[[" not in streamed  # no reference markup, whole or half, reaches the browser
    assert "[[" not in final
    assert streamed.strip() and final.strip()
    return streamed
