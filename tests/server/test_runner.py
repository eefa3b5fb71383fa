"""ReferenceServer over real loopback HTTP: lifecycle, restart, connections, rate limit, CLI."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest

from visionchat.server import DEMO_API_KEY, ReferenceServer
from visionchat.server.__main__ import build_parser


def call(
    server: ReferenceServer,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        server.base_url + path,
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {server.api_key}",
            "Content-Type": "application/json",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, dict(resp.headers), json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers), json.loads(err.read() or b"null")


def test_base_url_and_defaults(server: ReferenceServer) -> None:
    assert server.base_url.startswith("http://127.0.0.1:") and server.base_url.endswith("/api/v2")
    assert server.api_key == DEMO_API_KEY
    status, headers, body = call(server, "GET", "/chat/sessions")
    assert status == 200 and body["sessions"] == [] and headers["X-Request-ID"]


def test_restart_on_same_db_loses_nothing(db_file: str) -> None:
    with ReferenceServer(db_file) as first:
        _, _, created = call(first, "POST", "/chat/sessions", {"title": "keep me"})
        sid = created["session_id"]
        _, _, reply = call(
            first,
            "POST",
            f"/chat/sessions/{sid}/messages",
            {"message": "show rust"},
            headers={"Idempotency-Key": "restart-k"},
        )
        _, _, plan = call(
            first,
            "POST",
            f"/chat/sessions/{sid}/messages",
            {"message": "tag the roof images as 'reroof'"},
        )
        _, _, images_before = call(first, "GET", "/chat/images/all")
    with ReferenceServer(db_file) as second:
        _, _, session = call(second, "GET", f"/chat/sessions/{sid}")
        assert session["session"]["title"] == "keep me"
        assert [m["id"] for m in session["messages"]][1] == reply["message_id"]
        status, headers, again = call(
            second,
            "POST",
            f"/chat/sessions/{sid}/messages",
            {"message": "show rust"},
            headers={"Idempotency-Key": "restart-k"},
        )
        assert (
            again["message_id"] == reply["message_id"] and headers["Idempotent-Replayed"] == "true"
        )
        status, _, approved = call(
            second,
            "POST",
            f"/chat/sessions/{sid}/plans/{plan['metadata']['plan_id']}/action",
            {"action": "approve"},
        )
        assert status == 200 and approved["success"] is True
        _, _, images_after = call(second, "GET", "/chat/images/all")
        assert images_after["image_ids"] == images_before["image_ids"]


def test_open_connections_return_to_zero(server: ReferenceServer) -> None:
    import http.client

    port = int(server.base_url.split(":")[2].split("/")[0])
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=5) for _ in range(3)]
    for conn in conns:
        conn.request(
            "GET", "/api/v2/chat/sessions", headers={"Authorization": f"Bearer {server.api_key}"}
        )
        conn.getresponse().read()
    assert server.wait_for_connections(3)
    for conn in conns:
        conn.close()
    assert server.wait_for_connections(0)


def test_connections_used_counts_connections_not_requests(server: ReferenceServer) -> None:
    import http.client

    port = int(server.base_url.split(":")[2].split("/")[0])
    headers = {"Authorization": f"Bearer {server.api_key}"}
    before = server.connections_used
    kept = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for _ in range(3):  # one keep-alive connection, three requests
        kept.request("GET", "/api/v2/chat/sessions", headers=headers)
        kept.getresponse().read()
    assert server.connections_used == before + 1
    other = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    other.request("GET", "/api/v2/chat/sessions", headers=headers)
    other.getresponse().read()
    assert server.connections_used == before + 2
    kept.close()
    other.close()


def test_stop_is_clean_with_idle_keepalive(db_file: str) -> None:
    import http.client

    before = threading.active_count()
    server = ReferenceServer(db_file).start()
    port = int(server.base_url.split(":")[2].split("/")[0])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request(
        "GET", "/api/v2/chat/sessions", headers={"Authorization": f"Bearer {server.api_key}"}
    )
    conn.getresponse().read()
    server.stop()
    server.stop()  # idempotent
    conn.close()
    assert server.open_connections == 0
    assert threading.active_count() == before


def test_faults_added_before_start_apply(db_file: str) -> None:
    server = ReferenceServer(db_file, faults=True)
    server.faults.add("status", status=500, count=1)
    with server:
        status, _, body = call(server, "GET", "/chat/sessions")
        assert status == 500 and body["error_code"] == "INTERNAL_ERROR"
        assert call(server, "GET", "/chat/sessions")[0] == 200


def test_rate_limit_headers(db_file: str) -> None:
    with ReferenceServer(db_file, rate_limit=3) as server:
        for remaining in (2, 1, 0):
            status, headers, _ = call(server, "GET", "/chat/sessions")
            assert status == 200
            assert headers["X-RateLimit-Limit"] == "3"
            assert headers["X-RateLimit-Remaining"] == str(remaining)
            assert 0 < int(headers["X-RateLimit-Reset"]) <= 60
        status, headers, body = call(server, "GET", "/chat/sessions")
        assert status == 429 and body["error_code"] == "RATE_LIMIT_ERROR"
        assert 1 <= int(headers["Retry-After"]) <= 60


def test_bad_api_key_spec() -> None:
    with pytest.raises(ValueError):
        ReferenceServer(api_keys=["bad tenant:key"])


def test_cli_arguments() -> None:
    args = build_parser().parse_args(
        [
            "--port",
            "0",
            "--api-key",
            "k1",
            "--api-key",
            "acme:k2",
            "--rate-limit",
            "30/min",
            "--faults",
            "--token-delay",
            "0.02",
        ]
    )
    assert args.api_keys == ["k1", "acme:k2"] and args.rate_limit == 30
    assert args.faults is True and args.token_delay == 0.02
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--rate-limit", "fast"])
