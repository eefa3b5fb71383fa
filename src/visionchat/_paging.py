"""When an offset-paged walk stops: the rules every `iter_*` call follows, free of I/O.

A walk trusts the server's `has_more` only within what the server itself counted on
the first page, so a server that always says "more" (or ignores `offset`) cannot keep
a loop going forever.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _endpoints as api
from ._decode import decode_reply
from ._wire import Response
from .models import ChatImageList, ImageReference, SessionList


@dataclass(frozen=True, slots=True)
class Page:
    """What the walk needs to know of one page."""

    keys: tuple[str, ...]
    """The ids on the page, in order."""
    total: int | None
    """How many items the server says the whole list holds, if it says."""
    has_more: bool | None
    """Whether the server says a page follows; None for a reply without that field."""


class PageWalk:
    """The offset of the next page, and whether there is one.

    The walk ends at an empty page, at `has_more: false` (or, for a reply without
    `has_more`, a page shorter than asked for), once the offset reaches the total the
    first page gave, or at a page holding exactly the ids of the one before it.
    """

    def __init__(self, page_size: int) -> None:
        self.page_size = page_size
        self.offset = 0
        self._bound: int | None = None
        self._last: tuple[str, ...] | None = None

    def advance(self, page: Page) -> bool:
        """Step past `page`; False when no further page should be asked for."""
        count = len(page.keys)
        if count == 0 or page.has_more is False or page.keys == self._last:
            return False
        if page.has_more is None and count < self.page_size:
            return False
        if self._last is None:
            self._bound = page.total
        self._last = page.keys
        self.offset += count
        return self._bound is None or self.offset < self._bound


def session_page(reply: Response) -> tuple[SessionList, Page]:
    """A page of `list_sessions`."""
    page = decode_reply(reply, SessionList)
    return page, Page(tuple(s.id for s in page.items), page.total, page.has_more)


def image_page(reply: Response) -> tuple[ChatImageList, Page]:
    """A page of `get_all_images`."""
    page = decode_reply(reply, ChatImageList)
    return page, Page(tuple(page.image_ids), page.total, page.has_more)


def search_page(reply: Response) -> tuple[list[ImageReference], Page]:
    """A page of `search_images`: its results and `total_count`, and no `has_more`."""
    results, total = api.parse_search_page(reply)
    return results, Page(tuple(r.image_id for r in results), total, None)
