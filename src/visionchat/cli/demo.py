"""`visionchat demo`: a guided tour of the SDK on the embedded reference server.

Both clients, one after the other: the blocking `VisionChat` creates a session, streams
answers, runs a detailed analysis, asks the documents and approves a plan; the asyncio
`AsyncVisionChat` streams the same way; then the session is exported to Markdown and
a summary gives the time taken, messages and tokens.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .._sync._client import VisionChat
from ..models import ChatResponse, ChatSession
from .embedded import Endpoint, add_token_delay_argument, embedded_server, token_delay
from .output import BOLD, DIM, GREEN, Console
from .render import show_async_stream, show_stream

#: The tour's steps, in order (each is printed as a heading).
STEPS = (
    "Start the reference server",
    "Create a session (VisionChat, blocking)",
    "Stream an answer token by token",
    "Detailed analysis",
    "Ask the documents",
    "A plan, proposed and approved",
    "List sessions",
    "Stream with AsyncVisionChat (asyncio)",
    "Export the session to Markdown",
    "Summary",
)

QUESTION = "Show me rust on bridges"
ANALYSIS = "Assess the cracks in the retaining walls"
DOCUMENT_QUESTION = "What does the corrosion standard say about rust on guardrails?"
PLAN_REQUEST = "Please organise the rust photos into folders by asset type"
ASYNC_QUESTION = "Which poles lean?"
DOCUMENT_FILES = (
    "corrosion-protection-standard-cp12.pdf",
    "utility-pole-maintenance-manual.pdf",
    "field-survey-safety-handbook.pdf",
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `demo` command."""
    parser = commands.add_parser(
        "demo",
        help="a guided tour of both clients on the embedded reference server",
        description="A guided tour of the SDK on the embedded reference server (no network).",
    )
    add_token_delay_argument(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder for the Markdown export (default: a new temporary folder)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Run the tour."""
    return Tour(console, token_delay=token_delay(args), out_dir=args.out).run()


@dataclass
class Tally:
    """What the tour did, for the summary."""

    responses: list[ChatResponse] = field(default_factory=list)
    sessions: dict[str, ChatSession] = field(default_factory=dict)
    token_events: int = 0

    @property
    def answer_tokens(self) -> int:
        """The answers' own `token_count`s, added up."""
        return sum(r.token_count or 0 for r in self.responses)


class Tour:
    """The demo's steps, printed as they run."""

    def __init__(self, console: Console, *, token_delay: float, out_dir: Path | None) -> None:
        self.console = console
        self.token_delay = token_delay
        self.out_dir = out_dir
        self.tally = Tally()
        self._step = 0

    def run(self) -> int:
        """Every step, in order; 0 when all went well (SDK errors propagate)."""
        started = time.monotonic()
        self.step()
        with embedded_server(self.console, token_delay=self.token_delay) as endpoint:
            self.console.line(f"Base URL {endpoint.base_url}, key {endpoint.api_key}")
            self.console.dim(
                f"In-process, temporary database, {self.token_delay:g} s between streamed tokens."
            )
            with endpoint.client() as client:
                session = self.create_session(client)
                self.stream_answer(client, session)
                self.detailed_analysis(client, session)
                self.ask_documents(client, session)
                self.plan(client, session)
                self.list_sessions(client)
                self.step()
                asyncio.run(self.async_part(endpoint))
                path = self.export(client, session)
                for session_id in list(self.tally.sessions):
                    detail = client.chats.get_session(session_id, include_messages=False)
                    self.tally.sessions[session_id] = detail.session
        self.summary(time.monotonic() - started, path)
        return 0

    # -- helpers -----------------------------------------------------------------

    def step(self) -> None:
        """Print the next step's heading."""
        title = STEPS[self._step]
        self._step += 1
        self.console.heading(f"{self._step}/{len(STEPS)}  {title}")

    def question(self, text: str) -> None:
        """Show what is being asked."""
        self.console.line(self.console.style("you> ", BOLD, GREEN) + text)

    def record(self, response: ChatResponse, token_events: int = 0) -> None:
        """Count an answer and say what it cost."""
        self.tally.responses.append(response)
        if response.token_count is not None:
            agents = ", ".join(response.agents_used or []) or "-"
            self.console.dim(f"  [{response.token_count} tokens, agents: {agents}]")

    def streamed(
        self, client: VisionChat, session: ChatSession, text: str, *, detailed: bool = False
    ) -> None:
        """Ask in `session`, stream the answer and count it."""
        self.question(text)
        stream = client.chats.send_stream(
            text, session_id=session.id, force_detailed_analysis=detailed
        )
        response = show_stream(stream, self.console)
        self.record(response)

    # -- steps -------------------------------------------------------------------

    def create_session(self, client: VisionChat) -> ChatSession:
        self.step()
        session = client.chats.create_session(title="Demo: bridge and asset survey")
        self.tally.sessions[session.id] = session
        self.console.line(f"client.chats.create_session() -> {session.id} {session.title!r}")
        return session

    def stream_answer(self, client: VisionChat, session: ChatSession) -> None:
        self.step()
        self.console.dim(
            "client.chats.send_stream(...): progress events, then the text as it comes"
        )
        self.streamed(client, session, QUESTION)

    def detailed_analysis(self, client: VisionChat, session: ChatSession) -> None:
        self.step()
        self.console.dim("send_stream(..., force_detailed_analysis=True): the analysis agent joins")
        self.streamed(client, session, ANALYSIS, detailed=True)

    def ask_documents(self, client: VisionChat, session: ChatSession) -> None:
        self.step()
        from ..server import DEMO_TENANT
        from ..server.library import generate_documents

        documents = [d for d in generate_documents(DEMO_TENANT) if d.filename in DOCUMENT_FILES]
        updated = client.chats.update_documents(session.id, [d.id for d in documents])
        self.console.line(f"client.chats.update_documents() -> {updated.document_count} selected:")
        for document in documents:
            self.console.dim(f"  {document.title} ({document.filename})")
        self.streamed(client, session, DOCUMENT_QUESTION)

    def plan(self, client: VisionChat, session: ChatSession) -> None:
        self.step()
        self.question(PLAN_REQUEST)
        stream = client.chats.send_stream(PLAN_REQUEST, session_id=session.id)
        response = show_stream(stream, self.console)
        self.record(response)
        plan = response.pending_plan
        if plan is None:
            self.console.line("(no plan was proposed)")
            return
        self.console.line(f"response().pending_plan -> {plan.plan_id}, {len(plan.steps)} steps:")
        for step in plan.steps:
            text = step.get("description") if isinstance(step, dict) else None
            self.console.line(f"  - {text or step}")
        result = client.chats.approve_plan(session.id, plan.plan_id)
        self.console.success(f"client.chats.approve_plan() -> {result.message}")

    def list_sessions(self, client: VisionChat) -> None:
        self.step()
        page = client.chats.list_sessions(limit=10)
        self.console.line(f"client.chats.list_sessions() -> {page.total} session(s):")
        for item in page.items:
            self.console.line(
                f"  {item.id}  {item.title}  "
                + self.console.style(
                    f"{item.total_messages} messages, {item.total_tokens} tokens", DIM
                )
            )

    async def async_part(self, endpoint: Endpoint) -> None:
        async with endpoint.async_client() as client:
            async with client.chats.session(title="Demo: the async client") as chat:
                self.tally.sessions[chat.session_id] = chat.session
                self.console.line(
                    f"async with client.chats.session() -> {chat.session_id} (closed on exit)"
                )
                self.question(ASYNC_QUESTION)
                response = await show_async_stream(chat.send_stream(ASYNC_QUESTION), self.console)
                self.record(response)
            page = await client.chats.list_sessions()
            self.console.line(f"await client.chats.list_sessions() -> {page.total} session(s)")

    def export(self, client: VisionChat, session: ChatSession) -> Path:
        self.step()
        folder = self.out_dir or Path(tempfile.mkdtemp(prefix="visionchat-demo-"))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"visionchat-demo-{session.id[:8]}.md"
        client.chats.export_session(session.id, format="markdown", path=path)
        self.console.line(f"client.chats.export_session(path=...) wrote {path}")
        with path.open(encoding="utf-8") as export:
            for line in [next(export, "") for _ in range(5)]:
                if line.strip():
                    self.console.dim(f"  {line.rstrip()}")
        return path

    def summary(self, elapsed: float, path: Path) -> None:
        self.step()
        sessions = self.tally.sessions.values()
        messages = sum(s.total_messages for s in sessions)
        session_tokens = sum(s.total_tokens for s in sessions)
        rows = (
            ("Time", f"{elapsed:.1f} s"),
            ("Sessions", f"{len(self.tally.sessions)} (one per client)"),
            ("Messages", f"{messages} (questions and answers)"),
            ("Answers", f"{len(self.tally.responses)}"),
            ("Tokens", f"{self.tally.answer_tokens} in the answers (token_count)"),
            ("Session tokens", f"{session_tokens} (sessions' total_tokens)"),
            ("Export", str(path)),
        )
        for label, value in rows:
            self.console.line(f"{self.console.style(f'{label:<15}', BOLD)} {value}")
        self.console.success("Done. Next: `visionchat chat` to talk to the agents yourself.")
