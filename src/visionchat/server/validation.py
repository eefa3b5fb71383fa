"""Parsing of path ids, query parameters and JSON bodies, with protocol error codes.

Malformed input is 422 VALIDATION_ERROR; too many ids is 400 TOO_MANY_IDS.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from .errors import bad_request, validation_error

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DOMAIN_PATTERN = re.compile(r"^[a-z0-9_-]{1,64}$")


def parse_uuid(value: Any, what: str) -> str:
    """A canonical (lower-case) UUID string, or 422."""
    if not isinstance(value, str) or not _UUID.match(value):
        raise validation_error(f"{what} must be a UUID, got {str(value)[:80]!r}")
    return value.lower()


async def json_object(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object (an empty body counts as ``{}``)."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise validation_error(f"body is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise validation_error("body must be a JSON object")
    return value


def query_int(
    request: web.Request, name: str, default: int | None, lo: int, hi: int | None
) -> int | None:
    """An integer query parameter within ``[lo, hi]``."""
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise validation_error(f"{name} must be an integer") from None
    if value < lo or (hi is not None and value > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f">= {lo}"
        raise validation_error(f"{name} must be {bound}")
    return value


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
    raise validation_error(f"{name} must be true or false")


def _given(body: dict[str, Any], name: str, required: bool) -> Any:
    """A field's value; None when absent or null, which is a 400 if the field is required."""
    value = body.get(name)
    if value is None and required:
        raise validation_error(f"{name} is required")
    return value


def body_str(body: dict[str, Any], name: str, *, required: bool, lo: int, hi: int) -> str | None:
    """A string field whose length is within ``[lo, hi]``."""
    value = _given(body, name, required)
    if value is None:
        return None
    if not isinstance(value, str):
        raise validation_error(f"{name} must be a string")
    if not lo <= len(value) <= hi:
        raise validation_error(f"{name} must be {lo} to {hi} characters long")
    return value


def body_bool(body: dict[str, Any], name: str, default: bool) -> bool:
    """A boolean field."""
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise validation_error(f"{name} must be a boolean")
    return value


def body_int(body: dict[str, Any], name: str, default: int, lo: int, hi: int | None) -> int:
    """An integer field within ``[lo, hi]``."""
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool):
        raise validation_error(f"{name} must be an integer")
    if value < lo or (hi is not None and value > hi):
        raise validation_error(
            f"{name} must be between {lo} and {hi}" if hi else f"{name} must be >= {lo}"
        )
    return value


def body_ids(
    body: dict[str, Any], name: str, *, limit: int | None, required: bool
) -> list[str] | None:
    """A list of UUIDs (duplicates dropped, order kept); more than ``limit`` is 400."""
    value = _given(body, name, required)
    if value is None:
        return None
    if not isinstance(value, list):
        raise validation_error(f"{name} must be a list of UUIDs")
    if limit is not None and len(value) > limit:
        raise bad_request(
            "TOO_MANY_IDS",
            f"Too many ids in {name}",
            detail=f"{name} holds {len(value)} ids; at most {limit} are allowed",
        )
    ids = [parse_uuid(item, f"{name} item") for item in value]
    return list(dict.fromkeys(ids))
