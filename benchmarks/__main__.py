"""`python -m benchmarks [--quick] [--only JOB ...] [--mode async|sync]`.

Starts the local server in a subprocess (127.0.0.1, a free port), runs the jobs in
both modes against every stack, prints a Markdown table and the targets, and saves
everything as JSON (`benchmarks/results/latest.json` for a full run).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from . import report, runner
from .payloads import Scale

RESULTS = Path(__file__).resolve().parent / "results"
#: The chart docs/performance.md shows; a full run rewrites it.
CHART = Path(__file__).resolve().parent.parent / "docs" / "img" / "stream-ratios.svg"
ALL_JOBS = [
    *runner.IN_PROCESS,
    *runner.REFERENCE_SERVER,
    *runner.SUBPROCESS,
    "server_load",
    "import",
]


def _spawn(module: str, *args: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start a server module; return it and the first line it prints once it listens."""
    server = subprocess.Popen(
        [sys.executable, "-m", module, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert server.stdout is not None
    return server, server.stdout.readline().decode().strip()


def _start_server(scale: Scale) -> tuple[subprocess.Popen[bytes], str]:
    server, line = _spawn("benchmarks.server", json.dumps(scale.to_dict()))
    if not line.isdigit():
        server.kill()
        raise SystemExit(f"the benchmark server did not start (said {line!r})")
    return server, f"http://127.0.0.1:{line}"


def _run_on_reference_server(job: str, modes: list[str], scale: Scale) -> list[runner.Result]:
    """`job` against the package's reference server, in a process of its own."""
    server, line = _spawn("benchmarks.refserver")
    try:
        found = json.loads(line)
        results: list[runner.Result] = []
        for mode in modes:
            run = runner.run_async if mode == "async" else runner.run_sync
            results += run(job, scale, found["root"], found["sessions"][mode])
        return results
    finally:
        _stop_server(server)


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    assert server.stdin is not None
    server.stdin.close()  # the server serves until its stdin closes
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument(
        "--only", action="append", choices=ALL_JOBS, metavar="JOB", help=f"one of {ALL_JOBS}"
    )
    parser.add_argument("--mode", choices=["async", "sync"], help="only this mode")
    parser.add_argument("--repeats", type=int, help="override the number of timed repeats")
    parser.add_argument("--output", type=Path, help="where to write the JSON results")
    args = parser.parse_args(argv)

    scale = Scale.quick() if args.quick else Scale.full()
    if args.repeats:
        scale = replace(scale, repeats=args.repeats)
    jobs = args.only or ALL_JOBS
    modes = [args.mode] if args.mode else ["async", "sync"]
    output = args.output or RESULTS / (
        "latest.json" if not args.quick and not args.only and not args.mode else "partial.json"
    )

    started = time.perf_counter()
    results: list[runner.Result] = []
    extra: dict[str, object] = {}
    server, base = _start_server(scale)
    try:
        runner._progress(f"server on {base} (ready in {time.perf_counter() - started:.1f}s)")
        for job in jobs:
            t0 = time.perf_counter()
            if job == "import":
                found, extra["import"] = runner.run_import(scale)
                results += found
            elif job == "server_load":
                extra["server_load"] = runner.run_server_load()
            elif job in runner.REFERENCE_SERVER:
                results += _run_on_reference_server(job, modes, scale)
            else:
                for mode in modes:
                    if job in runner.SUBPROCESS:
                        results += runner.run_subprocess(job, mode, scale, base)
                    elif mode == "async":
                        results += runner.run_async(job, scale, base)
                    else:
                        results += runner.run_sync(job, scale, base)
            runner._progress(f"{job}: {time.perf_counter() - t0:.1f}s")
    finally:
        _stop_server(server)

    table = report.table(results)
    targets = report.targets(results, extra, scale)
    print(table)
    print()
    print(report.targets_table(targets))
    data = {
        "machine": report.machine(),
        "scale": scale.to_dict(),
        "quick": args.quick,
        "jobs": jobs,
        "elapsed_s": time.perf_counter() - started,
        "results": [r.to_dict() for r in results],
        "ratios": report.ratios(results),
        "extra": extra,
        "targets": targets,
        "table_md": table,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(data, indent=2) + "\n")
    chart = CHART if output.name == "latest.json" else output.with_suffix(".svg")
    chart.parent.mkdir(parents=True, exist_ok=True)
    chart.write_text(report.chart(results))
    print(f"chart: {chart}")
    print(f"\nsaved {output} ({time.perf_counter() - started:.0f}s in all)")


if __name__ == "__main__":
    main()
