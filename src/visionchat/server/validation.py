"""Parsing of path ids, query parameters and JSON bodies, judged as the API's schema judges.

Types follow JSON Schema, not a framework's loose coercion: an integral number (``47.0``)
is an integer, a string (``"47"``, ``"true"``) is not, and ``null`` is refused unless the
field allows it. A refusal is 422 in the validation shape (:class:`RequestInvalid`,
naming the field); too many ids is 400 TOO_MANY_IDS, as the protocol says.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from .errors import Loc, bad_request, validation_error

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_QUERY_INT = re.compile(r"[+-]?[0-9]{1,4000}")
_SURROGATE = re.compile("[\ud800-\udfff]")
DOMAIN_PATTERN = re.compile(r"[a-z0-9_-]{1,64}")
#: The largest integer SQLite stores; larger unbounded numbers are refused, not a 500.
MAX_INT = 2**63 - 1
_MISSING: Any = object()
_NOT_AN_OBJECT = "Input should be a valid dictionary or object to extract fields from"


def parse_uuid(value: Any, loc: Loc) -> str:
    """A canonical (lower-case) UUID string, or 422."""
    if not isinstance(value, str):
        raise validation_error(loc, "Input should be a valid string", "string_type")
    if not _UUID.fullmatch(value):
        raise validation_error(loc, "Input should be a valid UUID", "uuid_parsing")
    return value.lower()


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def json_object(request: web.Request) -> dict[str, Any]:
    """The request body, which must be a JSON object (``{}`` is one; no body is not)."""
    raw = await request.read()
    if not raw.strip():
        raise validation_error(("body",), "Field required", "missing")
    if not _labelled_json(request.headers.get("Content-Type")):
        # The API's framework reads a body as JSON only when it says so (or says
        # nothing); any other body stays bytes, which no object field accepts.
        raise validation_error(("body",), _NOT_AN_OBJECT, "model_attributes_type")
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply to read
        raise validation_error(("body",), "JSON decode error", "json_invalid") from None
    if not isinstance(value, dict):
        raise validation_error(("body",), _NOT_AN_OBJECT, "model_attributes_type")
    return value


def _labelled_json(content_type: str | None) -> bool:
    """Whether a Content-Type header lets the body be read as JSON: absent, or JSON."""
    if not content_type:
        return True
    media = content_type.partition(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def query_int(
    request: web.Request, name: str, default: int | None, lo: int, hi: int | None
) -> int | None:
    """An integer query parameter within ``[lo, hi]`` (``hi=None``: up to :data:`MAX_INT`)."""
    raw = request.query.get(name)
    if raw is None:
        return default
    if not _QUERY_INT.fullmatch(raw):
        raise validation_error(
            ("query", name),
            "Input should be a valid integer, unable to parse string as an integer",
            "int_parsing",
        )
    return _in_range(("query", name), int(raw), lo, hi)


def query_bool(request: web.Request, name: str, default: bool | None) -> bool | None:
    """A boolean query parameter written ``true`` / ``false``."""
    raw = request.query.get(name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise validation_error(
        ("query", name),
        "Input should be a valid boolean, unable to interpret input",
        "bool_parsing",
    )


def query_str(request: web.Request, name: str, hi: int) -> str | None:
    """An optional string query parameter of at most ``hi`` characters."""
    raw = request.query.get(name)
    if raw is None:
        return None
    return _checked_str(("query", name), raw, 0, hi)


def header_str(request: web.Request, name: str, hi: int) -> str | None:
    """An optional header of 1 to ``hi`` characters of text.

    aiohttp hands over bytes that are not UTF-8 as lone surrogates: refused here (422)
    before they reach the database, which cannot store them.
    """
    raw = request.headers.get(name)
    if raw is None:
        return None
    return _checked_str(("header", name), raw, 1, hi)


def is_text(value: str) -> bool:
    """Whether ``value`` is text (no lone surrogate, as non-UTF-8 bytes in a header become)."""
    return not _SURROGATE.search(value)


def _in_range(loc: Loc, value: int, lo: int, hi: int | None) -> int:
    if value < lo:
        raise validation_error(
            loc, f"Input should be greater than or equal to {lo}", "greater_than_equal"
        )
    top = MAX_INT if hi is None else hi
    if value > top:
        raise validation_error(
            loc, f"Input should be less than or equal to {top}", "less_than_equal"
        )
    return value


def _checked_str(loc: Loc, value: Any, lo: int, hi: int) -> str:
    if not isinstance(value, str):
        raise validation_error(loc, "Input should be a valid string", "string_type")
    if _SURROGATE.search(value):
        raise validation_error(
            loc,
            "Input should be a valid string, unable to parse raw data as a unicode string",
            "string_unicode",
        )
    if len(value) < lo:
        plural = "character" if lo == 1 else "characters"
        raise validation_error(
            loc, f"String should have at least {lo} {plural}", "string_too_short"
        )
    if len(value) > hi:
        raise validation_error(
            loc, f"String should have at most {hi} characters", "string_too_long"
        )
    return value


def _field(body: dict[str, Any], name: str, *, required: bool) -> Any:
    """The field's value, or ``_MISSING``; a required field that is absent is 422."""
    if name in body:
        return body[name]
    if required:
        raise validation_error(("body", name), "Field required", "missing")
    return _MISSING


