"""The pytest plugin, used the way a user's test suite would use it (pytester runs it)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

USER_TESTS = """
import pytest
from visionchat import AsyncVisionChat, InternalServerError, VisionChat


def test_sync_client(visionchat_client: VisionChat) -> None:
    with visionchat_client.chats.session(title="from a user's test") as chat:
        assert chat.send("Which poles lean?").content


def test_faults(visionchat_client: VisionChat, visionchat_faults) -> None:
    visionchat_faults.add("status", path="/chat/sessions", status=503, count=3)
    with pytest.raises(InternalServerError):
        visionchat_client.chats.list_sessions()


def test_faults_are_cleared(visionchat_client: VisionChat) -> None:
    assert visionchat_client.chats.list_sessions().total >= 1


def test_async_client(visionchat_settings) -> None:
    import asyncio

    async def main() -> str:
        async with AsyncVisionChat(**visionchat_settings) as client:
            return (await client.chats.search_images("rust", limit=1))[0].image_id

    assert asyncio.run(main())
"""


def test_the_plugin_serves_a_users_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", timeout=120)
    result.assert_outcomes(passed=4)


def test_the_plugin_is_registered_by_entry_point() -> None:
    from importlib.metadata import entry_points

    names = {ep.value for ep in entry_points(group="pytest11")}
    assert "visionchat.testing" in names
