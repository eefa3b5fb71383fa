"""The package's own reference server, for the benchmark's `stream_server` job.

Run as `python -m benchmarks.refserver` in its own process (its agent and SQLite work
must not share the measured client's GIL). It accepts the benchmark's key, creates one
session per mode, prints `{"root": ..., "sessions": {...}}` as its first line once it
listens, and serves until its parent closes stdin.
"""

from __future__ import annotations

import json
import sys
import urllib.request

from visionchat.server.runner import ReferenceServer

from .stacks_async import HEADERS, KEY

MODES = ("async", "sync")


def _create_session(base_url: str) -> str:
    request = urllib.request.Request(
        base_url + "/chat/sessions", data=b"{}", headers=HEADERS, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return str(json.load(reply)["session_id"])


def main() -> None:
    # Budgets high enough for every repeat of every stack to stream into one session.
    with ReferenceServer(api_keys=[KEY], message_budget=10**6, token_budget=10**9) as server:
        sessions = {mode: _create_session(server.base_url) for mode in MODES}
        root = server.base_url.removesuffix("/api/v2")
        print(json.dumps({"root": root, "sessions": sessions}), flush=True)
        sys.stdin.read()  # serve until the parent closes our stdin


if __name__ == "__main__":
    main()
