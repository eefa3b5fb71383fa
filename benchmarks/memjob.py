"""One job in a fresh interpreter, reporting its time and how far it raised peak RSS.

    python -m benchmarks.memjob MODE STACK JOB BASE_URL
    python -m benchmarks.memjob MODE visionchat gzip_bomb -   # refusing a gzip bomb

The stack is started and warmed with one small `send()` (imports done, connection
open), then the peak-RSS mark is reset (`/proc/self/clear_refs`, so VmHWM restarts
at the current RSS) and the job runs once. Prints one JSON line:
`{"seconds", "rss_before_kb", "peak_kb", "delta_kb", "check"}`.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import re
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

from . import payloads as p


def _status(field: str) -> int:
    with open("/proc/self/status") as f:
        found = re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.MULTILINE)
    assert found is not None, field
    return int(found.group(1))


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _sid(job: str) -> str:
    return {
        "stream_tokens": p.STREAM_TOKENS,
        "stream_full": p.STREAM_FULL,
        "line_1mb": p.STREAM_LINE,
    }[job]


def _pick(stacks: list[Any], name: str) -> Any:
    for stack in stacks:
        if stack.name == name:
            return stack
    raise SystemExit(f"unknown stack {name!r}")


def measure(mode: str, stack_name: str, job: str, base: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="vc-bench-") as tmp:
        target = Path(tmp) / "export.md"
        if mode == "async":
            from .stacks_async import all_stacks as async_stacks

            stack = _pick(async_stacks(), stack_name)

            async def run() -> None:
                await stack.start(base)
                try:
                    await stack.send()
                    out.update(_before())
                    t0 = time.perf_counter()
                    if job == "export_50mb":
                        check: Any = await stack.export(target)
                    else:
                        check = await stack.stream(_sid(job))
                    out["seconds"] = time.perf_counter() - t0
                    out.update(_after(out, check))
                finally:
                    await stack.close()

            asyncio.run(run())
        else:
            from .stacks_sync import all_stacks as sync_stacks

            stack = _pick(sync_stacks(), stack_name)
            stack.start(base)
            try:
                stack.send()
                out.update(_before())
                t0 = time.perf_counter()
                if job == "export_50mb":
                    check = stack.export(target)
                else:
                    check = stack.stream(_sid(job))
                out["seconds"] = time.perf_counter() - t0
                out.update(_after(out, check))
            finally:
                stack.close()
    return out


def _before() -> dict[str, Any]:
    reset = _reset_peak()
    # Without a reset the peak so far is the only safe floor (the delta may then understate).
    floor = _status("VmRSS") if reset else _status("VmHWM")
    return {"rss_before_kb": floor, "peak_reset": reset}


def _after(before: dict[str, Any], check: Any) -> dict[str, Any]:
    peak = _status("VmHWM")
    return {"peak_kb": peak, "delta_kb": peak - before["rss_before_kb"], "check": check}


#: The gzip bomb: 1 GiB of JSON in about 1 MB on the wire, against a 10 MiB cap.
BOMB_BYTES = 1024 * 1024 * 1024
BOMB_CAP = 10 * 1024 * 1024


def _bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    piece = b"x" * (1024 * 1024)
    parts = [packer.compress(b'{"session": {"id": "s", "title": "')]
    parts += [packer.compress(piece) for _ in range(BOMB_BYTES // len(piece))]
    return b"".join([*parts, packer.flush()])


def measure_bomb(mode: str) -> dict[str, Any]:
    """Peak RSS while the client refuses a gzip bomb (with a Content-Length) on a 200."""
    from visionchat import AsyncVisionChat, ResponseDecodeError, VisionChat

    body = _bomb()

    class Bomb(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            for name, value in (
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(len(body))),
            ):
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass  # the client hung up once past its cap

        def log_message(self, format: str, *args: object) -> None:
            return None

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Bomb)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/api/v2"
    out: dict[str, Any] = {"compressed_bytes": len(body), "cap": BOMB_CAP}
    options: dict[str, Any] = {"max_body_bytes": BOMB_CAP, "max_retries": 0}
    try:
        if mode == "async":

            async def run() -> None:
                async with AsyncVisionChat(api_key="k", base_url=base, **options) as client:
                    out.update(_before())
                    t0 = time.perf_counter()
                    try:
                        await client.chats.get_session("s")
                    except ResponseDecodeError as exc:
                        out["check"] = str(exc)
                    out["seconds"] = time.perf_counter() - t0
                    out.update(_after(out, out.get("check")))

            asyncio.run(run())
        else:
            with VisionChat(api_key="k", base_url=base, **options) as client:
                out.update(_before())
                t0 = time.perf_counter()
                try:
                    client.chats.get_session("s")
                except ResponseDecodeError as exc:
                    out["check"] = str(exc)
                out["seconds"] = time.perf_counter() - t0
                out.update(_after(out, out.get("check")))
    finally:
        httpd.shutdown()
        httpd.server_close()
    return out


def main() -> None:
    mode, stack_name, job, base = sys.argv[1:5]
    if job == "gzip_bomb":
        print(json.dumps(measure_bomb(mode)))
        return
    print(json.dumps(measure(mode, stack_name, job, base)))


if __name__ == "__main__":
    main()
