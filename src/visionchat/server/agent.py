"""A deterministic stand-in for the hosted service's AI agents (no model, no network).

It routes a question to agents (image search, image analysis, document search, video
analysis, planning), ranks the tenant's library with BM25 while honouring the session's
selection, mode and domain, and writes an answer with the protocol's reference markup.
Each agent returns an :class:`AgentResult`; :meth:`Agents.run` combines them into one
:class:`AgentOutcome`, which feeds both the JSON and the SSE endpoint.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .models import DocumentItem, ImageItem, VideoItem
from .search import BM25Index, tokenize

_Item = TypeVar("_Item", ImageItem, DocumentItem, VideoItem)

Event = tuple[str, dict[str, Any]]

AGENT_IMAGE_SEARCH = "image_search_agent"
AGENT_ANALYSIS = "image_analysis_agent"
AGENT_DOCUMENTS = "document_search_agent"
AGENT_VIDEO = "video_analysis_agent"
AGENT_PLANNING = "planning_agent"
AGENT_CONVERSATION = "conversation_agent"
ORCHESTRATOR = "orchestrator"


@dataclass
class LibraryView:
    """One tenant's library with its search indexes (rebuilt when the library changes)."""

    images: list[ImageItem]
    documents: list[DocumentItem]
    videos: list[VideoItem]
    image_index: BM25Index = field(init=False)
    page_index: BM25Index = field(init=False)
    scene_index: BM25Index = field(init=False)

    def __post_init__(self) -> None:
        self.images_by_id = {i.id: i for i in self.images}
        self.documents_by_id = {d.id: d for d in self.documents}
        self.videos_by_id = {v.id: v for v in self.videos}
        self.image_index = BM25Index(
            (i.id, f"{i.title} {i.description} {' '.join(i.tags)} {i.folder}") for i in self.images
        )
        self.page_index = BM25Index(
            (f"{d.id}#{n + 1}", page) for d in self.documents for n, page in enumerate(d.pages)
        )
        self.scene_index = BM25Index(
            (f"{v.id}@{n}", f"{v.title} {s.note}")
            for v in self.videos
            for n, s in enumerate(v.scenes)
        )


@dataclass(frozen=True)
class TurnRequest:
    """Everything the agents may look at for one user message."""

    question: str
    domain: str = "general"
    use_all_images: bool = True
    selected_image_ids: tuple[str, ...] = ()
    selected_document_ids: tuple[str, ...] = ()
    selected_video_ids: tuple[str, ...] = ()
    force_detailed_analysis: bool = False


@dataclass
class PlanProposal:
    """A plan waiting for the user's approval."""

    plan_id: str
    message: str
    steps: list[dict[str, Any]]


@dataclass
class AgentResult:
    """What one agent contributed to a turn: its section of the answer and what it found."""

    text: str
    result_count: int = 0
    progress: list[Event] = field(default_factory=list)
    refs: dict[str, dict[str, Any]] = field(default_factory=dict)  # [[ref:KEY]] -> counts
    image_context: list[dict[str, Any]] | None = None
    vision_used: bool = False
    offers_detailed_analysis: bool = False


@dataclass
class AgentOutcome:
    """What the agents produced for one turn."""

    content: str
    agents_used: list[str]
    progress: list[Event]  # thinking_step … document_results, before any token
    image_context: list[dict[str, Any]] | None
    metadata: dict[str, Any]
    result_count: int
    plan: PlanProposal | None = None


@dataclass(frozen=True)
class _Domain:
    focus: tuple[str, ...]
    defect_word: str
    lens: str


_DOMAINS = {
    "general": _Domain((), "issue", "general condition"),
    "construction": _Domain(
        ("structural", "crack", "concrete", "spalling", "rebar", "bridge"),
        "structural defect",
        "structural integrity",
    ),
    "insurance": _Domain(
        ("damage", "wind", "water", "ingress", "leak", "roof", "pothole"),
        "insurable damage",
        "claim relevance",
    ),
    "utilities": _Domain(
        ("pole", "power", "transformer", "vegetation", "clearance", "conductor"),
        "network defect",
        "supply reliability",
    ),
    "maintenance": _Domain(
        ("rust", "debris", "blockage", "gutter", "coating", "decay"),
        "maintenance need",
        "maintenance planning",
    ),
}

