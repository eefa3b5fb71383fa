# Generated from tests/integration/_async/test_security.py by tools/gen_sync.py: do not edit; edit the async source.
"""The key stays secret: not in reprs, errors or logs, not sent to another host on a redirect."""

from __future__ import annotations

import logging

import pytest

from visionchat import NotFoundError, StreamError, VisionChat
from visionchat.server import ReferenceServer

CANARY = "vc-canary-7f3a9c1e5b2d4068"


def test_authorization_is_not_sent_to_another_host_on_redirect(redirector) -> None:
    base_url, seen = redirector
    with VisionChat(api_key=CANARY, base_url=base_url, max_retries=0) as client:
        detail = client.chats.get_session("s-1")
    assert detail.session.id == "landed"
    (first_path, first_auth), (second_path, second_auth) = seen
    assert first_auth == f"Bearer {CANARY}" and first_path.startswith("/api/v2/")
    assert second_path == "/landed" and second_auth is None


@pytest.mark.parametrize(
    ("flaw", "described"),
    [
        ("\u200b", "zero width space \\(U\\+200B\\)"),
        ("\x7f", "control character \\(U\\+007F\\)"),
        (" ", "space \\(U\\+0020\\)"),
        ("\u00e9", "latin small letter e with acute \\(U\\+00E9\\)"),
    ],
)
def test_a_key_outside_visible_ascii_fails_at_construction(
    server: ReferenceServer, monkeypatch: pytest.MonkeyPatch, flaw: str, described: str
) -> None:
    # Sent, such a key failed inside the HTTP library with an error whose repr held it.
    key = CANARY[:10] + flaw + CANARY[10:]
    where = f"{described} at position 11 of {len(key)}"
    with pytest.raises(ValueError, match=where) as direct:
        VisionChat(api_key=key, base_url=server.base_url)
    monkeypatch.setenv("VISIONCHAT_API_KEY", key)
    with pytest.raises(ValueError, match=where) as from_env:
        VisionChat.from_env(base_url=server.base_url)
    with VisionChat(api_key=server.api_key, base_url=server.base_url) as good:
        with pytest.raises(ValueError, match=where) as copied:
            good.with_options(api_key=key)
        assert (good.chats.list_sessions()) is not None  # the good client still works
    for error in (direct.value, from_env.value, copied.value):
        assert CANARY[:10] not in str(error) and CANARY[10:] not in repr(error.args)


def test_the_key_appears_nowhere_the_sdk_writes(
    server: ReferenceServer, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="visionchat")
    texts: list[str] = []
    client = VisionChat(api_key=CANARY, base_url=server.base_url, max_retries=1)
    stream = client.chats.send_stream("hi", session_id="s")
    texts += [repr(client), str(client.__dict__), repr(client._config), str(vars(stream))]
    for call in (
        lambda: client.chats.list_sessions(),
        lambda: client.chats.get_session("no-such-session"),
        lambda: client.chats.send("hi", session_id="x"),
    ):
        try:
            call()
        except Exception as exc:  # every failure's message, repr, args and notes
            texts += [str(exc), repr(exc), repr(exc.args), str(getattr(exc, "__notes__", ""))]
    with VisionChat(api_key=server.api_key, base_url=server.base_url) as real:
        sid = (real.chats.create_session()).id
        server.faults.add("cut_stream", path=f"{sid}/messages/stream", after_tokens=1, count=5)
        with pytest.raises(StreamError) as info:
            real.chats.send_stream("hello", session_id=sid).response()
        texts.append(str(info.value))
        with pytest.raises(NotFoundError) as missing:
            real.chats.get_session("00000000-0000-4000-8000-0000000000ab")
        texts.append(repr(missing.value.__dict__))
    client.close()
    texts += [r.getMessage() for r in caplog.records]
    captured = capsys.readouterr()
    texts += [captured.out, captured.err]
    assert any("GET /api/v2/chat/sessions" in t for t in texts)  # debug lines were written
    assert not [t for t in texts if CANARY in t]
