"""Client settings: where to connect, with which key, how long to wait and how often to retry.

Resolved once when a client is built (arguments first, then environment variables,
then defaults) into an immutable `ClientConfig` that both modes read.
"""

from __future__ import annotations

import base64
import os
import ssl
import unicodedata
import urllib.request
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from ._retry import RetryPolicy
from ._sse import DEFAULT_MAX_LINE_BYTES
from ._tracing import require_opentelemetry
from ._version import __version__
from .errors import InsecureTransportWarning

DEFAULT_BASE_URL = "https://api.aionvision.tech/api/v2"
ENV_API_KEY = "VISIONCHAT_API_KEY"
ENV_BASE_URL = "VISIONCHAT_BASE_URL"
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024
USER_AGENT = f"visionchat-python/{__version__}"


@dataclass(frozen=True, slots=True)
class Timeout:
    """Timeouts in seconds: `connect` to open a connection, `read` for a reply to start
    and between its bytes, and `stream_idle` between bytes of a stream (keep-alive pings
    count as activity).

    None disables one; the defaults are finite in both modes.
    """

    connect: float | None = 10.0
    read: float | None = 120.0
    stream_idle: float | None = 120.0

    @classmethod
    def coerce(cls, value: object) -> Timeout:
        """Accept a number (used for connect, read and stream idle alike) or a `Timeout`."""
        if value is None:
            return cls()
        if isinstance(value, Timeout):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError(f"timeout must be a positive number or a Timeout, not {value!r}")
        seconds = float(value)
        return cls(connect=seconds, read=seconds, stream_idle=seconds)


#: What `verify=` accepts: True (the system's CAs), False (no check), a CA bundle path, a context.
Verify = bool | str | os.PathLike[str] | ssl.SSLContext


@dataclass(frozen=True, slots=True)
class Network:
    """How connections are made: through which proxy, trusting which certificates.

    `proxy` applies to every request; without it, proxies from the environment
    (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`) apply unless `trust_env` is
    False. `verify` is True, False, a CA bundle (file or folder) path, or an `SSLContext`.
    """

    proxy: str | None = field(default=None, repr=False)  # may hold a password
    verify: bool | str | ssl.SSLContext = True
    trust_env: bool = True

    @property
    def default(self) -> bool:
        """True when nothing was asked for beyond what any HTTP session does."""
        return self.proxy is None and self.verify is True

    def ssl_context(self) -> ssl.SSLContext | bool:
        """What `verify` means as aiohttp's `ssl=`: True, False or a context."""
        if isinstance(self.verify, bool | ssl.SSLContext):
            return self.verify
        if os.path.isdir(self.verify):
            return ssl.create_default_context(capath=self.verify)
        return ssl.create_default_context(cafile=self.verify)

    def proxy_for(self, scheme: str, host: str) -> str | None:
        """The proxy URL for requests to `scheme://host`, or None to connect directly.

        The `proxy` given, else (with `trust_env`) the environment's, read with the
        standard library: `<scheme>_proxy` or `all_proxy`, unless `no_proxy` names the host.
        """
        if self.proxy is not None:
            return self.proxy
        if not self.trust_env:
            return None
        found = urllib.request.getproxies()
        proxy = found.get(scheme) or found.get("all")
        if not proxy or urllib.request.proxy_bypass(host):
            return None
        return proxy


#: No proxy but the environment's, the system's CAs: what a client gets by default.
DIRECT = Network()


def proxy_parts(proxy: str) -> tuple[str, str | None]:
    """A proxy URL without its credentials, and the `Proxy-Authorization` value they make."""
    parts = urlsplit(proxy)
    if parts.username is None:
        return proxy, None
    login = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    bare = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    return bare, "Basic " + base64.b64encode(login.encode()).decode("ascii")


def check_network(proxy: object, verify: object, trust_env: object) -> Network:
    """Check `proxy=`, `verify=` and `trust_env=` before any request, and keep them."""
    if proxy is not None:
        if not isinstance(proxy, str):
            raise ValueError(f"proxy must be a URL string, not {type(proxy).__name__}")
        parts = urlsplit(proxy)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            scheme = f"a {parts.scheme}:// URL" if parts.scheme else "no URL"
            raise ValueError(
                f"proxy must be an http:// or https:// URL (user:password@ in it if the "
                f"proxy asks for them), not {scheme}"
            )
    if isinstance(verify, os.PathLike):
        verify = os.fspath(cast("os.PathLike[str]", verify))
    if isinstance(verify, str):
        if not os.path.exists(verify):
            raise ValueError(f"verify: no CA bundle file or folder at {verify!r}")
    elif not isinstance(verify, bool | ssl.SSLContext):
        raise ValueError(
            f"verify must be True, False, a CA bundle path or an ssl.SSLContext, not {verify!r}"
        )
    if not isinstance(trust_env, bool):
        raise ValueError(f"trust_env must be True or False, not {trust_env!r}")
    return Network(proxy, verify, trust_env)


def check_own_session(network: Network) -> None:
    """Refuse `proxy=` / `verify=` beside a session of the caller's: it keeps its own settings."""
    if not network.default:
        raise ValueError(
            "proxy= and verify= apply to the session the client makes; with http_session= "
            "configure your own session instead"
        )


