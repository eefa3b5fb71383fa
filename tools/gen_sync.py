"""Generate the blocking code from the async code, and check that the committed copy is current.

    python tools/gen_sync.py          # (re)write every _sync/ tree
    python tools/gen_sync.py --check  # exit 1 if any _sync/ file differs, is missing or is extra

Each `_async/` folder below is the only hand-written source; its `_sync/` twin is
produced by unasync with the one replacement table below, then import-sorted and
formatted by ruff so that it passes the same lint as its source. `conftest.py` files
are hand-written in both folders (they hold the per-mode fixtures) and never generated.
The check also fails when a replacement in the table is no longer used anywhere.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import tokenize_rt
import unasync

ROOT = Path(__file__).resolve().parent.parent

#: (async folder, generated sync folder), relative to the repository root.
TREES = [
    ("src/visionchat/_async", "src/visionchat/_sync"),
    ("tests/unit/_async", "tests/unit/_sync"),
    ("tests/integration/_async", "tests/integration/_sync"),
]

#: Names that change between the modes, beyond unasync's own (async def, await, __aenter__ …).
REPLACEMENTS = {
    "AsyncVisionChat": "VisionChat",
    "AsyncChats": "Chats",
    "AsyncChatSessionContext": "ChatSessionContext",
    "AsyncChatStream": "ChatStream",
    "AsyncChatsWithRawResponse": "ChatsWithRawResponse",
    "AsyncRawResponse": "RawResponse",
    "AsyncHTTPClient": "HTTPClient",
    "AiohttpTransport": "RequestsTransport",
    "_aiohttp": "_requests",
    "async_helpers": "sync_helpers",
    "aiter": "iter",
    "anext": "next",
}

HAND_WRITTEN = {"conftest.py"}
HEADER = "# Generated from {source} by tools/gen_sync.py: do not edit; edit the async source.\n"


def _sources(tree: str) -> list[Path]:
    folder = ROOT / tree
    return sorted(p for p in folder.rglob("*.py") if p.name not in HAND_WRITTEN)


def _ruff_pin(pyproject: Path) -> str:
    """The one ruff version pinned in the dev extra (`ruff==X.Y.Z`)."""
    dev = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    pins = [re.fullmatch(r"ruff==([\w.]+)", spec) for spec in dev["dev"]]
    found = [pin.group(1) for pin in pins if pin]
    if len(found) != 1:
        raise SystemExit(
            "pyproject.toml's dev extra must pin ruff to one exact version (ruff==X.Y.Z)"
        )
    return found[0]


def _ruff(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "ruff", *args], cwd=cwd, check=True, capture_output=True)


def _require_pinned_ruff() -> None:
    """Refuse any ruff but the pinned one: another may format differently, making the check fail."""
    wanted = _ruff_pin(ROOT / "pyproject.toml")
    found = subprocess.run(
        [sys.executable, "-m", "ruff", "--version"], check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    if found != wanted:
        raise SystemExit(
            f"tools/gen_sync.py needs ruff=={wanted} (found {found}): pip install -e '.[dev]'"
        )


def _tidy(scratch: Path) -> None:
    """Sort imports and format the generated files with the project's ruff config."""
    shutil.copyfile(ROOT / "pyproject.toml", scratch / "pyproject.toml")
    targets = [target for _, target in TREES if (scratch / target).exists()]
    _ruff("check", "--quiet", "--select", "I", "--fix", *targets, cwd=scratch)
    _ruff("format", "--quiet", *targets, cwd=scratch)


def generate() -> dict[Path, str]:
    """Every generated file's path (under the repo) and text, made in a scratch folder."""
    _require_pinned_ruff()
    result: dict[Path, str] = {}
    rule = unasync.Rule("/_async/", "/_sync/", additional_replacements=REPLACEMENTS)
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        for source_tree, target_tree in TREES:
            for source in _sources(source_tree):
                rel = source.relative_to(ROOT)
                copy = scratch / rel
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, copy)
                unasync.unasync_files([str(copy)], [rule])
                made = scratch / target_tree / source.relative_to(ROOT / source_tree)
                made.write_text(
                    HEADER.format(source=rel.as_posix()) + made.read_text(encoding="utf-8"),
                    encoding="utf-8",
                )
                result[ROOT / made.relative_to(scratch)] = ""
        _tidy(scratch)
        for target in result:
            result[target] = (scratch / target.relative_to(ROOT)).read_text(encoding="utf-8")
    return result


def _existing() -> set[Path]:
    found: set[Path] = set()
    for _, target_tree in TREES:
        folder = ROOT / target_tree
        if folder.exists():
            found.update(p for p in folder.rglob("*.py") if p.name not in HAND_WRITTEN)
    return found


def unused_replacements() -> list[str]:
    """Table entries whose name appears in no async source (stale rules hide mistakes)."""
    names: set[str] = set()
    for source_tree, _ in TREES:
        for source in _sources(source_tree):
            tokens = tokenize_rt.src_to_tokens(source.read_text(encoding="utf-8"))
            names.update(t.src for t in tokens if t.name == "NAME")
    return sorted(name for name in REPLACEMENTS if name not in names)


def check() -> int:
    """Compare the committed sync trees with a fresh generation; print every difference."""
    wanted = generate()
    problems: list[str] = []
    for path, text in sorted(wanted.items()):
        rel = path.relative_to(ROOT)
        if not path.exists():
            problems.append(f"missing: {rel}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"stale: {rel}")
    for path in sorted(_existing() - set(wanted)):
        problems.append(f"extra (no async source): {path.relative_to(ROOT)}")
    for name in unused_replacements():
        problems.append(f"unused replacement in tools/gen_sync.py: {name}")
    for line in problems:
        print(line)
    if problems:
        print("run `nox -s codegen` (or python tools/gen_sync.py) and commit the result")
        return 1
    print(f"generated code is current ({len(wanted)} files)")
    return 0


def write() -> int:
    """Write every generated file and delete sync files whose async source is gone."""
    wanted = generate()
    for path in _existing() - set(wanted):
        path.unlink()
        print(f"removed {path.relative_to(ROOT)}")
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)
    return check() if args.check else write()


if __name__ == "__main__":
    sys.exit(main())
