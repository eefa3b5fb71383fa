"""The SSE decoder, fed every way a network can split a stream."""

from __future__ import annotations

import random

import pytest

from visionchat._sse import ServerSentEvent, SSEDecoder, SSELineTooLong

STREAM = (
    b"\xef\xbb\xbf: a comment\n"
    b'event: token\nid: 7\ndata: {"content": "a\\u2028b"}\n\n'
    b"event: complete\r\ndata: line one\r\ndata: line two\r\n\r\n"
    b"retry: 100\rdata: lone cr\r\r"
    b"data\n\n"
    b"event: ignored-without-data\n\n"
    b"data:no space\nunknown: x\n\n"
)
EXPECTED = [
    ("token", b'{"content": "a\\u2028b"}', "7"),
    ("complete", b"line one\nline two", "7"),
    ("message", b"lone cr", "7"),
    ("message", b"", "7"),
    ("message", b"no space", "7"),
]


def decode_in_pieces(data: bytes, cuts: list[int]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    start = 0
    for cut in [*cuts, len(data)]:
        events += decoder.feed(data[start:cut])
        start = cut
    return events


def test_whole_stream() -> None:
    assert decode_in_pieces(STREAM, []) == EXPECTED


def test_every_split_into_two_pieces() -> None:
    for cut in range(1, len(STREAM)):
        assert decode_in_pieces(STREAM, [cut]) == EXPECTED, f"split at byte {cut}"


def test_one_byte_at_a_time() -> None:
    assert decode_in_pieces(STREAM, list(range(1, len(STREAM)))) == EXPECTED


def test_unicode_line_separators_do_not_split_lines() -> None:
    raw = 'data: {"t": "a\u2028b\u0085c"}\n\n'.encode()
    assert SSEDecoder().feed(raw) == [("message", raw[6:-2], None)]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: x\r") == []
    assert decoder.feed(b"\n\r") == [("message", b"x", None)]
    assert decoder.feed(b"\ndata: y\n\n") == [("message", b"y", None)]


def test_an_unfinished_frame_is_not_dispatched() -> None:
    assert SSEDecoder().feed(b"event: token\ndata: {}\n") == []


def test_id_with_nul_is_ignored_and_ids_persist() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"id: 1\ndata: a\n\nid: x\x00y\ndata: b\n\n")
    assert [event_id for _, _, event_id in events] == ["1", "1"]


def test_a_long_line_within_the_cap_is_fine() -> None:
    payload = b"x" * 3_000_000
    decoder = SSEDecoder(max_line_bytes=4_000_000)
    events: list[ServerSentEvent] = []
    data = b"data: " + payload + b"\n\n"
    for i in range(0, len(data), 65536):
        events += decoder.feed(data[i : i + 65536])
    assert events == [("message", payload, None)]


def test_an_endless_line_raises_at_the_cap() -> None:
    decoder = SSEDecoder(max_line_bytes=1000)
    with pytest.raises(SSELineTooLong):
        for _ in range(100):
            decoder.feed(b"x" * 100)
    with pytest.raises(SSELineTooLong):
        SSEDecoder(max_line_bytes=10).feed(b"data: " + b"y" * 20 + b"\n")


def test_an_event_of_endless_data_lines_raises_at_the_cap() -> None:
    # Each line is short; their join (the event's data) is what grows.
    decoder = SSEDecoder(max_line_bytes=1000)
    with pytest.raises(SSELineTooLong):
        for _ in range(100):
            decoder.feed(b"data: " + b"x" * 90 + b"\n")
    many = b"data: x\n" * 100 + b"\n"  # 200 bytes of data: within the cap
    assert SSEDecoder(max_line_bytes=1000).feed(many) == [
        ("message", b"\n".join([b"x"] * 100), None)
    ]


