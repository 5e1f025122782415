"""Question in, best entry out (with alternatives and citations), or an honest "I don't know"."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.answer.query import Concept, Query, Vocabulary, analyse, has_number, has_place, has_time
from bot.models import Entry, Hit
from bot.store import Store

MAX_ANSWER = 350
MAX_QUESTION = 300
CANDIDATES = 40
# Share of the question's weight (rare words count more) an entry must cover to be an answer.
FOUND_THRESHOLD = 0.5
# ...and the words it covers must together be this rare: "soldier" alone says too little.
MIN_MATCHED_WEIGHT = 1.0
ALTERNATIVE_THRESHOLD = 0.4
MAX_ALTERNATIVES = 3
SAME_NEWS = 80
# How much a question word counts when an entry holds it: as typed (or its correction) in what the
# entry says, as a synonym, or only among the entry's keywords.
EXACT_SHARE, EXACT_KEYWORD_SHARE, SYNONYM_SHARE, KEYWORD_SHARE = 1.0, 0.9, 0.85, 0.7

SUGGESTIONS = (
    "How many times was the soldier shot?",
    "Who is Lee Cook-jong?",
    "What is the Joint Security Area?",
    "What happened just after 3 p.m. Monday?",
)


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    found: bool
    best: Entry | None = None
    alternatives: tuple[Entry, ...] = ()
    score: float = 0.0
    corrections: dict[str, str] = field(default_factory=dict)
    message: str = ""

    @property
    def text(self) -> str:
        return answer_text(self.best) if self.best else self.message

    @property
    def paragraphs(self) -> tuple[int, ...]:
        return self.best.paragraphs if self.best else ()


def answer_text(entry: Entry) -> str:
    """What a reader sees for an entry, at most MAX_ANSWER characters."""
    if entry.kind == "quote":
        text = f"“{entry.text}” — {entry.speaker}"
        if entry.context:
            text += f" ({entry.context.rstrip('.')})"
    elif entry.kind == "event":
        text = f"{entry.when}: {entry.text}"
    elif entry.kind == "person":
        named = entry.name and entry.name.lower() in entry.text.lower()
        text = entry.text if named else f"{entry.name} ({entry.role}): {entry.text}"
    elif entry.kind == "term":
        named = entry.term and entry.term.lower() in entry.text.lower()
        text = entry.text if named else f"{entry.term}: {entry.text}"
    else:
        text = entry.text
    return shorten(text, MAX_ANSWER)


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary with an ellipsis when the text is longer than `limit`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


class Answerer:
    """Ranks store hits for a question; the store does the search, this decides."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._vocab: Vocabulary | None = None
        self._vocab_source: dict[str, int] | None = None

    async def vocabulary(self) -> Vocabulary:
        doc_freq, docs = await self._store.vocabulary()
        if self._vocab is None or doc_freq is not self._vocab_source:
            self._vocab = Vocabulary(doc_freq, docs)
            self._vocab_source = doc_freq
        return self._vocab

    async def ask(self, question: str) -> Answer:
        question = question.strip()
        if not question:
            return Answer(question, False, message=f"Ask me a question about the story, e.g. “{SUGGESTIONS[0]}”")
        if len(question) > MAX_QUESTION:
            return Answer(
                question,
                False,
                message=f"That question is {len(question)} characters long; please keep it under {MAX_QUESTION}.",
            )
        query = analyse(question, await self.vocabulary())
        if not any(c.known for c in query.concepts):
            return self._unknown(question, query)
        hits = await self._store.match(query.fts(), limit=CANDIDATES)
        if not hits:
            return self._unknown(question, query)
        best_rank = min(h.rank for h in hits) or -1.0
        scored = sorted(
            ((self._score(query, h, h.rank / best_rank), h.entry) for h in hits),
            key=lambda pair: -pair[0][0],
        )
        (top_score, top_coverage), top = scored[0]
        if top_coverage < FOUND_THRESHOLD:
            return self._unknown(question, query)
        alternatives: list[Entry] = []
        for (_score, coverage), entry in scored[1:]:
            if len(alternatives) == MAX_ALTERNATIVES or coverage < ALTERNATIVE_THRESHOLD:
                break
            if not any(_same_news(entry, shown) for shown in (top, *alternatives)):
                alternatives.append(entry)
        return Answer(question, True, top, tuple(alternatives), round(top_score, 3), query.corrections)

    @staticmethod
    def _score(query: Query, hit: Hit, relative_rank: float) -> tuple[float, float]:
        """(score, coverage): coverage is the weighted share of the question's concepts the entry holds."""
        said, keywords, entry = hit.said, hit.keywords, hit.entry
        total = sum(c.weight for c in query.concepts)
        matched = sum(c.weight * _match_share(c, said, keywords) for c in query.concepts)
        coverage = matched / total if total and matched >= MIN_MATCHED_WEIGHT else 0.0
        bonus = _type_bonus(query.wants, entry)
        return coverage + bonus + 0.1 * relative_rank, coverage

    @staticmethod
    def _unknown(question: str, query: Query) -> Answer:
        return Answer(
            question,
            False,
            corrections=query.corrections,
            message="I don't know that from this story. Try one of these: " + " · ".join(SUGGESTIONS[:3]),
        )


def _same_news(a: Entry, b: Entry) -> bool:
    """Two entries telling the same thing (a fact and its timeline event, say): show only one."""
    return fuzz.token_set_ratio(a.text, b.text, processor=str.lower) >= SAME_NEWS


def _match_share(concept: Concept, said: frozenset[str], keywords: frozenset[str]) -> float:
    if concept.exact & said:
        return EXACT_SHARE
    if concept.exact & keywords:
        return EXACT_KEYWORD_SHARE
    if concept.alternatives & said:
        return SYNONYM_SHARE
    if concept.alternatives & keywords:
        return KEYWORD_SHARE
    return 0.0


def _type_bonus(wants: str | None, entry: Entry) -> float:
    """A nudge toward entries of the shape the question asks for (a number, a time, a person...)."""
    if wants in ("number", "measure"):
        return 0.12 if has_number(entry.text) else 0.0
    if wants == "time":
        return 0.12 if entry.kind == "event" or has_time(entry.text) else 0.0
    if wants == "person":
        return 0.15 if entry.kind == "person" else 0.0
    if wants == "place":
        return 0.06 if has_place(entry.text) else 0.0
    if wants == "quote":
        return 0.15 if entry.kind == "quote" else 0.0
    if wants == "definition":
        return 0.15 if entry.kind == "term" else 0.0
    return 0.0
