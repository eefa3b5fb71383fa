"""The async transport, on aiohttp: open a request, read its body or its chunks, close it.

Hand-written twin of `_requests`: same classes, same methods, same
errors, so the generated sync code calls the same names. Library exceptions become
`APIConnectionError` / `APITimeoutError` here and nowhere else.
"""

from __future__ import annotations

import asyncio

from .._extras import missing_extra

try:
    import aiohttp
    from aiohttp.http import HttpProcessingError
    from aiohttp.http_exceptions import ContentEncodingError
    from yarl import URL
except ModuleNotFoundError as exc:  # a base install: no `aiohttp` extra
    raise missing_extra("AsyncVisionChat", "aiohttp", exc) from exc

from .._config import DIRECT, Network, Timeout, check_own_session, proxy_parts
from .._error_mapping import (
    NOT_HTTP,
    UNDECODABLE,
    body_too_large,
    describe_failure,
    transport_failure,
)
from .._redirects import follow
from .._wire import Request
from ..errors import APIConnectionError, RedirectError

#: The HTTP session type a user may hand to the async client.
HTTPSession = aiohttp.ClientSession

#: How many distinct timeouts keep their `ClientTimeout` (a client uses a few).
_TIMEOUTS_KEPT = 64

#: A proxy to send through (None: connect directly) and the headers for it (credentials).
_Proxy = tuple[URL | None, dict[str, str] | None]
_NO_PROXY: _Proxy = (None, None)


# What aiohttp raises for a failed request or read; `_mapped()` turns it into ours.
_FAILURES = (TimeoutError, aiohttp.ClientError)


def _head_limit(timeout: Timeout, stream: bool) -> float | None:
    """Seconds a reply's head may take: a connection, then a reply starting (None: no limit)."""
    read = timeout.stream_idle if stream else timeout.read
    if read is None or timeout.connect is None:
        return None
    return timeout.connect + read


def _mapped(request: Request, exc: BaseException) -> APIConnectionError:
    """The exception aiohttp raised, as the SDK's, in the SDK's words.

    A plain function rather than a context manager: it runs only on failure, and
    costs nothing on the way through (no generator per request or per chunk).
    """
    return transport_failure(request, exc, timed_out=isinstance(exc, TimeoutError), what=_what(exc))


def _what(exc: BaseException) -> str | None:
    """What happened, for the aiohttp errors the standard library has no word for.

    aiohttp reports a reply that is not HTTP as a 400 it never received, and a
    plain-http connection failure as `ssl:default`: neither reaches the message.
    """
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return "timed out connecting"
    if isinstance(exc, TimeoutError):
        return "timed out waiting for the reply"
    cause = exc.__cause__
    # Found while reading the head (an encoding aiohttp lacks) it is wrapped once more.
    inner = cause and (cause.__cause__ or cause.__context__)
    if isinstance(cause, ContentEncodingError) or isinstance(inner, ContentEncodingError):
        return UNDECODABLE
    if isinstance(cause, HttpProcessingError):
        return NOT_HTTP
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection without replying"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "the reply broke off before its end"
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return f"the proxy answered {exc.status} {exc.message}"
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return f"the proxy could not be reached: {describe_failure(exc)}"
    return None


class AiohttpResponse:
    """An open reply: status and headers now, the body when read; always closed by the caller."""

    __slots__ = ("_request", "_response", "headers", "status")

    def __init__(self, request: Request, response: aiohttp.ClientResponse) -> None:
        self._request = request
        self._response = response
        self.status = response.status
        self.headers = response.headers

    @property
    def content_type(self) -> str:
        """The media type of the body, without parameters."""
        return self._response.content_type

    async def read(self, limit: int) -> bytes:
        """The whole body, refusing it once more than `limit` decoded bytes have arrived.

        Read in pieces (aiohttp decompresses in bounded pieces), so a compressed
        body that expands without end costs about `limit` bytes of memory, not more.
        A plain body whose `Content-Length` fits is read in one go.
        """
        response = self._response
        length = response.content_length
        plain = "Content-Encoding" not in self.headers
        if plain and length is not None and length > limit:
            raise body_too_large(limit, self.status)
        try:
            if plain and length is not None:
                return await response.read()
            parts: list[bytes] = []
            size = 0
            while chunk := await response.content.readany():
                size += len(chunk)
                if size > limit:
                    raise body_too_large(limit, self.status)
                parts.append(chunk)
            return b"".join(parts)
        except _FAILURES as exc:
            raise _mapped(self._request, exc) from exc

    async def next_chunk(self) -> bytes:
        """The next bytes of the body as they arrive; b"" at its end."""
        try:
            return await self._response.content.readany()
        except _FAILURES as exc:
            raise _mapped(self._request, exc) from exc

    async def close(self) -> None:
        """Release the connection: back to the pool when the body was read, else closed."""
        if self._response.content.at_eof():
            self._response.release()
        else:
            self._response.close()


