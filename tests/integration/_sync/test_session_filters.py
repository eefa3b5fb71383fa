# Generated from tests/integration/_async/test_session_filters.py by tools/gen_sync.py: do not edit; edit the async source.
"""list_sessions / iter_sessions filters (`search`, `min_messages`) against the real server."""

from __future__ import annotations

import uuid

from visionchat import VisionChat


def test_search_matches_titles_and_message_text(client: VisionChat) -> None:
    tag = uuid.uuid4().hex[:12]
    titled = client.chats.create_session(title=f"Survey {tag} north")
    with client.chats.session(title="untitled") as chat:
        chat.send(f"Which poles near {tag} lean?")
        talked = chat.session_id
    client.chats.create_session(title="nothing to find here")

    page = client.chats.list_sessions(search=tag)
    assert {s.id for s in page.items} == {titled.id, talked} and page.total == 2
    found = [s.id for s in client.chats.iter_sessions(search=tag, page_size=1)]
    assert sorted(found) == sorted([titled.id, talked])


def test_min_messages_keeps_sessions_with_enough_messages(client: VisionChat) -> None:
    tag = uuid.uuid4().hex[:12]
    quiet = client.chats.create_session(title=f"{tag} quiet")
    with client.chats.session(title=f"{tag} busy") as chat:
        chat.send("hello")
        chat.send("and again")
        busy = chat.session_id

    assert {s.id for s in (client.chats.list_sessions(search=tag)).items} == {quiet.id, busy}
    assert [s.id for s in (client.chats.list_sessions(search=tag, min_messages=4)).items] == [busy]
    assert (client.chats.list_sessions(search=tag, min_messages=5)).items == []
    everyone = [s.id for s in client.chats.iter_sessions(search=tag, min_messages=0)]
    assert sorted(everyone) == sorted([quiet.id, busy])


def test_a_search_is_literal_text(client: VisionChat) -> None:
    tag = uuid.uuid4().hex[:12]
    literal = client.chats.create_session(title=f"{tag} 100%_done")
    client.chats.create_session(title=f"{tag} 1000 done")
    page = client.chats.list_sessions(search=f"{tag} 100%_")
    assert [s.id for s in page.items] == [literal.id]
