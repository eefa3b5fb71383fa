"""Each reply schema of the published document, mapped to the SDK's own decode path for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from visionchat import models
from visionchat._chat_events import ChatEventReader
from visionchat._decode import decode_reply
from visionchat._endpoints import (
    parse_created_session,
    parse_plan_action,
    parse_search_results,
    parse_send_reply,
)
from visionchat._error_mapping import status_error
from visionchat._wire import Response
from visionchat.errors import APIStatusError, UnprocessableEntityError

SID = "5f0c6d3e-8a43-4d8e-9a3c-1b2a3c4d5e6f"


def _reply(body: bytes, status: int = 200) -> Response:
    return Response(status, {"Content-Type": "application/json", "X-Request-ID": "req-1"}, body)


def _model(type_: type[Any]) -> Callable[[bytes], object]:
    return lambda body: decode_reply(_reply(body), type_)


def _complete(body: bytes) -> object:
    reader = ChatEventReader(SID)
    reader.token(("complete", body, None))
    assert reader.response is not None
    return reader.response


def _error(status: int, kind: type[APIStatusError]) -> Callable[[bytes], object]:
    def decode(body: bytes) -> object:
        error = status_error(status, {}, body)
        assert isinstance(error, kind) and str(error)
        return error

    return decode


DECODERS: dict[str, Callable[[bytes], object]] = {
    "SessionCreated": lambda body: parse_created_session(_reply(body), True),
    "SessionListReply": _model(models.SessionList),
    "SessionDetail": _model(models.ChatSessionDetail),
    "SessionRenamed": _model(models.SessionRenamed),
    "SessionClosed": _model(models.SessionClosed),
    "SendReply": lambda body: parse_send_reply(_reply(body), SID),
    "StreamComplete": _complete,
    "ModeUpdated": _model(models.ModeUpdated),
    "ImagesUpdated": _model(models.ImagesUpdated),
    "DocumentsUpdated": _model(models.DocumentsUpdated),
    "VideosUpdated": _model(models.VideosUpdated),
    "DomainUpdated": _model(models.DomainUpdated),
    "AllImages": _model(models.ChatImageList),
    "SearchReply": lambda body: parse_search_results(_reply(body)),
    "PlanActionReply": lambda body: parse_plan_action(_reply(body), "plan-1"),
    "ChatError": _error(404, APIStatusError),
    "ValidationErrorReply": _error(422, UnprocessableEntityError),
}


def encode(instance: Any) -> bytes:
    """A generated instance as the bytes a server would send."""
    return msgspec.json.encode(instance)
