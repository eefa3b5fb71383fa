"""The Celery example: one real worker (`-c 2`, prefork) for the whole test session.

The worker and this process share the filesystem broker and the file result backend
in a temporary folder; the worker talks to a reference server with fault injection,
whose `rate_limit` and `lost_reply` faults make the API refuse or drop a turn. Every
wait is bounded, and the worker is stopped (its whole process group) at the end.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from celery import chain, group
from celery.result import AsyncResult

from visionchat import VisionChat
from visionchat.server import ReferenceServer

APP_DIR = Path(__file__).resolve().parent.parent / "celery_app"
WAIT = 60.0  # seconds: the bound on every wait for the worker


class Worker:
    """The running worker: its process, log file, the example's module and the API."""

    def __init__(
        self, proc: subprocess.Popen[bytes], log: Path, tasks: ModuleType, api: ReferenceServer
    ) -> None:
        self.proc, self.log, self.tasks, self.api = proc, log, tasks, api

    def log_text(self) -> str:
        """What the worker printed (before its log was open), then its log."""
        paths = (self.log.with_suffix(".out"), self.log)
        return "".join(p.read_text(errors="replace") for p in paths if p.exists())

    def log_tail(self) -> str:
        """The end of `log_text()`, for failure messages."""
        return self.log_text()[-4000:]

    def get(self, result: AsyncResult) -> Any:
        """The task's result, failing fast (with the log) if the worker dies meanwhile."""
        deadline = time.monotonic() + WAIT
        while not result.ready():
            assert self.proc.poll() is None, "the worker died:\n" + self.log_tail()
            assert time.monotonic() < deadline, "no result in time:\n" + self.log_tail()
            time.sleep(0.05)
        return result.get(timeout=1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Warm shutdown (SIGTERM), then SIGKILL the whole group if it does not go."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    for _ in range(200):  # up to 10 s for the pool's children to go
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail("the worker left processes behind (killed)")


@pytest.fixture(scope="session")
def worker() -> Iterator[Worker]:
    # A folder of its own rather than pytest's numbered temp dirs, which another pytest
    # run on the machine may clean up while this one is still using them.
    with tempfile.TemporaryDirectory(prefix="visionchat-celery-") as folder:
        yield from _run_worker(Path(folder))


def _run_worker(data: Path) -> Iterator[Worker]:
    """Start the worker with its queue and results in `data`; stop it when done."""
    log = data / "worker.log"
    out = (data / "worker.out").open("wb")  # what the worker prints before its log is open
    with ReferenceServer(faults=True) as api, pytest.MonkeyPatch.context() as mp:
        # Read by celeryconfig in this process (on the import below) and in the worker.
        mp.setenv("CHAT_CELERY_DIR", str(data))
        mp.setenv("CHAT_CELERY_POLL", "0.05")
        mp.syspath_prepend(str(APP_DIR))
        tasks = importlib.import_module("chat_tasks")
        # Not the Django example's settings (conftest sets them): Celery would load them.
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env |= {
            "VISIONCHAT_BASE_URL": api.base_url,
            "VISIONCHAT_API_KEY": api.api_key,
        }
        command = [sys.executable, "-m", "celery", "-A", "chat_tasks", "worker", "-c", "2"]
        command += ["--loglevel=INFO", f"--logfile={log}", "--hostname=chat@%h"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        proc = subprocess.Popen(
            command,
            cwd=APP_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole below
        )
        out.close()
        running = Worker(proc, log, tasks, api)
        try:
            deadline = time.monotonic() + WAIT
            while " ready." not in running.log_text():
                assert proc.poll() is None, "the worker did not start:\n" + running.log_tail()
                assert time.monotonic() < deadline, (
                    "the worker is not ready:\n" + running.log_tail()
                )
                time.sleep(0.05)
            yield running
        finally:
            _stop(proc)
            sys.modules.pop("chat_tasks", None)
            sys.modules.pop("celeryconfig", None)


@pytest.fixture
def api(worker: Worker) -> Iterator[VisionChat]:
    """A client of the worker's API, for setting up sessions and reading them back."""
    worker.api.faults.clear()
    with VisionChat(base_url=worker.api.base_url, api_key=worker.api.api_key) as client:
        yield client
    worker.api.faults.clear()


def roles(api: VisionChat, session_id: str) -> list[str]:
    return [m.role for m in api.chats.get_messages(session_id)]


def test_turns_fan_out_over_one_client_per_worker_process(worker: Worker, api: VisionChat) -> None:
    sessions = [api.chats.create_session(title=f"turn {n}").id for n in range(8)]
    before = worker.api.connections_used
    job = group(worker.tasks.chat_turn.s(sid, "Which beams show rust?") for sid in sessions)
    results = [worker.get(r) for r in job.apply_async().results]
    used = worker.api.connections_used - before

    assert [r["session_id"] for r in results] == sessions
    for result in results:
        assert result["attempts"] == 1
        assert "rust" in result["text"].lower() and "[[" not in result["text"]
        assert result["images"] and all(name.endswith(".jpg") for name in result["images"])
    for sid in sessions:
        assert roles(api, sid) == ["user", "assistant"]
    # Two processes, each with its one client and its pool: at most two new connections
    # for eight turns (a client made per task would open one per turn).
    assert used <= 2, used


def test_a_rate_limited_turn_waits_retry_after_in_the_queue(
    worker: Worker, api: VisionChat
) -> None:
    session_id = api.chats.create_session().id
    worker.api.faults.add("rate_limit", path="/messages", method="POST", retry_after=1)

    result = worker.get(worker.tasks.chat_turn.delay(session_id, "Show me cracked pavement"))

    assert result["attempts"] == 2  # refused once (429), run again by Celery
    assert not worker.api.faults.rules  # the fault fired
    assert "retry in 1.0s" in worker.log_text().lower()  # Celery's retry, after Retry-After
    assert roles(api, session_id) == ["user", "assistant"]


def test_a_lost_reply_is_retried_without_posting_the_message_twice(
    worker: Worker, api: VisionChat
) -> None:
    session_id = api.chats.create_session().id
    worker.api.faults.add("lost_reply", path="/messages", method="POST")

    result = worker.get(worker.tasks.chat_turn.delay(session_id, "Which poles lean?"))

    assert result["attempts"] == 2
    assert not worker.api.faults.rules
    # The retry sent the same idempotency key: the server replayed the stored answer.
    assert roles(api, session_id) == ["user", "assistant"]


def test_turns_of_one_session_run_in_order_when_chained(worker: Worker, api: VisionChat) -> None:
    session_id = api.chats.create_session().id
    turn = worker.tasks.chat_turn
    questions = ["Which beams show rust?", "Show me cracked pavement", "Which poles lean?"]
    last = chain(turn.si(session_id, q) for q in questions).apply_async()

    worker.get(last)

    messages = api.chats.get_messages(session_id)
    assert [m.content for m in messages if m.role == "user"] == questions
    assert [m.role for m in messages] == ["user", "assistant"] * 3
