"""The I/O-free pieces both modes share: retry policy, markup, error mapping, models."""

from __future__ import annotations

import email.utils

import msgspec
import pytest

from visionchat import ChatResponse, ChatSession, RateLimitError, SessionList
from visionchat._error_mapping import status_error
from visionchat._retry import RetryPolicy, parse_retry_after
from visionchat.markup import references, resolve


def test_retry_after_forms() -> None:
    assert parse_retry_after({"Retry-After": "7"}) == 7.0
    assert parse_retry_after({"retry-after-ms": "1500", "Retry-After": "9"}) == 1.5
    when = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after({"Retry-After": when}, now=1_000_000) == pytest.approx(30.0)
    assert parse_retry_after({"Retry-After": "soon"}) is None
    assert parse_retry_after({}) is None


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(max_retries=10, initial_delay=0.5, max_delay=4.0, jitter=0.0)
    assert [policy.backoff(n) for n in range(5)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    jittered = RetryPolicy(jitter=0.25)
    assert all(0.375 <= jittered.backoff(0) <= 0.5 for _ in range(50))


def test_status_decisions() -> None:
    policy = RetryPolicy(max_retries=2, jitter=0.0)
    assert policy.status_delay(0, 503, None, {}) == 0.5
    assert policy.status_delay(2, 503, None, {}) is None  # out of retries
    assert policy.status_delay(0, 400, None, {}) is None
    assert policy.status_delay(0, 429, "TOKEN_LIMIT_EXCEEDED", {"Retry-After": "1"}) is None
    assert policy.status_delay(0, 409, None, {}) is None
    assert policy.status_delay(0, 409, None, {"Retry-After": "2"}) == 2.0
    assert policy.status_delay(0, 429, None, {"Retry-After": "61"}) is None  # above the ceiling


def test_markup_resolves_every_form() -> None:
    text = (
        "[[img:ab12|beam.jpg]], [[doc:cd|spec.pdf]], [[doc:cd|spec.pdf|p:5]], "
        "[[doc:cd|spec.pdf|pp:3-7]], [[link:ef|Survey 2024]], [[ref:rust]] hits, [[ref:none]]"
    )
    meta = {"result_refs": {"rust": {"count": 12}}}
    assert resolve(text, meta) == (
        "beam.jpg, spec.pdf, spec.pdf (p.5), spec.pdf (pp.3-7), Survey 2024, 12 hits, [[ref:none]]"
    )
    assert [(r.kind, r.id, r.pages) for r in references(text)][:3] == [
        ("img", "ab12", None),
        ("doc", "cd", None),
        ("doc", "cd", "5"),
    ]


def test_markup_in_text_with_single_brackets() -> None:
    assert resolve("a [b] c") == "a [b] c"
    assert resolve("a [b] [[img:x|y.jpg]] [c]") == "a [b] y.jpg [c]"


def test_error_mapping_survives_any_body() -> None:
    for body in [b"", b"\xff\xfe", b"[1, 2]", b"null", b'{"error": 5}', b"<html>"]:
        error = status_error(502, {}, body)
        assert error.status_code == 502 and error.message
    limited = status_error(429, {"Retry-After": "2"}, b'{"error": "slow"}')
    assert isinstance(limited, RateLimitError) and limited.retry_after == 2.0


def test_models_ignore_unknown_fields_and_keep_unknown_values() -> None:
    page = msgspec.json.decode(
        b'{"sessions": [{"id": "s", "title": "t", "new_field": [1], "domain": "space-mining"}],'
        b' "total_count": 1, "has_more": false, "cursor": "x"}',
        type=SessionList,
    )
    assert page.items == [ChatSession(id="s", title="t", domain="space-mining")]
    reply = msgspec.json.decode(
        b'{"message_id": "m", "content": "hi", "role": "oracle"}', type=ChatResponse
    )
    assert reply.resolved_content == "hi"
