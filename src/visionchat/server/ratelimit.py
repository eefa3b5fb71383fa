"""Per-key request rate limit over a sliding 60-second window (off by default)."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class RateDecision:
    """The outcome for one request, with the values for the X-RateLimit-* headers."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int  # seconds until a slot frees up

    def headers(self) -> dict[str, str]:
        """``X-RateLimit-*`` headers (and ``Retry-After`` when refused)."""
        values = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_seconds),
        }
        if not self.allowed:
            values["Retry-After"] = str(max(1, self.reset_seconds))
        return values


class RateLimiter:
    """Allows ``limit`` requests per key in any 60 s window."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1:
            raise ValueError("rate limit must be at least 1 request per minute")
        self.limit = limit
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def check(self, key: str) -> RateDecision:
        """Record a request for ``key`` if allowed, and report the window state."""
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - WINDOW_SECONDS:
            hits.popleft()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        reset = math.ceil(hits[0] + WINDOW_SECONDS - now) if hits else 0
        return RateDecision(allowed, self.limit, self.limit - len(hits), max(0, reset))
