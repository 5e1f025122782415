"""How entries read in a line of a reply: the short "See also" form, and lists in words."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.answer import shorten
from bot.handlers.replies import cite_briefly
from bot.models import Entry

SEE_ALSO_CLAUSE = 70
# Words a cut clause should not end on.
_DANGLING = frozenset("a an the of in on at to by for from with as and or but that which who his her its their".split())
SOURCE_NOTE = 200  # a context entry's source can be long; the note stays short
# Where a first clause ends: a sentence's end (not an abbreviation's dot: "3 p.m. Monday", "Col. Roh", "U.S."),
# a semicolon, a dash between words.
_CLAUSE_END = re.compile(
    r"(?<=[.!?])(?<![ap]\.m\.)(?<!\b[A-Z]\.)(?<!\bCol\.)(?<!\bGen\.)(?<!\bSgt\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)"
    r"(?<!\bSt\.)\s+(?=[A-Z“\"])|;\s+|\s+[—–]\s+"
)


def and_list(words: Iterable[str]) -> str:
    """'March', 'March and September', 'March, June and September'."""
    listed = list(words)
    return ", ".join(listed[:-1]) + " and " + listed[-1] if len(listed) > 1 else "".join(listed)


def first_clause(text: str, limit: int = SEE_ALSO_CLAUSE) -> str:
    """The first sentence or clause of a text, cut at a comma or a word (with an ellipsis) past `limit`."""
    clause = _CLAUSE_END.split(text.strip(), maxsplit=1)[0]
    cut = clause != text.strip()
    if len(clause) > limit:
        comma = clause.rfind(", ", 0, limit)
        clause, cut = (clause[:comma], True) if comma >= limit // 2 else (shorten(clause, limit).rstrip("…"), True)
    clause = clause.rstrip(" .,;:")
    if not cut:
        return clause
    words = clause.split()
    while len(words) > 1 and words[-1].lower() in _DANGLING:  # "...ended in an…" reads as "...ended…"
        words.pop()
    return " ".join(words).rstrip(" ,;:") + "…"


def brief(entry: Entry) -> str:
    """An entry in a few words: its name or label and the start of what it says."""
    if entry.kind == "quote":
        return f"“{first_clause(entry.text, 60)}” — {entry.speaker}"
    if entry.kind == "person":
        return f"{entry.name}, {first_clause(entry.role or entry.text, 60)}"
    if entry.kind == "event":
        return f"{entry.when}: {first_clause(entry.text)}"
    if entry.kind == "term":
        return f"{entry.term}: {first_clause(entry.text)}"
    return first_clause(entry.text)


def source_note(entry: Entry) -> str:
    """Where an entry comes from, for the brackets after it: 'paragraph 4', 'context from Reuters'."""
    return shorten(cite_briefly(entry.paragraphs, entry.source) or "no source", SOURCE_NOTE)


def see_also_line(entry: Entry) -> str:
    """One short line of "See also": the entry in brief, and where it comes from."""
    return f"• {brief(entry)} ({source_note(entry)})"
