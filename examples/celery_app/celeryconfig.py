"""Celery settings for the example: a broker and result store that need no service.

`filesystem://` keeps the queue in a folder and the `file://` backend keeps results in
another, so a worker and the processes that enqueue turns share them through the disk
(Celery's in-memory transport works only inside one process). In production point
`CELERY_BROKER_URL` / `CELERY_RESULT_BACKEND` at Redis or RabbitMQ instead; the rest
stays as it is.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Where the filesystem broker and the file result backend keep their files.
DATA_DIR = Path(os.environ.get("CHAT_CELERY_DIR", "celery-data")).resolve()

broker_url = os.environ.get("CELERY_BROKER_URL", "filesystem://")
result_backend = os.environ.get("CELERY_RESULT_BACKEND", f"file://{DATA_DIR / 'results'}")
broker_connection_retry_on_startup = True

if broker_url == "filesystem://":
    _queue = DATA_DIR / "queue"
    broker_transport_options = {
        # Producer and worker read and write the same folder: one queue, seen by both.
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "control_folder": str(DATA_DIR / "control"),
        "polling_interval": float(os.environ.get("CHAT_CELERY_POLL", "0.5")),
    }
    for folder in (_queue, DATA_DIR / "control"):
        folder.mkdir(parents=True, exist_ok=True)  # the transport does not make them
if result_backend.startswith("file://"):
    Path(result_backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)

# Bounded concurrency: two turns at a time per worker, each child process taking one
# message at a time, so a burst of turns waits in the queue instead of in the API.
worker_concurrency = 2
worker_prefetch_multiplier = 1

task_serializer = result_serializer = "json"
accept_content = ["json"]
result_extended = True
