"""The sync transport, on requests: open a request, read its body or its chunks, close it.

Hand-written twin of `_aiohttp`: same classes, same methods, same errors.
Proxy and CA-bundle settings from the environment are looked up once per origin
(requests would otherwise repeat that look-up on every call), and a process that
forks gets a fresh session rather than its parent's sockets.
"""

from __future__ import annotations

import os
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase

from .._config import DIRECT, Network, Timeout, check_own_session
from .._error_mapping import UNDECODABLE, body_too_large, describe_failure, transport_failure
from .._redirects import follow
from .._wire import Request
from ..errors import APIConnectionError, RedirectError

#: The HTTP session type a user may hand to the sync client.
HTTPSession = requests.Session

_CHUNK = 64 * 1024


class _HeadersOnly(AuthBase):
    """Keeps our `Authorization` header: without an auth object requests would apply ~/.netrc."""

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        return r


_KEEP_HEADERS = _HeadersOnly()


# What requests and urllib3 raise for a failed request or read; `_mapped()` turns it into ours.
_FAILURES = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)
_TIMEOUTS = (requests.Timeout, urllib3.exceptions.TimeoutError)
_CONNECT_TIMEOUTS = (requests.ConnectTimeout, urllib3.exceptions.ConnectTimeoutError)


def _mapped(request: Request, exc: BaseException) -> APIConnectionError:
    """The exception requests or urllib3 raised, as the SDK's, in the SDK's words.

    A plain function rather than a context manager: it runs only on failure, and
    costs nothing on the way through (no generator per request or per chunk).
    urllib3's own retry count ("Max retries exceeded") never reaches the message:
    the SDK counts its own attempts.
    """
    what = None
    if isinstance(exc, _CONNECT_TIMEOUTS):
        what = "timed out connecting"
    elif isinstance(exc, _TIMEOUTS):
        what = "timed out waiting for the reply"
    elif isinstance(
        exc, (requests.exceptions.ContentDecodingError, urllib3.exceptions.DecodeError)
    ):
        what = UNDECODABLE
    elif isinstance(exc, requests.exceptions.ProxyError):
        what = f"the proxy could not be used: {describe_failure(exc)}"
    return transport_failure(request, exc, timed_out=isinstance(exc, _TIMEOUTS), what=what)


class RequestsResponse:
    """An open reply: status and headers now, the body when read; always closed by the caller."""

    __slots__ = ("_chunks", "_done", "_request", "_response", "headers", "status")

    def __init__(self, request: Request, response: requests.Response) -> None:
        self._request = request
        self._response = response
        self._chunks: Iterator[bytes] | None = None
        self._done = False
        self.status = response.status_code
        self.headers: Mapping[str, str] = response.headers

    @property
    def content_type(self) -> str:
        """The media type of the body, without parameters."""
        return self.headers.get("Content-Type", "").partition(";")[0].strip().lower()

    def read(self, limit: int) -> bytes:
        """The whole body, refusing it once more than `limit` decoded bytes have arrived.

        Read in pieces (urllib3 decompresses each piece to a bounded size), so a
        compressed or endless body costs about `limit` bytes of memory, not more.
        A plain body whose `Content-Length` fits is read in one go.
        """
        raw = self._response.raw
        length = self.headers.get("Content-Length", "")
        known = length.isdigit() and "Content-Encoding" not in self.headers
        if known and int(length) > limit:
            raise body_too_large(limit, self.status)
        try:
            if known:
                body: bytes = raw.read(decode_content=True)
            else:
                parts: list[bytes] = []
                size = 0
                while chunk := raw.read(_CHUNK, decode_content=True):
                    size += len(chunk)
                    if size > limit:
                        raise body_too_large(limit, self.status)
                    parts.append(chunk)
                body = b"".join(parts)
        except _FAILURES as exc:
            raise _mapped(self._request, exc) from exc
        self._done = True
        return body

    def next_chunk(self) -> bytes:
        """The next bytes of the body as they arrive; b"" at its end."""
        if self._chunks is None:
            self._chunks = _arriving(self._response.raw)
        try:
            chunk = next(self._chunks, b"")
        except _FAILURES as exc:
            raise _mapped(self._request, exc) from exc
        if not chunk:
            self._done = True
        return chunk

    def close(self) -> None:
        """Release the connection: back to the pool when the body was read, else closed."""
        if self._done:
            self._response.raw.release_conn()
        self._response.close()


