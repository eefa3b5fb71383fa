"""FastAPI example: one async VisionChat client per app, answers relayed as Server-Sent Events.

- `GET /` is a small chat page (`page.html`) that shows the answer as it arrives.
- `GET /ask?q=...[&session_id=...][&detailed=true]` streams the answer as
  `text/event-stream`: `session`, then `image`s (thumbnails of the pictures the answer
  cites) and `token`s (text, and the answer so far as HTML), then `done` (with the
  resolved answer) or `error`.

Run it with `uvicorn fastapi_chat:app` (see README.md). The client is created in the
app's lifespan, inside the server's event loop, shared by every request, and closed
when the app shuts down.

Reference markup such as `[[img:ID|name]]` can arrive split over several tokens;
`MarkupStream` holds text back from `[[` until the closing `]]` so the browser never
sees half a reference.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from answer_html import Thumbnails, render_markdown
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from visionchat import AsyncVisionChat, ChatTokenType, VisionChatError
from visionchat.markup import MarkupStream

HERE = Path(__file__).parent
PAGE = (HERE / "page.html").read_text(encoding="utf-8")
SCRIPT = (HERE / "page.js").read_text(encoding="utf-8")

#: The page runs only its own script (no inline script, so no injected handler either);
#: pictures may come from the API's media host, wherever that is.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' http: https:; object-src 'none'; base-uri 'none'; form-action 'self'"
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Key and URL from VISIONCHAT_API_KEY / VISIONCHAT_BASE_URL. `async with` closes the
    # connection pool on shutdown, after the server has finished the open requests.
    async with AsyncVisionChat() as client:
        app.state.visionchat = client
        try:
            yield
        finally:
            del app.state.visionchat


def visionchat(request: Request) -> AsyncVisionChat:
    """The app's client, as a dependency."""
    client: AsyncVisionChat = request.app.state.visionchat
    return client


Client = Annotated[AsyncVisionChat, Depends(visionchat)]


def sse(event: str, data: dict[str, Any]) -> str:
    """One Server-Sent Event; JSON keeps newlines in the text out of the framing."""
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


async def answer_events(
    client: AsyncVisionChat, question: str, session_id: str | None, detailed: bool = False
) -> AsyncIterator[str]:
    """Stream an answer as SSE: `session`, `image`s and `token`s, then `done` (or `error`).

    `token` and `done` carry the answer so far both as text and as HTML rendered from
    its Markdown (on the server: the page loads no Markdown library); `image` is a
    thumbnail of a picture the answer cites, with the address of its larger view.
    """
    try:
        if session_id is None:
            session_id = (await client.chats.create_session(title=question[:80])).id
        yield sse("session", {"session_id": session_id})
        markup = MarkupStream()
        thumbnails = Thumbnails()
        shown = ""
        # If the browser goes away, the server cancels this generator; `async with`
        # then releases the connection to the API at once.
        async with client.chats.send_stream(
            question, session_id=session_id, force_detailed_analysis=detailed
        ) as stream:
            async for token in stream:
                if token.type == ChatTokenType.IMAGE_RESULTS:
                    thumbnails.add_results(token.data)
                elif token.type == ChatTokenType.TOKEN:
                    for image in thumbnails.feed(token.content or ""):
                        yield sse("image", image)
                    text = markup.feed(token.content or "")
                    if text:
                        shown += text
                        yield sse("token", {"text": text, "html": render_markdown(shown)})
            response = await stream.response()
        rest = markup.flush()
        if rest:
            yield sse("token", {"text": rest, "html": render_markdown(shown + rest)})
        final = response.resolved_content or ""
        yield sse(
            "done",
            {"message_id": response.message_id, "text": final, "html": render_markdown(final)},
        )
    except VisionChatError as exc:
        yield sse("error", {"message": str(exc)})


def create_app() -> FastAPI:
    """A new app with its own client (made when the app starts)."""
    app = FastAPI(title="VisionChat FastAPI example", lifespan=lifespan)

    @app.get("/", response_class=HTMLResponse)
    async def page() -> HTMLResponse:
        return HTMLResponse(PAGE, headers={"Content-Security-Policy": CSP})

    @app.get("/page.js")
    async def script() -> Response:
        return Response(SCRIPT, media_type="text/javascript")

    @app.get("/ask")
    async def ask(
        client: Client,
        q: Annotated[str, Query(max_length=10_000)] = "",
        session_id: str | None = None,
        detailed: bool = False,
    ) -> StreamingResponse:
        question = q.strip()
        if not question:
            raise HTTPException(400, "pass the question as ?q=...")
        return StreamingResponse(
            answer_events(client, question, session_id or None, detailed),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return app


app = create_app()