def _reference_decode(data: bytes) -> list[ServerSentEvent]:
    """The SSE rules written the slow, obvious way, to check the decoder's fast paths."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")[:-1]
    events, name, parts, last_id = [], "", [], None
    for line in lines:
        if not line:
            if parts:
                events.append((name or "message", b"\n".join(parts), last_id))
            name, parts = "", []
            continue
        if line.startswith(b":"):
            continue
        field, _, value = line.partition(b":")
        value = value[1:] if value.startswith(b" ") else value
        if field == b"data":
            parts.append(value)
        elif field == b"event":
            name = value.decode()
        elif field == b"id" and b"\x00" not in value:
            last_id = value.decode()
    return events


_POOL = bytes(random.Random(7).choices(b'abc {}:"\xe2\x80\xa8', k=140_000))


def _shuffled_frame(rng: random.Random, i: int, data: bytes) -> bytes:
    """One data line among optional event, id, retry and comment lines, in a random order."""
    lines = [b"data: " + data]
    optional = [f"event: e{i % 4}".encode(), f"id: {i}".encode(), b"retry: 5", b": note"]
    lines += [line for line in optional if rng.random() < 0.6]
    lines += [f"id:{i}b".encode(), b"event:again"][: rng.choice([0, 0, 1, 2])]
    rng.shuffle(lines)
    return b"\n".join(lines) + b"\n\n"


def _random_stream(rng: random.Random) -> bytes:
    frames = []
    for i in range(rng.randint(1, 60)):
        size = rng.choice([0, 3, 40, 300, 5000, 70000])
        offset = rng.randrange(len(_POOL) - size)
        data = _POOL[offset : offset + size]
        kind = rng.random()
        if kind < 0.3:  # the protocol's own shape
            frame = f"event: token\nid: {i}\n".encode() + b"data: " + data + b"\n\n"
        elif kind < 0.5:  # its fields in any order, some absent, with retry and comments
            frame = _shuffled_frame(rng, i, data)
        elif kind < 0.6:  # other shapes the fast paths take: no id, no event, no spaces
            frame = rng.choice(
                [
                    b"event: status\ndata: " + data + b"\n\n",
                    b"data: " + data + b"\n\n",
                    f"event:n{i % 3}\nid:{i}\ndata:".encode() + data + b"\n\n",
                    b"id: \ndata: " + data + b"\n\n",
                    b"event: token\nid: 1\x002\ndata: " + data + b"\n\n",
                    b"id: 5\nevent: token\ndata: " + data + b"\n\n",
                ]
            )
        elif kind < 0.7:
            frame = b"data:" + data + b"\ndata: second\n\n"
        elif kind < 0.8:
            frame = b": keep-alive\r\nevent: ping\r\ndata: {}\r\n\r\n"
        elif kind < 0.9:
            frame = b"retry: 10\nid: a\x00b\nevent: x\rdata: " + data + b"\r\r"
        else:
            frame = b"\n\nevent: lone\n\n"
        frames.append(frame)
    body = b"".join(frames)
    return (b"\xef\xbb\xbf" if rng.random() < 0.2 else b"") + body


def test_random_streams_and_chunkings_match_the_reference() -> None:
    rng = random.Random(20261126)
    for _ in range(200):
        body = _random_stream(rng)
        expected = _reference_decode(body)
        cuts = sorted(rng.sample(range(1, len(body)), min(len(body) - 1, rng.randint(0, 40))))
        assert decode_in_pieces(body, cuts) == expected
        big = [c for c in range(65536, len(body), 65536)]
        assert decode_in_pieces(body, big) == expected


def test_ids_decoded_together_match_ids_decoded_one_by_one() -> None:
    raws = [b"\xe2\x82", b"\xff", b"ok", b"", b"\xf0\x9f\x98\x80", b"\xed\xa0\x80"]
    body = b"".join(b"event: token\nid: " + raw + b"\ndata: {}\n\n" for raw in raws)
    events = SSEDecoder().feed(body)
    assert [event_id for _, _, event_id in events] == [r.decode("utf-8", "replace") for r in raws]


def test_events_are_plain_tuples() -> None:
    # The collector stops tracking plain tuples of strings; a tuple subclass it tracks
    # forever, which made full collections a fifth of an async token stream's time.
    events = SSEDecoder().feed(b"event: token\nid: 1\ndata: {}\n\n" * 3 + b"data: x\n\n")
    assert [type(event) for event in events] == [tuple] * 4


def test_a_small_cap_still_decodes_many_short_frames_in_one_chunk() -> None:
    body = b"".join(f"event: token\nid: {i}\ndata: {i}\n\n".encode() for i in range(500))
    events = SSEDecoder(max_line_bytes=100).feed(body)
    assert events == _reference_decode(body) and len(events) == 500


@pytest.mark.parametrize(
    "order",
    [
        (b"event: token", b"id: 7", b"data: {}"),
        (b"id: 7", b"event: token", b"data: {}"),
        (b"data: {}", b"event: token", b"id: 7"),
        (b"event: token", b"data: {}", b"id: 7"),
        (b"id: 7", b"data: {}", b"event: token"),
        (b"data: {}", b"id: 7", b"event: token"),
        (b"id: 7", b"data: {}"),
        (b"event: token", b"data: {}"),
        (b"retry: 3", b"id: 7", b": note", b"event: token", b"data: {}"),
        (b"data: {}", b": note", b"event: token", b"retry: 3", b"id: 7"),
    ],
)
def test_every_field_order_takes_the_fast_path(
    order: tuple[bytes, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (b"\n".join(order) + b"\n\n") * 50
    expected = _reference_decode(body)

    def line_by_line(*args: object) -> None:
        raise AssertionError("a frame of the usual fields fell to the line-by-line path")

    monkeypatch.setattr(SSEDecoder, "_field", line_by_line)
    assert SSEDecoder().feed(body) == expected and len(expected) == 50
    # A server that flushes each event sends one frame per chunk.
    decoder = SSEDecoder()
    frame = len(body) // 50
    one_by_one = [e for i in range(0, len(body), frame) for e in decoder.feed(body[i : i + frame])]
    assert one_by_one == expected
