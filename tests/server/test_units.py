"""Pure pieces: library determinism, BM25, markup, SSE frames, rate limiter."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from visionchat.server.library import (
    DATA_FILE,
    LibraryDataError,
    generate_documents,
    generate_images,
    generate_videos,
    parse_library,
)
from visionchat.server.markup import count_tokens, split_tokens
from visionchat.server.ratelimit import RateLimiter
from visionchat.server.search import BM25Index, tokenize
from visionchat.server.stored_stream import StoredStream, format_frame


def test_library_is_deterministic_and_per_tenant() -> None:
    a, b = generate_images("demo"), generate_images("demo")
    assert a == b and len(a) >= 60
    other = generate_images("acme")
    assert [i.description for i in other] == [i.description for i in a]
    assert not {i.id for i in other} & {i.id for i in a}
    assert len(generate_documents("demo")) == 8 and len(generate_videos("demo")) == 5
    categories = {i.category for i in a}
    assert {"pole", "bridge", "rust", "crack", "vegetation", "roof"} <= categories


def test_library_file_ships_in_the_package_and_is_checked() -> None:
    raw = resources.files("visionchat.server").joinpath(DATA_FILE).read_bytes()
    assert len(parse_library(raw).images) == len(generate_images("demo"))
    data = json.loads(raw)
    data["images"][3]["confidence"] = 1.5
    with pytest.raises(LibraryDataError, match=r"confidence.*images\[3\]|images\[3\].*confidence"):
        parse_library(json.dumps(data).encode())
    data["images"][3]["confidence"] = 0.5
    del data["videos"][0]["scenes"]
    with pytest.raises(LibraryDataError, match="scenes"):
        parse_library(json.dumps(data).encode())


def test_stored_stream_rebuilds_every_event_and_resumes_by_id() -> None:
    stream = StoredStream(
        message_id="m",
        head=[("connection", {"message_id": "m"}), ("status", {"score": 0.1 + 0.2})],
        tokens=["Hé ", "[[img:1|a b]] ", "done"],
        tail=[("complete", {"content": "Hé [[img:1|a b]] done"}), ("close", {})],
    )
    events = list(stream.events())
    assert [i for i, _ in events] == list(range(1, len(stream) + 1)) and len(stream) == 7
    assert events[3][1] == (
        "token",
        {"content": "[[img:1|a b]] ", "accumulated": "Hé [[img:1|a b]] ", "token_index": 1},
    )
    again = StoredStream.decode(stream.encode())
    assert list(again.events()) == events
    assert list(again.events(after_id=4)) == events[4:]


def test_token_frames_are_the_bytes_format_frame_writes() -> None:
    tricky = [
        'say "hi" ',
        "back\\slash ",
        "tab\tnew\nline ",
        "\x00\x1f\x7f ",
        "\u2028\u2029 ",
        "é😀 ",
        "</script>",
    ]
    stream = StoredStream("m", [("connection", {"message_id": "m"})], tricky, [("close", {})])
    expected = [(name, format_frame(name, data, i)) for i, (name, data) in stream.events()]
    for after in range(len(stream) + 1):
        assert list(stream.frames(after)) == expected[after:]


def test_bm25_ranks_and_stems() -> None:
    index = BM25Index(
        [
            ("a", "rusted steel bracket"),
            ("b", "cracked concrete wall"),
            ("c", "corrosion on a bracket and rust stains"),
        ]
    )
    ranked = index.search("rust")
    assert [k for k, _ in ranked][:1] == ["c"] and {k for k, _ in ranked} == {"a", "c"}
    assert index.search("cracks")[0][0] == "b"
    assert index.search("the of and") == []
    assert tokenize("Show me the corroded poles") == ["rust", "pole"]


def test_tokens_keep_markup_whole() -> None:
    text = "Look at [[img:1|a b.jpg]] now.\nDone"
    tokens = split_tokens(text)
    assert "".join(tokens) == text
    assert "[[img:1|a b.jpg]] " in tokens
    assert count_tokens("") == 1


def test_sse_frame_is_single_line_json() -> None:
    frame = format_frame("token", {"content": "a\nb\u2028c"}, 4).decode()
    lines = frame.split("\n")
    # The hosted API documents `event:` then `id:` then `data:`.
    assert lines[:2] == ["event: token", "id: 4"] and frame.endswith("\n\n")
    assert json.loads(lines[2][len("data: ") :]) == {"type": "token", "content": "a\nb\u2028c"}


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.check("k").allowed and limiter.check("k").allowed
    refused = limiter.check("k")
    assert not refused.allowed and refused.headers()["Retry-After"] == "60"
    assert limiter.check("other").allowed
    now[0] = 60.5
    assert limiter.check("k").allowed
