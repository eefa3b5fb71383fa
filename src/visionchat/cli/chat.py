"""`visionchat chat`: talk to the agents line by line, answers streamed as they arrive."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .._printable import inert_line
from .._sync._client import VisionChat
from ..errors import VisionChatError
from ..models import ChatResponse, ChatSession, PendingPlan
from .embedded import add_endpoint_arguments, add_token_delay_argument, connect, token_delay
from .output import BOLD, DIM, GREEN, YELLOW, Console
from .render import show_stream

HELP = """\
Type a message to send it. Commands:
  /new [TITLE]    start a new session
  /sessions       list sessions (* marks this one)
  /images QUERY   search the image library
  /export FILE    export this session (.json, .txt, else Markdown)
  /help           this help
  /quit           leave (end of input does too)"""

EXPORT_FORMATS = {".json": "json", ".txt": "text"}
TITLE_LENGTH = 60


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `chat` command."""
    parser = commands.add_parser(
        "chat",
        help="chat interactively, answers streamed as they arrive",
        description="Chat with the agents: one message per line; /help lists the commands.",
    )
    add_endpoint_arguments(parser)
    add_token_delay_argument(parser)
    parser.add_argument("--session", metavar="ID", default=None, help="continue this session")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Connect (or start the embedded server) and chat until /quit or end of input."""
    with (
        connect(console, args.base_url, args.api_key, token_delay=token_delay(args)) as end,
        end.client() as client,
    ):
        app = ChatApp(client, console)
        if args.session:
            app.resume(args.session)
        return app.run()


class ChatApp:
    """The read-send-show loop, and the slash commands."""

    def __init__(self, client: VisionChat, console: Console, stdin: TextIO | None = None) -> None:
        self.client = client
        self.console = console
        self.stdin = stdin if stdin is not None else sys.stdin
        self.interactive = self.stdin.isatty()
        self.session: ChatSession | None = None
        self.failures = 0
        self.commands: dict[str, Callable[[str], bool]] = {
            "/new": self.cmd_new,
            "/sessions": self.cmd_sessions,
            "/images": self.cmd_images,
            "/export": self.cmd_export,
            "/help": self.cmd_help,
            "/quit": self.cmd_quit,
            "/exit": self.cmd_quit,
        }

    # -- the loop ----------------------------------------------------------------

    def run(self) -> int:
        """Read and handle lines until /quit or end of input; 1 if any turn failed."""
        self.console.dim("visionchat chat: type a message, /help for commands, /quit to leave.")
        while True:
            line = self.read_line(self.console.style("you> ", BOLD, GREEN))
            if line is None:
                break
            line = line.strip()
            if not line:
                continue
            try:
                if not self.handle(line):
                    break
            except VisionChatError as exc:
                self.failures += 1
                self.console.error(f"{type(exc).__name__}: {exc}")
            except OSError as exc:  # /export to a path that cannot be written
                self.failures += 1
                self.console.error(str(exc))
            except KeyboardInterrupt:
                self.console.line()
                self.console.dim("(interrupted)")
        return 1 if self.failures else 0

    def read_line(self, prompt: str) -> str | None:
        """The next line of input, or None at its end (or on Ctrl-C at the prompt)."""
        try:
            if self.interactive:
                return input(prompt)
            line = self.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            self.console.line()
            return None
        if not line:
            return None
        self.console.line(self.console.style(f"> {line.rstrip()}", DIM))
        return line

    def handle(self, line: str) -> bool:
        """Run a command or send a message; False when the loop should end."""
        if line.startswith("/"):
            name, _, rest = line.partition(" ")
            command = self.commands.get(name.lower())
            if command is None:
                self.console.line(f"Unknown command {name}; /help lists them.")
                return True
            return command(rest.strip())
        self.ask(line)
        return True

    # -- messages ----------------------------------------------------------------

    def resume(self, session_id: str) -> None:
        """Continue an existing session (fails, like any SDK error, when it is not there)."""
        detail = self.client.chats.get_session(session_id, include_messages=False)
        self.session = detail.session
        state = "" if detail.session.is_active else " (closed: it will refuse new messages)"
        self.console.dim(
            f"Continuing {inert_line(detail.session.title or 'session')} ({detail.session.id}), "
            f"{detail.session.total_messages} messages so far{state}."
        )

    def ensure_session(self, first_message: str) -> ChatSession:
        """The current session, created (titled after the first message) when there is none."""
        if self.session is None:
            title = " ".join(first_message.split())[:TITLE_LENGTH]
            self.session = self.client.chats.create_session(title=title)
            self.console.dim(f"New session {self.session.id}.")
        return self.session

    def ask(self, text: str) -> ChatResponse:
        """Send one message and stream the answer; offer to approve a proposed plan."""
        session = self.ensure_session(text)
        stream = self.client.chats.send_stream(text, session_id=session.id)
        response = show_stream(stream, self.console)
        if response.pending_plan is not None:
            self.decide_plan(session.id, response.pending_plan)
        return response

    def decide_plan(self, session_id: str, plan: PendingPlan) -> None:
        """Show a proposed plan and approve or cancel it as the user says."""
        for step in plan.steps:
            text = step.get("description") if isinstance(step, dict) else None
            self.console.line(f"  - {inert_line(str(text or step))}")
        question = self.console.style("Approve this plan? [y/N] ", BOLD, YELLOW)
        if not self.interactive:
            self.console.line(question.rstrip())  # no prompt off a terminal: say it on a line
        answer = self.read_line(question)
        if answer is None:
            self.console.dim(f"Plan {plan.plan_id} left waiting for approval.")
            return
        if answer.strip().lower() in ("y", "yes"):
            result = self.client.chats.approve_plan(session_id, plan.plan_id)
            self.console.success(result.message or f"Plan {plan.plan_id} approved.")
        else:
            result = self.client.chats.cancel_plan(session_id, plan.plan_id)
            self.console.line(result.message or f"Plan {plan.plan_id} cancelled.")

    # -- commands ----------------------------------------------------------------

    def cmd_new(self, title: str) -> bool:
        """`/new [TITLE]`."""
        self.session = self.client.chats.create_session(title=title or None)
        self.console.dim(f"New session {self.session.id}.")
        return True

    def cmd_sessions(self, _: str) -> bool:
        """`/sessions`."""
        page = self.client.chats.list_sessions(limit=20)
        if not page.items:
            self.console.line("No sessions yet.")
        current = self.session.id if self.session else None
        for item in page.items:
            mark = "*" if item.id == current else " "
            state = "" if item.is_active else ", closed"
            details = self.console.style(
                f"{item.total_messages} messages, {item.total_tokens} tokens{state}", DIM
            )
            title = inert_line(item.title or "(untitled)")
            self.console.line(f"{mark} {item.id}  {title}  {details}")
        if page.has_more:
            self.console.dim(f"  ... {page.total} in all")
        return True

    def cmd_images(self, query: str) -> bool:
        """`/images QUERY`."""
        if not query:
            self.console.line("Usage: /images QUERY")
            return True
        results = self.client.chats.search_images(query, limit=10)
        if not results:
            self.console.line("No matching images.")
        for n, image in enumerate(results, 1):
            name = self.console.style(inert_line(image.filename or image.image_id), BOLD)
            score = f" ({image.relevance_score:.2f})" if image.relevance_score is not None else ""
            self.console.line(f"{n:2}. {name}{self.console.style(score, DIM)}")
            if image.description:
                self.console.dim(f"    {inert_line(image.description)}")
        return True

    def cmd_export(self, filename: str) -> bool:
        """`/export FILE`."""
        if not filename:
            self.console.line("Usage: /export FILE")
            return True
        if self.session is None:
            self.console.line("Nothing to export yet: send a message first.")
            return True
        path = Path(filename).expanduser()
        fmt = EXPORT_FORMATS.get(path.suffix.lower(), "markdown")
        self.client.chats.export_session(self.session.id, format=fmt, path=path)
        self.console.success(f"Exported {self.session.id} to {path} ({fmt}).")
        return True

    def cmd_help(self, _: str) -> bool:
        """`/help`."""
        self.console.line(HELP)
        return True

    def cmd_quit(self, _: str) -> bool:
        """`/quit`."""
        return False
