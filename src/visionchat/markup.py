"""Reference markup in assistant text: `[[img:ID|name]]`, `[[doc:…]]`, `[[link:…]]`, `[[ref:KEY]]`.

`resolve()` gives the text a person reads; `references()` lists what the text cites;
`MarkupStream` does the same for an answer arriving token by token, where one markup
may be split over several tokens.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple, cast

__all__ = ["MarkupStream", "Reference", "ref_counts", "references", "resolve"]

_REF = re.compile(r"\[\[ref:(?P<key>[^\]|]*)\]\]")
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
    # A one-character search is a memchr, ~80x faster than looking for "[[" in a long text.
    if "[" not in content or "[[" not in content:
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


class MarkupStream:
    """Resolves markup in text that arrives in pieces, such as a streamed answer.

    Text from `[[` is held back until its `]]` arrives, so half a reference is never
    shown. `[[ref:KEY]]` counts come only with the final answer's metadata: until
    then they show as `<KEY>`, and `placeholders` lists those keys in order.
    """

    MAX_HELD = 512  # a `[[` with no `]]` this far on is not markup: let it through

    def __init__(self) -> None:
        self._held = ""
        self.placeholders: list[str] = []

    def feed(self, text: str) -> str:
        """The text that can be shown now; the rest waits for the next piece."""
        self._held += text
        shown: list[str] = []
        while self._held:
            start = self._held.find("[[")
            if start < 0:
                keep = 1 if self._held.endswith("[") else 0  # may be half of `[[`
                shown.append(self._held[: len(self._held) - keep])
                self._held = self._held[len(self._held) - keep :]
                break
            shown.append(self._held[:start])
            self._held = self._held[start:]
            end = self._held.find("]]", 2)
            if end < 0:
                if len(self._held) <= self.MAX_HELD:
                    break
                shown.append(self._held[:2])
                self._held = self._held[2:]
                continue
            shown.append(self._render(self._held[: end + 2]))
            self._held = self._held[end + 2 :]
        return "".join(shown)

    def flush(self) -> str:
        """Whatever is still held back, at the end of the answer."""
        rest, self._held = self._held, ""
        return rest

    def _render(self, markup: str) -> str:
        def placeholder(match: re.Match[str]) -> str:
            key = match["key"]
            if key not in self.placeholders:
                self.placeholders.append(key)
            return f"<{key}>"

        return _REF.sub(placeholder, resolve(markup))


def ref_counts(keys: list[str], metadata: Mapping[str, Any] | None) -> list[str]:
    """`<KEY> = N` for each placeholder key whose count the final answer's metadata gives."""
    found: list[str] = []
    for key in keys:
        count = _ref_count(key, metadata)
        if count is not None:
            found.append(f"<{key}> = {count}")
    return found
