"""Every decode of JSON the SDK reads: replies, stream event data, models' `from_json`.

Building a msgspec decoder costs far more than decoding a small body, so each type
gets one, made on first use and kept. Any reply body that is not the JSON the
protocol promises raises `ResponseDecodeError` with an excerpt of what arrived.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from ._wire import Response
from .errors import ResponseDecodeError

T = TypeVar("T")

_EXCERPT_CHARS = 200
_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}
_any_decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder()


def excerpt(body: bytes) -> str:
    """A short, printable start of a body that could not be used, for error messages."""
    return body[:_EXCERPT_CHARS].decode("utf-8", "replace")


def _decoder_for(type_: type[T]) -> msgspec.json.Decoder[T]:
    dec = _decoders.get(type_)
    if dec is None:
        dec = _decoders[type_] = msgspec.json.Decoder(type_)
    return dec


def _decoded(decoder: msgspec.json.Decoder[T], body: bytes | str) -> T:
    """`decoder.decode(body)`, with JSON nested too deep for msgspec a `DecodeError` too.

    msgspec recurses once per level of free-form data (`Any`, `dict[str, Any]`): a reply
    nested many thousands deep would otherwise escape every caller as a `RecursionError`.
    """
    try:
        return decoder.decode(body)
    except RecursionError:
        raise msgspec.DecodeError("JSON is nested too deeply") from None


def decode_raw(body: bytes | str, type_: type[T]) -> T:
    """Decode JSON into `type_`, raising msgspec's own errors (for callers that handle them)."""
    return _decoded(_decoder_for(type_), body)


def convert(data: Any, type_: type[T]) -> T:
    """Already-decoded JSON data (dicts, lists) as `type_`; raises `msgspec.ValidationError`."""
    return msgspec.convert(data, type_)


def decode(
    body: bytes | str,
    type_: type[T],
    *,
    status_code: int | None = None,
    request_id: str | None = None,
) -> T:
    """Decode a JSON body into `type_`, or raise `ResponseDecodeError` saying what was wrong."""
    if not body:
        raise ResponseDecodeError(
            "the server sent an empty body where JSON was expected",
            status_code=status_code,
            request_id=request_id,
        )
    try:
        return decode_raw(body, type_)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError too
        what = (
            "does not have the expected shape"
            if isinstance(exc, msgspec.ValidationError)
            else "is not valid JSON"
        )
        raw = body.encode() if isinstance(body, str) else body
        raise ResponseDecodeError(
            f"the reply {what} ({exc})",
            status_code=status_code,
            request_id=request_id,
            excerpt=excerpt(raw),
        ) from None


def decode_reply(response: Response, type_: type[T]) -> T:
    """Decode a successful reply's JSON body into `type_`, noting the reply's request id."""
    request_id = response.request_id
    result = decode(response.content, type_, status_code=response.status, request_id=request_id)
    if request_id is not None and isinstance(result, msgspec.Struct):
        if "request_id" in result.__struct_fields__:  # every `Reply` model
            result.request_id = request_id  # type: ignore[attr-defined]
    return result


def any_json(body: bytes) -> Any:
    """Whatever JSON `body` holds; None if it is empty or not JSON (error bodies may be anything)."""
    if not body:
        return None
    try:
        return _decoded(_any_decoder, body)
    except msgspec.DecodeError:
        return None


def event_data(raw: bytes) -> dict[str, Any]:
    """An SSE event's data as a dict; raises `msgspec.DecodeError` when it is not a JSON object."""
    return decode_raw(raw, dict[str, Any])


class _TokenData(msgspec.Struct, gc=False):
    """The one field of a `token` event a stream needs; `accumulated` is skipped unread."""

    content: str | None = None


_token_decoder = msgspec.json.Decoder(_TokenData)


def token_text(raw: bytes) -> str | None:
    """The new text of a `token` event (the stream's hot path: one per token, kept short)."""
    return _decoded(_token_decoder, raw).content
