"""The published OpenAPI document's reply schemas as hypothesis strategies, and a canned server.

Shared by the decode tests (tests/contract) and the HTTP round trips (both modes).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from visionchat.server import openapi

#: Generation only: collections hold at most 3 items, and the unknown fields of a
#: struct are scalars, so a schema's shapes are all reached in seconds, not minutes.
_MAX_ITEMS = 3
_EXTRA_FIELD = {"type": ["integer", "string", "boolean", "null"]}

#: No example database and a fixed derandomised run: the same cases on every machine.
#: No shrinking either: on these nested schemas it takes minutes; the failing
#: instance is printed as generated.
FUZZ = settings(
    database=None,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _bounded(node: Any) -> Any:
    if isinstance(node, list):
        return [_bounded(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _bounded(value) for key, value in node.items()}
    if out.get("type") == "array":
        out.setdefault("maxItems", _MAX_ITEMS)
    elif out.get("type") == "object":
        if "properties" in out:
            out.setdefault("additionalProperties", _EXTRA_FIELD)
        else:
            out.setdefault("maxProperties", _MAX_ITEMS)
    return out


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def reply_schemas(document: dict[str, Any]) -> set[str]:
    """The component name of every JSON reply (and the stream's `complete` event) in `document`."""
    names: set[str] = set()
    for path in document["paths"].values():
        for operation in path.values():
            for response in operation["responses"].values():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if schema and "$ref" in schema:
                    names.add(_ref_name(schema["$ref"]))
                event = response.get("x-visionchat-complete-event")
                if event:
                    names.add(_ref_name(event["$ref"]))
    return names


@cache
def _components() -> dict[str, Any]:
    return _bounded(openapi.document()["components"])


@cache
def reply_strategy(name: str) -> st.SearchStrategy[Any]:
    """JSON instances of the published schema `name`."""
    return from_schema({"$ref": f"#/components/schemas/{name}", "components": _components()})


class CannedServer:
    """A loopback HTTP server answering every request with the reply set last."""

    def __init__(self) -> None:
        self.reply: tuple[int, str, bytes] = (200, "application/json", b"{}")
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                status, content_type, body = outer.reply
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/v2"

    def __enter__(self) -> CannedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def canned_server() -> Iterator[CannedServer]:
    """Body of a fixture: one canned server for a test module."""
    with CannedServer() as server:
        yield server
