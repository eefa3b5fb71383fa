"""UTC timestamps in the protocol's ISO 8601 form (``2025-01-15T10:30:00.123456Z``).

Microsecond precision keeps "newest first" ordering meaningful for fast tests.
"""

from __future__ import annotations

import datetime as _dt
import threading

_lock = threading.Lock()
_last = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


def utc_now() -> _dt.datetime:
    """Current UTC time, strictly increasing across calls in this process."""
    global _last
    with _lock:
        now = _dt.datetime.now(_dt.UTC)
        if now <= _last:
            now = _last + _dt.timedelta(microseconds=1)
        _last = now
        return now


def to_iso(moment: _dt.datetime) -> str:
    """Format an aware datetime as ISO 8601 UTC with a ``Z`` suffix."""
    return moment.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc_now_iso() -> str:
    """Current time, formatted for the wire."""
    return to_iso(utc_now())
