"""The README's first hour: two set-up commands, one install line, and a quick start that
runs as written against `visionchat serve` with the `export` line it prints."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.docs.harness import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def blocks(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(text)]


def quick_start() -> str:
    return README.split("## Quick start", 1)[1].split("\n## ", 1)[0]


def test_two_set_up_commands_then_one_install_line() -> None:
    (first, commands), (second, install) = blocks(README)[:2]
    assert first == "bash" and len(commands.splitlines()) == 2
    assert all("nox -s" in line for line in commands.splitlines())
    assert second == "bash" and len(install.splitlines()) == 1
    assert install.startswith("python3 -m pip install ")


@pytest.fixture(scope="module")
def serve() -> Iterator[dict[str, str]]:
    """`visionchat serve` on a free port; the variables its `export` line sets."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "visionchat.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        exported: dict[str, str] = {}
        for _ in range(12):  # the banner is a handful of lines
            words = shlex.split(proc.stdout.readline())
            if words[:1] == ["export"]:
                exported = dict(word.split("=", 1) for word in words[1:])
                break
        assert set(exported) == {"VISIONCHAT_BASE_URL", "VISIONCHAT_API_KEY"}
        yield exported
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


@pytest.mark.parametrize(
    "index", range(len([b for b in blocks(quick_start()) if b[0] == "python"]))
)
def test_the_quick_start_runs_as_written(serve: dict[str, str], index: int) -> None:
    source = [code for lang, code in blocks(quick_start()) if lang == "python"][index]
    env = {k: v for k, v in os.environ.items() if not k.startswith("VISIONCHAT_")}
    result = subprocess.run(
        [sys.executable, "-c", source],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, **serve},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() and "[[" not in result.stdout
