# Generated from tests/unit/_async/test_paging.py by tools/gen_sync.py: do not edit; edit the async source.
"""`iter_sessions`, `iter_all_images`, `iter_search_images`: pages as needed, and always an end."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.payloads import summary
from visionchat import VisionChat


def _images(ids: list[str], total: int, more: bool) -> dict[str, Any]:
    return {"image_ids": ids, "total_count": total, "has_more": more}


def _hits(ids: list[str], total: int | None) -> dict[str, Any]:
    body: dict[str, Any] = {"results": [{"image_id": i} for i in ids], "query_interpretation": {}}
    if total is not None:
        body["total_count"] = total
    return body


def test_iter_all_images_pages_by_limit_and_offset(client: VisionChat, mock_api) -> None:
    mock_api.add("GET", "/chat/images/all", json=_images(["a", "b"], 5, True))
    mock_api.add("GET", "/chat/images/all", json=_images(["c", "d"], 5, True))
    mock_api.add("GET", "/chat/images/all", json=_images(["e"], 5, False))
    assert [i for i in client.chats.iter_all_images(page_size=2)] == list("abcde")
    assert [(c.query["limit"], c.query["offset"]) for c in mock_api.calls] == [
        ("2", "0"),
        ("2", "2"),
        ("2", "4"),
    ]


def test_iter_all_images_asks_for_1000_a_page_by_default(client: VisionChat, mock_api) -> None:
    mock_api.add("GET", "/chat/images/all", json=_images(["a"], 1, False))
    assert [i for i in client.chats.iter_all_images()] == ["a"]
    assert mock_api.calls[0].query == {"limit": "1000", "offset": "0"}


def test_iter_search_images_pages_the_search_body(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", "/chat/images/search", json=_hits(["a", "b"], 3))
    mock_api.add("POST", "/chat/images/search", json=_hits(["c"], 3))
    hits = [h.image_id for h in client.chats.iter_search_images("rust", page_size=2)]
    assert hits == ["a", "b", "c"]
    assert [c.json for c in mock_api.calls] == [
        {"query": "rust", "limit": 2, "offset": 0},
        {"query": "rust", "limit": 2, "offset": 2},
    ]


def test_iter_search_images_stops_at_the_total_without_asking_for_an_empty_page(
    client: VisionChat, mock_api
) -> None:
    mock_api.add("POST", "/chat/images/search", json=_hits(["a", "b"], 4))
    mock_api.add("POST", "/chat/images/search", json=_hits(["c", "d"], 4))
    hits = [h.image_id for h in client.chats.iter_search_images("rust", page_size=2)]
    assert hits == ["a", "b", "c", "d"] and len(mock_api.calls) == 2


def test_iter_search_images_without_a_total_stops_at_a_short_page(
    client: VisionChat, mock_api
) -> None:
    mock_api.add("POST", "/chat/images/search", json=_hits(["a", "b"], None))
    mock_api.add("POST", "/chat/images/search", json=_hits(["c"], None))
    hits = [h.image_id for h in client.chats.iter_search_images("rust", page_size=2)]
    assert hits == ["a", "b", "c"] and len(mock_api.calls) == 2


def test_a_server_that_ignores_offset_is_not_followed_forever(client: VisionChat, mock_api) -> None:
    # The same full page with has_more and a huge total, ten times over: the walk
    # notices the repeat instead of asking for all ten.
    for _ in range(10):
        mock_api.add("GET", "/chat/images/all", json=_images(["a", "b"], 10**9, True))
    assert [i for i in client.chats.iter_all_images(page_size=2)] == ["a", "b", "a", "b"]
    assert len(mock_api.calls) == 2


def test_has_more_is_not_followed_past_the_first_pages_total(client: VisionChat, mock_api) -> None:
    # Always "more", with fresh ids and a total that grows: bounded by the first total.
    for n in range(10):
        ids = [f"s-{n}-a", f"s-{n}-b"]
        body = {"sessions": [summary(i) for i in ids], "total_count": 4 + 2 * n, "has_more": True}
        mock_api.add("GET", "/chat/sessions", json=body)
    seen = [s.id for s in client.chats.iter_sessions(page_size=2)]
    assert seen == ["s-0-a", "s-0-b", "s-1-a", "s-1-b"]
    assert len(mock_api.calls) == 2


def test_search_results_that_never_run_short_stop_at_the_total(
    client: VisionChat, mock_api
) -> None:
    for n in range(10):
        mock_api.add("POST", "/chat/images/search", json=_hits([f"{n}a", f"{n}b"], 6))
    hits = [h.image_id for h in client.chats.iter_search_images("q", page_size=2)]
    assert hits == ["0a", "0b", "1a", "1b", "2a", "2b"] and len(mock_api.calls) == 3


def test_stopping_early_sends_no_further_request(client: VisionChat, mock_api) -> None:
    mock_api.add("GET", "/chat/images/all", json=_images(["a", "b"], 4, True))
    for image_id in client.chats.iter_all_images(page_size=2):
        assert image_id == "a"
        break
    assert len(mock_api.calls) == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda chats: chats.iter_all_images(page_size=0), "page_size"),
        (lambda chats: chats.iter_all_images(page_size=5001), "page_size"),
        (lambda chats: chats.iter_search_images("q", page_size=101), "page_size"),
        (lambda chats: chats.iter_search_images("", page_size=10), "query"),
        (lambda chats: chats.iter_sessions(page_size=101), "page_size"),
    ],
)
def test_bad_paging_arguments_fail_before_any_request(
    client: VisionChat, mock_api, call: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        for _ in call(client.chats):
            pass
    assert mock_api.calls == []