def _arriving(raw: Any) -> Iterator[bytes]:
    """Yield body bytes as soon as they arrive (requests' own iterators hold data back)."""
    if raw.chunked and raw.supports_chunked_reads():
        # A size, so that a compressed chunk is decoded in bounded pieces.
        yield from raw.read_chunked(_CHUNK, decode_content=True)
        return
    while data := raw.read1(_CHUNK, decode_content=True):
        yield data


class _ContextAdapter(HTTPAdapter):
    """Makes HTTPS connections with the caller's `ssl.SSLContext`, as it is.

    requests takes a context only through an adapter. Its own CA settings are kept
    out: they would load the default bundle into the caller's context.
    """

    def __init__(self, context: ssl.SSLContext) -> None:
        self._context = context
        super().__init__()

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[Any, Any]:
        host, _ = super().build_connection_pool_key_attributes(request, verify, cert)
        return host, {"ssl_context": self._context}

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        """The context decides what is trusted; nothing to set on the connection."""


class RequestsTransport:
    """Owns (or borrows) one `requests.Session`; a forked child makes its own.

    `proxy=` and `verify=` go with every request (a context through an adapter);
    `trust_env=False` turns off requests' reading of proxies and CA bundles from the
    environment.
    """

    def __init__(self, session: requests.Session | None = None, network: Network = DIRECT) -> None:
        if session is not None:
            check_own_session(network)
        self._session = session
        self._owns_session = session is None
        self._network = network
        proxy = network.proxy
        self._proxies = {"http": proxy, "https": proxy} if proxy else {}
        self._verify = network.verify if not isinstance(network.verify, ssl.SSLContext) else True
        self._pid = os.getpid()
        self._closed = False
        self._settings: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _client(self) -> requests.Session:
        if self._closed:
            raise RuntimeError("this client is closed; create a new one")
        session = self._session
        if session is None or (self._owns_session and self._pid != os.getpid()):
            with self._lock:
                if self._session is None or self._pid != os.getpid():
                    # After a fork the parent's pooled sockets must not be shared: start afresh.
                    self._session = self._new_session()
                    self._pid = os.getpid()
                    self._settings = {}
                session = self._session
        return session

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = self._network.trust_env
        if isinstance(self._network.verify, ssl.SSLContext):
            session.mount("https://", _ContextAdapter(self._network.verify))
        return session

    def _environment(self, session: requests.Session, url: str) -> dict[str, Any]:
        """Proxies and CA bundle (given, else from the environment), resolved once per origin."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        found = self._settings.get(origin)
        if found is None:
            found = dict(
                session.merge_environment_settings(
                    origin, dict(self._proxies), True, self._verify, None
                )
            )
            self._settings[origin] = found
        return found

    def open(self, request: Request, timeout: Timeout, *, stream: bool) -> RequestsResponse:
        """Send the request and return once the status line and headers have arrived.

        Redirects are followed here, as `_redirects.follow` allows (GETs only, a few);
        a status no HTTP server sends is an `APIConnectionError`, as a reply that is not HTTP.
        """
        hops = 0
        while True:
            response = self._send(request, timeout, stream)
            try:
                target = follow(request, response.status_code, response.headers, hops)
            except (RedirectError, APIConnectionError):
                response.close()
                raise
            if target is None:
                return RequestsResponse(request, response)
            response.close()
            request, hops = target, hops + 1

    def _send(self, request: Request, timeout: Timeout, stream: bool) -> requests.Response:
        session = self._client()
        read = timeout.stream_idle if stream else timeout.read
        prepared = session.prepare_request(
            requests.Request(
                request.method,
                request.url,
                headers=dict(request.headers),
                data=request.body,
                auth=_KEEP_HEADERS,
            )
        )
        try:
            return session.send(
                prepared,
                timeout=(timeout.connect, read),
                allow_redirects=False,
                **self._environment(session, request.url),
            )
        except _FAILURES as exc:
            raise _mapped(request, exc) from exc

    def sleep(self, seconds: float) -> None:
        """Wait between retries."""
        time.sleep(seconds)

    def close(self) -> None:
        """Close the session and its pooled sockets if this transport created it.

        urllib3 2 leaves pooled sockets to the garbage collector when a session closes;
        a reply still referenced (by an exception's traceback, say) would keep one
        open, so the pools are closed here explicitly.
        """
        self._closed = True
        session, self._session = self._session, None
        if session is None or not self._owns_session:
            return
        for adapter in session.adapters.values():
            if isinstance(adapter, HTTPAdapter):
                pools = adapter.poolmanager.pools
                for key in list(pools.keys()):
                    pool = pools.get(key)
                    if pool is not None:
                        pool.close()
        session.close()
