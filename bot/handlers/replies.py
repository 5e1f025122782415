"""The Reply every handler returns; front ends render it as an embed or as plain text.

One convention for every use case: a handler returns a Reply.  A refusal is a Reply with `error` set (made by
`error()`), never an exception and never None; nothing was changed.  What a front end needs beyond the words
rides on the Reply's optional payload fields: the entries shown, the page, a picture, the values to fill a form
with, an import plan to confirm, an inbox item, a quiz round."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.answer import citation_words
from bot.models import Entry, ImportPlan, InboxItem

if TYPE_CHECKING:
    from bot.handlers.quiz import Round


@dataclass(frozen=True, slots=True)
class ReplyField:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Page:
    """Which page a paged reply shows, and what produced it (so Prev/Next can ask again)."""

    number: int
    total: int
    command: str
    argument: str = ""


@dataclass(frozen=True, slots=True)
class Picture:
    """A PNG a reply carries (the timeline picture): its bytes, a file name and a description for screen readers."""

    filename: str
    data: bytes = field(repr=False)
    description: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Reply:
    title: str
    body: str = ""
    fields: tuple[ReplyField, ...] = ()
    citations: tuple[int, ...] = ()
    context_source: str | None = None
    found: bool = True
    error: bool = False
    page: Page | None = None
    entries: tuple[Entry, ...] = field(default=(), compare=False)
    image: Picture | None = None
    # The question an answer answers, when readers may report it as wrong ('' otherwise).
    asked: str = field(default="", compare=False)
    # Payloads of particular use cases (see the module's docstring).
    form: Mapping[str, str] = field(default_factory=dict, compare=False)
    plan: ImportPlan | None = field(default=None, compare=False)
    item: InboxItem | None = field(default=None, compare=False)
    quiz_round: Round | None = field(default=None, compare=False)

    @property
    def citation(self) -> str:
        return cite(self.citations, self.context_source)


def as_record(reply: Reply) -> dict[str, Any]:
    """An answer as one JSON object for scripts: whether it was found, its text, its citation ('¶4, ¶7') and
    the entries it comes from."""
    return {
        "found": reply.found,
        "answer": reply.body,
        "citation": ", ".join(f"¶{p}" for p in reply.citations),
        "entries": [
            {"kind": e.kind, "id": e.id, "text": e.text, "paragraphs": list(e.paragraphs)} for e in reply.entries
        ],
    }


def cite(paragraphs: Sequence[int], context_source: str | None = None) -> str:
    """Where a reply comes from, in words a newcomer reads: 'Source: paragraph 4 of the article', 'Source:
    paragraphs 7 and 8 of the article', plus the other source when an entry is context."""
    parts = []
    if paragraphs:
        parts.append(f"Source: {citation_words(tuple(paragraphs))} of the article")
    if context_source:
        parts.append(f"Context from {context_source}")
    return " · ".join(parts)


def literal(text: str) -> str:
    """Someone's text shown as typed, never as markup: one line, in a code span (Discord renders no Markdown,
    link or mention inside one; the console shows its text), a backtick in it made harmless."""
    return "`" + " ".join(text.replace("`", "ˋ").split()) + "`" if text.strip() else "`(empty)`"


def cite_briefly(paragraphs: Sequence[int], context_source: str | None = None) -> str:
    """The short form for a line inside a reply: 'paragraph 4', 'paragraphs 7 and 8; context from Reuters'."""
    parts = [citation_words(tuple(paragraphs))] if paragraphs else []
    if context_source:
        parts.append(f"context from {context_source}")
    return "; ".join(parts)


def error(message: str, title: str = "Sorry") -> Reply:
    """A short, clear refusal or problem report; changes nothing anywhere."""
    return Reply(title=title, body=message, found=False, error=True)
