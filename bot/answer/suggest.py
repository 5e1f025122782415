"""Questions to suggest when the bot cannot answer: about what it did recognise in the question."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.models import Entry
from bot.text import STOPWORDS, stem, words

MAX_SUGGESTIONS = 3


def question_for(entry: Entry, salient: str | None = None) -> str | None:
    """A question this entry answers, in a reader's words."""
    if entry.kind == "person" and entry.name and not entry.name.lower().startswith(("the ", "a ")):
        return f"Who is {entry.name}?"
    if entry.kind == "term" and entry.term:
        verb = "are" if entry.term.islower() and entry.term.endswith("s") else "is"
        return f"What {verb} {'the ' if entry.term.islower() else ''}{entry.term}?"
    if entry.kind == "quote" and entry.speaker:
        return f"What did {entry.speaker} say?"
    if entry.kind == "event" and entry.when:
        when = entry.when
        if re.match(r"(?i)(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$", when):
            when = "on " + when
        elif re.match(
            r"(?i)(\d{4}|january|february|march|april|may|june|july|august|september|october|november|"
            r"december)$",
            when,
        ):
            when = "in " + when
        return f"What happened {when}?"
    if entry.kind == "fact" and salient:
        return f"What about the {salient}?"
    return None


def candidates(entries: list[Entry], rarity: Callable[[str], float]) -> list[str]:
    """Questions about these entries, in order, without repeats; a fact is asked about its rarest word."""
    out: list[str] = []
    for entry in entries:
        question = question_for(entry, _salient(entry, rarity) if entry.kind == "fact" else None)
        if question and question not in out:
            out.append(question)
    return out


def _salient(entry: Entry, rarity: Callable[[str], float]) -> str | None:
    """What a reader would ask a fact about: its first one-word keyword (the words readers use), else its rarest
    word ("tourists" in "...a popular place for tourists...")."""
    for keyword in entry.keywords:
        if keyword.isalpha() and len(keyword) >= 4 and keyword not in STOPWORDS:
            return keyword
    found = [w for w in words(entry.text, split_hyphens=False) if w not in STOPWORDS and len(w) >= 4 and w.isalpha()]
    return max(found, key=lambda w: rarity(stem(w))) if found else None
