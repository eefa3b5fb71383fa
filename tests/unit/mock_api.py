"""What both mock fixtures share: the recorded call, and the URL pattern of a path."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import msgspec

BASE_URL = "http://127.0.0.1:9/api/v2"
API_KEY = "vc-test-key-0123456789"


def url_pattern(path: str) -> re.Pattern[str]:
    """Match BASE_URL + path exactly (the path as it is sent), with any query."""
    return re.compile("^" + re.escape(BASE_URL + path) + r"(\?.*)?$")


@dataclass
class Call:
    """One request the SDK sent, as the server would see it."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    path: str = field(init=False)
    query: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        self.path = parts.path.removeprefix(urlsplit(BASE_URL).path)
        self.query = dict(parse_qsl(parts.query, keep_blank_values=True))

    @property
    def json(self) -> Any:
        return None if self.body is None else msgspec.json.decode(self.body)


def encode_body(json: Any, body: bytes | str | None) -> bytes:
    if body is not None:
        return body.encode() if isinstance(body, str) else body
    return b"" if json is None else msgspec.json.encode(json)
