"""Celery example: one task per chat turn, one sync VisionChat client per worker process.

Start a worker with `celery -A chat_tasks worker -c 2` (see README.md) and enqueue turns
with `chat_turn.delay(session_id, message)`.

Retries are Celery's, not the SDK's: the client is made with `max_retries=0`, and the
task asks Celery to run it again later (`self.retry(countdown=...)`), after the
`retry_after` the API sent on a 429. A retry waiting in the queue holds no worker slot,
where the SDK's own retry would sleep inside one. Every attempt sends the task's id as
the idempotency key, so an attempt whose reply was lost never posts the message twice.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from celery import Celery, Task
from celery.signals import worker_process_shutdown

from visionchat import (
    APIConnectionError,
    InternalServerError,
    RateLimitError,
    VisionChat,
)
from visionchat.markup import references

app = Celery("chat_tasks")
app.config_from_object("celeryconfig")

#: Attempts per turn, the first included, before the task fails with the API's error.
MAX_ATTEMPTS = 6
#: Seconds to wait after a 429 that did not say how long.
DEFAULT_RATE_LIMIT_WAIT = 5.0

_client: VisionChat | None = None
_client_pid = 0
_client_lock = threading.Lock()


def client() -> VisionChat:
    """This process's client, made on first use.

    A client made before a fork belongs to the parent (its pooled sockets too), so a
    process whose id changed makes its own. Key and URL come from `VISIONCHAT_API_KEY` /
    `VISIONCHAT_BASE_URL`.
    """
    global _client, _client_pid
    with _client_lock:
        if _client is None or _client_pid != os.getpid():
            _client = VisionChat(max_retries=0)  # Celery retries: see the module's docstring
            _client_pid = os.getpid()
        return _client


@worker_process_shutdown.connect
def _close_client(**_: Any) -> None:
    """Close the process's connections when the worker stops the process."""
    global _client
    if _client is not None and _client_pid == os.getpid():
        _client.close()
    _client = None


@app.task(bind=True, max_retries=MAX_ATTEMPTS - 1)
def chat_turn(self: Task, session_id: str, message: str) -> dict[str, Any]:
    """Send one message in a session and return the answer as plain JSON data.

    Turns of one session must run one after another (chain them); turns of different
    sessions run side by side, as many at a time as the worker's concurrency.
    """
    try:
        reply = client().chats.send(
            message, session_id=session_id, idempotency_key=f"celery-{self.request.id}"
        )
    except RateLimitError as exc:
        wait = exc.retry_after if exc.retry_after is not None else DEFAULT_RATE_LIMIT_WAIT
        raise self.retry(exc=exc, countdown=wait) from exc
    except (APIConnectionError, InternalServerError) as exc:
        raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
    return {
        "session_id": session_id,
        "message_id": reply.message_id,
        "text": reply.resolved_content,
        "images": [ref.label for ref in references(reply.content) if ref.kind == "img"],
        "attempts": self.request.retries + 1,
    }
