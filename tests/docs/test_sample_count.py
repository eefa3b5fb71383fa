"""Every Python block of README.md and docs/ is either run by the docs harness or skipped
with a written reason: nothing falls through a gap in the parser or a stray marker."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sybil import Document, Region
from sybil.evaluators.skip import Skipper

from tests.docs.harness import PYTHON_FENCE, ROOT, SAMPLES, TEST_FILES, pages

PAGES = list(pages())


def _regions(document: Document) -> list[Region]:
    return [example.region for example in document.examples()]


def _skips(document: Document) -> list[Region]:
    return [r for r in _regions(document) if isinstance(r.evaluator, Skipper)]


def _blocks(*documents: Document) -> list[Region]:
    return sorted(
        (r for d in documents for r in _regions(d) if not isinstance(r.evaluator, Skipper)),
        key=lambda r: r.start,
    )


def test_the_harness_sees_every_page() -> None:
    names = {page.relative_to(ROOT).as_posix() for page in PAGES}
    assert "README.md" in names
    assert {p.relative_to(ROOT).as_posix() for p in ROOT.glob("docs/**/*.md")} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_python_block_runs_or_is_skipped_with_a_reason(page: Path) -> None:
    samples, test_files = SAMPLES.parse(page), TEST_FILES.parse(page)
    blocks = _blocks(samples, test_files)
    skips = _skips(samples)
    fences = len(PYTHON_FENCE.findall(page.read_text(encoding="utf-8")))
    assert len(blocks) == fences, f"{len(blocks)} Python blocks collected of {fences} in the page"

    for skip in skips:
        action, reason = skip.parsed
        line = page.read_text(encoding="utf-8").count("\n", 0, skip.start) + 1
        assert action == "next", f'line {line}: only `skip: next "reason"` is used here'
        assert reason and isinstance(ast.literal_eval(reason.strip()), str), (
            f'line {line}: a skip needs its reason, as in <!-- skip: next "why" -->'
        )
        following = [b for b in blocks if b.start > skip.end]
        assert following, f"line {line}: a skip with no Python block after it"
        assert following[0] in _regions(samples), (
            f"line {line}: test-file samples are never skipped"
        )
    ran = len(blocks) - len(skips)
    assert ran + len(skips) == fences
