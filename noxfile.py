"""Project tasks. `nox -s ci` is what CI runs; `nox -s demo` is the README's first command."""

from __future__ import annotations

import nox

nox.options.sessions = ["ci"]
nox.options.reuse_existing_virtualenvs = True

DEV = ".[dev]"


def _ruff_pin() -> str:
    """The ruff version the dev extra pins: generated code is formatted by exactly that one."""
    import tomllib

    with open("pyproject.toml", "rb") as file:
        dev = tomllib.load(file)["project"]["optional-dependencies"]["dev"]
    (pin,) = (spec.removeprefix("ruff==") for spec in dev if spec.startswith("ruff=="))
    return pin


def _install(session: nox.Session, *extra: str) -> None:
    session.install("-e", DEV, *extra)


def _check_codegen(session: nox.Session) -> None:
    session.run("python", "tools/gen_sync.py", "--check")


def _lint(session: nox.Session) -> None:
    paths = ["src", "tests", "tools", "benchmarks", "examples", "noxfile.py", "conftest.py"]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


def _typecheck(session: nox.Session) -> None:
    session.run("mypy")
    session.run("pyright", "--pythonpath", session.virtualenv.bin + "/python")


#: What a base install uses (the package, the sync client, the CLI): it must type-check
#: where aiohttp is not installed.
SYNC_SIDE = [
    "src/visionchat/__init__.py",
    "src/visionchat/cli",
    "src/visionchat/_sync",
    "src/visionchat/_transports/_requests.py",
    "src/visionchat/_endpoints.py",
    "src/visionchat/_chat_events.py",
    "src/visionchat/models.py",
    "src/visionchat/errors.py",
]


def _tests(session: nox.Session) -> None:
    # tests/contract (property-based, slow by nature) runs in `nox -s contract`.
    session.run("pytest", "-q", "--ignore=tests/contract", *session.posargs)


def _examples(session: nox.Session) -> None:
    """The framework examples (Django, Flask, FastAPI, Celery) and the browser check, with their tests."""
    # dev too: pytest reads the root conftest.py, whose docs-sample collector needs Sybil.
    session.install("-e", ".[dev,examples]")
    session.run("pytest", "-q", "-p", "no:cacheprovider", "examples")


def _docs(session: nox.Session) -> None:
    """Build the documentation strictly (a broken link or docstring reference fails), then
    run every Python sample of README.md and docs/ against the reference server, and check
    that none is left out without a written reason (tests/docs/harness.py)."""
    session.install("-e", ".[dev,docs]")
    session.run(
        "mkdocs", "build", "--strict", "--site-dir", "site", env={"NO_MKDOCS_2_WARNING": "1"}
    )
    session.run("pytest", "-q", "-p", "no:cacheprovider", "-rs", "README.md", "docs", "tests/docs")


@nox.session
def ci(session: nox.Session) -> None:
    """Everything CI checks: codegen, lint, types, tests, examples, docs; then the
    sync-only type check and the packaging check, each in an environment of its own."""
    _install(session)
    _check_codegen(session)
    _lint(session)
    _typecheck(session)
    _tests(session)
    _examples(session)
    _docs(session)
    session.notify("typecheck_sync")
    session.notify("package")
    session.notify("contract")


@nox.session
def contract(session: nox.Session) -> None:
    """Schemathesis against the reference server's own OpenAPI document (tools/contract.py),
    and the SDK decoding every reply that document allows (tests/contract).

    schemathesis lives in this session's environment only: it registers a pytest plugin.
    """
    _install(session, "schemathesis==4.32.5")
    env = {"PYTHONHASHSEED": "0"}
    session.run("python", "tools/contract.py", env=env)
    session.run("pytest", "-q", "-p", "no:cacheprovider", "tests/contract", env=env)


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (pass pytest arguments after --)."""
    _install(session)
    _tests(session)


@nox.session
def codegen(session: nox.Session) -> None:
    """Regenerate every _sync/ tree from its _async/ source."""
    session.install("unasync>=0.6", "tokenize-rt>=5", "setuptools", f"ruff=={_ruff_pin()}")
    session.run("python", "tools/gen_sync.py")


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff, and the check that the generated code is current."""
    _install(session)
    _check_codegen(session)
    _lint(session)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over src/, the async and the generated sync code alike."""
    _install(session)
    _typecheck(session)


@nox.session
def examples(session: nox.Session) -> None:
    """The framework examples and the browser check."""
    _examples(session)


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site (mkdocs-material + mkdocstrings), built strictly; its samples run."""
    _docs(session)


@nox.session
def typecheck_sync(session: nox.Session) -> None:
    """mypy --strict on the sync client in a base install (no extras, so no aiohttp)."""
    session.install("-e", ".", "mypy>=1.10", "types-requests")
    session.run("python", "-c", "import importlib.util as u; assert not u.find_spec('aiohttp')")
    session.run(
        "mypy",
        "--strict",
        "--follow-imports=silent",
        "--python-version=3.11",
        *SYNC_SIDE,
        env={"MYPYPATH": "src"},
    )


@nox.session
def package(session: nox.Session) -> None:
    """Build sdist and wheel and check them; install the wheel bare and with `server` in
    fresh venvs, then run tools/check_install.py (the base venv against the other's server)."""
    import glob
    import zipfile

    session.install("build", "twine")
    tmp = session.create_tmp()
    dist = f"{tmp}/dist"
    session.run("rm", "-rf", dist, f"{tmp}/base", f"{tmp}/server", external=True)
    session.run("python", "-m", "build", "--outdir", dist)
    artifacts = sorted(glob.glob(f"{dist}/*"))
    session.run("twine", "check", "--strict", *artifacts)
    wheel = next(a for a in artifacts if a.endswith(".whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for required in ["visionchat/_sync/_client.py", "visionchat/py.typed"]:
        if required not in names:
            session.error(f"{wheel} lacks {required}")
    pythons = {}
    for name, spec in [("base", wheel), ("server", f"{wheel}[server]")]:
        session.run("python", "-m", "venv", f"{tmp}/{name}")
        python = pythons[name] = f"{tmp}/{name}/bin/python"
        session.run(python, "-m", "pip", "install", "--quiet", spec, external=True)
        frozen = session.run(python, "-m", "pip", "freeze", silent=True, external=True)
        session.log(
            f"{name} install: {len(str(frozen).splitlines())} packages, visionchat included"
        )
    session.run(
        pythons["server"], "tools/check_install.py", "--base-python", pythons["base"], external=True
    )


@nox.session
def demo(session: nox.Session) -> None:
    """The guided tour, on the embedded reference server."""
    session.install("-e", ".[server]")
    session.run("visionchat", "demo", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: visionchat against the raw transports and the usual SDK stack."""
    _install(session, "httpx", "httpx-sse", "pydantic>=2")
    session.run("python", "-m", "benchmarks", *session.posargs)
