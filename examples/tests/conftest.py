"""Fixtures for the framework examples: one reference server for the whole run.

Each example reads `VISIONCHAT_BASE_URL` / `VISIONCHAT_API_KEY` from the environment,
exactly as it would in production; the `reference_env` fixture points them at the
reference server on 127.0.0.1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from visionchat.server import ReferenceServer

EXAMPLES = Path(__file__).resolve().parent.parent
for example in ("django_app", "flask_app", "fastapi_app"):
    sys.path.insert(0, str(EXAMPLES / example))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatsite.settings")


@pytest.fixture(scope="session")
def reference_server() -> Iterator[ReferenceServer]:
    with ReferenceServer(token_delay=0.0) as server:
        yield server


@pytest.fixture(scope="session")
def reference_env(reference_server: ReferenceServer) -> Iterator[ReferenceServer]:
    """The environment variables the examples read, for the whole session."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VISIONCHAT_BASE_URL", reference_server.base_url)
        mp.setenv("VISIONCHAT_API_KEY", reference_server.api_key)
        yield reference_server
