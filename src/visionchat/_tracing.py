"""Optional OpenTelemetry spans: one client span per API call, only when the user opts in.

`tracing=True` on a client needs the `visionchat[otel]` extra (opentelemetry-api);
without it the SDK never imports OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._version import __version__

if TYPE_CHECKING:
    from ._wire import Request


class CallSpan:
    """What a call tells its span as it goes: the outcome of each attempt."""

    __slots__ = ("_span",)

    def __init__(self, span: Any) -> None:
        self._span = span

    def attempt(self, retries: int, status: int | None) -> None:
        """Record the latest attempt's retry count and status."""
        if self._span is None:
            return
        self._span.set_attribute("visionchat.retries", retries)
        if status is not None:
            self._span.set_attribute("http.response.status_code", status)


# With tracing off every call shares this one context: nothing is allocated per call.
_NO_SPAN = nullcontext(CallSpan(None))


def require_opentelemetry() -> None:
    """Fail at construction, not at the first call, when tracing is asked for but not installed."""
    import importlib.util

    if importlib.util.find_spec("opentelemetry") is None:
        raise ValueError("tracing=True needs OpenTelemetry: pip install 'visionchat[otel]'")


def call_span(request: Request, enabled: bool) -> AbstractContextManager[CallSpan]:
    """A client span around one API call (all its retries), or nothing when tracing is off."""
    if not enabled:
        return _NO_SPAN
    return _otel_span(request)


@contextmanager
def _otel_span(request: Request) -> Generator[CallSpan]:
    from opentelemetry import trace

    tracer = trace.get_tracer("visionchat", __version__)
    url = urlsplit(request.url)
    attributes: dict[str, str | int] = {
        "http.request.method": request.method,
        "url.full": f"{url.scheme}://{url.netloc}{url.path}",  # no query: it may hold user text
        "server.address": url.hostname or "",
    }
    if url.port is not None:
        attributes["server.port"] = url.port
    with tracer.start_as_current_span(
        f"{request.method} {url.path}", kind=trace.SpanKind.CLIENT, attributes=attributes
    ) as span:
        yield CallSpan(span)
