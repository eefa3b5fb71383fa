"""`nox -s contract`: fuzz the reference server with schemathesis, against its own document.

Starts the server on loopback, makes the real ids the operations need (an active
session, a session to close, a pending plan), pins them per operation through
schemathesis.toml's environment variables, and runs schemathesis with every check
on. Prints the figures (operations, cases, failures) and fails on any failure, or
when an operation never answered 2xx. `VC_KEEP_REPORT=<path>` keeps schemathesis'
ndjson report there, to look into a run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from visionchat import VisionChat
from visionchat.server import ReferenceServer

ROOT = Path(__file__).resolve().parents[1]
_PLAN_PROMPT = "tag the rusty guardrail images as 'corrosion-review'"


def _pending_plan(client: VisionChat, session_id: str) -> str:
    reply = client.chats.send_stream(_PLAN_PROMPT, session_id=session_id).response()
    assert reply.pending_plan is not None, "the planning prompt no longer proposes a plan"
    return reply.pending_plan.plan_id


def _figures(report: Path) -> tuple[int, int, set[str]]:
    """(cases, failed checks, operations answered 2xx at least once) from the ndjson report."""
    cases = failures = 0
    ok: set[str] = set()
    for line in report.read_text(encoding="utf-8").splitlines():
        finished: dict[str, Any] | None = json.loads(line).get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished.get("recorder") or {}
        cases += len(recorder.get("cases", {}))
        for interaction in recorder.get("interactions", {}).values():
            status = (interaction.get("response") or {}).get("status_code") or 0
            if 200 <= int(status) < 300:
                ok.add(recorder["label"])
        for checks in recorder.get("checks", {}).values():
            failures += sum(1 for check in checks if check.get("status") == "failure")
    return cases, failures, ok


def main() -> int:
    with ReferenceServer(message_budget=100_000, token_budget=100_000_000) as server:
        with VisionChat(api_key=server.api_key, base_url=server.base_url) as client:
            active = client.chats.create_session(title="contract").id
            to_close = client.chats.create_session(title="to close").id
            plan_id = _pending_plan(client, active)
        env = {
            **os.environ,
            "VC_SCHEMA": f"{server.base_url}/openapi.json",
            "VC_API_KEY": server.api_key,
            "VC_SESSION_ID": active,
            "VC_CLOSE_SESSION_ID": to_close,
            "VC_PLAN_ID": plan_id,
        }
        with tempfile.TemporaryDirectory(prefix="visionchat-contract-") as tmp:
            report = Path(tmp) / "events.ndjson"
            run = subprocess.run(
                [
                    "schemathesis",
                    "--config-file",
                    str(ROOT / "schemathesis.toml"),
                    "run",
                    env["VC_SCHEMA"],
                    "--report",
                    "ndjson",
                    "--report-ndjson-path",
                    str(report),
                ],
                env=env,
                check=False,
            )
            cases, failures, ok = _figures(report)
            if os.environ.get("VC_KEEP_REPORT"):
                Path(os.environ["VC_KEEP_REPORT"]).write_bytes(report.read_bytes())
        with urllib.request.urlopen(env["VC_SCHEMA"], timeout=10) as reply:
            operations = sum(len(p) for p in json.load(reply)["paths"].values())
    print(f"contract: {operations} operations, {cases} cases, {failures} failures")
    print(f"contract: {len(ok)} operations answered 2xx at least once")
    if len(ok) < operations:
        print("contract: some operations never answered 2xx", file=sys.stderr)
        return 1
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
