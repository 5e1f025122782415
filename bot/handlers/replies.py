"""The Reply model every handler returns; front ends render it as an embed or as plain text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.models import Entry


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
    # The question an answer answers, when readers may report it as wrong ('' otherwise).
    asked: str = field(default="", compare=False)

    @property
    def citation(self) -> str:
        return cite(self.citations, self.context_source)


def cite(paragraphs: Sequence[int], context_source: str | None = None) -> str:
    """'¶4' or '¶7, ¶8', plus the other source when an entry is context."""
    parts = []
    if paragraphs:
        parts.append("Source: " + ", ".join(f"¶{p}" for p in paragraphs))
    if context_source:
        parts.append(f"Context from {context_source}")
    return " · ".join(parts)


def literal(text: str) -> str:
    """Someone's text shown as typed, never as markup: one line, in a code span (Discord renders no Markdown,
    link or mention inside one; the console shows its text), a backtick in it made harmless."""
    return "`" + " ".join(text.replace("`", "ˋ").split()) + "`" if text.strip() else "`(empty)`"


def error(message: str, title: str = "Sorry") -> Reply:
    """A short, clear refusal or problem report; changes nothing anywhere."""
    return Reply(title=title, body=message, found=False, error=True)