def body_str(
    body: dict[str, Any], name: str, *, required: bool, lo: int, hi: int, nullable: bool = False
) -> str | None:
    """A string field whose length is within ``[lo, hi]``; absent (or allowed null) is None."""
    value = _field(body, name, required=required)
    if value is _MISSING or (value is None and nullable):
        return None
    return _checked_str(("body", name), value, lo, hi)


def body_bool(body: dict[str, Any], name: str, default: bool | None) -> bool:
    """A boolean field (never null); required when there is no ``default``."""
    value = _field(body, name, required=default is None)
    if value is _MISSING:
        assert default is not None
        return default
    if not isinstance(value, bool):
        raise validation_error(("body", name), "Input should be a valid boolean", "bool_type")
    return value


def body_choice(body: dict[str, Any], name: str, choices: tuple[str, ...]) -> str:
    """A required field holding one of ``choices``."""
    value = _field(body, name, required=True)
    if value not in choices or not isinstance(value, str):
        allowed = " or ".join(f"'{choice}'" for choice in choices)
        raise validation_error(("body", name), f"Input should be {allowed}", "literal_error")
    return value


def body_object(body: dict[str, Any], name: str) -> dict[str, Any] | None:
    """An optional field holding a JSON object or null."""
    value = _field(body, name, required=False)
    if value is _MISSING or value is None:
        return None
    if not isinstance(value, dict):
        raise validation_error(("body", name), "Input should be a valid dictionary", "dict_type")
    return value


def body_int(body: dict[str, Any], name: str, default: int, lo: int, hi: int | None) -> int:
    """An integer field within ``[lo, hi]`` (never null); ``47.0`` counts as 47."""
    value = _field(body, name, required=False)
    if value is _MISSING:
        return default
    loc: Loc = ("body", name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        raise validation_error(
            loc,
            "Input should be a valid integer, got a number with a fractional part",
            "int_from_float",
        )
    if not isinstance(value, int) or isinstance(value, bool):
        raise validation_error(loc, "Input should be a valid integer", "int_type")
    return _in_range(loc, value, lo, hi)


def body_ids(
    body: dict[str, Any],
    name: str,
    *,
    limit: int | None,
    required: bool,
    nullable: bool = False,
    uuids: bool = True,
) -> list[str] | None:
    """A list of ids (duplicates dropped, order kept); more than ``limit`` is 400.

    ``uuids=False`` takes any strings (the schema's ``string[]``): an id that is not a
    UUID is then merely unknown.
    """
    value = _field(body, name, required=required)
    if value is _MISSING or (value is None and nullable):
        return None
    if not isinstance(value, list):
        raise validation_error(("body", name), "Input should be a valid list", "list_type")
    if limit is not None and len(value) > limit:
        raise bad_request(
            "TOO_MANY_IDS",
            f"Too many ids in {name}",
            detail=f"{name} holds {len(value)} ids; at most {limit} are allowed",
        )
    ids = [
        parse_uuid(item, ("body", name, n))
        if uuids
        else _checked_str(("body", name, n), item, 0, MAX_INT)
        for n, item in enumerate(value)
    ]
    return list(dict.fromkeys(ids))
