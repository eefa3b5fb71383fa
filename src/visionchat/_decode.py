"""Decode reply bodies into models with one reused msgspec decoder per type.

Building a decoder costs far more than decoding a small body, so each type gets
one, made on first use. Any body that is not the JSON the protocol promises
raises `ResponseDecodeError` with an excerpt of what arrived.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from ._error_mapping import excerpt
from .errors import ResponseDecodeError

T = TypeVar("T")

_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}


def decoder_for(type_: type[T]) -> msgspec.json.Decoder[T]:
    """The shared decoder for `type_`."""
    dec = _decoders.get(type_)
    if dec is None:
        dec = _decoders[type_] = msgspec.json.Decoder(type_)
    return dec


def decode(
    body: bytes, type_: type[T], *, status_code: int | None = None, request_id: str | None = None
) -> T:
    """Decode a JSON reply into `type_`, or raise `ResponseDecodeError` saying what was wrong."""
    if not body:
        raise ResponseDecodeError(
            "the server sent an empty body where JSON was expected",
            status_code=status_code,
            request_id=request_id,
        )
    try:
        return decoder_for(type_).decode(body)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError too
        what = (
            "does not have the expected shape"
            if isinstance(exc, msgspec.ValidationError)
            else "is not valid JSON"
        )
        raise ResponseDecodeError(
            f"the reply {what} ({exc})",
            status_code=status_code,
            request_id=request_id,
            excerpt=excerpt(body),
        ) from None
