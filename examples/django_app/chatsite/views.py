"""The streaming view: Django sends each event to the browser as soon as it is yielded."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase, JsonResponse, StreamingHttpResponse

from .answers import answer_events


def ask(request: HttpRequest) -> HttpResponseBase:
    """`GET /ask?q=question[&session_id=...]`: the answer as `text/event-stream`."""
    question = request.GET.get("q", "").strip()
    if not question:
        return JsonResponse({"error": "pass the question as ?q=..."}, status=400)
    session_id = request.GET.get("session_id") or None
    response = StreamingHttpResponse(
        answer_events(question, session_id), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # tell nginx-style proxies not to buffer
    return response
