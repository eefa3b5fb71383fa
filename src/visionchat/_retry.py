"""The retry policy: which failures are retried, and how long to wait before each retry.

Pure functions and a frozen policy object, shared by both modes: only the sleeping
and the sending differ between the async and the sync client.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass

#: Statuses worth another try: the request may succeed unchanged a moment later.
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: 429 codes that mean a spent quota, which waiting does not refill.
QUOTA_CODES = frozenset({"TOKEN_LIMIT_EXCEEDED", "USAGE_LIMIT_EXCEEDED"})


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date."""
    ms = _seconds(headers.get("retry-after-ms"))
    if ms is not None:
        return ms / 1000.0
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    seconds = _seconds(value)
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    current = time.time() if now is None else now
    return max(when.timestamp() - current, 0.0)


def _seconds(value: str | None) -> float | None:
    """A header's number, at least 0; None unless it is one.

    `float()` also reads `nan` and `inf`: a NaN wait hangs an event loop's timers and
    makes `time.sleep` raise, so only finite numbers count (an infinite one reads as
    "too long", like any wait past the ceiling).
    """
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if math.isnan(number):
        return None
    return max(number, 0.0)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times to retry, and the backoff between tries.

    `max_retry_after` is the ceiling on a server-requested wait: above it the SDK
    raises at once rather than sleep for minutes inside a call.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    jitter: float = 0.25

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter for retry number `attempt` (0 for the first retry)."""
        base = min(self.initial_delay * (2.0**attempt), self.max_delay)
        return base * (1.0 - self.jitter * random.random())

    def status_delay(
        self, attempt: int, status: int, error_code: str | None, headers: Mapping[str, str]
    ) -> float | None:
        """Seconds to wait before retrying an error status, or None when it must not be retried."""
        if attempt >= self.max_retries:
            return None
        if status == 409:
            # A conflict is retried only when the server says when to come back.
            if "Retry-After" not in headers and "retry-after-ms" not in headers:
                return None
        elif status not in RETRYABLE_STATUSES:
            return None
        if status == 429 and error_code in QUOTA_CODES:
            return None
        asked = parse_retry_after(headers)
        if asked is None:
            return self.backoff(attempt)
        if asked > self.max_retry_after:
            return None
        return asked

    def connection_delay(self, attempt: int) -> float | None:
        """Seconds to wait before retrying after a connection error or timeout, or None."""
        if attempt >= self.max_retries:
            return None
        return self.backoff(attempt)
