# Generated from src/visionchat/_async/_client.py by tools/gen_sync.py: do not edit; edit the async source.
"""The client object: settings, connection pool and the `chats` resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._config import ClientConfig, Timeout, Verify, resolve_config
from .._log import configure_from_env
from .._transports._requests import HTTPSession, RequestsTransport
from ._chats import Chats
from ._closing import ClosingOnExit
from ._http import HTTPClient
from ._transport import SyncTransport


class VisionChat(ClosingOnExit):
    """A client of the VisionChat API.

    The key comes from `api_key` or `VISIONCHAT_API_KEY`; the URL from `base_url`,
    `VISIONCHAT_BASE_URL`, or the hosted service. Pass `http_session` to use your own
    HTTP session: the client then never closes it. Close the client when done, or
    use it as a context manager.

    `max_body_bytes` caps a JSON reply and `max_line_bytes` one line of a stream
    (defaults 256 MiB and 16 MiB): past them the SDK raises instead of growing memory.
    `tracing=True` opens an OpenTelemetry client span per call (`visionchat[otel]`).
    `proxy` sends every request through that proxy (else the environment's, unless
    `trust_env=False`); `verify` is True, False, a CA bundle path or an `ssl.SSLContext`.
    """

    chats: Chats
    """The chat resource: every operation of the API."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        tenant_id: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_session: HTTPSession | None = None,
        max_body_bytes: int | None = None,
        max_line_bytes: int | None = None,
        tracing: bool = False,
        proxy: str | None = None,
        verify: Verify = True,
        trust_env: bool = True,
    ) -> None:
        configure_from_env()
        config = resolve_config(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            tenant_id=tenant_id,
            default_headers=default_headers,
            max_body_bytes=max_body_bytes,
            max_line_bytes=max_line_bytes,
            tracing=tracing,
            proxy=proxy,
            verify=verify,
            trust_env=trust_env,
        )
        transport = RequestsTransport(http_session, config.network)
        self._setup(config, transport, owns_transport=True)

    def _setup(self, config: ClientConfig, transport: SyncTransport, owns_transport: bool) -> None:
        self._config = config
        self._transport = transport
        self._owns_transport = owns_transport
        self.chats = Chats(HTTPClient(config, transport))

    @classmethod
    def from_env(cls, **overrides: Any) -> VisionChat:
        """A client configured from the environment, with any argument overridden."""
        return cls(**overrides)

    @property
    def base_url(self) -> str:
        """The API's base URL, without a trailing slash."""
        return self._config.base_url

    @property
    def timeout(self) -> Timeout:
        """The timeouts every call uses."""
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        """How many times a failed call is retried."""
        return self._config.retry.max_retries

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        tenant_id: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        max_body_bytes: int | None = None,
        max_line_bytes: int | None = None,
    ) -> VisionChat:
        """A copy with some settings changed that shares this client's connection pool.

        An argument left as None keeps the current value (to turn one timeout off,
        pass `Timeout(read=None)`); `default_headers` are added to the current ones.
        Closing the copy does nothing; close the original.
        """
        given = {
            "api_key": api_key,
            "base_url": base_url,
            "tenant_id": tenant_id,
            "default_headers": default_headers,
            "timeout": timeout,
            "max_retries": max_retries,
            "max_body_bytes": max_body_bytes,
            "max_line_bytes": max_line_bytes,
        }
        changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        copy = object.__new__(type(self))
        copy._setup(self._config.with_changes(**changes), self._transport, owns_transport=False)
        return copy

    def close(self) -> None:
        """Release the connection pool (a session you passed in stays open)."""
        if self._owns_transport:
            self._transport.close()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._config.base_url!r}, "
            f"api_key={self._config.redacted_key!r})"
        )
