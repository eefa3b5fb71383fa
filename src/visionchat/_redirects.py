"""Which redirects a call follows, for both transports: a few, for GETs only, same scheme.

A redirect must never change what a call did: a POST answered 302 would be resent as a
GET elsewhere (and reported a success), a 307 would post the message to another host.
So only GETs follow, at most `MAX_REDIRECTS` hops, never to another scheme nor to a
URL holding credentials, and the key is dropped as soon as the target is another origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urljoin, urlsplit

from ._error_mapping import odd_status
from ._wire import Request
from .errors import RedirectError

#: How many redirects a GET follows before the SDK gives up.
MAX_REDIRECTS = 3

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SECRET_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _path(url: str) -> str:
    return urlsplit(url).path or "/"


def follow(request: Request, status: int, headers: Mapping[str, str], hops: int) -> Request | None:
    """The request to send next when this reply is a redirect to follow; None if it is no redirect.

    Raises `RedirectError` (naming the status and the `Location`) for a redirect the SDK
    refuses: any method but GET, a change of scheme, more than `MAX_REDIRECTS` hops, or a
    3xx without a `Location` (it points nowhere). A status outside 100-599, which no HTTP
    server sends, is an `APIConnectionError`: both transports check it here.
    """
    if not 100 <= status <= 599:
        raise odd_status(request, status)
    location = headers.get("Location")
    if 300 <= status <= 399 and not location:
        raise RedirectError(
            f"{request.method} {_path(request.url)} was answered {status} without a Location",
            status_code=status,
            request_id=headers.get("X-Request-ID"),
            headers=headers,
            location=None,
        )
    if status not in _REDIRECT_STATUSES or location is None:
        return None
    target = urljoin(request.url, location)
    if request.method != "GET":
        why = "a call that sends something never follows a redirect; nothing was resent"
    elif _origin(target)[0] != _origin(request.url)[0]:
        why = "a redirect to another scheme is not followed"
    elif urlsplit(target).username is not None:
        # Credentials in the URL would be sent as Basic auth (requests) or clash with
        # the key's header (aiohttp refuses): the API never redirects so.
        why = "a redirect to a URL holding credentials is not followed"
    elif hops >= MAX_REDIRECTS:
        why = f"more than {MAX_REDIRECTS} redirects in a row"
    else:
        kept = request.headers
        if _origin(target) != _origin(request.url):
            kept = {k: v for k, v in kept.items() if k.lower() not in _SECRET_HEADERS}
        return Request("GET", target, kept, None)
    raise RedirectError(
        f"{request.method} {_path(request.url)} was answered {status} with Location "
        f"{location[:300]!r}: {why}",
        status_code=status,
        request_id=headers.get("X-Request-ID"),
        headers=headers,
        location=location,
    )
