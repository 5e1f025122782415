"""What the answer engine reads from an entry, once per version of it: its full text (labels included), the typed
spans in it, its words (as the index stems them, and with their positions) and its clauses."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from bot.lexicon import Lexicon
from bot.models import Entry
from bot.spans import Span, annotate
from bot.text import STOPWORDS, index_terms, stem

# How many of an entry's first words may name its subject.
SUBJECT_WORDS = 3
TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
# A full stop after a title or inside "p.m." / "U.S." does not end a sentence ("Col. Roh Jae-cheon said").
_NOT_AN_ABBREVIATION = (
    "".join(f"(?<!\\b{t})" for t in ("Col", "Dr", "Mr", "Mrs", "Ms", "Gen", "Sgt", "Lt", "St")) + r"(?<!\.[a-zA-Z])"
)
CLAUSE_BREAK = re.compile(
    r",\s*(?:and|but|then|where|while|before|after|when)\s+|;\s*|" + _NOT_AN_ABBREVIATION + r"\.\s+|,\s+(?=\w+ing\b)"
    r"|\s+and\s+(?=(?:then|he|she|they)\b)|\s+(?:after|before|while|because|although)\s+"
)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    stem: str
    word: str


# A negation and the (up to two) words it denies: "did not return fire".
NEGATED = re.compile(r"\b(?:not|no|never|nobody|without)\s+(\w+)(?:\s+(\w+))?")


@dataclass(frozen=True, slots=True)
class Reading:
    text: str
    spans: tuple[Span, ...]
    said: frozenset[str]
    tokens: tuple[Token, ...]
    clauses: tuple[tuple[int, int], ...]
    label_end: int
    # Read here once per version of the entry rather than for every question that finds it:
    lower: str  # the text in lower case
    pairs: frozenset[tuple[str, str]]  # neighbouring stems, stopwords left out
    own: tuple[Token, ...]  # the tokens past the label, stopwords left out
    denied: tuple[str, ...] | None  # the words after its first negation, if it has one
    # the stems of its tokens: a check that walks the tokens for some words is skipped when none of them is here
    stems: frozenset[str]
    opening: frozenset[str]  # the stems of the first few of `own` (where the entry names its subject)


def full_text(entry: Entry) -> str:
    """Everything an entry says, labels included (what its answer types are read from)."""
    if entry.kind == "quote":
        return f"“{entry.text}” — {entry.speaker}. {entry.context or ''}".strip()
    if entry.kind == "event":
        return f"{entry.when}: {entry.text}"
    if entry.kind == "person":
        return f"{entry.name}, {entry.role}: {entry.text}"
    if entry.kind == "term":
        return f"{entry.term}: {entry.text}"
    return entry.text


def read(entry: Entry, lexicon: Lexicon) -> Reading:
    text = full_text(entry)
    lowered = text.lower().replace("’", "'")
    tokens = tuple(
        Token(m.start(), stem(m.group(0).replace("-", "").replace("'s", "")), m.group(0))
        for m in TOKEN.finditer(lowered)
    )
    clauses: list[tuple[int, int]] = []
    start = 0
    for match in CLAUSE_BREAK.finditer(text):
        clauses.append((start, match.start()))
        start = match.end()
    clauses.append((start, len(text)))
    label_end = len(entry.when or "") + 1 if entry.kind == "event" else 0
    # What the entry says is read from its own text: a fact's topic ("shooting") is a label, not a statement.
    said = frozenset(index_terms(text).split())
    lower = text.lower()
    content = [t for t in tokens if t.word not in STOPWORDS]
    pairs = frozenset(itertools.pairwise(t.stem for t in content))
    own = tuple(t for t in content if t.start >= label_end)
    negated = NEGATED.search(lower)
    denied = tuple(w for w in negated.groups() if w) if negated else None
    stems = frozenset(t.stem for t in tokens)
    opening = frozenset(t.stem for t in own[:SUBJECT_WORDS])
    spans = annotate(text, lexicon)
    return Reading(text, spans, said, tokens, tuple(clauses), label_end, lower, pairs, own, denied, stems, opening)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A search hit with what the engine read from it: the words only its keywords or its label add."""

    entry: Entry
    rank: float
    keywords: frozenset[str]
    labels: frozenset[str]
    reading: Reading

    @property
    def text(self) -> str:
        return self.reading.text

    @property
    def spans(self) -> tuple[Span, ...]:
        return self.reading.spans

    @property
    def said(self) -> frozenset[str]:
        return self.reading.said

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.reading.tokens

    @property
    def clauses(self) -> tuple[tuple[int, int], ...]:
        return self.reading.clauses

    @property
    def label_end(self) -> int:
        return self.reading.label_end

    def clause_of(self, position: int) -> tuple[int, int]:
        """The clause holding a position; an event's "when:" label belongs to every clause."""
        for start, end in self.clauses:
            if start <= position <= end:
                return start, end
        return 0, len(self.text)
