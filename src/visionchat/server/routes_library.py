"""Library endpoints: all image ids, image search, and the generated media files."""

from __future__ import annotations

import hmac
from typing import Any

from aiohttp import web

from .common import tenant_of
from .errors import ApiError
from .media import SIZES, render_svg
from .search import tokenize
from .state import ServerState, state_of
from .validation import body_int, body_str, json_object, query_int
from .views import image_urls

routes = web.RouteTableDef()
media_routes = web.RouteTableDef()


@routes.get("/chat/images/all")
async def all_images(request: web.Request) -> web.Response:
    """13. Ids of every image of the tenant, in library order, paged."""
    state = state_of(request)
    limit = query_int(request, "limit", 5000, 1, 5000)
    offset = query_int(request, "offset", 0, 0, None)
    assert limit is not None and offset is not None
    ids = [image.id for image in state.library(tenant_of(request)).images]
    page = ids[offset : offset + limit]
    return web.json_response(
        {"image_ids": page, "total_count": len(ids), "has_more": offset + len(page) < len(ids)}
    )


@routes.post("/chat/images/search")
async def search_images(request: web.Request) -> web.Response:
    """14. BM25 search over image descriptions and tags, best first."""
    state = state_of(request)
    body = await json_object(request)
    query = body_str(body, "query", required=True, lo=1, hi=500)
    assert query is not None
    limit = body_int(body, "limit", 50, 1, 100)
    offset = body_int(body, "offset", 0, 0, None)
    library = state.library(tenant_of(request))
    ranked = library.image_index.search(query)
    best = ranked[0][1] if ranked else 1.0
    results: list[dict[str, Any]] = []
    for image_id, score in ranked[offset : offset + limit]:
        image = library.images_by_id[image_id]
        urls = image_urls(request, state, image_id)
        results.append(
            {
                "image_id": image.id,
                "description": image.description,
                "confidence": image.confidence,
                "relevance_score": round(score / best, 4),
                "thumbnail_url": urls["thumb"],
                "medium_url": urls["medium"],
                "full_url": urls["full"],
                "created_at": image.created_at,
                "filename": image.filename,
            }
        )
    terms = tokenize(query)
    top_tags = {
        tag for image_id, _score in ranked[:10] for tag in library.images_by_id[image_id].tags
    }
    matched_tags = sorted(tag for tag in top_tags if set(tokenize(tag)) & set(terms))
    return web.json_response(
        {
            "results": results,
            "total_count": len(ranked),
            "query_interpretation": {
                "original_query": query,
                "terms": terms,
                "matched_tags": matched_tags,
                "ranking": "bm25",
            },
        }
    )


@media_routes.get("/media/{size}/{image_id}.svg")
async def media(request: web.Request) -> web.Response:
    """Generated SVG for an image; the URL's ``sig`` stands in for authentication."""
    state = state_of(request)
    size = request.match_info["size"]
    image_id = request.match_info["image_id"]
    signature = request.query.get("sig", "")
    if size not in SIZES or not _signed(state, image_id, signature):
        raise ApiError(404, "NOT_FOUND", "Not found")
    image = state.db.image_by_id(image_id)
    if image is None:
        raise ApiError(404, "NOT_FOUND", "Not found")
    return web.Response(
        text=render_svg(image, size),
        content_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def _signed(state: ServerState, image_id: str, signature: str) -> bool:
    """Whether ``signature`` is the image's; ids and signatures are ASCII, anything else is not.

    (``compare_digest`` raises on a str holding non-ASCII, such as ``sig=%C3%A9``.)
    """
    if not (image_id.isascii() and signature.isascii()):
        return False
    return hmac.compare_digest(signature, state.media_signature(image_id))
