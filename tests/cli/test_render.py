"""Streamed answers: markup split over tokens, reference counts, progress lines."""

from __future__ import annotations

import io

import msgspec
import pytest

from visionchat.cli.output import Console
from visionchat.cli.render import StreamView, describe
from visionchat.markup import MarkupStream
from visionchat.models import ChatResponse, ChatToken, ChatTokenType


def feed_all(pieces: list[str]) -> tuple[str, list[str]]:
    stream = MarkupStream()
    shown = [stream.feed(p) for p in pieces]
    return "".join(shown) + stream.flush(), shown


def test_markup_in_one_piece_is_resolved() -> None:
    text, _ = feed_all(["See [[img:abc|bridge.jpg]] now"])
    assert text == "See bridge.jpg now"


@pytest.mark.parametrize("cut", range(1, 27))
def test_markup_split_anywhere_is_held_back_then_resolved(cut: int) -> None:
    source = "A [[doc:d1|manual.pdf|p:5]] B"
    text, shown = feed_all([source[:cut], source[cut:]])
    assert text == "A manual.pdf (p.5) B"
    assert all("[" not in piece for piece in shown)  # no half markup ever shows


def test_text_before_markup_shows_at_once() -> None:
    stream = MarkupStream()
    assert stream.feed("Found [[img:ab") == "Found "
    assert stream.feed("c|x.jpg]] and") == "x.jpg and"


def test_single_bracket_is_not_held_for_ever() -> None:
    stream = MarkupStream()
    assert stream.feed("a [") == "a "
    assert stream.feed("1] b") == "[1] b"


def test_ref_counts_show_as_placeholders_and_are_remembered() -> None:
    text, _ = feed_all(["I found [[ref:im", "ages]] images, [[ref:high]] bad"])
    assert text == "I found <images> images, <high> bad"


def test_unclosed_brackets_are_let_through_after_a_while() -> None:
    stream = MarkupStream()
    shown = stream.feed("[[" + "x" * (MarkupStream.MAX_HELD + 10))
    assert shown.startswith("[[x")


def test_non_markup_brackets_stay() -> None:
    text, _ = feed_all(["a [[not markup]] b"])
    assert text == "a [[not markup]] b"


def tokens(*pieces: str) -> list[ChatToken]:
    return [ChatToken(type=ChatTokenType.TOKEN, content=p) for p in pieces]


def test_stream_view_prints_progress_text_then_the_resolved_text() -> None:
    out = io.StringIO()
    console = Console(out, io.StringIO(), fancy=False)
    response = ChatResponse(
        message_id="m",
        content="I found [[ref:images]] in [[img:1|a.jpg]]",
        metadata={"result_refs": {"images": {"count": 12}}},
    )
    with StreamView(console) as view:
        view.handle(
            ChatToken(
                type=ChatTokenType.THINKING_STEP,
                raw=msgspec.json.encode({"agent_name": "orchestrator", "message": "Routing"}),
            )
        )
        view.handle(ChatToken(type=ChatTokenType.PING))
        for token in tokens("I found [[ref:", "images]] in [[img:1|", "a.jpg]]"):
            view.handle(token)
        view.finish(response)
    assert out.getvalue() == (
        "  · orchestrator: Routing\nI found <images> in a.jpg\n"
        "  (with the counts filled in:)\nI found 12 in a.jpg\n"
    )
    assert view.token_events == 3
    assert "\x1b[" not in out.getvalue()


def test_stream_view_shows_the_final_text_when_nothing_was_streamed() -> None:
    out = io.StringIO()
    console = Console(out, io.StringIO(), fancy=False)
    with StreamView(console) as view:
        view.finish(ChatResponse(message_id="m", content="A plan with [[ref:x]] steps"))
    assert out.getvalue() == "A plan with [[ref:x]] steps\n"


def test_stream_view_colours_progress_only_when_fancy() -> None:
    out = io.StringIO()
    console = Console(out, io.StringIO(), fancy=True)
    with StreamView(console) as view:
        view.handle(
            ChatToken(type=ChatTokenType.STATUS, raw=msgspec.json.encode({"message": "Searching"}))
        )
        view.handle(tokens("hi")[0])
        view.finish(ChatResponse(message_id="m", content="hi"))
    assert "\x1b[2m" in out.getvalue()
    assert out.getvalue().endswith("hi\n")


@pytest.mark.parametrize(
    ("token", "line"),
    [
        (
            ChatToken(
                type="tool_result", raw=msgspec.json.encode({"tool_name": "t", "result_count": 3})
            ),
            "t: 3 result(s)",
        ),
        (
            ChatToken(type="image_results", raw=msgspec.json.encode({"count": 5})),
            "5 image(s) attached",
        ),
        (
            ChatToken(type="document_results", raw=msgspec.json.encode({"count": 2})),
            "2 document passage(s) attached",
        ),
        (ChatToken(type="connection", raw=msgspec.json.encode({"message_id": "m"})), None),
        (ChatToken(type="brand_new_event", raw=msgspec.json.encode({})), None),
    ],
)
def test_describe(token: ChatToken, line: str | None) -> None:
    assert describe(token) == line
