# Generated from src/visionchat/_async/_pages.py by tools/gen_sync.py: do not edit; edit the async source.
"""An offset-paged list read one page at a time, as iteration needs it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from .._paging import Page, PageWalk
from .._wire import Request, Response
from ._http import HTTPClient

T = TypeVar("T")


def pages(
    http: HTTPClient,
    page_size: int,
    build: Callable[[int, int], Request],
    read: Callable[[Response], tuple[T, Page]],
) -> Iterator[tuple[Response, T]]:
    """Each page's reply and decoded page, until `PageWalk` says the list is over.

    `build(limit, offset)` makes a page's request; `read` decodes its reply.
    """
    walk = PageWalk(page_size)
    while True:
        reply = http.request(build(page_size, walk.offset))
        decoded, page = read(reply)
        yield reply, decoded
        if not walk.advance(page):
            return
