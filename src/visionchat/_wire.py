"""The request and reply the transports exchange, and how a request is put together.

`Request` is fully built before the first attempt — URL, headers, JSON body,
idempotency key — so every retry of one logical call sends the very same bytes.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import msgspec

from ._config import ClientConfig

_encoder = msgspec.json.Encoder()

QueryValue = str | int | bool | None


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request, ready to send as many times as retries need.

    Its headers hold the API key, so they stay out of its repr (and of tracebacks
    that show locals).
    """

    method: str
    url: str
    headers: Mapping[str, str] = field(repr=False)
    body: bytes | None = field(default=None, repr=False)

    def with_headers(self, extra: Mapping[str, str]) -> Request:
        """A copy with more headers (a resumed stream adds `Last-Event-ID`)."""
        return Request(self.method, self.url, {**self.headers, **extra}, self.body)


@dataclass(frozen=True, slots=True)
class Response:
    """A whole reply: status, case-insensitive headers and the body bytes."""

    status: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def request_id(self) -> str | None:
        """The server's `X-Request-ID` for this reply, for support and logs."""
        return self.headers.get("X-Request-ID")


@functools.lru_cache(maxsize=4096)
def segment(value: str) -> str:
    """Percent-encode an already validated id as exactly one path segment (cached: ids repeat)."""
    return quote(value, safe="")


def _query(params: Mapping[str, QueryValue]) -> str:
    pairs = [
        (k, ("true" if v else "false") if isinstance(v, bool) else str(v))
        for k, v in params.items()
        if v is not None
    ]
    return urlencode(pairs) if pairs else ""


def build_request(
    config: ClientConfig,
    method: str,
    path: str,
    *,
    params: Mapping[str, QueryValue] | None = None,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
    idempotency_key: str | None = None,
) -> Request:
    """Build a request against the configured base URL; every POST gets an idempotency key."""
    url = config.base_url + path
    if params:
        query = _query(params)
        if query:
            url = f"{url}?{query}"
    merged = dict(config.headers)
    body = None
    if json is not None:
        body = _encoder.encode(json)
        merged["Content-Type"] = "application/json"
    if method == "POST":
        merged["Idempotency-Key"] = idempotency_key or os.urandom(16).hex()
    if headers:
        merged.update(headers)
    return Request(method, url, merged, body)
