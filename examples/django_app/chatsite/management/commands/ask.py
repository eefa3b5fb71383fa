"""`python manage.py ask "question"`: print an answer as it streams in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from visionchat import ChatTokenType, VisionChatError
from visionchat.markup import MarkupStream, ref_counts

from ...answers import client


class Command(BaseCommand):
    help = "Ask VisionChat a question and print the answer as it arrives."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("question")
        parser.add_argument("--session-id", help="continue this session instead of a new one")

    def handle(self, *args: Any, **options: Any) -> None:
        chats = client().chats
        markup = MarkupStream()
        try:
            session_id = options["session_id"] or chats.create_session(title="manage.py ask").id
            with chats.send_stream(options["question"], session_id=session_id) as stream:
                for token in stream:
                    if token.type == ChatTokenType.TOKEN:
                        self._write(markup.feed(token.content or ""))
                response = stream.response()
        except VisionChatError as exc:
            raise CommandError(str(exc)) from exc
        self._write(markup.flush())
        self.stdout.write("")  # end the line
        counts = ref_counts(markup.placeholders, response.metadata)
        if counts:
            self.stdout.write("(" + ", ".join(counts) + ")")
        self.stdout.write(f"session {session_id}", style_func=self.style.NOTICE)

    def _write(self, text: str) -> None:
        if text:
            self.stdout.write(text, ending="")
            self.stdout.flush()
