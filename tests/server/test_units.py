"""Pure pieces: library determinism, BM25, markup, SSE frames, rate limiter."""

from __future__ import annotations

import json

from visionchat.server.library import generate_documents, generate_images, generate_videos
from visionchat.server.markup import count_tokens, split_tokens
from visionchat.server.ratelimit import RateLimiter
from visionchat.server.search import BM25Index, tokenize
from visionchat.server.streaming import format_frame


def test_library_is_deterministic_and_per_tenant() -> None:
    a, b = generate_images("demo"), generate_images("demo")
    assert a == b and len(a) >= 60
    other = generate_images("acme")
    assert [i.description for i in other] == [i.description for i in a]
    assert not {i.id for i in other} & {i.id for i in a}
    assert len(generate_documents("demo")) == 8 and len(generate_videos("demo")) == 5
    categories = {i.category for i in a}
    assert {"pole", "bridge", "rust", "crack", "vegetation", "roof"} <= categories


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
    assert lines[:2] == ["id: 4", "event: token"] and frame.endswith("\n\n")
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
