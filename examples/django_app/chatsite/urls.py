"""`GET /ask?q=...` streams an answer as Server-Sent Events."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [path("ask", views.ask, name="ask")]
