"""The generator's --check really fails when the committed sync code is not current."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """The tool, its config and the trees it reads, copied so that they can be broken safely."""
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for part in [
        "tools",
        "src/visionchat/_async",
        "src/visionchat/_sync",
        "tests/unit/_async",
        "tests/unit/_sync",
        "tests/integration/_async",
        "tests/integration/_sync",
    ]:
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def _check(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(repo / "tools" / "gen_sync.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_committed_copy_passes(repo_copy: Path) -> None:
    result = _check(repo_copy)
    assert result.returncode == 0, result.stdout


def test_a_stale_file_fails(repo_copy: Path) -> None:
    source = repo_copy / "src/visionchat/_async/_chats.py"
    source.write_text(source.read_text() + "\n# a change not yet generated\n")
    result = _check(repo_copy)
    assert result.returncode == 1
    assert "stale: src/visionchat/_sync/_chats.py" in result.stdout


def test_an_extra_and_a_missing_file_fail(repo_copy: Path) -> None:
    (repo_copy / "src/visionchat/_sync/_orphan.py").write_text("x = 1\n")
    (repo_copy / "src/visionchat/_sync/_export.py").unlink()
    result = _check(repo_copy)
    assert result.returncode == 1
    assert "extra (no async source): src/visionchat/_sync/_orphan.py" in result.stdout
    assert "missing: src/visionchat/_sync/_export.py" in result.stdout


def test_a_hand_edit_of_generated_code_fails(repo_copy: Path) -> None:
    target = repo_copy / "src/visionchat/_sync/_client.py"
    target.write_text(target.read_text().replace("def close(self)", "def close(self)  ", 1))
    assert _check(repo_copy).returncode == 1


def test_writing_makes_the_check_pass_again(repo_copy: Path) -> None:
    source = repo_copy / "src/visionchat/_async/_chats.py"
    source.write_text(source.read_text() + "\n# a change\n")
    subprocess.run(
        [sys.executable, str(repo_copy / "tools" / "gen_sync.py")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert _check(repo_copy).returncode == 0


def test_generated_imports_come_out_sorted(repo_copy: Path) -> None:
    # An import block unasync leaves as it found it (here: out of order) is sorted by ruff.
    source = repo_copy / "tests/integration/_async/test_budgets.py"
    text = source.read_text()
    source.write_text(
        text.replace(
            "from __future__ import annotations\n",
            "from __future__ import annotations\n\nfrom tests.async_helpers import sleep as sleep\n",
            1,
        )
    )
    subprocess.run(
        [sys.executable, str(repo_copy / "tools" / "gen_sync.py")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "I", "tests/integration/_sync"],
        cwd=repo_copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout


def test_another_ruff_version_is_refused(repo_copy: Path) -> None:
    pyproject = repo_copy / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(re.sub(r'"ruff==[^"]+"', '"ruff==0.0.1"', text))
    result = _check(repo_copy)
    assert result.returncode != 0
    assert "needs ruff==0.0.1" in result.stderr
