"""Reference markup (``[[img:ID|name]]`` …) resolution and the server's token counting."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_MARKUP = re.compile(r"\[\[(img|doc|link|ref):([^\]|]+)((?:\|[^\]|]*)*)\]\]")
_TOKEN = re.compile(r"\[\[[^\]]*\]\]\S*\s*|\S+\s*|\s+")


def resolve_markup(text: str, metadata: Mapping[str, Any]) -> str:
    """Replace reference markup by readable text, as the protocol describes."""
    refs = metadata.get("result_refs") or {}

    def replace(match: re.Match[str]) -> str:
        kind, ident, rest = match.group(1), match.group(2), match.group(3)
        parts = [p for p in rest.split("|")[1:]]
        if kind == "ref":
            entry = refs.get(ident)
            count = entry.get("count") if isinstance(entry, dict) else None
            return str(count) if count is not None else match.group(0)
        label = parts[0] if parts else ident
        if kind == "doc" and len(parts) > 1:
            where = parts[1]
            if where.startswith("pp:"):
                return f"{label} (pp.{where[3:]})"
            if where.startswith("p:"):
                return f"{label} (p.{where[2:]})"
        return label

    return _MARKUP.sub(replace, text)


def split_tokens(text: str) -> list[str]:
    """Split text into stream tokens: words with trailing space; markup stays whole."""
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    """The token count the server charges for ``text`` (at least 1)."""
    return max(1, len(split_tokens(text)))
