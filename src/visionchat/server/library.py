"""The demo library: an infrastructure survey of images, documents and videos.

The content lives in ``library.json`` next to this module (shipped in the wheel) and is
checked against the structures below when first loaded, so a broken edit fails at start
with the field that is wrong. Ids are ``uuid5`` of the tenant and the item's position:
every tenant gets the same content under its own ids, which keeps tenant-isolation
checks meaningful.
"""

from __future__ import annotations

import functools
import uuid
from importlib import resources
from typing import Annotated

import msgspec

from .models import DocumentItem, ImageItem, Scene, VideoItem

LIBRARY_NAMESPACE = uuid.UUID("6f1c2d7e-5b0a-4c59-9a3e-2f64c1d0b8a7")
DATA_FILE = "library.json"

_Text = Annotated[str, msgspec.Meta(min_length=1)]
_Timestamp = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")]


class _Image(msgspec.Struct, forbid_unknown_fields=True):
    filename: _Text
    title: _Text
    description: _Text
    tags: Annotated[list[_Text], msgspec.Meta(min_length=1)]
    category: _Text
    confidence: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]
    created_at: _Timestamp


class _Document(msgspec.Struct, forbid_unknown_fields=True):
    filename: _Text
    title: _Text
    created_at: _Timestamp
    pages: Annotated[list[_Text], msgspec.Meta(min_length=1)]


class _Scene(msgspec.Struct, forbid_unknown_fields=True):
    at_seconds: Annotated[int, msgspec.Meta(ge=0)]
    note: _Text


class _Video(msgspec.Struct, forbid_unknown_fields=True):
    filename: _Text
    title: _Text
    duration_seconds: Annotated[int, msgspec.Meta(gt=0)]
    created_at: _Timestamp
    scenes: Annotated[list[_Scene], msgspec.Meta(min_length=1)]


class _Library(msgspec.Struct, forbid_unknown_fields=True):
    images: list[_Image]
    documents: list[_Document]
    videos: list[_Video]


class LibraryDataError(ValueError):
    """The shipped library file does not match its schema."""


def parse_library(raw: bytes) -> _Library:
    """Decode and check library data; the error names the offending field."""
    try:
        library = msgspec.json.decode(raw, type=_Library)
    except msgspec.ValidationError as error:
        raise LibraryDataError(f"{DATA_FILE}: {error}") from None
    return library


@functools.cache
def _data() -> _Library:
    return parse_library(resources.files(__package__).joinpath(DATA_FILE).read_bytes())


def _uuid(tenant_id: str, kind: str, n: int) -> str:
    return str(uuid.uuid5(LIBRARY_NAMESPACE, f"{tenant_id}/{kind}/{n}"))


def generate_images(tenant_id: str) -> list[ImageItem]:
    """The tenant's survey photos: same content for every tenant, ids unique per tenant."""
    return [
        ImageItem(
            id=_uuid(tenant_id, "image", n),
            filename=i.filename,
            title=i.title,
            description=i.description,
            tags=tuple(i.tags),
            category=i.category,
            confidence=i.confidence,
            created_at=i.created_at,
        )
        for n, i in enumerate(_data().images)
    ]


def generate_documents(tenant_id: str) -> list[DocumentItem]:
    """The survey documents, each a few pages of plain text."""
    return [
        DocumentItem(
            id=_uuid(tenant_id, "document", n),
            filename=d.filename,
            title=d.title,
            pages=tuple(d.pages),
            created_at=d.created_at,
        )
        for n, d in enumerate(_data().documents)
    ]


def generate_videos(tenant_id: str) -> list[VideoItem]:
    """The survey videos, described by timestamped scene notes."""
    return [
        VideoItem(
            id=_uuid(tenant_id, "video", n),
            filename=v.filename,
            title=v.title,
            duration_seconds=v.duration_seconds,
            scenes=tuple(Scene(s.at_seconds, s.note) for s in v.scenes),
            created_at=v.created_at,
        )
        for n, v in enumerate(_data().videos)
    ]