_CAUSES = {
    "pole": "age-related decay and ground-line moisture",
    "bridge": "coating breakdown and water trapped at joints",
    "rust": "failed protective coating exposed to moisture and de-icing salt",
    "crack": "shrinkage and water ingress, possibly with reinforcement corrosion",
    "vegetation": "growth since the last cutting cycle",
    "roof": "wind uplift and poor drainage",
    "drainage": "silt and debris carried by storm flow",
    "transformer": "gasket ageing and enclosure corrosion",
    "pavement": "water ingress under traffic loading",
}

_ACTIONS = {
    "high": "schedule a repair within 30 days and restrict access if people are at risk",
    "medium": "plan a repair in the next maintenance cycle and re-inspect in 6 months",
    "low": "no action needed now; keep the normal inspection interval",
}

_PLAN_VERBS = re.compile(
    r"\b(organi[sz]e|move|delete|archive|remove|tag|label|sort|group)\b", re.IGNORECASE
)
_QUESTION_START = re.compile(r"^\s*(how|what|why|which|when|where|is|are|does|do|should)\b", re.I)
_DOC_WORDS = re.compile(
    r"\b(documents?|reports?|manual|standard|procedure|checklist|handbook|pages?|pdf|"
    r"guidance|policy|according)\b",
    re.IGNORECASE,
)
_VIDEO_WORDS = re.compile(r"\b(videos?|footage|clips?|flyover|patrol|recording|scenes?)\b", re.I)
_ANALYSIS_WORDS = re.compile(
    r"\b(analy[sz]e|analysis|assess|condition|severity|severe|worst|priorit\w*|risk|compare|"
    r"inspect|detail\w*|explain|recommend\w*)\b",
    re.IGNORECASE,
)
_IMAGE_WORDS = re.compile(r"\b(images?|photos?|pictures?|show|find|where|which)\b", re.I)
_GREETING = re.compile(r"^\s*(hi|hello|hey|help|thanks|thank you|what can you do)\b", re.I)
_TOP_N = re.compile(
    r"\b(?:top|first|best)\s+(\d{1,3})\b|\b(\d{1,3})\s+(?:images|photos|pictures)\b", re.I
)


