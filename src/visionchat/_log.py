"""The SDK's logger: one debug line per HTTP attempt, never a key, a header or a body.

`VISIONCHAT_LOG=debug` in the environment turns it on without touching logging config.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from ._wire import Request

logger = logging.getLogger("visionchat")
ENV_LOG = "VISIONCHAT_LOG"
_configured = False


def configure_from_env() -> None:
    """Honour `VISIONCHAT_LOG=debug|info|warning`, once per process."""
    global _configured
    if _configured:
        return
    _configured = True
    level = os.environ.get(ENV_LOG, "").strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        return
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)


def attempt(
    request: Request,
    started: float,
    retries: int,
    *,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    error: BaseException | None = None,
) -> None:
    """Log one attempt: method, path (no query: it may hold user text), outcome, time, retry count.

    Everything is worked out only when debug logging is on: this runs on every request.
    """
    if not logger.isEnabledFor(logging.DEBUG):
        return
    elapsed_ms = (time.monotonic() - started) * 1000.0
    path = urlsplit(request.url).path
    outcome = str(status) if error is None else type(error).__name__
    request_id = headers.get("X-Request-ID") if headers is not None else None
    logger.debug(
        "%s %s -> %s in %.1f ms (request id %s, retry %d)",
        request.method,
        path,
        outcome,
        elapsed_ms,
        request_id or "-",
        retries,
    )
