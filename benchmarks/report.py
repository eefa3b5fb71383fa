"""The Markdown table, the ratios to each mode's baseline, the targets, and the machine."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from importlib import metadata
from typing import Any

from .payloads import Scale
from .runner import BASELINE, JOBS, Result

LIBRARIES = [
    "visionchat",
    "aiohttp",
    "requests",
    "urllib3",
    "msgspec",
    "httpx",
    "httpx-sse",
    "pydantic",
    "pydantic-core",
]


def _find(results: list[Result], job: str, mode: str, stack: str) -> Result | None:
    for r in results:
        if (r.job, r.mode, r.stack) == (job, mode, stack):
            return r
    return None


def ratio(results: list[Result], job: str, mode: str, stack: str, against: str) -> float | None:
    """`stack`'s median time over `against`'s: below 1 is faster."""
    a = _find(results, job, mode, stack)
    b = _find(results, job, mode, against)
    if a is None or b is None or not b.median:
        return None
    return a.median / b.median


def ratios(results: list[Result]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for r in results:
        out[f"{r.job}/{r.mode}/{r.stack}"] = ratio(
            results, r.job, r.mode, r.stack, BASELINE[r.mode]
        )
    return out


def _seconds(s: float) -> str:
    if abs(s) < 1:
        return f"{s * 1000:.1f} ms"
    return f"{s:.2f} s"


def _rate(r: Result) -> str:
    if r.job == "import" or not r.median:
        return ""
    rate = r.work / r.median
    unit = r.unit
    if unit == "MB":
        return f"{rate:,.0f} MB/s"
    return f"{rate:,.0f} {unit}/s"


def table(results: list[Result]) -> str:
    lines = [
        "| job | mode | stack | median | min - max | throughput | time x baseline | peak RSS Δ |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        x = ratio(results, r.job, r.mode, r.stack, BASELINE[r.mode])
        rss = ""
        if r.rss_delta_mb:
            rss = f"{statistics.median(r.rss_delta_mb):.1f} MB (max {max(r.rss_delta_mb):.1f})"
        base = " (baseline)" if r.stack == BASELINE[r.mode] else ""
        mode = "—" if r.job == "import" else r.mode
        lines.append(
            f"| {r.job} | {mode} | {r.stack}{base} | {_seconds(r.median)} | "
            f"{_seconds(min(r.times))} - {_seconds(max(r.times))} | {_rate(r)} | "
            f"{'' if x is None else f'{x:.2f}x'} | {rss} |"
        )
    return "\n".join(lines)


def _target(
    out: list[dict[str, Any]], name: str, measured: float | None, limit: float, lower: bool
) -> None:
    if measured is None:
        return
    met = measured <= limit if lower else measured >= limit
    out.append(
        {
            "target": name,
            "measured": round(measured, 4),
            "limit": f"{'≤' if lower else '≥'} {limit}",
            "met": met,
        }
    )


def targets(results: list[Result], extra: dict[str, Any], scale: Scale) -> list[dict[str, Any]]:
    """Every target the run has data for, with its measured figure."""
    out: list[dict[str, Any]] = []
    vc = "visionchat"
    for mode in ("async", "sync"):
        base = BASELINE[mode]
        _target(
            out,
            f"send x{scale.sends} sequential ({mode}): time / {base}",
            ratio(results, "send", mode, vc, base),
            1.10,
            True,
        )
        if mode == "async":
            _target(
                out,
                f"{scale.concurrent} concurrent sends (async): time / {base}",
                ratio(results, "concurrent", mode, vc, base),
                1.10,
                True,
            )
        _target(
            out,
            f"get_session {scale.messages} msgs ({mode}): time / {base}",
            ratio(results, "get_session", mode, vc, base),
            1.05,
            True,
        )
        _target(
            out,
            f"get_session {scale.messages} msgs ({mode}): speed-up over httpx+pydantic",
            ratio(results, "get_session", mode, "httpx+pydantic", vc),
            2.5,
            False,
        )
        for job in ("stream_tokens", "stream_id_first", "stream_server", "stream_full", "line_1mb"):
            b = ratio(results, job, mode, base, vc)
            _target(out, f"{job} ({mode}): throughput / hand-written {base} loop", b, 0.9, False)
            if job in ("stream_tokens", "stream_full"):
                for sse in ("httpx-sse+json", "httpx+pydantic"):
                    _target(
                        out,
                        f"{job} ({mode}): throughput / {sse}",
                        ratio(results, job, mode, sse, vc),
                        3.0,
                        False,
                    )
        for job in ("stream_full", "line_1mb"):
            r = _find(results, job, mode, vc)
            ref = _find(results, job, mode, base)
            if r is not None and ref is not None:
                out.append(
                    {
                        "target": f"{job} works ({mode}): same events and final text as {base}",
                        "measured": f"{r.check} vs {ref.check}",
                        "limit": "equal",
                        "met": r.check == ref.check,
                    }
                )
        for job, limit in (("export_50mb", 20), ("stream_rss", 20), ("gzip_bomb", 15)):
            r = _find(results, job, mode, vc)
            if r is not None and r.rss_delta_mb:
                _target(
                    out,
                    f"{job} ({mode}): peak RSS rise, MB (worst of {len(r.rss_delta_mb)})",
                    max(r.rss_delta_mb),
                    limit,
                    True,
                )
    load = extra.get("server_load")
    if isinstance(load, dict):
        _target(
            out,
            f"reference server: GET p99 ms while {load['streams']} long streams run",
            load["get_p99_ms"],
            100,
            True,
        )
        _target(
            out,
            "reference server: bytes stored per streamed turn / (3 x answer + 8 KiB)",
            load["stored_bytes_per_turn"] / load["stored_bound_bytes"],
            1.0,
            True,
        )
    imp = extra.get("import")
    vci = _find(results, "import", "sync", vc)
    req = _find(results, "import", "sync", "requests+msgspec")
    if isinstance(imp, dict) and vci is not None and req is not None:
        out.append(
            {
                "target": "import visionchat + VisionChat(...): aiohttp not imported",
                "measured": imp["visionchat_imports_async_stack"],
                "limit": "[]",
                "met": not imp["aiohttp_imported"],
            }
        )
        _target(
            out,
            "import visionchat + VisionChat(...) minus import requests, msgspec, ms",
            (vci.median - req.median) * 1000,
            30,
            True,
        )
    return out


def targets_table(found: list[dict[str, Any]]) -> str:
    lines = ["| target | measured | limit | met |", "|---|---:|---:|:---:|"]
    for t in found:
        m = t["measured"]
        shown = f"{m:.2f}" if isinstance(m, float) else str(m)
        lines.append(
            f"| {t['target']} | {shown} | {t['limit']} | {'yes' if t['met'] else '**NO**'} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = {}
    for lib in LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = None
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "libraries": versions,
        "git_commit": commit,
        "jobs": JOBS,
    }


#: The stream variants the chart shows, in order.
STREAM_JOBS = ["stream_tokens", "stream_id_first", "stream_server", "stream_full", "line_1mb"]


def chart(results: list[Result]) -> str:
    """An SVG bar chart: each stream variant's visionchat throughput over the hand-written
    loop's, per mode, with the 0.9 target line. Plain SVG, so the docs need no plotting
    library."""
    rows: list[tuple[str, float]] = []
    for job in STREAM_JOBS:
        for mode in ("async", "sync"):
            x = ratio(results, job, mode, BASELINE[mode], "visionchat")
            if x is not None:
                rows.append((f"{job} ({mode})", x))
    label_w, bar_w, row_h, top = 190, 420, 22, 30
    scale = bar_w / max([2.0, *(x for _, x in rows)])
    height = top + row_h * len(rows) + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" '
        f'height="{height}" font-family="sans-serif" font-size="12">',
        f'<text x="{label_w}" y="18">throughput of visionchat / the hand-written loop '
        "(higher is better; dashed: the 0.9x target)</text>",
    ]
    for i, (name, x) in enumerate(rows):
        y = top + i * row_h
        colour = "#2e7d32" if x >= 0.9 else "#c62828"
        out += [
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{name}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{x * scale:.1f}" height="{row_h - 6}" '
            f'fill="{colour}"/>',
            f'<text x="{label_w + x * scale + 4:.1f}" y="{y + 14}">{x:.2f}x</text>',
        ]
    bottom = top + row_h * len(rows)
    target_x = label_w + 0.9 * scale
    out.append(
        f'<line x1="{target_x:.1f}" y1="{top - 4}" x2="{target_x:.1f}" y2="{bottom}" '
        'stroke="#333" stroke-dasharray="4 3"/>'
    )
    tick = 0.0
    while tick * scale <= bar_w:
        x_at = label_w + tick * scale
        out.append(
            f'<line x1="{x_at:.1f}" y1="{bottom}" x2="{x_at:.1f}" y2="{bottom + 4}" stroke="#333"/>'
        )
        out.append(f'<text x="{x_at:.1f}" y="{bottom + 16}" text-anchor="middle">{tick:g}x</text>')
        tick += 0.5
    out.append("</svg>")
    return "\n".join(out) + "\n"
