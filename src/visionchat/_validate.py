"""Argument checks, run before any request so that bad input never reaches the wire.

Each check raises `ValueError` (or `TypeError` for a wrong kind of value) naming the
argument and the rule, and returns the value ready to send.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

MAX_MESSAGE_CHARS = 10_000
MAX_TITLE_CHARS = 255
MAX_IMAGE_IDS = 1000
MAX_DOCUMENT_IDS = 100
MAX_VIDEO_IDS = 100
MAX_QUERY_CHARS = 500
MAX_SEARCH_CHARS = 200
MAX_IDEMPOTENCY_KEY = 255
EXPORT_FORMATS = ("json", "markdown", "text")
_DOMAIN = re.compile(r"[a-z0-9_-]{1,64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A lone surrogate (as `os.fsdecode` makes of bytes that are not UTF-8) cannot be sent as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
_HEADER_TEXT = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")


def identifier(name: str, value: Any) -> str:
    """An id for a path segment: any non-empty string without control characters."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    if _CONTROL.search(value):
        raise ValueError(f"{name} must not hold control characters: {value!r}")
    _unicode(name, value)
    return value


def _unicode(name: str, value: str) -> None:
    """Refuse a string that cannot travel as UTF-8, naming the argument."""
    if _SURROGATE.search(value):
        raise ValueError(f"{name} holds a lone surrogate (not valid Unicode text): {value!r}")


def id_list(name: str, value: Any, most: int | None) -> list[str]:
    """A list of ids of at most `most` entries (a lone string is refused, not split)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise TypeError(f"{name} must be a list of id strings, not {type(value).__name__}")
    ids: list[Any] = list(cast("Iterable[Any]", value))
    if most is not None and len(ids) > most:
        raise ValueError(f"{name} holds {len(ids)} ids; at most {most} are allowed")
    for item in ids:
        if not isinstance(item, str) or not item:
            raise ValueError(f"{name} must hold non-empty strings, found {item!r}")
        _unicode(name, item)
    return ids


def text(name: str, value: Any, *, most: int, allow_blank: bool = False) -> str:
    """A string of 1 to `most` characters (blank only when allowed)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if not allow_blank and not value.strip():
        raise ValueError(f"{name} must not be empty")
    if len(value) > most:
        raise ValueError(f"{name} is {len(value)} characters long; at most {most} are allowed")
    _unicode(name, value)
    return value


def message(value: Any) -> str:
    """A chat message: 1 to 10,000 characters."""
    return text("message", value, most=MAX_MESSAGE_CHARS)


def optional_title(value: Any) -> str | None:
    """A session title: None, or at most 255 characters."""
    if value is None:
        return None
    return text("title", value, most=MAX_TITLE_CHARS, allow_blank=True)


def integer(name: str, value: Any, low: int, high: int | None = None) -> int:
    """A whole number within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be {bound}, not {value}")
    return value


def optional_search(value: Any) -> str | None:
    """A session search (title or message text): None, or at most 200 characters."""
    if value is None:
        return None
    return text("search", value, most=MAX_SEARCH_CHARS, allow_blank=True)


def optional_count(name: str, value: Any) -> int | None:
    """None, or a whole number of at least 0."""
    return None if value is None else integer(name, value, 0)


def flag(name: str, value: Any) -> bool:
    """A real bool (a truthy string like "false" is refused)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {value!r}")
    return value


def domain(value: Any) -> str:
    """A knowledge-domain name: 1 to 64 characters of a-z, 0-9, `_` and `-`."""
    if not isinstance(value, str) or not _DOMAIN.fullmatch(value):
        raise ValueError(f"domain must be 1-64 characters of a-z, 0-9, '_' or '-', not {value!r}")
    return value


def export_format(value: Any) -> str:
    """One of the export formats the server knows."""
    if value not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}, not {value!r}")
    return str(value)


def idempotency_key(value: Any) -> str | None:
    """A caller's own idempotency key: None, or 1 to 255 printable ASCII characters.

    ASCII because a header value outside it travels as different bytes in the two
    modes (or not at all: requests encodes Latin-1); no space at either end, which a
    header would lose.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > MAX_IDEMPOTENCY_KEY:
        raise ValueError("idempotency_key must be a string of 1 to 255 characters")
    if not _HEADER_TEXT.fullmatch(value):
        raise ValueError(
            "idempotency_key must be printable ASCII (no control characters), "
            "without a space at either end"
        )
    return value
