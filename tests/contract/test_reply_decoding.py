"""Every reply the published OpenAPI document allows decodes through the SDK's decode path.

The document declares replies as the hosted API allows them (image_context's four
shapes, nulls, open objects), so these instances go beyond what the reference
server sends. Many instances per schema; any decode failure fails the test.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import msgspec
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from tests.contract.decoders import DECODERS, encode
from tests.contract.support import FUZZ, reply_schemas, reply_strategy
from visionchat.models import ImageInfo
from visionchat.server import ReferenceServer, openapi

#: Instances per reply schema.
EXAMPLES = 40


def test_every_reply_schema_has_a_decode_path() -> None:
    assert reply_schemas(openapi.document()) == set(DECODERS)


def test_the_server_publishes_the_document_without_a_key() -> None:
    with ReferenceServer() as server:
        with urllib.request.urlopen(f"{server.base_url}/openapi.json", timeout=10) as reply:
            assert reply.headers["Content-Type"].startswith("application/json")
            published = json.load(reply)
    assert published == json.loads(json.dumps(openapi.document()))
    assert published["openapi"].startswith("3.1")


@pytest.mark.parametrize("name", sorted(DECODERS))
@settings(FUZZ, max_examples=EXAMPLES)
@given(data=st.data())
def test_every_allowed_reply_decodes(name: str, data: st.DataObject) -> None:
    instance: Any = data.draw(reply_strategy(name), label=name)
    DECODERS[name](encode(instance))


class _NarrowMessage(msgspec.Struct):
    """A message model with `image_context` put back to what the SDK once accepted."""

    image_context: list[ImageInfo] | None = None


def _narrow_model_refuses(instance: Any) -> bool:
    try:
        msgspec.json.decode(encode(instance), type=_NarrowMessage)
    except msgspec.ValidationError:
        return True
    return False


def test_the_decode_test_can_fail() -> None:
    """The generated messages include an `image_context` a narrower model cannot read."""
    find(
        reply_strategy("Message"), _narrow_model_refuses, settings=settings(FUZZ, max_examples=200)
    )
