"""Fault injection for SDK tests: make the server misbehave on purpose, on request.

Off unless the app is created with ``faults=True``. A rule matches requests by method
and path (substring, or a regex when ``path_regex=True``) and fires for the next
``count`` matching requests. Rules are consulted in the order they were added.

Kinds (``params`` in brackets):

- ``status``  reply with an error status at once [status=503, retry_after=None, error_code]
- ``rate_limit``  429 RATE_LIMIT_ERROR with Retry-After [retry_after=1, limit=10]
- ``slow``  wait, then answer normally [delay=1.0]
- ``html``  an HTML page as text/html [status=200]
- ``truncated_json``  do the work, send the first half of the JSON body
- ``empty_body``  do the work, send 200 with an empty body
- ``wrong_content_type``  do the work, send the body labelled [content_type="text/plain"]
- ``lost_reply``  do the work (messages, idempotency record), then drop the connection
- ``cut_stream``  SSE stops after ``after_tokens`` tokens, no complete/close [after_tokens=3, abort=False]
- ``error_event``  SSE ``error`` event then ``close`` after ``after_tokens`` tokens
  [after_tokens=2, code="PROVIDER_ERROR", message]
- ``endless_sse_line``  SSE ``data:`` line that never ends, up to ``max_bytes`` [after_tokens=1,
  max_bytes=2_097_152]
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field
from typing import Any

# Kinds that are answered before the handler runs (like a proxy or gateway would).
BEFORE_HANDLER = frozenset({"status", "rate_limit", "slow", "html"})
# Kinds applied to the reply after the work is done.
AFTER_HANDLER = frozenset({"truncated_json", "empty_body", "wrong_content_type", "lost_reply"})
# Kinds that only make sense inside an SSE stream.
STREAM_ONLY = frozenset({"cut_stream", "error_event", "endless_sse_line"})
# Kinds that only make sense for a JSON reply.
JSON_ONLY = frozenset({"truncated_json", "empty_body"})
KINDS = BEFORE_HANDLER | AFTER_HANDLER | STREAM_ONLY

_DEFAULTS: dict[str, dict[str, Any]] = {
    "status": {"status": 503, "retry_after": None, "error_code": None},
    "rate_limit": {"retry_after": 1, "limit": 10},
    "slow": {"delay": 1.0},
    "html": {"status": 200},
    "truncated_json": {},
    "empty_body": {},
    "wrong_content_type": {"content_type": "text/plain"},
    "lost_reply": {},
    "cut_stream": {"after_tokens": 3, "abort": False},
    "error_event": {
        "after_tokens": 2,
        "code": "PROVIDER_ERROR",
        "message": "The AI provider failed while generating the answer",
    },
    "endless_sse_line": {"after_tokens": 1, "max_bytes": 2 * 1024 * 1024},
}


class FaultsDisabledError(RuntimeError):
    """Raised when adding a fault to a server created without ``faults=True``."""


@dataclass
class FaultRule:
    """One fault: what it matches, how often it fires, and what it does."""

    id: int
    kind: str
    path: str | None = None
    method: str | None = None
    path_regex: bool = False
    count: int = 1
    params: dict[str, Any] = field(default_factory=dict)
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule applies to a request (ignoring the remaining count)."""
        if self.method and self.method.upper() != method.upper():
            return False
        if self.path is None:
            return True
        if self.path_regex:
            return re.search(self.path, path) is not None
        return self.path in path

    def param(self, name: str) -> Any:
        """A parameter, falling back to the kind's default."""
        return self.params.get(name, _DEFAULTS[self.kind].get(name))

    def as_dict(self) -> dict[str, Any]:
        """JSON view for the control endpoint."""
        return {
            "id": self.id,
            "kind": self.kind,
            "path": self.path,
            "method": self.method,
            "path_regex": self.path_regex,
            "count": self.count,
            "fired": self.fired,
            "params": dict(self.params),
        }


class FaultInjector:
    """The rule list. Thread-safe: tests add rules while the server thread serves."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def add(
        self,
        kind: str,
        *,
        path: str | None = None,
        method: str | None = None,
        count: int = 1,
        path_regex: bool = False,
        **params: Any,
    ) -> FaultRule:
        """Add a rule firing for the next ``count`` matching requests; return it."""
        if not self.enabled:
            raise FaultsDisabledError("fault injection is off; create the server with faults=True")
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(KINDS)}")
        unknown = set(params) - set(_DEFAULTS[kind])
        if unknown:
            raise ValueError(f"unknown parameters for {kind!r}: {sorted(unknown)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        if path_regex and path is not None:
            re.compile(path)
        rule = FaultRule(
            id=next(self._ids),
            kind=kind,
            path=path,
            method=method,
            path_regex=path_regex,
            count=count,
            params=dict(params),
        )
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[FaultRule]:
        """The rules still active (a snapshot)."""
        with self._lock:
            return list(self._rules)

    def take(self, method: str, path: str, *, is_stream: bool) -> FaultRule | None:
        """Consume and return the first rule that fires for this request, if any."""
        if not self.enabled:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.kind in STREAM_ONLY and not is_stream:
                    continue
                if rule.kind in JSON_ONLY and is_stream:
                    continue
                if not rule.matches(method, path):
                    continue
                rule.fired += 1
                if rule.fired >= rule.count:
                    self._rules.remove(rule)
                return rule
        return None
