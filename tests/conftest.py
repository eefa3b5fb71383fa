"""Keeps the suite quick: names the tests allowed to take over a second, and reports any other.

The suite should work more than it waits (see docs/architecture.md, "Tests"). A test
that needs more than a second has to be listed here with the reason; the run's summary
names every other one, so a new sleep or a forgotten visible token delay is seen at once.
It reports rather than fails: a busy CI machine must not turn timing into test failures.
"""

from __future__ import annotations

import pytest

SLOW_SECONDS = 1.0

#: Node-id prefixes of the tests allowed over `SLOW_SECONDS`, each with why.
SLOW_TESTS = {
    "tests/plugin/test_testing_plugin.py::test_the_plugin_serves_a_users_tests": (
        "runs a user's test suite in a fresh pytest process, reference server included"
    ),
    "tests/tools/test_codegen.py::": "each regenerates every _sync/ tree (unasync, then ruff)",
    "tests/contract/": "property-based: many generated replies per schema (nox -s contract only)",
    "tests/server/test_connections.py::test_slow_sockets_are_all_let_go": (
        "200 trickling sockets against the server's sub-second deadlines"
    ),
    "tests/server/test_connections.py::test_connections_over_the_cap": (
        "opens sockets past the connection cap and waits for the deadlines to free them"
    ),
    "tests/cli/test_chat.py::test_colour_only_on_a_terminal": (
        "two `visionchat chat` processes on a pseudo-terminal, each with its own server"
    ),
}

_durations: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    slow = sorted(
        (seconds, nodeid)
        for nodeid, seconds in _durations.items()
        if seconds > SLOW_SECONDS and not nodeid.startswith(tuple(SLOW_TESTS))
    )
    if slow:
        terminalreporter.write_sep("-", f"tests over {SLOW_SECONDS:g} s not in tests/conftest.py")
        for seconds, nodeid in reversed(slow):
            terminalreporter.write_line(f"{seconds:6.2f} s  {nodeid}")
