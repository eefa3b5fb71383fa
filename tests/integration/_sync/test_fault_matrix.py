# Generated from tests/integration/_async/test_fault_matrix.py by tools/gen_sync.py: do not edit; edit the async source.
"""Each fault knob of the reference server against each kind of call, with the outcome written down.

OK means the call succeeded (after retries where the fault was transient) and
posted nothing twice; an exception type (and text) is the typed error expected.
"""

from __future__ import annotations

from typing import Any

import pytest

from visionchat import (
    InternalServerError,
    ResponseDecodeError,
    StreamError,
    Timeout,
    VisionChat,
)
from visionchat.server import ReferenceServer

OK = None
CALLS = ["json", "stream", "export", "paging"]

# fault: (server parameters, {call: expected outcome})
MATRIX: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "500 once": (
        {"kind": "status", "status": 500},
        {"json": OK, "stream": OK, "export": OK, "paging": OK},
    ),
    "503 three times": (
        {"kind": "status", "status": 503, "count": 3},
        {c: (InternalServerError, "503") for c in CALLS},
    ),
    "rate limited once": (
        {"kind": "rate_limit", "retry_after": 0},
        {"json": OK, "stream": OK, "export": OK, "paging": OK},
    ),
    "slow": (
        {"kind": "slow", "delay": 0.2},
        {"json": OK, "stream": OK, "export": OK, "paging": OK},
    ),
    "html page": (
        {"kind": "html"},
        {
            "json": (ResponseDecodeError, "not valid JSON"),
            "stream": (ResponseDecodeError, "expected an event stream"),
            "export": (ResponseDecodeError, "an HTML page"),
            "paging": (ResponseDecodeError, "not valid JSON"),
        },
    ),
    "truncated JSON": (
        {"kind": "truncated_json"},
        # A truncated export cannot be told from a short one: no length or checksum is sent.
        {
            "json": (ResponseDecodeError, "not valid JSON"),
            "stream": OK,
            "export": OK,
            "paging": (ResponseDecodeError, "not valid JSON"),
        },
    ),
    "empty body": (
        {"kind": "empty_body"},
        {
            "json": (ResponseDecodeError, "empty body"),
            "stream": OK,
            "export": (ResponseDecodeError, "an empty body"),
            "paging": (ResponseDecodeError, "empty body"),
        },
    ),
    "wrong content type": (
        {"kind": "wrong_content_type", "content_type": "text/plain"},
        # JSON is decoded whatever its label; a stream must be labelled as one.
        {
            "json": OK,
            "stream": (ResponseDecodeError, "expected an event stream"),
            "export": OK,
            "paging": OK,
        },
    ),
    "reply lost after the work": (
        {"kind": "lost_reply"},
        {"json": OK, "stream": OK, "export": OK, "paging": OK},
    ),
    "stream cut after 3 tokens": (
        {"kind": "cut_stream", "after_tokens": 3},
        {"json": OK, "stream": OK, "export": OK, "paging": OK},
    ),
    "error event": (
        {"kind": "error_event", "after_tokens": 2, "code": "PROVIDER_ERROR"},
        {"json": OK, "stream": (StreamError, "PROVIDER_ERROR"), "export": OK, "paging": OK},
    ),
    "endless SSE line": (
        {"kind": "endless_sse_line", "max_bytes": 600_000},
        {"json": OK, "stream": (StreamError, "longer than"), "export": OK, "paging": OK},
    ),
}

# Where each kind of call goes, as a regex over the request path.
PATHS = {
    "json": r"/messages$",
    "stream": r"/messages/stream$",
    "export": r"/export$",
    "paging": r"/chat/sessions$",
}


def _call(client: VisionChat, kind: str, session_id: str) -> None:
    if kind == "json":
        assert (client.chats.send("Which poles lean?", session_id=session_id)).content
    elif kind == "stream":
        stream = client.chats.send_stream("Which poles lean?", session_id=session_id)
        final = stream.response()
        assert final.content == stream.text
    elif kind == "export":
        assert b"Which poles lean?" in client.chats.export_session(session_id)
    else:
        assert [s.id for s in client.chats.iter_sessions(page_size=100)]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("fault", list(MATRIX))
def test_fault_matrix(server: ReferenceServer, fault: str, call: str) -> None:
    params, expected = MATRIX[fault]
    outcome = expected[call]
    with VisionChat(
        api_key=server.api_key,
        base_url=server.base_url,
        timeout=Timeout(connect=2.0, read=5.0, stream_idle=5.0),
        max_line_bytes=256 * 1024,
    ) as client:
        session_id = (client.chats.create_session(title=f"{fault} / {call}")).id
        if call == "export":
            client.chats.send("Which poles lean?", session_id=session_id)
        rule = dict(params)
        kind = rule.pop("kind")
        server.faults.add(kind, path=PATHS[call], path_regex=True, **rule)
        if outcome is OK:
            _call(client, call, session_id)
        else:
            error_type, text = outcome
            with pytest.raises(error_type, match=text):
                _call(client, call, session_id)
        server.faults.clear()
        if call in ("json", "stream"):
            roles = [m.role for m in client.chats.get_messages(session_id)]
            assert roles.count("user") <= 1  # never posted twice
            assert roles.count("assistant") == roles.count("user")
