"""The request and reply the transports exchange, and how a request is put together.

`Request` is fully built before the first attempt — URL, headers, JSON body,
idempotency key — so every retry of one logical call sends the very same bytes.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import msgspec

from ._config import ClientConfig, Timeout

_encoder = msgspec.json.Encoder()

QueryValue = str | int | bool | None


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request, ready to send as many times as retries need.

    Its headers hold the API key, so they stay out of its repr (and of tracebacks
    that show locals). `timeout`, when set, replaces the client's for this call.
    """

    method: str
    url: str
    headers: Mapping[str, str] = field(repr=False)
    body: bytes | None = field(default=None, repr=False)
    timeout: Timeout | None = None

    def with_headers(self, extra: Mapping[str, str]) -> Request:
        """A copy with more headers (a resumed stream adds `Last-Event-ID`)."""
        return Request(self.method, self.url, {**self.headers, **extra}, self.body, self.timeout)


@dataclass(frozen=True, slots=True)
class Response:
    """A whole reply: status, case-insensitive headers and the body bytes."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    elapsed: float = 0.0
    """Seconds from the call's first attempt until the body was read, retries included."""

    @property
    def request_id(self) -> str | None:
        """The server's `X-Request-ID` for this reply, for support and logs."""
        return self.headers.get("X-Request-ID")


@functools.lru_cache(maxsize=4096)
def segment(value: str) -> str:
    """Percent-encode an already validated id as exactly one path segment (cached: ids repeat).

    `.` and `..` are encoded too (`%2E`): bare, they are dot-segments, which URL
    libraries remove, sending the call to another path.
    """
    if value in (".", ".."):
        return value.replace(".", "%2E")
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


@dataclass(frozen=True, slots=True)
class CallOptions:
    """What one call changes in its request: `timeout=`, `extra_headers=`, `extra_query=`, `extra_body=`.

    Checked when made, so a bad option fails before any request; applied to every
    request of the call (each page of an iterator, each retry).
    """

    timeout: Timeout | None = None
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    query: Mapping[str, QueryValue] = field(default_factory=dict[str, QueryValue])
    body: Mapping[str, Any] = field(default_factory=dict[str, Any])

    @classmethod
    def of(
        cls,
        timeout: float | Timeout | None,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, QueryValue] | None,
        extra_body: Mapping[str, Any] | None,
    ) -> CallOptions | None:
        """The options of one call, checked; None when the call sets none."""
        if timeout is None and not extra_headers and not extra_query and not extra_body:
            return None
        return cls(
            None if timeout is None else Timeout.coerce(timeout),
            {} if extra_headers is None else _checked_headers(extra_headers),
            {} if extra_query is None else _checked_query(extra_query),
            {} if extra_body is None else _checked_body(extra_body),
        )

    def apply(self, request: Request) -> Request:
        """The request with these options: extra values win over the SDK's own.

        A query value of None removes that parameter. `extra_body` needs a call that
        sends a JSON object.
        """
        url = _merge_query(request.url, self.query) if self.query else request.url
        body = request.body
        if self.body:
            if body is None:
                raise ValueError(
                    f"extra_body needs a call that sends a JSON body; {request.method} "
                    f"{urlsplit(request.url).path} sends none (use extra_query)"
                )
            body = _encoder.encode({**msgspec.json.decode(body), **self.body})
        headers = {**request.headers, **self.headers} if self.headers else request.headers
        timeout = self.timeout if self.timeout is not None else request.timeout
        return Request(request.method, url, headers, body, timeout)


def with_options(
    request: Request,
    timeout: float | Timeout | None,
    extra_headers: Mapping[str, str] | None,
    extra_query: Mapping[str, QueryValue] | None,
    extra_body: Mapping[str, Any] | None,
) -> Request:
    """`request` with one call's options applied (the same request when there are none)."""
    options = CallOptions.of(timeout, extra_headers, extra_query, extra_body)
    return request if options is None else options.apply(request)


#: An HTTP header name (a "token" in RFC 9110).
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _checked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for name, value in _mapping("extra_headers", headers).items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise ValueError(f"extra_headers: {name!r} is not a valid header name")
        if not isinstance(value, str) or any(c in value for c in "\r\n\x00"):
            raise ValueError(
                f"extra_headers[{name!r}] must be a string without line breaks, not {value!r}"
            )
        result[name] = value
    return result


def _checked_query(query: Mapping[str, QueryValue]) -> dict[str, QueryValue]:
    for name, value in _mapping("extra_query", query).items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"extra_query: {name!r} is not a parameter name")
        if value is not None and not isinstance(value, (str, int, float)):  # bool is an int
            raise ValueError(
                f"extra_query[{name!r}] must be a string, number, bool or None, not {value!r}"
            )
    return dict(query)


def _checked_body(body: Mapping[str, Any]) -> dict[str, Any]:
    checked = dict(_mapping("extra_body", body))
    if not all(isinstance(name, str) for name in checked):
        raise ValueError("extra_body: every key must be a string")
    try:
        _encoder.encode(checked)
    except (TypeError, msgspec.EncodeError) as exc:
        raise ValueError(f"extra_body cannot be sent as JSON: {exc}") from None
    return checked


def _mapping(name: str, value: object) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping, not {type(value).__name__}")
    return value  # pyright: ignore[reportUnknownVariableType]


def _merge_query(url: str, extra: Mapping[str, QueryValue]) -> str:
    parts = urlsplit(url)
    params: dict[str, QueryValue] = dict(parse_qsl(parts.query, keep_blank_values=True))
    params.update(extra)
    return urlunsplit(parts._replace(query=_query(params)))
