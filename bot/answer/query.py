"""Turning a question into concepts: each content word with the index words that can stand for it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.answer.synonyms import SYNONYMS
from bot.text import LIGHT_WORDS, STOPWORDS, fold, stem, words

_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten dozen hundred".split())
_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday morning evening week year month day p.m a.m "
    "january february march april may june july august september october november december later".split()
)
_MIN_FUZZY = 4
# A word the story never uses suggests the question is about something else: it weighs more than any.
UNKNOWN_WEIGHT = 1.5
LIGHT_WEIGHT = 0.3
_PLACE = re.compile(
    r"\b(in|at|to|near|behind|inside|into|toward|across|over|through|(?:south|north) of)\s+(?:a |an |the )?"
    r"([A-Z][\w’'-]+|hospital|village|building|buildings|ditch|area|side|border|line|zone|post)"
)
_SHAPE_WORDS = re.compile(
    r"\b(what|which) (time|year|day|month|date|kind of|type of|sort of)\b|\bstand for\b|\bmeaning of\b|\bmean\b"
    r"|\bdefin(e|ition)\b"
)


@dataclass(frozen=True, slots=True)
class Concept:
    """One thing the question asks about: the word typed and the index words that satisfy it."""

    word: str
    exact: frozenset[str]  # the word's own stem, or its spelling correction
    alternatives: frozenset[str]  # exact plus synonyms
    weight: float
    known: bool


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    concepts: tuple[Concept, ...]
    wants: str | None  # number, time, person, place, reason, definition or None
    corrections: dict[str, str] = field(default_factory=dict)

    @property
    def index_words(self) -> set[str]:
        return {alt for c in self.concepts for alt in c.alternatives}

    def fts(self) -> str:
        """An FTS5 query OR-ing every index word, each quoted, so user text is never FTS syntax."""
        return " OR ".join(f'"{w}"' for w in sorted(self.index_words))


def question_type(text: str) -> str | None:
    t = fold(text)
    if re.search(r"\bwhat did .{1,60}\b(say|said|tell|told|warn|warned)\b|\bquotes?\b|\bin (his|her|their) words\b", t):
        return "quote"
    if re.search(r"\bhow (many|much|often)\b|\bnumber of\b", t):
        return "number"
    if re.search(r"\bhow (far|long)\b", t):
        return "measure"
    if re.search(r"\bwhen\b|\bwhat (time|year|day|month|date)\b", t):
        return "time"
    if re.search(r"^\s*(who|whom)\b|\bwho (is|was|are|were)\b", t):
        return "person"
    if re.search(r"\bwhere\b", t):
        return "place"
    if re.search(r"\bwhy\b", t):
        return "reason"
    if re.search(r"\bstand for\b|\bmean(ing)?\b|\bdefin(e|ition)\b", t) or (
        re.search(r"^\s*(what|wat|wht)(s| is| are| was)\b", t) and len(words(t)) <= 5
    ):
        return "definition"
    return None


class Vocabulary:
    """The index's words with document frequencies, bucketed for fast fuzzy lookup.

    A word is filed under (length, first letter) and (length, second letter): a typo is looked for among
    words of about its length that share its first or its second letter, a small slice of a large store's
    vocabulary, so a misspelling costs the same at 100 entries and at 100,000."""

    def __init__(self, doc_freq: dict[str, int], docs: int) -> None:
        self.doc_freq = doc_freq
        self.docs = max(docs, 1)
        self._buckets: dict[tuple[int, int, str], list[str]] = {}
        for term in doc_freq:
            for position in (0, 1):
                if len(term) > position:
                    self._buckets.setdefault((len(term), position, term[position]), []).append(term)
        self.max_idf = self.idf_of(0)

    def idf_of(self, df: int) -> float:
        return math.log((self.docs - df + 0.5) / (df + 0.5) + 1.0)

    def idf(self, term: str) -> float:
        return self.idf_of(self.doc_freq.get(term, 0))

    def closest(self, word: str) -> str | None:
        """The nearest indexed word to a misspelt one (rapidfuzz), or None when nothing is close."""
        if len(word) < _MIN_FUZZY or word.isdigit():
            return None
        cutoff = 85.0 if len(word) <= 5 else 80.0
        best: tuple[str, float] | None = None
        # A short word is corrected only by dropping, swapping or changing letters, never by adding one
        # ("rank" is a real word, not a typo of "ran").
        shortest = len(word) if len(word) <= 5 else len(word) - 2
        for length in range(shortest, len(word) + 3):
            for position in (0, 1):
                candidates = self._buckets.get((length, position, word[position]))
                if not candidates:
                    continue
                found = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff)
                if found and (best is None or found[1] > best[1]):
                    best = (found[0], found[1])
        return best[0] if best else None


_STOP_LIST = sorted(w for w in STOPWORDS if len(w) >= 3)


def _is_misspelt_stopword(word: str) -> bool:
    """'teh', 'mny', 'happend': a stopword with one letter dropped or two neighbours swapped.
    (An added or changed letter is not enough: 'tall' is not 'all', 'tell' is not 'tall'.)"""
    if len(word) < 3:
        return False
    for stop in _STOP_LIST:
        if len(stop) == len(word) + 1 and OSA.distance(word, stop) == 1:
            return True
        if len(stop) == len(word) and sorted(stop) == sorted(word) and OSA.distance(word, stop) == 1:
            return True
    return False


def analyse(question: str, vocab: Vocabulary) -> Query:
    """Concepts of a question: stems, synonyms and typo corrections, each weighted by rarity."""
    concepts: list[Concept] = []
    corrections: dict[str, str] = {}
    seen: set[str] = set()
    # "what time", "how many": the question's shape, not its topic.
    for word in words(_SHAPE_WORDS.sub(" ", fold(question)), split_hyphens=False):
        if word in STOPWORDS or word in seen or len(word) < 2:
            continue
        seen.add(word)
        base = stem(word)
        exact = {base}
        alternatives = {base}
        for synonym in SYNONYMS.get(word, ()):
            alternatives.update(stem(w) for w in words(synonym) if w not in STOPWORDS)
        known = {a for a in alternatives if a in vocab.doc_freq}
        if base not in vocab.doc_freq:
            fixed = vocab.closest(base)
            if fixed is None and _is_misspelt_stopword(word):
                continue
            if fixed is not None:
                corrections[word] = fixed
                exact.add(fixed)
                alternatives.add(fixed)
                known.add(fixed)
        if word in _NUMBER_WORDS or word.isdigit():
            # "five" and "5" are the same answer.
            alternatives.update(_number_twins(word))
            known.update(a for a in _number_twins(word) if a in vocab.doc_freq)
        weight = max(vocab.idf(a) for a in known) if known else UNKNOWN_WEIGHT * vocab.max_idf
        if word in LIGHT_WORDS:
            weight *= LIGHT_WEIGHT
        concepts.append(Concept(word, frozenset(exact), frozenset(known or alternatives), weight, bool(known)))
    return Query(question, tuple(concepts), question_type(question), corrections)


_TWINS = dict(zip("one two three four five six seven eight nine ten".split(), map(str, range(1, 11)), strict=True))
_TWINS.update({v: k for k, v in _TWINS.items()})


def _number_twins(word: str) -> set[str]:
    twin = _TWINS.get(word)
    return {twin} if twin else set()


def has_number(text: str) -> bool:
    t = fold(text)
    return bool(re.search(r"\d", t)) or any(w in _NUMBER_WORDS for w in words(t))


def has_time(text: str) -> bool:
    t = fold(text)
    return bool(re.search(r"\b(1[89]|20)\d\d\b|\d\s*(p\.m|a\.m)", t)) or any(w in _TIME_WORDS for w in words(t))


def has_place(text: str) -> bool:
    return bool(_PLACE.search(text))
