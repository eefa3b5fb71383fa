"""The reference server under long streams: bytes stored per streamed turn, GET latency.

`python -m benchmarks.server_load [--streams 20] [--token-delay 0.004] [--output PATH]`

Starts the package's reference server in a process of its own (SQLite file in a
temporary folder), opens ``--streams`` long streams at once (each a detailed analysis
of twenty images, sent with an ``Idempotency-Key`` as the SDK does), and while they run
times plain ``GET /chat/sessions/{id}`` calls due every 20 ms on a kept-alive
connection (each timed from when it was due, so a stall shows in full). The GETs come
from a third process, so reading the streams cannot delay them. Prints and saves (``benchmarks/results/server_load.json``):

- bytes stored per streamed turn (messages + idempotency record) against the answer's
  length; the test suite holds it under 3x the answer + 8 KiB;
- the GETs' p50 / p99 / max latency while the streams run; target p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

KEY = "bench-key"
HEADERS = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
QUESTION = "analyse the top 20 images of rust, cracks and poles in detail"
RESULTS = Path(__file__).resolve().parent / "results" / "server_load.json"
P99_TARGET_MS = 100.0


def _serve(db_path: str, token_delay: float) -> None:
    """Child process: run the reference server, print its API URL, serve until stdin ends."""
    from visionchat.server.runner import ReferenceServer

    with ReferenceServer(
        db_path, api_keys=[KEY], token_delay=token_delay, ping_interval=3600
    ) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


def _probe(base_url: str, session_id: str) -> None:
    """Child process: GET until stdin ends, then print the latencies (ms) as JSON."""
    prober = _Prober(base_url, session_id)
    prober.start()
    sys.stdin.read()
    prober.stop.set()
    prober.join()
    print(json.dumps(prober.latencies_ms), flush=True)


def _child(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks.server_load", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )


def _stored_bytes(db_path: str, session_id: str) -> int:
    """Every column of the session's messages and of its idempotency records, in bytes."""
    with sqlite3.connect(db_path) as conn:
        rows = [
            *conn.execute("SELECT * FROM messages WHERE session_id = ?", (session_id,)),
            *conn.execute("SELECT * FROM idempotency WHERE path LIKE ?", (f"%{session_id}%",)),
        ]
    return sum(len(v if isinstance(v, bytes) else str(v).encode()) for r in rows for v in r)


class _Prober(threading.Thread):
    """Plain GETs on one kept-alive connection, one due every ``INTERVAL`` seconds.

    Each latency counts from when its GET was due, not when it went out, so a server
    that stalls for a second shows it in every GET that should have run meanwhile
    (a closed loop would record one slow GET and hide the stall).
    """

    INTERVAL = 0.02

    def __init__(self, base_url: str, session_id: str) -> None:
        super().__init__(daemon=True)
        parts = urlsplit(base_url)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._path = f"{parts.path}/chat/sessions/{session_id}"
        self.latencies_ms: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        conn = http.client.HTTPConnection(self._host, self._port, timeout=60)
        due = time.perf_counter()
        try:
            while not self.stop.is_set():
                self.stop.wait(max(0.0, due - time.perf_counter()))
                conn.request("GET", self._path, headers=HEADERS)
                reply = conn.getresponse()
                reply.read()
                if reply.status != 200:
                    raise RuntimeError(f"GET answered {reply.status}")
                self.latencies_ms.append((time.perf_counter() - due) * 1000)
                due += self.INTERVAL
        finally:
            conn.close()


async def _stream(http: aiohttp.ClientSession, base_url: str, session_id: str) -> str:
    """One streamed turn, read to its end; returns the answer from its `complete` event."""
    async with http.post(
        f"{base_url}/chat/sessions/{session_id}/messages/stream",
        json={"message": QUESTION, "force_detailed_analysis": True},
        headers={**HEADERS, "Idempotency-Key": f"load-{session_id}"},
    ) as reply:
        reply.raise_for_status()
        body = await reply.read()
    for frame in body.split(b"\n\n"):  # any field order: also measures older servers
        lines = frame.split(b"\n")
        if b"event: complete" in lines:
            data = next(line for line in lines if line.startswith(b"data: "))
            return str(json.loads(data[len(b"data: ") :])["content"])
    raise RuntimeError("the stream ended without a complete event")


async def _run(base_url: str, db_path: str, streams: int) -> dict[str, object]:
    timeout = aiohttp.ClientTimeout(total=600)
    connector = aiohttp.TCPConnector(limit=streams + 2)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:

        async def new_session() -> str:
            async with http.post(f"{base_url}/chat/sessions", json={}, headers=HEADERS) as r:
                return str((await r.json())["session_id"])

        probe_session = await new_session()
        sessions = [await new_session() for _ in range(streams)]
        prober = _child("--probe", base_url, probe_session)
        assert prober.stdin is not None and prober.stdout is not None
        started = time.perf_counter()
        answers = await asyncio.gather(*(_stream(http, base_url, s) for s in sessions))
        streamed_s = time.perf_counter() - started
        prober.stdin.close()
        latencies = sorted(json.loads(await asyncio.to_thread(prober.stdout.read)))
        prober.wait(timeout=30)

    stored = [_stored_bytes(db_path, s) for s in sessions]
    answer_bytes = [len(a.encode()) for a in answers]
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    return {
        "streams": streams,
        "streamed_s": round(streamed_s, 2),
        "answer_bytes": max(answer_bytes),
        "stored_bytes_per_turn": max(stored),
        "stored_per_answer_byte": round(
            max(s / a for s, a in zip(stored, answer_bytes, strict=True)), 2
        ),
        "stored_bound_bytes": 3 * max(answer_bytes) + 8 * 1024,
        "get_count": len(latencies),
        "get_p50_ms": round(statistics.median(latencies), 2),
        "get_p99_ms": round(p99, 2),
        "get_max_ms": round(latencies[-1], 2),
        "get_p99_target_ms": P99_TARGET_MS,
        "get_p99_met": p99 < P99_TARGET_MS,
        # Other work on the machine shows in the latencies: record how busy it was.
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpu_count": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server_load", description=__doc__)
    parser.add_argument("--streams", type=int, default=20, help="long streams at once")
    parser.add_argument("--token-delay", type=float, default=0.004, help="seconds per token")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to save the JSON")
    parser.add_argument("--serve", metavar="DB", help=argparse.SUPPRESS)  # child: the server
    parser.add_argument("--probe", nargs=2, help=argparse.SUPPRESS)  # child: the GETs
    args = parser.parse_args(argv)
    if args.serve:
        _serve(args.serve, args.token_delay)
        return
    if args.probe:
        _probe(*args.probe)
        return

    with tempfile.TemporaryDirectory(prefix="visionchat-load-") as folder:
        db_path = str(Path(folder) / "load.sqlite3")
        server = _child("--serve", db_path, "--token-delay", str(args.token_delay))
        assert server.stdin is not None and server.stdout is not None
        try:
            base_url = server.stdout.readline().decode().strip()
            if not base_url.startswith("http://127.0.0.1:"):
                raise SystemExit(f"the reference server did not start (said {base_url!r})")
            figures = asyncio.run(_run(base_url, db_path, args.streams))
        finally:
            server.stdin.close()  # the child serves until its stdin closes
            server.wait(timeout=30)

    for name, value in figures.items():
        print(f"{name:>24}: {value}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"saved {args.output}")


if __name__ == "__main__":
    main()