def _redact(key: str) -> str:
    return f"{key[:3]}…" if len(key) > 8 else "…"


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a client needs to build requests; shared, immutable, cheap to copy."""

    api_key: str = field(repr=False)
    base_url: str
    timeout: Timeout
    retry: RetryPolicy
    tenant_id: str | None = None
    default_headers: Mapping[str, str] = field(default_factory=dict[str, str])
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    tracing: bool = False
    network: Network = DIRECT
    headers: Mapping[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        _check_key(self.api_key)
        headers = {
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            **self.default_headers,
            "Authorization": f"Bearer {self.api_key}",
        }
        if self.tenant_id:
            headers["X-Tenant-ID"] = self.tenant_id
        object.__setattr__(self, "headers", headers)

    @property
    def redacted_key(self) -> str:
        """The key as it may be shown: a few leading characters at most."""
        return _redact(self.api_key)

    def with_changes(self, **changes: Any) -> ClientConfig:
        """A copy with some settings changed (`timeout`, `max_retries` and the like)."""
        if "max_retries" in changes:
            retry = replace(self.retry, max_retries=_check_retries(changes.pop("max_retries")))
            changes["retry"] = retry
        if "base_url" in changes:
            changes["base_url"] = _checked_base_url(changes["base_url"])
        if "tenant_id" in changes:
            changes["tenant_id"] = _checked_tenant(changes["tenant_id"])
        if "default_headers" in changes:
            changes["default_headers"] = {**self.default_headers, **changes["default_headers"]}
        if "timeout" in changes:
            changes["timeout"] = Timeout.coerce(changes["timeout"])
        for name, default in (
            ("max_body_bytes", DEFAULT_MAX_BODY_BYTES),
            ("max_line_bytes", DEFAULT_MAX_LINE_BYTES),
        ):
            if name in changes:
                changes[name] = _positive(name, changes[name], default)
        return replace(self, **changes)


def _check_key(key: str) -> None:
    """Refuse a key that is not all visible ASCII, naming the character and where it is.

    Run by `ClientConfig` itself, so every way of making a client is covered. The
    message never holds the key: a pasted key is a secret even when it is broken.
    """
    if not key:
        raise ValueError("the API key is empty")
    for position, char in enumerate(key, 1):
        if not "!" <= char <= "~":
            raise ValueError(
                f"the API key holds {_describe(char)} at position {position} of {len(key)}; "
                "keys are visible ASCII characters only (was it pasted with extra characters?)"
            )


def _describe(char: str) -> str:
    """A character named without printing it: `a zero-width space (U+200B)`."""
    code = f"U+{ord(char):04X}"
    if char == " ":
        return f"a space ({code})"
    if unicodedata.category(char) == "Cc":
        return f"a control character ({code})"
    name = unicodedata.name(char, "")
    return f"the character {name.lower()} ({code})" if name else f"the character {code}"


def _check_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"max_retries must be a whole number >= 0, not {value!r}")
    return value


def _warn_if_clear_text(url: str) -> None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    loopback = host == "localhost" or host == "::1" or host.startswith("127.")
    if parts.scheme == "http" and not loopback:
        warnings.warn(
            f"base_url {parts.scheme}://{host} is plain http: the API key would cross the "
            "network unencrypted; use https",
            InsecureTransportWarning,
            stacklevel=5,
        )


def _checked_base_url(url: object) -> str:
    """An http(s) URL without its trailing slash; a warning for plain http off loopback."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must start with http:// or https://, not {url!r}")
    _warn_if_clear_text(url)
    return url.rstrip("/")


def _checked_tenant(tenant_id: object) -> str:
    if not isinstance(tenant_id, str) or not tenant_id or any(c in tenant_id for c in "\r\n\x00"):
        raise ValueError("tenant_id must be a non-empty string without line breaks")
    return tenant_id


def _positive(name: str, value: object, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return value


def resolve_config(
    api_key: str | None,
    *,
    base_url: str | None,
    timeout: float | Timeout | None,
    max_retries: int | None,
    tenant_id: str | None,
    default_headers: Mapping[str, str] | None,
    max_body_bytes: int | None = None,
    max_line_bytes: int | None = None,
    tracing: bool = False,
    proxy: str | None = None,
    verify: Verify = True,
    trust_env: bool = True,
) -> ClientConfig:
    """Build the config from arguments, then the environment, then defaults."""
    key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
    if not key:
        raise ValueError(
            f"no API key: pass api_key=... or set the {ENV_API_KEY} environment variable"
        )
    url = _checked_base_url(base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL)
    tenant_id = None if tenant_id is None else _checked_tenant(tenant_id)
    retries = DEFAULT_MAX_RETRIES if max_retries is None else _check_retries(max_retries)
    return ClientConfig(
        api_key=key,
        base_url=url,
        timeout=Timeout.coerce(timeout),
        retry=RetryPolicy(max_retries=retries),
        tenant_id=tenant_id,
        default_headers=dict(default_headers or {}),
        max_body_bytes=_positive("max_body_bytes", max_body_bytes, DEFAULT_MAX_BODY_BYTES),
        max_line_bytes=_positive("max_line_bytes", max_line_bytes, DEFAULT_MAX_LINE_BYTES),
        tracing=_tracing_flag(tracing),
        network=check_network(proxy, verify, trust_env),
    )


def _tracing_flag(tracing: object) -> bool:
    if not isinstance(tracing, bool):
        raise ValueError(f"tracing must be True or False, not {tracing!r}")
    if tracing:
        require_opentelemetry()
    return tracing
