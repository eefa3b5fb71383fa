"""``create_app``: build the aiohttp application for the reference server."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Sequence

from aiohttp import web

from . import control, openapi, routes_chat, routes_library, routes_sessions
from .db import Database
from .faults import FaultInjector
from .idempotency import idempotency_middleware
from .library import generate_documents, generate_images, generate_videos
from .middleware import (
    auth_middleware,
    body_deadline_middleware,
    errors_middleware,
    faults_middleware,
    on_response_prepare,
    rate_limit_middleware,
)
from .ratelimit import RateLimiter
from .state import STATE_KEY, ServerConfig, ServerState

API_PREFIX = "/api/v2"
DEMO_API_KEY = "vc-demo-key"
DEMO_TENANT = "demo"
_TENANT_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MAX_BODY_BYTES = 8 * 1024 * 1024


def parse_api_keys(api_keys: Sequence[str] | None) -> dict[str, str]:
    """``["KEY", "TENANT:KEY"]`` → ``{key: tenant}`` (plain keys belong to the demo tenant)."""
    if not api_keys:
        return {DEMO_API_KEY: DEMO_TENANT}
    mapping: dict[str, str] = {}
    for entry in api_keys:
        tenant, sep, key = entry.partition(":")
        if not sep:
            tenant, key = DEMO_TENANT, entry
        if not key or not _TENANT_PATTERN.match(tenant):
            raise ValueError(f"bad api key spec {entry!r}; expected KEY or TENANT:KEY")
        mapping[key] = tenant
    return mapping


def open_database(
    db_path: str | os.PathLike[str] | None, keys: dict[str, str]
) -> tuple[Database, str | None]:
    """Open (or create) the database, seed missing tenants, install the keys.

    Returns the database and, when a temporary file was created, its path (to delete).
    """
    temp_path = None
    if db_path is None:
        fd, temp_path = tempfile.mkstemp(prefix="visionchat-", suffix=".sqlite3")
        os.close(fd)
        db_path = temp_path
    db = Database(os.fspath(db_path))
    for tenant in sorted(set(keys.values())):
        if not db.tenant_exists(tenant):
            db.create_tenant(
                tenant, generate_images(tenant), generate_documents(tenant), generate_videos(tenant)
            )
    db.replace_api_keys(keys)
    db.drop_running_idempotency()
    db.reset_running_plans()
    return db, temp_path


def create_app(
    db_path: str | os.PathLike[str] | None = None,
    *,
    api_keys: Sequence[str] | None = None,
    token_delay: float = 0.0,
    ping_interval: float = 15.0,
    rate_limit: int | None = None,
    faults: bool = False,
    token_budget: int = 100_000,
    message_budget: int = 200,
    body_timeout: float = 30.0,
) -> web.Application:
    """The reference server as an aiohttp app; the API lives under ``/api/v2``.

    ``db_path=None`` uses a temporary file removed when the app shuts down.
    """
    keys = parse_api_keys(api_keys)
    db, temp_path = open_database(db_path, keys)
    secret = db.set_meta_default("media_secret", secrets.token_hex(16))
    state = ServerState(
        config=ServerConfig(
            token_delay=token_delay,
            ping_interval=ping_interval,
            rate_limit=rate_limit,
            faults_enabled=faults,
            token_budget=token_budget,
            message_budget=message_budget,
            body_timeout=body_timeout,
        ),
        db=db,
        faults=FaultInjector(enabled=faults),
        rate_limiter=RateLimiter(rate_limit) if rate_limit else None,
        media_secret=secret.encode(),
    )

    api = web.Application(
        middlewares=[
            faults_middleware,
            auth_middleware,
            body_deadline_middleware,
            rate_limit_middleware,
            idempotency_middleware,
        ],
        client_max_size=MAX_BODY_BYTES,
    )
    api.add_routes(routes_sessions.routes)
    api.add_routes(routes_chat.routes)
    api.add_routes(routes_library.routes)

    app = web.Application(middlewares=[errors_middleware], client_max_size=MAX_BODY_BYTES)
    app[STATE_KEY] = state
    # Outside the API's sub-app, so its middlewares (the key check first) do not apply.
    app.router.add_get(f"{API_PREFIX}/openapi.json", openapi.serve_document)
    app.add_subapp(API_PREFIX, api)
    app.add_routes(routes_library.media_routes)
    if faults:
        app.add_routes(control.routes)
    app.on_response_prepare.append(on_response_prepare)

    async def close_database(_app: web.Application) -> None:
        db.close()
        if temp_path is not None:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.remove(temp_path + suffix)
                except FileNotFoundError:
                    pass

    app.on_cleanup.append(close_database)
    return app
