"""What the chat page shows of an answer: its Markdown as safe HTML, and the pictures it cites.

The Markdown is rendered here, on the server, with markdown-it-py's CommonMark preset
and raw HTML off: any `<script>` or `<img onerror=...>` in an answer reaches the page
as text. Markdown images are off too, so an answer cannot make the browser fetch an
address of its choosing; the pictures the page shows are the thumbnails the API listed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from visionchat.markup import references

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable("image")


def render_markdown(text: str) -> str:
    """The answer's Markdown as HTML; raw HTML in it is escaped, never passed through."""
    return _MARKDOWN.render(text)


def _web_url(url: object) -> str | None:
    """`url` if it is an http(s) address (a `javascript:` href would run on a click)."""
    if isinstance(url, str) and urlsplit(url).scheme in ("http", "https"):
        return url
    return None


class Thumbnails:
    """The images an answer cites, each announced once, as soon as its reference is whole.

    `image_results` (before the answer) says where each image's thumbnail and full view
    are; `[[img:ID|name]]` references in the answer say which of them it cites.
    """

    def __init__(self) -> None:
        self._known: dict[str, dict[str, Any]] = {}
        self._shown: set[str] = set()
        self._raw = ""

    def add_results(self, data: dict[str, Any]) -> None:
        """Remember the images of an `image_results` event."""
        for image in data.get("images") or []:
            if isinstance(image, dict) and isinstance(image.get("image_id"), str):
                self._known[image["image_id"]] = image

    def feed(self, raw_text: str) -> list[dict[str, str]]:
        """New thumbnails for the references completed by this piece of the raw answer."""
        # The whole answer so far is searched again: a reference may be cut between
        # pieces, and answers are a few kB.
        self._raw += raw_text
        new: list[dict[str, str]] = []
        for ref in references(self._raw):
            image = self._known.get(ref.id) if ref.kind == "img" else None
            if image is None or ref.id in self._shown:
                continue
            thumb, full = _web_url(image.get("thumbnail_url")), _web_url(image.get("stored_url"))
            if thumb is None:
                continue
            self._shown.add(ref.id)
            name = ref.label or str(image.get("filename") or ref.id)
            new.append({"id": ref.id, "name": name, "thumbnail_url": thumb, "url": full or thumb})
        return new
