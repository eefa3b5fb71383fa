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
    from tests.docs.harness import pytest_collect_file as collect_page

    return collect_page(file_path, parent)
