"""Fixtures for the command-line tests: a reference server, a clean environment, a runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from visionchat.server import ReferenceServer

ENV_VARS = ("VISIONCHAT_BASE_URL", "VISIONCHAT_API_KEY", "NO_COLOR")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No endpoint or NO_COLOR from the outside leaks into a test."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer() as srv:
        yield srv


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a `visionchat` subprocess: no endpoint, no NO_COLOR."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env.update(extra)
    return env


def run_cli(
    *args: str, input: str | None = None, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `python -m visionchat.cli ARGS` to completion, with a bounded wait."""
    return subprocess.run(
        [sys.executable, "-m", "visionchat.cli", *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(**env),
        check=False,
    )
