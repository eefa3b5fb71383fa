"""Optional OpenTelemetry spans: one client span per API call, only when the user opts in.

`tracing=True` on a client needs the `visionchat[otel]` extra (opentelemetry-api);
without it the SDK never imports OpenTelemetry.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._version import __version__

if TYPE_CHECKING:
    from ._wire import Request

_NOTHING = nullcontext()


class CallSpan:
    """The span of one API call, from its first attempt until its body or stream is done.

    It is ended by its owner (`end()`, or leaving a `with` block), which records the
    exception the call failed with, if any. Ending twice is harmless.
    """

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

    def current(self) -> AbstractContextManager[object]:
        """Make the span the current one (for spans the HTTP library makes) while sending."""
        if self._span is None:
            return _NOTHING
        from opentelemetry import trace

        return trace.use_span(
            self._span, end_on_exit=False, record_exception=False, set_status_on_exception=False
        )

    def end(self, error: BaseException | None = None) -> None:
        """End the span; `error` (not a caller's early exit) marks it failed."""
        span, self._span = self._span, None
        if span is None:
            return
        if error is not None and not isinstance(error, GeneratorExit):
            from opentelemetry.trace import Status, StatusCode

            span.set_attribute("error.type", type(error).__qualname__)
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
        span.end()

    def __enter__(self) -> CallSpan:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.end(exc)


# With tracing off every call shares this one span that records nothing: no allocation.
_NO_SPAN = CallSpan(None)


def require_opentelemetry() -> None:
    """Fail at construction, not at the first call, when tracing is asked for but not installed."""
    import importlib.util

    if importlib.util.find_spec("opentelemetry") is None:
        raise ValueError("tracing=True needs OpenTelemetry: pip install 'visionchat[otel]'")


def start_span(request: Request, enabled: bool) -> CallSpan:
    """Start the client span of one API call (all its retries), or nothing when tracing is off."""
    if not enabled:
        return _NO_SPAN
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
    span = tracer.start_span(
        f"{request.method} {url.path}", kind=trace.SpanKind.CLIENT, attributes=attributes
    )
    return CallSpan(span)