def _count(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless ``n`` is one: "1 image", "3 images"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _severity(image: ImageItem) -> str:
    for tag in image.tags:
        if tag.startswith("severity-"):
            return tag.removeprefix("severity-")
    return "low"


def image_info(image: ImageItem, *, score: float | None = None) -> dict[str, Any]:
    """ImageInfo for an image (URLs are added by the HTTP layer, which knows the host)."""
    info: dict[str, Any] = {
        "image_id": image.id,
        "filename": image.filename,
        "title": image.title,
        "description": image.description,
        "confidence": image.confidence,
    }
    if score is not None:
        info["relevance_score"] = round(score, 4)
    return info


def _known(ids: Sequence[str], by_id: Mapping[str, _Item]) -> list[_Item]:
    """The library items named by `ids`, in that order; ids the library lacks are skipped."""
    return [by_id[i] for i in ids if i in by_id]


def _step(phase: str, agent: str, message: str, reasoning: str) -> Event:
    return (
        "thinking_step",
        {"phase": phase, "agent_name": agent, "message": message, "reasoning": reasoning},
    )


def _status(phase: str, agent: str, message: str) -> Event:
    return ("status", {"phase": phase, "message": message, "agent_name": agent})


def _tool_call(tool: str, agent: str, result_count: int) -> list[Event]:
    """A tool's invocation and its result, as the stream reports them."""
    return [
        ("tool_invocation", {"tool_name": tool, "agent_name": agent}),
        ("tool_result", {"tool_name": tool, "result_count": result_count}),
    ]


class Agents:
    """Runs one turn against a tenant's library."""

    def __init__(self, library: LibraryView) -> None:
        self.library = library

    # -- routing -----------------------------------------------------------------

    def route(self, turn: TurnRequest) -> list[str]:
        """Agents to run for this question, in execution order."""
        q = turn.question
        if _PLAN_VERBS.search(q) and not _QUESTION_START.search(q):
            return [AGENT_PLANNING]
        agents: list[str] = []
        wants_docs = bool(_DOC_WORDS.search(q)) or bool(turn.selected_document_ids)
        wants_video = bool(_VIDEO_WORDS.search(q)) or bool(turn.selected_video_ids)
        wants_analysis = bool(_ANALYSIS_WORDS.search(q)) or turn.force_detailed_analysis
        wants_images = bool(_IMAGE_WORDS.search(q)) or wants_analysis
        if _GREETING.search(q) and not tokenize(_GREETING.sub("", q)):
            return [AGENT_CONVERSATION]
        if wants_images or not (wants_docs or wants_video):
            agents.append(AGENT_IMAGE_SEARCH)
        if wants_analysis:
            agents.append(AGENT_ANALYSIS)
        if wants_docs:
            agents.append(AGENT_DOCUMENTS)
        if wants_video:
            agents.append(AGENT_VIDEO)
        return agents

    def run(self, turn: TurnRequest) -> AgentOutcome:
        """Answer one question deterministically."""
        agents = self.route(turn)
        progress: list[Event] = [
            _step(
                "routing",
                ORCHESTRATOR,
                f"Routing to {', '.join(agents)}",
                f"Keywords in the question select {', '.join(agents)}; "
                f"domain is {turn.domain!r}; "
                + (
                    "all images are in scope."
                    if turn.use_all_images
                    else f"{_count(len(turn.selected_image_ids), 'selected image')} "
                    f"{'is' if len(turn.selected_image_ids) == 1 else 'are'} in scope."
                ),
            ),
        ]
        if agents == [AGENT_PLANNING]:
            return self._plan(turn, progress)
        if agents == [AGENT_CONVERSATION]:
            return self._greet(progress)

        results: list[AgentResult] = []
        if AGENT_IMAGE_SEARCH in agents:
            results.append(self._images(turn, analyse=AGENT_ANALYSIS in agents))
        if AGENT_DOCUMENTS in agents:
            results.append(self._documents(turn))
        if AGENT_VIDEO in agents:
            results.append(self._videos(turn))
        refs: dict[str, dict[str, Any]] = {}
        for result in results:
            progress += result.progress
            refs.update(result.refs)
        return AgentOutcome(
            content="\n\n".join(r.text for r in results),
            agents_used=agents,
            progress=progress,
            image_context=next((r.image_context for r in results if r.image_context), None),
            metadata={
                "result_refs": refs,
                "vision_used": any(r.vision_used for r in results),
                "offers_detailed_analysis": any(r.offers_detailed_analysis for r in results),
                "domain": turn.domain,
            },
            result_count=sum(r.result_count for r in results),
        )

    # -- images ------------------------------------------------------------------

    def image_pool(self, turn: TurnRequest) -> tuple[list[ImageItem], str]:
        """Images in scope for this turn and a phrase describing the scope."""
        if turn.use_all_images:
            return self.library.images, f"the whole library of {len(self.library.images)} images"
        pool = _known(turn.selected_image_ids, self.library.images_by_id)
        return pool, f"your {_count(len(pool), 'selected image')}"

    def rank_images(self, turn: TurnRequest) -> tuple[list[tuple[ImageItem, float]], str]:
        """Images relevant to the question, best first, with BM25 scores."""
        pool, scope = self.image_pool(turn)
        ids = {i.id for i in pool}
        scores = {
            k: s for k, s in self.library.image_index.score_all(turn.question).items() if k in ids
        }
        domain = _DOMAINS.get(turn.domain)
        if domain and domain.focus and scores:
            boost = self.library.image_index.score_all(" ".join(domain.focus))
            scores = {k: s + 0.3 * boost.get(k, 0.0) for k, s in scores.items()}
        selected = set(turn.selected_image_ids)
        if turn.use_all_images and selected:
            scores = {k: s * (1.25 if k in selected else 1.0) for k, s in scores.items()}
        if not scores and not turn.use_all_images:
            # A question with no matching words about an explicit selection: describe it.
            return [(img, 0.0) for img in pool], scope
        order = {img.id: n for n, img in enumerate(pool)}
        ranked = sorted((k for k in scores), key=lambda k: (-scores[k], order[k]))
        return [(self.library.images_by_id[k], scores[k]) for k in ranked], scope

    def _images(self, turn: TurnRequest, *, analyse: bool) -> AgentResult:
        """Image search, with the analysis agent's assessment when it was routed too."""
        ranked, scope = self.rank_images(turn)
        top = ranked[: self._wanted_count(turn)]
        progress = [
            _status("searching", AGENT_IMAGE_SEARCH, f"Searching {scope}"),
            *_tool_call("search_images", AGENT_IMAGE_SEARCH, len(ranked)),
        ]
        infos = [image_info(img, score=s) for img, s in top]
        if infos:
            progress.append(("image_results", {"images": infos, "count": len(infos)}))
        refs = {"images": {"count": len(ranked), "type": "image", "ids": [i.id for i, _ in top]}}
        if ranked:
            high = [img.id for img, _ in ranked if _severity(img) == "high"]
            refs["high_severity"] = {"count": len(high), "type": "image", "ids": high}
        if analyse:
            progress.append(
                _step(
                    "analysis",
                    AGENT_ANALYSIS,
                    f"Assessing {_count(len(top), 'image')}",
                    "Severity comes from the survey tags; causes and actions from the "
                    "asset category.",
                )
            )
            progress += _tool_call("analyze_images", AGENT_ANALYSIS, len(top))
        text = (
            self._analysis_text(turn, top, scope)
            if analyse and top
            else self._search_text(turn, ranked, top, scope)
        )
        return AgentResult(
            text=text,
            result_count=len(ranked),
            progress=progress,
            refs=refs,
            image_context=infos or None,
            vision_used=analyse and bool(top),
            offers_detailed_analysis=bool(top) and not turn.force_detailed_analysis,
        )

    def _wanted_count(self, turn: TurnRequest) -> int:
        match = _TOP_N.search(turn.question)
        if match:
            return max(1, min(20, int(match.group(1) or match.group(2))))
        return 5

    def _severity_sentence(self, turn: TurnRequest) -> str:
        """How many matches are severe, as the domain would phrase it."""
        domain = _DOMAINS.get(turn.domain, _DOMAINS["general"])
        lens = domain.lens if turn.domain in _DOMAINS else f"{turn.domain} concerns"
        return (
            f"Judged for {lens}, [[ref:high_severity]] of the matches show a high-severity "
            f"{domain.defect_word}."
        )

    def _search_text(
        self,
        turn: TurnRequest,
        ranked: list[tuple[ImageItem, float]],
        top: list[tuple[ImageItem, float]],
        scope: str,
    ) -> str:
        if not ranked:
            if not turn.use_all_images and not turn.selected_image_ids:
                return (
                    "No images are in this session's context. Select images or switch the "
                    "session to use all images, then ask again."
                )
            return (
                f'I could not find images matching "{turn.question.strip()}" in {scope}. '
                "Try words such as rust, crack, pole, bridge, roof, vegetation or drainage."
            )
        lines = [
            f"I found [[ref:images]] images in {scope} related to your question. "
            + ("The most relevant:" if len(top) == 1 else f"The {len(top)} most relevant:")
        ]
        for n, (img, _score) in enumerate(top, start=1):
            lines.append(
                f"{n}. [[img:{img.id}|{img.filename}]] - {img.description} "
                f"(confidence {round(img.confidence * 100)}%)"
            )
        lines.append("")
        lines.append(self._severity_sentence(turn))
        lines.append("Ask for a detailed analysis if you want causes and recommended actions.")
        return "\n".join(lines)

    def _analysis_text(
        self, turn: TurnRequest, top: list[tuple[ImageItem, float]], scope: str
    ) -> str:
        order = {"high": 0, "medium": 1, "low": 2}
        by_severity = sorted(top, key=lambda pair: order.get(_severity(pair[0]), 3))
        most = "most relevant" if len(top) == 1 else f"{len(top)} most relevant"
        lines = [f"Analysis of the {most} of [[ref:images]] images in {scope}, most severe first:"]
        for n, (img, _score) in enumerate(by_severity, start=1):
            severity = _severity(img)
            observation = (
                img.description.split(". ")[1] if ". " in img.description else img.description
            )
            if turn.force_detailed_analysis:
                lines += [
                    "",
                    f"### {n}. [[img:{img.id}|{img.filename}]]",
                    f"- Asset: {img.title}",
                    f"- Observation: {observation.rstrip('.')}.",
                    f"- Severity: {severity}",
                    f"- Likely cause: {_CAUSES.get(img.category, 'unknown')}",
                    f"- Recommended action: {_ACTIONS[severity]}",
                    f"- Tags: {', '.join(img.tags)}",
                    f"- Detection confidence: {round(img.confidence * 100)}%",
                ]
            else:
                lines.append(
                    f"{n}. [[img:{img.id}|{img.filename}]] - {severity} severity: "
                    f"{observation.rstrip('.')}. Suggested: {_ACTIONS[severity]}."
                )
        lines.append("")
        lines.append(self._severity_sentence(turn))
        return "\n".join(lines)

    # -- documents and videos ----------------------------------------------------

    def _documents(self, turn: TurnRequest) -> AgentResult:
        docs = (
            _known(turn.selected_document_ids, self.library.documents_by_id)
            if turn.selected_document_ids
            else self.library.documents
        )
        allowed = [f"{d.id}#{n + 1}" for d in docs for n in range(len(d.pages))]
        hits = self.library.page_index.search(turn.question, only=allowed)
        top = hits[:3]
        progress = [
            _status("searching", AGENT_DOCUMENTS, f"Searching {_count(len(docs), 'document')}"),
            *_tool_call("search_documents", AGENT_DOCUMENTS, len(hits)),
        ]
        refs = {"documents": {"count": len(hits), "type": "document_page"}}
        if not top:
            return AgentResult(
                "None of the documents in scope mention that topic.", 0, progress, refs
            )
        found: list[dict[str, Any]] = []
        lines = ["From the documents ([[ref:documents]] matching pages):"]
        for key, _score in top:
            doc_id, page_text = key.split("#")
            page = int(page_text)
            doc = self.library.documents_by_id[doc_id]
            snippet = _best_sentence(doc.pages[page - 1], turn.question)
            found.append(
                {"document_id": doc.id, "filename": doc.filename, "page": page, "snippet": snippet}
            )
            lines.append(f'- [[doc:{doc.id}|{doc.filename}|p:{page}]]: "{snippet}"')
        first_doc = self.library.documents_by_id[top[0][0].split("#")[0]]
        if len(first_doc.pages) > 1:
            lines.append(
                f"The full context is in [[doc:{first_doc.id}|{first_doc.filename}|"
                f"pp:1-{len(first_doc.pages)}]]."
            )
        progress.append(("document_results", {"documents": found, "count": len(found)}))
        return AgentResult("\n".join(lines), len(hits), progress, refs)

    def _videos(self, turn: TurnRequest) -> AgentResult:
        videos = (
            _known(turn.selected_video_ids, self.library.videos_by_id)
            if turn.selected_video_ids
            else self.library.videos
        )
        allowed = [f"{v.id}@{n}" for v in videos for n in range(len(v.scenes))]
        hits = self.library.scene_index.search(turn.question, only=allowed)
        progress = [
            _status("analyzing", AGENT_VIDEO, f"Reviewing {_count(len(videos), 'video')}"),
            *_tool_call("search_video_scenes", AGENT_VIDEO, len(hits)),
        ]
        refs = {"video_scenes": {"count": len(hits), "type": "video_scene"}}
        if not hits:
            return AgentResult("No video scenes match that question.", 0, progress, refs)
        lines = ["In the videos ([[ref:video_scenes]] matching scenes):"]
        for key, _score in hits[:3]:
            video_id, index = key.split("@")
            video = self.library.videos_by_id[video_id]
            scene = video.scenes[int(index)]
            minutes, seconds = divmod(scene.at_seconds, 60)
            lines.append(
                f"- [[link:{video.id}|{video.title}]] at {minutes:02d}:{seconds:02d}: {scene.note}"
            )
        return AgentResult("\n".join(lines), len(hits), progress, refs)

    # -- conversation and planning -----------------------------------------------

    def _greet(self, progress: list[Event]) -> AgentOutcome:
        library = self.library
        content = (
            f"Hello! I can search and analyse the {_count(len(library.images), 'survey image')}, "
            f"search {_count(len(library.documents), 'document')} and "
            f"{_count(len(library.videos), 'video')}, and prepare plans to tag, move or archive "
            "images (you approve them first). "
            'Try: "show rust on bridges" or "what does the manual say about leaning poles?"'
        )
        return AgentOutcome(
            content=content,
            agents_used=[AGENT_CONVERSATION],
            progress=progress,
            image_context=None,
            metadata={"result_refs": {}},
            result_count=0,
        )

    def _plan(self, turn: TurnRequest, progress: list[Event]) -> AgentOutcome:
        found = _PLAN_VERBS.search(turn.question)
        verb = found.group(0).lower() if found else "organise"
        topic = _PLAN_VERBS.sub(" ", turn.question)
        topic = re.sub(r"\b(into|to|as|with|folder|called|named)\b.*$", " ", topic, flags=re.I)
        ranked, _scope = self.rank_images(
            TurnRequest(
                question=topic,
                domain=turn.domain,
                use_all_images=turn.use_all_images,
                selected_image_ids=turn.selected_image_ids,
            )
        )
        targets = [img for img, _ in ranked][:50]
        if not targets and turn.selected_image_ids:
            targets = _known(turn.selected_image_ids, self.library.images_by_id)
        progress.append(
            _step(
                "planning",
                AGENT_PLANNING,
                f"Planning to {verb} {_count(len(targets), 'image')}",
                "Changes to the library need the user's approval before they run.",
            )
        )
        progress += _tool_call("search_images", AGENT_PLANNING, len(targets))
        if not targets:
            content = (
                f"I could not find any images to {verb}. Describe them differently "
                "or select them first."
            )
            return AgentOutcome(
                content=content,
                agents_used=[AGENT_PLANNING],
                progress=progress,
                image_context=None,
                metadata={"result_refs": {}},
                result_count=0,
            )
        steps = _plan_steps(verb, turn.question, targets)
        plan_id = f"plan_{uuid.uuid4().hex[:16]}"
        summary = (
            f"I prepared a plan with {_count(len(steps), 'step')} affecting "
            f"{_count(len(targets), 'image')}. Approve it to apply the changes, or cancel it."
        )
        content = summary + "\n" + "\n".join(f"{s['step']}. {s['description']}" for s in steps)
        infos = [image_info(img) for img in targets[:10]]
        return AgentOutcome(
            content=content,
            agents_used=[AGENT_PLANNING],
            progress=progress,
            image_context=infos,
            result_count=len(targets),
            metadata={
                "result_refs": {"plan_images": {"count": len(targets), "type": "image"}},
                "plan_id": plan_id,
                "plan_status": "pending_approval",
                "steps": steps,
            },
            plan=PlanProposal(plan_id=plan_id, message=summary, steps=steps),
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "reviewed"


def _named_target(question: str, words: str) -> str | None:
    quoted = re.search(r"[\"']([^\"']{1,40})[\"']", question)
    if quoted:
        return quoted.group(1).strip()
    after = re.search(rf"\b(?:{words})\s+([A-Za-z0-9][\w-]*)", question, re.I)
    return after.group(1) if after else None


def _plan_steps(verb: str, question: str, targets: list[ImageItem]) -> list[dict[str, Any]]:
    ids = [img.id for img in targets]
    if verb in ("tag", "label"):
        tag = _slug(_named_target(question, "as|with") or "reviewed")
        return [
            {
                "step": 1,
                "action": "add_tag",
                "parameters": {"tag": tag},
                "image_ids": ids,
                "description": f"Add the tag '{tag}' to {_count(len(ids), 'image')}",
            }
        ]
    if verb in ("delete", "archive", "remove"):
        return [
            {
                "step": 1,
                "action": "archive",
                "parameters": {},
                "image_ids": ids,
                "description": (
                    f"Archive {_count(len(ids), 'image')} (hidden from search and listings)"
                ),
            }
        ]
    folder = _named_target(question, "into|to")
    if folder and folder.lower() not in ("a", "the", "folders", "folder"):
        return [
            {
                "step": 1,
                "action": "move_to_folder",
                "parameters": {"folder": folder},
                "image_ids": ids,
                "description": f"Move {_count(len(ids), 'image')} to the folder '{folder}'",
            }
        ]
    steps: list[dict[str, Any]] = []
    categories = sorted({img.category for img in targets})
    for n, category in enumerate(categories, start=1):
        members = [img.id for img in targets if img.category == category]
        name = f"Survey/{category.capitalize()}"
        steps.append(
            {
                "step": n,
                "action": "move_to_folder",
                "parameters": {"folder": name},
                "image_ids": members,
                "description": f"Move {_count(len(members), category + ' image')} to '{name}'",
            }
        )
    return steps


def _best_sentence(page: str, question: str) -> str:
    wanted = set(tokenize(question))
    body = page.split("\n\n", 1)[-1]
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if s.strip()]
    if not sentences:
        return body[:200]
    return max(sentences, key=lambda s: (len(wanted & set(tokenize(s))), -sentences.index(s)))
