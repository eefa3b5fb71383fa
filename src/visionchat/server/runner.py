"""Run the reference server: in a background thread (tests, demos) or blocking (CLI)."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shlex
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Sequence
from types import FrameType, TracebackType
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .app import API_PREFIX, DEMO_API_KEY, create_app, parse_api_keys
from .connections import AcceptErrorLog, ConnectionCount, ConnectionLimits, listen
from .faults import FaultInjector
from .state import STATE_KEY

SHUTDOWN_TIMEOUT = 1.0
START_TIMEOUT = 30.0


class ReferenceServer:
    """The reference server on a loopback port, served by its own thread and event loop.

    Use as a context manager (``with ReferenceServer() as server: ...``) or call
    :meth:`start` / :meth:`stop`. ``base_url`` ends in ``/api/v2``; ``api_key`` is the
    first configured key. Stopping and starting again on the same ``db_path`` keeps all
    data (the port may change when ``port=0``).
    """

    def __init__(
        self,
        db_path: str | os.PathLike[str] | None = None,
        *,
        api_keys: Sequence[str] | None = None,
        token_delay: float = 0.0,
        ping_interval: float = 15.0,
        rate_limit: int | None = None,
        faults: bool = False,
        token_budget: int = 100_000,
        message_budget: int = 200,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: ConnectionLimits | None = None,
    ) -> None:
        self._temp_dir: str | None = None
        if db_path is None:
            self._temp_dir = tempfile.mkdtemp(prefix="visionchat-server-")
            db_path = os.path.join(self._temp_dir, "reference.sqlite3")
        self.db_path = os.fspath(db_path)
        self.api_keys = list(api_keys) if api_keys else [DEMO_API_KEY]
        self.api_key = next(iter(parse_api_keys(self.api_keys)))
        self.host = host
        self.port = port
        self._app_options: dict[str, Any] = {
            "api_keys": self.api_keys,
            "token_delay": token_delay,
            "ping_interval": ping_interval,
            "rate_limit": rate_limit,
            "faults": faults,
            "token_budget": token_budget,
            "message_budget": message_budget,
        }
        self.limits = limits or ConnectionLimits()
        self._app_options["body_timeout"] = self.limits.body_timeout
        self._count = ConnectionCount()
        self._faults_enabled = faults
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._faults: FaultInjector | None = None
        # Connections seen carrying a request: a count, and the open ones (held weakly, so
        # a long-running `visionchat serve` keeps nothing per closed connection).
        self._connections_used = 0
        self._seen: weakref.WeakSet[asyncio.BaseTransport] = weakref.WeakSet()

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> ReferenceServer:
        """Start serving; returns once the port accepts connections."""
        if self._thread is not None:
            raise RuntimeError("server already started")
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(
            target=self._run, name="visionchat-reference-server", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError("reference server did not start in time")
        if self._error is not None:
            self._thread.join()
            self._thread = None
            if isinstance(self._error, OSError):  # the port: busy, privileged, no such host
                reason = self._error.strerror or str(self._error)
                raise OSError(
                    f"cannot listen on {self.host}:{self.port}: {reason}"
                ) from self._error
            raise RuntimeError("reference server failed to start") from self._error
        return self

    def stop(self) -> None:
        """Stop serving, close every connection and the database; safe to call twice."""
        thread, loop, stop_event = self._thread, self._loop, self._stop_event
        if thread is None:
            return
        if loop is not None and stop_event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop_event.set)
        thread.join()
        self._thread = None

    def close(self) -> None:
        """Stop, and delete the temporary database directory if this object created it."""
        self.stop()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    def __enter__(self) -> ReferenceServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- information -------------------------------------------------------------

    @property
    def root_url(self) -> str:
        """``http://host:port`` (no API prefix)."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The SDK's base URL, e.g. ``http://127.0.0.1:54321/api/v2``."""
        return self.root_url + API_PREFIX

    @property
    def faults(self) -> FaultInjector:
        """The fault rules (adding one raises unless created with ``faults=True``)."""
        if self._faults is None:
            self._faults = FaultInjector(enabled=self._faults_enabled)
        return self._faults

    @property
    def open_connections(self) -> int:
        """Client TCP connections the server currently holds open."""
        loop, runner = self._loop, self._runner
        if loop is None or runner is None or self._thread is None:
            return 0

        async def count() -> int:
            server = runner.server
            return 0 if server is None else len(server.connections)

        return asyncio.run_coroutine_threadsafe(count(), loop).result(timeout=5)

    @property
    def connection_counts(self) -> ConnectionCount:
        """Connections open now, the most open at once, and those refused over the cap."""
        return dataclasses.replace(self._count)

    @property
    def connections_used(self) -> int:
        """Client TCP connections that have carried at least one request since start.

        Tests read it to tell a reused keep-alive connection from a new one.
        """
        return self._connections_used

    def wait_for_connections(self, expected: int = 0, timeout: float = 2.0) -> bool:
        """Poll until ``open_connections == expected``; False on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            if self.open_connections == expected:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    # -- the server thread -------------------------------------------------------

    @web.middleware
    async def _note_peer(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        transport = request.transport
        if transport is not None and transport not in self._seen:
            self._seen.add(transport)
            self._connections_used += 1
        return await handler(request)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        loop.set_exception_handler(AcceptErrorLog())
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to start() when it happens early
            self._error = exc
        finally:
            self._ready.set()
            _cancel_leftover_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            self._loop = None

    async def _serve(self) -> None:
        self._stop_event = asyncio.Event()
        app = create_app(self.db_path, **self._app_options)
        if self._faults is not None:
            # Keep rules added before start(): hand the same injector to the app.
            app[STATE_KEY].faults = self._faults
        else:
            self._faults = app[STATE_KEY].faults
        app.middlewares.insert(0, self._note_peer)
        runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        self._runner = runner
        listener: asyncio.Server | None = None
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((self.host, self.port))
                self.port = sock.getsockname()[1]
                listener = await listen(runner, sock, self.limits, self._count)
            except BaseException:
                sock.close()
                raise
            self._ready.set()
            await self._stop_event.wait()
        finally:
            if listener is not None:
                listener.close()
            await runner.cleanup()
            self._runner = None


def _cancel_leftover_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel handler tasks that outlived the shutdown timeout and let them finish."""
    for _round in range(3):
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        if not pending:
            return
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    db: str | None = None,
    api_keys: Sequence[str] | None = None,
    token_delay: float = 0.0,
    rate_limit: int | None = None,
    faults: bool = False,
    limits: ConnectionLimits | None = None,
) -> None:
    """Run the reference server until Ctrl-C or SIGTERM, printing how to reach it; either
    way a temporary database is deleted. A port that cannot be bound raises `OSError`."""
    server = ReferenceServer(
        db,
        api_keys=api_keys,
        token_delay=token_delay,
        rate_limit=rate_limit,
        faults=faults,
        host=host,
        port=port,
        limits=limits,
    )
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.start()
        print(f"visionchat reference server on {server.base_url}", flush=True)
        print(f"API key: {server.api_key}", flush=True)
        print(f"database: {server.db_path}", flush=True)
        print(f"OpenAPI document: {server.base_url}/openapi.json", flush=True)
        if faults:
            print(f"fault control: {server.root_url}/_control/faults", flush=True)
        print("To use it from another shell:", flush=True)
        print(
            f"  export VISIONCHAT_BASE_URL={shlex.quote(server.base_url)} "
            f"VISIONCHAT_API_KEY={shlex.quote(server.api_key)}",
            flush=True,
        )
        print("Press Ctrl-C to stop.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr, flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close() if db is None else server.stop()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM stops `serve()` the way Ctrl-C does, so its clean-up runs."""
    raise KeyboardInterrupt
