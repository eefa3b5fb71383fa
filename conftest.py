"""Collects the Python samples of README.md and docs/ (`nox -s docs` runs them).

The harness lives in tests/docs/harness.py; it is imported only when one of those pages
is collected, so test runs that never touch them do not need Sybil.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

pytest_plugins = ["pytester"]

_ROOT = Path(__file__).resolve().parent


def pytest_collect_file(file_path: Path, parent: Any) -> Any:
    if file_path.suffix != ".md":
        return None
    if file_path != _ROOT / "README.md" and _ROOT / "docs" not in file_path.parents:
        return None
    if not _asked_for(file_path, parent.config):  # pytest offers the rootdir's files to any run
        return None
    from tests.docs.harness import pytest_collect_file as collect_page

    return collect_page(file_path, parent)


def _asked_for(file_path: Path, config: Any) -> bool:
    """Whether the run names this page, or a folder holding it, among its arguments."""
    for arg in config.args:
        asked = (config.invocation_params.dir / str(arg).split("::", 1)[0]).resolve()
        if asked == file_path or asked in file_path.parents:
            return True
    return False
