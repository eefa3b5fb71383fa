"""The server's shared state: configuration, database, caches and in-flight bookkeeping."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import threading
from dataclasses import dataclass, field

from aiohttp import web

from .agent import LibraryView
from .db import Database
from .faults import FaultInjector, FaultRule
from .models import IdempotencyClaim
from .ratelimit import RateLimiter


@dataclass(frozen=True)
class ServerConfig:
    """Knobs fixed when the app is created."""

    token_delay: float = 0.0
    ping_interval: float = 15.0
    rate_limit: int | None = None
    faults_enabled: bool = False
    token_budget: int = 100_000
    message_budget: int = 200
    body_timeout: float = 30.0


@dataclass
class ServerState:
    """Everything the handlers share. One per application."""

    config: ServerConfig
    db: Database
    faults: FaultInjector
    rate_limiter: RateLimiter | None
    media_secret: bytes
    libraries: dict[str, LibraryView] = field(default_factory=dict)
    idempotency_waiters: dict[tuple[str, str], asyncio.Event] = field(default_factory=dict)
    # Turns run in worker threads: one of them builds a missing view, the others wait
    # for it instead of building their own copies while holding the GIL.
    _library_lock: threading.Lock = field(default_factory=threading.Lock)

    def library(self, tenant_id: str) -> LibraryView:
        """The tenant's library view, built once and cached until invalidated."""
        view = self.libraries.get(tenant_id)
        if view is not None:
            return view
        with self._library_lock:
            view = self.libraries.get(tenant_id)
            if view is None:
                view = LibraryView(
                    self.db.images(tenant_id),
                    self.db.documents(tenant_id),
                    self.db.videos(tenant_id),
                )
                self.libraries[tenant_id] = view
            return view

    def invalidate_library(self, tenant_id: str) -> None:
        """Forget the cached view after the library changed (an approved plan ran)."""
        self.libraries.pop(tenant_id, None)

    def media_signature(self, image_id: str) -> str:
        """Signature that lets a thumbnail URL work without an Authorization header."""
        return hmac.new(self.media_secret, image_id.encode(), hashlib.sha256).hexdigest()[:24]


STATE_KEY: web.AppKey[ServerState] = web.AppKey("visionchat_state", ServerState)
TENANT_KEY: web.RequestKey[str] = web.RequestKey("visionchat_tenant", str)
API_KEY_KEY: web.RequestKey[str] = web.RequestKey("visionchat_api_key", str)
REQUEST_ID_KEY: web.RequestKey[str] = web.RequestKey("visionchat_request_id", str)
RATE_HEADERS_KEY: web.RequestKey[dict[str, str]] = web.RequestKey("visionchat_rate_headers", dict)
FAULT_KEY: web.RequestKey[FaultRule] = web.RequestKey("visionchat_fault", FaultRule)
IDEMPOTENCY_KEY: web.RequestKey[IdempotencyClaim] = web.RequestKey(
    "visionchat_idempotency", IdempotencyClaim
)


def state_of(request: web.Request) -> ServerState:
    """The shared state of the app serving ``request``."""
    return request.config_dict[STATE_KEY]
