"""list_sessions / iter_sessions filters (`search`, `min_messages`) against the real server."""

from __future__ import annotations

import uuid

from visionchat import AsyncVisionChat


async def test_search_matches_titles_and_message_text(client: AsyncVisionChat) -> None:
    tag = uuid.uuid4().hex[:12]
    titled = await client.chats.create_session(title=f"Survey {tag} north")
    async with client.chats.session(title="untitled") as chat:
        await chat.send(f"Which poles near {tag} lean?")
        talked = chat.session_id
    await client.chats.create_session(title="nothing to find here")

    page = await client.chats.list_sessions(search=tag)
    assert {s.id for s in page.items} == {titled.id, talked} and page.total == 2
    found = [s.id async for s in client.chats.iter_sessions(search=tag, page_size=1)]
    assert sorted(found) == sorted([titled.id, talked])


async def test_min_messages_keeps_sessions_with_enough_messages(client: AsyncVisionChat) -> None:
    tag = uuid.uuid4().hex[:12]
    quiet = await client.chats.create_session(title=f"{tag} quiet")
    async with client.chats.session(title=f"{tag} busy") as chat:
        await chat.send("hello")
        await chat.send("and again")
        busy = chat.session_id

    assert {s.id for s in (await client.chats.list_sessions(search=tag)).items} == {quiet.id, busy}
    assert [s.id for s in (await client.chats.list_sessions(search=tag, min_messages=4)).items] == [
        busy
    ]
    assert (await client.chats.list_sessions(search=tag, min_messages=5)).items == []
    everyone = [s.id async for s in client.chats.iter_sessions(search=tag, min_messages=0)]
    assert sorted(everyone) == sorted([quiet.id, busy])


async def test_a_search_is_literal_text(client: AsyncVisionChat) -> None:
    tag = uuid.uuid4().hex[:12]
    literal = await client.chats.create_session(title=f"{tag} 100%_done")
    await client.chats.create_session(title=f"{tag} 1000 done")
    page = await client.chats.list_sessions(search=f"{tag} 100%_")
    assert [s.id for s in page.items] == [literal.id]
