"""How the server splits answer text into stream tokens (markup stays whole) and counts them."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\[\[[^\]]*\]\]\S*\s*|\S+\s*|\s+")


def split_tokens(text: str) -> list[str]:
    """Split text into stream tokens: words with trailing space; markup stays whole."""
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    """The token count the server charges for ``text`` (at least 1)."""
    return max(1, len(split_tokens(text)))
