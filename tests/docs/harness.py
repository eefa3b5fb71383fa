"""Runs the Python samples of README.md and docs/ with Sybil, against the reference server.

Every page gets a fresh `ReferenceServer` and `VISIONCHAT_BASE_URL` / `VISIONCHAT_API_KEY`
pointing at it, so a sample runs as a reader would run it after `visionchat serve` and the
two `export` lines. A sample whose first line names a test file (`# test_app.py`,
`# conftest.py`) is a test suite of its own: pytester runs it in a fresh directory with
the page's `conftest.py` samples so far. `<!-- skip: next "reason" -->` leaves the next
sample out; the reason is required (tests/docs/test_sample_count.py checks it).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sybil import Document, Example, Region, Sybil
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.markdown import CodeBlockParser, SkipParser

ROOT = Path(__file__).resolve().parents[2]

#: The pages whose samples run: the README and every page of the site (`Path.match`
#: patterns, which have no recursive `**` before Python 3.13).
PATTERNS = ("README.md", "docs/*.md", "docs/*/*.md")

#: Each fence of a Python block, as a reader sees it (indented inside tabs or not).
PYTHON_FENCE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*(?:python|py|python3|pycon)\b", re.M)

#: The first line of a sample that is a test file: `# test_x.py` or `# conftest.py`.
_TEST_FILE = re.compile(r"\A#[ \t]*((?:test_\w+|conftest)\.py)[ \t]*$", re.M)

#: How pytester runs a test-file sample: warnings are errors, as in this project's own
#: suite; the loop scope is set as pytest-asyncio asks every project to set it.
_PYTEST_ARGS = (
    "-q",
    "-p",
    "no:cacheprovider",
    "-W",
    "error",
    "-o",
    "asyncio_default_fixture_loop_scope=function",
)

_ENV = ("VISIONCHAT_BASE_URL", "VISIONCHAT_API_KEY")


def test_file_name(source: str) -> str | None:
    """The file name a sample declares on its first line, when it is a test file."""
    match = _TEST_FILE.match(source)
    return match.group(1) if match else None


class _PythonBlocks(CodeBlockParser):
    """Python code blocks: plain samples (`tests=False`) or test-file samples (`tests=True`)."""

    def __init__(self, *, tests: bool) -> None:
        super().__init__(language="python")
        self._tests = tests

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in super().__call__(document):
            is_test_file = test_file_name(str(region.parsed)) is not None
            if is_test_file == self._tests:
                yield region


class _Samples(_PythonBlocks):
    def __init__(self) -> None:
        super().__init__(tests=False)
        self._python = PythonEvaluator()

    def evaluate(self, example: Example) -> None:
        self._python(example)


class _TestFiles(_PythonBlocks):
    """Writes the sample into a pytester directory and runs it there; `conftest.py`
    samples are kept for the page's later test files."""

    def __init__(self) -> None:
        super().__init__(tests=True)

    def evaluate(self, example: Example) -> None:
        source = str(example.parsed)
        name = test_file_name(source)
        assert name is not None
        kept: dict[str, str] = example.namespace.setdefault("_conftest", {})
        compile(source, f"{example.path}:{example.line}", "exec")
        if name == "conftest.py":
            kept[name] = kept.get(name, "") + source
            return
        pytester: pytest.Pytester = example.namespace["pytester"]
        for file, text in {**kept, name: source}.items():
            (pytester.path / file).write_text(text)
        result = pytester.runpytest_subprocess(*_PYTEST_ARGS, timeout=300)
        outcomes = result.parseoutcomes()
        assert result.ret == 0 and outcomes.get("passed", 0) > 0, result.stdout.str()
        assert set(outcomes) <= {"passed"}, result.stdout.str()


def _set_up_page(namespace: dict[str, Any]) -> None:
    """A server of the page's own, the environment pointing at it, and a scratch working
    directory for the files samples write."""
    from visionchat.server import ReferenceServer

    server = ReferenceServer()
    server.start()
    scratch = tempfile.TemporaryDirectory(prefix="visionchat-docs-")
    namespace["_page"] = (server, scratch, os.getcwd(), {n: os.environ.get(n) for n in _ENV})
    os.chdir(scratch.name)
    os.environ["VISIONCHAT_BASE_URL"] = server.base_url
    os.environ["VISIONCHAT_API_KEY"] = server.api_key


def _tear_down_page(namespace: dict[str, Any]) -> None:
    server, scratch, cwd, saved_env = namespace.pop("_page")
    for name, value in saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    os.chdir(cwd)
    scratch.cleanup()
    server.close()


#: Plain samples, run in order in one namespace per page.
SAMPLES = Sybil(
    parsers=[SkipParser(), _Samples()],
    path=str(ROOT),
    patterns=list(PATTERNS),
    setup=_set_up_page,
    teardown=_tear_down_page,
    name="samples",
)

#: Samples that are test files, each run by pytester.
TEST_FILES = Sybil(
    parsers=[_TestFiles()],
    path=str(ROOT),
    patterns=list(PATTERNS),
    fixtures=["pytester"],
    name="test-files",
)


def pages() -> Iterator[Path]:
    """Every page whose samples run."""
    for pattern in PATTERNS:
        yield from sorted(ROOT.glob(pattern))


pytest_collect_file = (SAMPLES + TEST_FILES).pytest()