class AiohttpTransport:
    """Owns (or borrows) one `aiohttp.ClientSession`, created lazily inside the running loop.

    The session it creates does not use aiohttp's `trust_env`: it costs every request
    two worker-thread hops (docs/performance.md), and a netrc login for the API host
    would clash with our `Authorization` header. The proxy for an origin (the `proxy=` given, else the
    environment's `HTTP(S)_PROXY` / `NO_PROXY`, read with the standard library) is
    instead resolved once per origin and passed to each request, as the requests
    transport does. Proxy credentials travel as a `Proxy-Authorization` header (aiohttp
    3.14 deprecates `proxy_auth=`). A session you pass in keeps its own settings.
    """

    def __init__(
        self, session: aiohttp.ClientSession | None = None, network: Network = DIRECT
    ) -> None:
        if session is not None:
            check_own_session(network)
        self._session = session
        self._owns_session = session is None
        self._network = network
        self._ssl = network.ssl_context()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._timeouts: dict[tuple[Timeout, bool], aiohttp.ClientTimeout] = {}
        self._proxies: dict[tuple[str, str | None, int | None], _Proxy] = {}

    def _client(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError("this client is closed; create a new one")
        loop = asyncio.get_running_loop()
        if self._session is None:
            self._session = aiohttp.ClientSession()
            self._loop = loop
        elif self._loop is not None and loop is not self._loop:
            raise RuntimeError(
                "this AsyncVisionChat was first used in another event loop; "
                "create one client per event loop"
            )
        return self._session

    def _timeout(self, timeout: Timeout, stream: bool) -> aiohttp.ClientTimeout:
        key = (timeout, stream)
        found = self._timeouts.get(key)
        if found is None:
            if len(self._timeouts) >= _TIMEOUTS_KEPT:
                self._timeouts.clear()  # per-call timeouts may vary without end: stay bounded
            # `sock_connect`, not `connect`: it times only the opening of a new connection
            # (as urllib3 does), so a pooled one costs no timer per request.
            found = self._timeouts[key] = aiohttp.ClientTimeout(
                total=None,
                sock_connect=timeout.connect,
                sock_read=timeout.stream_idle if stream else timeout.read,
            )
        return found

    async def _proxy(self, url: URL) -> _Proxy:
        """The proxy for `url`'s origin, looked up (off the loop) once."""
        if not self._owns_session:
            return _NO_PROXY  # a borrowed session applies its own trust_env
        key = (url.scheme, url.host, url.port)
        found = self._proxies.get(key)
        if found is None:
            proxy = await asyncio.to_thread(self._network.proxy_for, url.scheme, url.host or "")
            found = _NO_PROXY
            if proxy is not None:
                bare, credentials = proxy_parts(proxy)
                headers = {"Proxy-Authorization": credentials} if credentials else None
                found = (URL(bare), headers)
            self._proxies[key] = found
        return found

    async def open(self, request: Request, timeout: Timeout, *, stream: bool) -> AiohttpResponse:
        """Send the request and return once the status line and headers have arrived.

        Redirects are followed here, as `_redirects.follow` allows (GETs only, a few);
        a status no HTTP server sends is an `APIConnectionError`, as a reply that is not HTTP.
        """
        hops = 0
        while True:
            response = await self._send(request, timeout, stream)
            try:
                target = follow(request, response.status, response.headers, hops)
            except (RedirectError, APIConnectionError):
                response.close()
                raise
            if target is None:
                return AiohttpResponse(request, response)
            response.close()
            request, hops = target, hops + 1

    async def _send(
        self, request: Request, timeout: Timeout, stream: bool
    ) -> aiohttp.ClientResponse:
        session = self._client()
        url = URL(request.url, encoded=True)
        proxy, proxy_headers = await self._proxy(url)
        headers = request.headers
        if proxy_headers and url.scheme == "http":
            # Plain http goes to the proxy as is: aiohttp sends `proxy_headers` only
            # on a CONNECT, so the credentials ride with the request itself.
            headers = {**headers, **proxy_headers}
        try:
            # aiohttp stops its read timer once an interim reply (`103 Early Hints`) has
            # arrived: a server that then sends nothing would hold the call for ever.
            async with asyncio.timeout(_head_limit(timeout, stream)):
                return await session.request(
                    request.method,
                    url,
                    headers=headers,
                    data=request.body,
                    timeout=self._timeout(timeout, stream),
                    proxy=proxy,
                    proxy_headers=proxy_headers,
                    ssl=self._ssl,
                    allow_redirects=False,
                )
        except _FAILURES as exc:
            raise _mapped(request, exc) from exc

    async def sleep(self, seconds: float) -> None:
        """Wait between retries without blocking the event loop."""
        await asyncio.sleep(seconds)

    async def close(self) -> None:
        """Close the session if this transport created it; a borrowed one stays open."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            await session.close()
