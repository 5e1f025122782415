"""Sequence questions: what happened after, before, first or last, read off the timeline's order.

Events are split into clauses ("the vehicle got stuck in a ditch" | "he jumped out and ran toward the demarcation
line"), so that the step after a premise is found even inside one event."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer.question import PROTAGONIST_NOUNS, Question
from bot.answer.rank import coverage
from bot.lexicon import Lexicon
from bot.models import Entry
from bot.spans import annotate
from bot.text import STOPWORDS, stem, words

PREMISE_THRESHOLD = 0.4
# An event about the story's soldier tells of "the soldier" ("A North Korean soldier defected in 1998" is another).
_THE_SOLDIER = re.compile(r"(?:The|He)\b[^.]*?\b(?:soldier|man|defector)\b")
_ORDER_WORDS = frozenset(
    "first last thing things finally end happen happened do did came come begin began start started very".split()
)
# The story's own soldier and his escape: naming them picks no other thread ("the first thing the soldier did").
_HIS_STORY = PROTAGONIST_NOUNS | frozenset("escape dash defection breakout".split())
SUBJECT_BONUS = 0.1
_HIM = re.compile(r"(?i)\b(?:he|him|his|soldier|defector|injured man)\b")
_CLAUSE_BREAK = re.compile(
    r",\s*(?:and|but|then|where|while|before|after)\s+|;\s*|,\s+(?=\w+ing\b)|\s+and\s+(?=(?:then|he|she|they)\b)"
    r"|\s+and\s+(?=\w+ed\b|ran\b|took\b|made\b|drove\b|got\b|went\b|hid\b|flew\b|stood\b|told\b|said\b)"
    r"|,\s+but\s+"
)


@dataclass(frozen=True, slots=True)
class Clause:
    event: Entry
    text: str
    stems: tuple[str, ...]


def clauses(events: list[Entry]) -> list[Clause]:
    """Every event's clauses, in timeline order."""
    out: list[Clause] = []
    for event in sorted(events, key=lambda e: (e.sort or 0, e.id)):
        for part in _CLAUSE_BREAK.split(event.text):
            stems = tuple(stem(w) for w in words(part) if w not in STOPWORDS)
            if stems:
                out.append(Clause(event, part, stems))
    return out


def step(question: Question, events: list[Entry]) -> Entry | None:
    """The event that answers a sequence question, or None when the timeline cannot tell."""
    timeline = clauses(events)
    if not timeline:
        return None
    if question.relation in ("first", "last"):
        return _extreme(question, timeline)
    premise = question.premise
    if not premise:
        return None
    # "after he got shot": the step that happened to him, not "shots have been fired" in a later statement
    about_him = bool(re.search(r"\b(?:he|him|his)\b", question.cleaned))
    his = [i for i, c in enumerate(timeline) if _HIM.search(c.event.text)]
    scored = [
        (
            coverage(premise, frozenset(c.stems), frozenset())
            + (SUBJECT_BONUS if about_him and "soldier" in c.stems else 0),
            i,
        )
        for i, c in enumerate(timeline)
        if not about_him or not his or i in his  # what happened to him, not "shots have been fired" in general
    ]
    if not scored:
        return None
    best, index = max(scored, key=lambda pair: (pair[0], -pair[1]))
    if best < PREMISE_THRESHOLD:
        return None
    # The premise is one step; the answer is the next step (or the one before), in the same event or the next.
    if question.relation == "after":
        return timeline[index + 1].event if index + 1 < len(timeline) else None
    if question.relation == "before":
        return timeline[index - 1].event if index > 0 else None
    return None


def whereabouts(events: list[Entry], lexicon: Lexicon) -> Entry | None:
    """'Where is he now': the latest event that tells of the soldier (as its subject) somewhere ("The North Korean
    soldier was fighting for his life in a South Korean hospital")."""
    for event in sorted((e for e in events if e.sort is not None), key=lambda e: -(e.sort or 0)):
        if _THE_SOLDIER.match(event.text) and any(s.kind == "place" for s in annotate(event.text, lexicon)):
            return event
    return None


def _extreme(question: Question, timeline: list[Clause]) -> Entry | None:
    """The first or last event about what the question names (all events when it names nothing)."""
    # "what did he do first": "first" and "do" say which end of the timeline, not what to look for
    asked = tuple(c for c in question.asked if c.word not in _ORDER_WORDS | _HIS_STORY and not c.story)
    if not asked:  # the story's own thread: what happened to him, not the history before it
        start = next((i for i, c in enumerate(timeline) if _THE_SOLDIER.match(c.event.text)), 0)
        timeline = [c for c in timeline[start:] if _HIM.search(c.event.text)] or timeline
    relevant = [c for c in timeline if not asked or coverage(asked, frozenset(c.stems), frozenset()) >= 0.5]
    if not relevant:
        return None
    return (relevant[0] if question.relation == "first" else relevant[-1]).event
