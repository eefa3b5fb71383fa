"""Run the jobs against every stack, interleaving repeats, and collect the figures."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from . import payloads as p
from .payloads import Scale
from .stacks_async import AsyncStack
from .stacks_async import all_stacks as async_stacks
from .stacks_sync import SyncStack
from .stacks_sync import all_stacks as sync_stacks

BASELINE = {"async": "aiohttp+msgspec", "sync": "requests+msgspec"}

#: job -> (what one run does, unit of work for throughput)
JOBS: dict[str, str] = {
    "send": "sequential send() calls",
    "concurrent": "concurrent send() calls (async: asyncio.gather; sync: threads, one client)",
    "get_session": "get_session() of a session with many messages",
    "stream_tokens": "send_stream() of many token events, accumulated capped at 64 chars",
    "stream_id_first": "the same token stream with each frame's id: line before its event: line",
    "stream_server": "send_stream() answers of the package's reference server (its own frames)",
    "stream_full": "send_stream() of tokens with the full accumulated text",
    "line_1mb": "send_stream() whose complete event is one 1 MB line",
    "export_50mb": "export_session(path=...) of a 50 MB export, in a fresh process",
    "stream_rss": "the token stream again in a fresh process, for its peak RSS",
    "gzip_bomb": "refusing a gzip bomb (1 GiB of JSON in ~1 MB) with a 10 MiB cap, fresh process",
    "server_load": "the reference server: bytes stored per streamed turn, GET p99 under 20 streams",
    "import": "import visionchat + VisionChat(...) in a fresh interpreter",
}
IN_PROCESS = [
    "send",
    "concurrent",
    "get_session",
    "stream_tokens",
    "stream_id_first",
    "stream_full",
    "line_1mb",
]
#: Jobs served by the reference server (`benchmarks.refserver`), not the benchmark server.
REFERENCE_SERVER = ["stream_server"]
#: The benchmark server's session id for each stream job.
STREAM_SESSIONS = {
    "stream_tokens": p.STREAM_TOKENS,
    "stream_id_first": p.STREAM_ID_FIRST,
    "stream_full": p.STREAM_FULL,
    "line_1mb": p.STREAM_LINE,
}
SUBPROCESS = ["export_50mb", "stream_rss", "gzip_bomb"]


@dataclass
class Result:
    job: str
    mode: str
    stack: str
    times: list[float]
    work: float  # units of work per run (calls, events, MB)
    unit: str
    check: Any = None
    rss_delta_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "job": self.job,
            "mode": self.mode,
            "stack": self.stack,
            "median_s": self.median,
            "min_s": min(self.times),
            "max_s": max(self.times),
            "times_s": self.times,
            "work": self.work,
            "unit": self.unit,
            "throughput_per_s": self.work / self.median if self.median else None,
            "check": self.check,
        }
        if self.rss_delta_mb:
            d["rss_delta_mb_median"] = statistics.median(self.rss_delta_mb)
            d["rss_delta_mb_max"] = max(self.rss_delta_mb)
            d["rss_delta_mb"] = self.rss_delta_mb
        return d


def _work(job: str, scale: Scale, mode: str) -> tuple[float, str]:
    if job == "send":
        return scale.sends, "calls"
    if job == "concurrent":
        if mode == "async":
            return scale.concurrent * scale.concurrent_rounds, "calls"
        return scale.thread_sends, "calls"
    if job == "get_session":
        return scale.messages, "messages"
    if job in ("stream_tokens", "stream_id_first", "stream_rss"):
        return scale.tokens + 4, "events"
    if job == "stream_server":
        return scale.server_streams, "answers"
    if job == "stream_full":
        return scale.full_tokens + 4, "events"
    if job == "line_1mb":
        return scale.line_bytes / 1e6, "MB"
    if job == "export_50mb":
        return scale.export_bytes / 1e6, "MB"
    if job == "gzip_bomb":
        return 1, "refusals"
    raise ValueError(job)


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- in-process jobs -------------------------------------------------------------------------


def _async_runner(job: str, scale: Scale, sid: str) -> Callable[[AsyncStack, bool], Awaitable[Any]]:
    async def run(stack: AsyncStack, warm: bool) -> Any:
        if job == "send":
            last = None
            for _ in range(20 if warm else scale.sends):
                last = await stack.send()
            return last
        if job == "concurrent":
            rounds = 1 if warm else scale.concurrent_rounds
            got: list[str] = []
            for _ in range(rounds):
                got = await asyncio.gather(*(stack.send() for _ in range(scale.concurrent)))
            return [len(got), len(set(got))]
        if job == "get_session":
            return await stack.get_session()
        if job == "stream_server":
            answers = [list(await stack.stream(sid)) for _ in range(scale.server_streams)]
            return answers[-1]
        return list(await stack.stream(sid))

    return run


def _sync_runner(
    job: str, scale: Scale, pool: ThreadPoolExecutor, sid: str
) -> Callable[[SyncStack, bool], Any]:
    def sends(stack: SyncStack, n: int) -> str:
        last = ""
        for _ in range(n):
            last = stack.send()
        return last

    def run(stack: SyncStack, warm: bool) -> Any:
        if job == "send":
            return sends(stack, 20 if warm else scale.sends)
        if job == "concurrent":
            total = scale.threads * 4 if warm else scale.thread_sends
            each = total // scale.threads
            futures = [pool.submit(sends, stack, each) for _ in range(scale.threads)]
            got = [f.result() for f in futures]
            return [len(got), len(set(got))]
        if job == "get_session":
            return stack.get_session()
        if job == "stream_server":
            answers = [list(stack.stream(sid)) for _ in range(scale.server_streams)]
            return answers[-1]
        return list(stack.stream(sid))

    return run


def _eligible(stack: Any, job: str) -> bool:
    return not stack.streams_only or job.startswith(("stream", "line"))


def _rotated(stacks: list[Any], repeat: int) -> list[Any]:
    """The stacks in a different order on each repeat, so that none always runs right
    after the same one (a slow stack's leftovers, closing connections say, would
    otherwise always land on its successor)."""
    k = repeat % len(stacks)
    return stacks[k:] + stacks[:k]


def run_async(job: str, scale: Scale, base: str, sid: str | None = None) -> list[Result]:
    """Every async stack's timed repeats of `job`; `sid` names the stream's session."""
    stacks = [s for s in async_stacks() if _eligible(s, job)]
    run = _async_runner(job, scale, sid or STREAM_SESSIONS.get(job, ""))
    times: dict[str, list[float]] = {s.name: [] for s in stacks}
    checks: dict[str, Any] = {}

    async def main() -> None:
        for s in stacks:
            await s.start(base)
        try:
            for s in stacks:
                checks[s.name] = await run(s, True)
            for repeat in range(scale.repeats):
                for s in _rotated(stacks, repeat):
                    gc.collect()
                    t0 = time.perf_counter()
                    await run(s, False)
                    times[s.name].append(time.perf_counter() - t0)
        finally:
            for s in stacks:
                await s.close()

    asyncio.run(main())
    work, unit = _work(job, scale, "async")
    return [Result(job, "async", s.name, times[s.name], work, unit, checks[s.name]) for s in stacks]


def run_sync(job: str, scale: Scale, base: str, sid: str | None = None) -> list[Result]:
    """Every sync stack's timed repeats of `job`; `sid` names the stream's session."""
    stacks = [s for s in sync_stacks() if _eligible(s, job)]
    times: dict[str, list[float]] = {s.name: [] for s in stacks}
    checks: dict[str, Any] = {}
    with ThreadPoolExecutor(scale.threads) as pool:
        run = _sync_runner(job, scale, pool, sid or STREAM_SESSIONS.get(job, ""))
        for s in stacks:
            s.start(base)
        try:
            for s in stacks:
                checks[s.name] = run(s, True)
            for repeat in range(scale.repeats):
                for s in _rotated(stacks, repeat):
                    gc.collect()
                    t0 = time.perf_counter()
                    run(s, False)
                    times[s.name].append(time.perf_counter() - t0)
        finally:
            for s in stacks:
                s.close()
    work, unit = _work(job, scale, "sync")
    return [Result(job, "sync", s.name, times[s.name], work, unit, checks[s.name]) for s in stacks]


# --- jobs in a fresh process (peak RSS) --------------------------------------------------------


def run_subprocess(job: str, mode: str, scale: Scale, base: str) -> list[Result]:
    names = [s.name for s in (async_stacks() if mode == "async" else sync_stacks())]
    if job == "stream_rss":
        names = [BASELINE[mode], "visionchat"]
        repeats = scale.mem_repeats
        memjob = "stream_tokens"
    elif job == "gzip_bomb":  # only the SDK has a cap to refuse with
        names = ["visionchat"]
        repeats = scale.mem_repeats
        memjob = job
    else:
        names = [n for n in names if n != "httpx-sse+json"]
        repeats = scale.repeats
        memjob = job
    results = {n: Result(job, mode, n, [], *_work(job, scale, mode)) for n in names}
    for _ in range(repeats):
        for name in names:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.memjob", mode, name, memjob, base or "-"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if out.returncode != 0:
                raise RuntimeError(f"memjob {mode} {name} {memjob} failed:\n{out.stderr}")
            data = json.loads(out.stdout.strip().splitlines()[-1])
            r = results[name]
            r.times.append(data["seconds"])
            r.rss_delta_mb.append(data["delta_kb"] / 1024)
            r.check = data["check"]
    return list(results.values())


# --- the reference server under load ----------------------------------------------------------


def run_server_load() -> dict[str, Any]:
    """`benchmarks.server_load` in its own processes; its figures, as it saved them."""
    with tempfile.TemporaryDirectory() as folder:
        output = os.path.join(folder, "server_load.json")
        subprocess.run(
            [sys.executable, "-m", "benchmarks.server_load", "--output", output],
            check=True,
            timeout=900,
            stdout=subprocess.DEVNULL,
        )
        with open(output) as saved:
            figures: dict[str, Any] = json.load(saved)
    return figures


# --- import time -------------------------------------------------------------------------------

IMPORT_CASES = {
    "bare interpreter": "pass",
    "visionchat": (
        "import visionchat\nvisionchat.VisionChat(api_key='k', base_url='http://127.0.0.1:9')"
    ),
    "requests+msgspec": "import requests, msgspec",
    "httpx+pydantic": "import httpx, pydantic",
    "aiohttp": "import aiohttp",
}


def run_import(scale: Scale) -> tuple[list[Result], dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VISIONCHAT_", "PYTHON"))}
    raw: dict[str, list[float]] = {name: [] for name in IMPORT_CASES}
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(scale.import_repeats):
            for name, code in IMPORT_CASES.items():
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, check=True)
                raw[name].append(time.perf_counter() - t0)
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                IMPORT_CASES["visionchat"]
                + "\nimport sys\nprint(sorted(m for m in ('aiohttp', 'yarl', 'multidict') if m in sys.modules))",
            ],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    bare = statistics.median(raw["bare interpreter"])
    results = []
    for name, times in raw.items():
        if name == "bare interpreter":
            continue
        net = [t - bare for t in times]
        results.append(Result("import", "sync", name, net, 1, "imports"))
    info = {
        "bare_interpreter_s": bare,
        "visionchat_imports_async_stack": probe.stdout.strip(),
        "aiohttp_imported": "aiohttp" in probe.stdout,
    }
    return results, info
