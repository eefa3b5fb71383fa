"""Reference markup in assistant text: `[[img:ID|name]]`, `[[doc:…]]`, `[[link:…]]`, `[[ref:KEY]]`.

`resolve()` gives the text a person reads; `references()` lists what the text cites.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple, cast

_MARKUP = re.compile(
    r"\[\[(?P<kind>img|doc|link|ref):(?P<id>[^\]|]*)"
    r"(?:\|(?P<label>[^\]|]*))?"
    r"(?:\|(?P<pages>pp?):(?P<range>[^\]|]*))?\]\]"
)


class Reference(NamedTuple):
    """One item cited by a message: its kind (`img`, `doc`, `link`, `ref`), id and label."""

    kind: str
    id: str
    label: str
    pages: str | None


def _ref_count(key: str, metadata: Mapping[str, Any] | None) -> str | None:
    refs: Any = (metadata or {}).get("result_refs")
    if not isinstance(refs, Mapping):
        return None
    entry: Any = cast("Mapping[str, Any]", refs).get(key)
    if isinstance(entry, Mapping) and "count" in entry:
        return str(cast("Mapping[str, Any]", entry)["count"])
    return None


def resolve(content: str, metadata: Mapping[str, Any] | None = None) -> str:
    """Replace every markup with its readable form; unknown `ref` keys stay as written."""
    if "[[" not in content:
        return content

    def replace(match: re.Match[str]) -> str:
        kind, label = match["kind"], match["label"]
        if kind == "ref":
            count = _ref_count(match["id"], metadata)
            return count if count is not None else match[0]
        text = label if label is not None else match["id"]
        if match["pages"] == "p":
            return f"{text} (p.{match['range']})"
        if match["pages"] == "pp":
            return f"{text} (pp.{match['range']})"
        return text

    return _MARKUP.sub(replace, content)


def references(content: str) -> list[Reference]:
    """The items a text cites, in order of appearance."""
    return [
        Reference(m["kind"], m["id"], m["label"] or "", m["range"])
        for m in _MARKUP.finditer(content)
    ]
