"""Question in, best entry out (with alternatives and citations), or an honest "the article doesn't say"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz

from bot.answer import timeline
from bot.answer.live_lexicon import LiveLexicon
from bot.answer.premise import correction, denial
from bot.answer.question import AUXILIARIES, Concept, Question, analyse, owned
from bot.answer.rank import FOUND_THRESHOLD, Judgement, coverage, judge
from bot.answer.reading import Candidate, Reading, full_text, read
from bot.answer.suggest import MAX_SUGGESTIONS, candidates
from bot.answer.taught import Taught, question_key, spelled
from bot.answer.verdict import Verdict, verdict
from bot.answer.vocabulary import Vocabulary
from bot.lexicon import Lexicon
from bot.models import Entry, Hit
from bot.spans import annotate
from bot.store import Store
from bot.text import STOPWORDS, stem, words

MAX_ANSWER = 350
# Long enough for a message with some backstory before its question (Discord allows up to 6,000 in an option).
MAX_QUESTION = 600
ALTERNATIVE_THRESHOLD = 0.4
MAX_ALTERNATIVES = 3
SAME_NEWS = 80
READING_CACHE = 20_000
# Up to this many entries, every entry is read when the store changes (a larger store reads each entry the first
# time a question finds it, and keeps what it read).
EAGER_INDEX = 5_000
# A name matches a person (or a term) when this share of its weight is in the person's name, role or aliases.
IDENTITY_THRESHOLD = 0.6
IDENTITY_CANDIDATES = 25
# What an answer covers must weigh at least this share of the weight of a word in 2% of entries: "korean",
# in half of them, says too little on its own.
FLOOR, FLOOR_SHARE = 0.35, 0.02
# Where a name stops and the sentence goes on ("the joint security area, like what makes it different").
# "the doc operating on him": a participle with its object describes the one named.
_NAME_ENDS = re.compile(
    r"\b(?:like|and|what|which|that|who|because|so|but|or|in the|from the|compared|in charge"
    r"|[a-z]{3,}ing (?=(?:on|the|him|his|her|them|at|to|with|for|a|an)\b))\b"
)
_LATEST = re.compile(r"\b(?:previous|last|latest|most recent)\b")
# Scores this close are a tie.
TIE = 0.05
_WHERE_IS = re.compile(r"^where (?:is|was|are|were) (?:the )?(?P<x>[a-z0-9 .'-]{2,40})$")
# Entries the full-text index offers for a question (its own words; then its synonyms, if those found nothing).
CANDIDATES = 40


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    found: bool
    best: Entry | None = None
    alternatives: tuple[Entry, ...] = ()
    score: float = 0.0
    corrections: dict[str, str] = field(default_factory=dict)
    message: str = ""
    closest: Entry | None = None  # when not found: the entry the message quotes
    suggestions: tuple[str, ...] = ()
    corrects: bool = False  # the answer contradicts the question's premise
    verdict: Verdict | None = None  # a yes/no question's answer, when the entry settles it

    @property
    def text(self) -> str:
        if self.best is None:
            return self.message
        if self.verdict is None:
            return answer_text(self.best)
        lead = "Yes. " if self.verdict == "yes" else "No. "
        return lead + answer_text(self.best, MAX_ANSWER - len(lead))

    @property
    def paragraphs(self) -> tuple[int, ...]:
        return self.best.paragraphs if self.best else ()


def answer_text(entry: Entry, limit: int = MAX_ANSWER) -> str:
    """What a reader sees for an entry, at most `limit` characters."""
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
    return shorten(text, limit)


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary with an ellipsis when the text is longer than `limit`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def citation_words(paragraphs: tuple[int, ...]) -> str:
    if not paragraphs:
        return ""
    if len(paragraphs) == 1:
        return f"paragraph {paragraphs[0]}"
    return "paragraphs " + ", ".join(str(p) for p in paragraphs[:-1]) + f" and {paragraphs[-1]}"


class Answerer:
    """The one way into the story's entries: questions (`ask`) and searches (`search`)."""

    def __init__(self, store: Store, lexicon: Lexicon) -> None:
        self._store = store
        self._lexicons = LiveLexicon(store, lexicon)
        self.lexicon = lexicon  # the shipped lexicon with the moderators' additions (see vocabulary)
        self._vocab: Vocabulary | None = None
        self._vocab_source: dict[str, int] | None = None
        self._by_kind: dict[str, list[Entry]] = {}
        # per version of an entry: the entry read, and what it was read from (a version number alone could repeat
        # after a restore)
        self._readings: dict[tuple[str, int], tuple[Entry, Reading]] = {}
        # per version of an entry: the index's words for it (what it says, its keywords) and its reading, with what
        # only its keywords and only its label add to what it says (see _candidate)
        self._extra_words: dict[
            tuple[str, int], tuple[frozenset[str], frozenset[str], Reading, frozenset[str], frozenset[str]]
        ] = {}
        self._answerable: dict[str, bool] = {}
        # every member of a category the store names ("north korea", "blue"), read with the entries; None for a
        # store too large to read whole
        self._members: frozenset[tuple[str, str]] | None = None
        self._taught = Taught(store)

    async def vocabulary(self) -> Vocabulary:
        lexicon = await self._lexicons.current()
        if lexicon is not self.lexicon:  # moderators changed the words: everything read with the old ones goes
            self.lexicon = lexicon
            self._vocab = None
            self._readings.clear()
            self._extra_words.clear()
        doc_freq, docs = await self._store.vocabulary()
        if self._vocab is None or doc_freq is not self._vocab_source:
            self._vocab = Vocabulary(doc_freq, docs, self.lexicon.known_words)
            self._vocab_source = doc_freq
            self._by_kind.clear()  # the store changed: lists of people, terms and events are stale
            self._answerable.clear()
            self._members = None
            if docs <= EAGER_INDEX:
                await self._index()
        return self._vocab

    @property
    def indexed(self) -> int:
        """How many entry versions the engine has read (answer types, words, clauses)."""
        return len(self._readings)

    async def _index(self) -> None:
        """Read what every entry holds (its answer types, words and clauses) when the store changes, so a question
        only looks up what was read at index time; entries read before and unchanged are kept."""
        members: set[tuple[str, str]] = set()
        for entry in await self._store.entries():
            members.update((s.kind, s.text) for s in self._read(entry).spans if s.kind.startswith("member:"))
        self._members = frozenset(members)

    async def _entries(self, kind: str) -> list[Entry]:
        if kind not in self._by_kind:
            self._by_kind[kind] = await self._store.entries(kind)
        return self._by_kind[kind]

    # ---- asking -------------------------------------------------------------------------------------

    async def ask(self, question: str, *, suggest: bool = True) -> Answer:
        question = question.strip()
        if not question:
            return Answer(
                question,
                False,
                message="Ask me a question about the story, e.g. “How many times was the soldier shot?”",
            )
        if len(question) > MAX_QUESTION:
            return Answer(
                question,
                False,
                message=f"That question is {len(question)} characters long; please keep it under {MAX_QUESTION}.",
            )
        vocab = await self.vocabulary()
        taught = await self._taught.find(question, vocab, self.lexicon)
        if taught is not None:  # a moderator taught this question (or one near it) to an entry
            return Answer(question, True, taught[0], (), 1.0, taught[1])
        query = analyse(question, vocab, self.lexicon)
        if query.personal:
            return await self._unknown(query, [])
        if query.subject and query.wants in ("person", "definition"):
            identity = await self._identity(query)
            if identity is not None:
                return identity
        if query.subject and query.wants == "name" and _names_a_role(query.subject, self.lexicon):
            named = await self._named("person", query.subject)  # "the name of the spokesman they quoted"
            if named is not None:
                return Answer(question, True, named, (), 1.0, query.corrections)
        if query.options:
            earlier = await self._compare(query)
            if earlier is not None:
                return Answer(question, True, earlier, (), 1.0, query.corrections)
        if query.wants == "place":
            located = await self._located(query)
            if located is not None:  # "where is the jsa": the glossary's entry places it
                return Answer(question, True, located, (), 1.0, query.corrections)
        if query.whereabouts:
            latest = timeline.whereabouts(await self._entries("event"), self.lexicon)
            if latest is not None:
                return Answer(question, True, latest, (), 1.0, query.corrections)
        if query.wants == "sequence":
            event = timeline.step(query, await self._entries("event"))
            if event is not None:
                return Answer(question, True, event, (), 1.0, query.corrections)
        floor = FLOOR * vocab.idf_of(int(FLOOR_SHARE * vocab.docs))
        # The question's own words first; their synonyms only when those find no answer (a second full-text
        # query costs milliseconds on a large store).
        judged = await self._judged(query, floor, exact=True)
        if not any(j.answers for j, _c in judged) and query.fts() != query.fts(exact=True):
            seen = {c.entry.id for _j, c in judged}
            more = [(j, c) for j, c in await self._judged(query, floor, exact=False) if c.entry.id not in seen]
            judged = sorted(judged + more, key=lambda pair: -pair[0].score)
        if not judged:
            return await self._unknown(query, [])
        denied = denial(query, judged)
        if denied is not None:  # "why did they shoot back?": the article says they did not
            return self._says_otherwise(query, denied.entry)
        answering = [(j, c) for j, c in judged if j.answers]
        if not answering:
            corrected = correction(query, judged, self.lexicon, self._members)
            if corrected is not None:  # "he was hit in the head, right?": the article says his shoulder...
                return self._says_otherwise(query, corrected.entry)
            return await self._not_found(query, judged if suggest else [])
        top_judgement, top = answering[0]
        if query.wants == "time" and _LATEST.search(query.cleaned):
            # "when was the previous time...": of the events that answer as well, the latest
            tied = [
                (j, c)
                for j, c in answering
                if j.score >= top_judgement.score - TIE and c.entry.kind == "event" and c.entry.sort is not None
            ]
            if tied:
                top_judgement, top = max(tied, key=lambda pair: pair[1].entry.sort or 0)
        if query.beyond:
            return self._doesnt_say(query, top.entry, "The article only covers the first days after the escape")
        alternatives: list[Entry] = []
        for judgement, candidate in judged:
            if len(alternatives) == MAX_ALTERNATIVES:
                break
            entry = candidate.entry
            if entry is top.entry or judgement.coverage < ALTERNATIVE_THRESHOLD or not judgement.required:
                continue
            if not any(_same_news(entry, shown) for shown in (top.entry, *alternatives)):
                alternatives.append(entry)
        return Answer(
            question,
            True,
            top.entry,
            tuple(alternatives),
            round(top_judgement.score, 3),
            query.corrections,
            verdict=verdict(query, top, self.lexicon),
        )

    async def normalise(self, question: str) -> str:
        """The key of a question: near-identical questions share it (see bot/answer/taught.py)."""
        return question_key(question, await self.vocabulary(), self.lexicon)

    async def corrected(self, question: str) -> str:
        """The question with the engine's typo corrections written in ("how mny tims" -> "how many times")."""
        corrections: dict[str, str] = {}
        question_key(question, await self.vocabulary(), self.lexicon, corrections)
        return spelled(question, corrections)

    async def taught_entry(self, key: str) -> Entry | None:
        """The live entry a question with this key was taught to, if any."""
        return await self._taught.entry_for(key, await self.vocabulary(), self.lexicon)

    async def _located(self, query: Question) -> Entry | None:
        """'Where is the JSA': the term named, when its entry names another place it is in."""
        where = _WHERE_IS.match(query.cleaned)
        if where is None:
            return None
        term = await self._named("term", where.group("x"))
        if term is None:
            return None
        named = set(words(where.group("x"), split_hyphens=False)) | set(words(term.term or "", split_hyphens=False))
        for span in annotate(term.text, self.lexicon):
            if span.kind == "place" and not set(words(span.text, split_hyphens=False)) <= named:
                return term
        return None

    async def _compare(self, query: Question) -> Entry | None:
        """'Who visited first, Pence or Tillerson': the events each names, and which comes first (or last)."""
        latest = bool(re.search(r"\b(?:last|later|latest|recent|recently)\b", query.cleaned))
        found: list[Entry] = []
        for option in query.options:
            wanted = analyse(option, await self.vocabulary(), self.lexicon)
            if not wanted.index_words:
                return None
            hits = await self._store.match(wanted.fts(), kind="event", limit=5)
            hits = [h for h in hits if coverage(wanted.concepts, h.said, h.keywords) >= FOUND_THRESHOLD]
            if not hits:
                return None
            found.append(hits[0].entry)
        if len(found) != 2 or found[0].id == found[1].id or found[0].sort == found[1].sort:
            return None  # the same event, or the same moment: the timeline cannot tell
        ordered = sorted(found, key=lambda e: e.sort or 0)
        return ordered[-1] if latest else ordered[0]

    async def _judged(self, query: Question, floor: float, *, exact: bool) -> list[tuple[Judgement, Candidate]]:
        """Candidates for the question's own words (or for their synonyms too), judged, best first."""
        if not query.index_words:
            return []
        hits = await self._store.match(query.fts(exact=exact), limit=CANDIDATES)
        candidates = [self._candidate(h) for h in hits]
        best_rank = min((c.rank for c in candidates), default=-1.0) or -1.0
        return sorted(
            ((judge(query, c, c.rank / best_rank, self.lexicon, floor), c) for c in candidates),
            key=lambda pair: -pair[0].score,
        )

    def _read(self, entry: Entry) -> Reading:
        key = (entry.id, entry.version)
        known = self._readings.get(key)
        # (the same Entry object, which the store hands out again for a version it has decoded, has the same text)
        if known is not None and (known[0] is entry or known[1].text == full_text(entry)):
            return known[1]
        reading = read(entry, self.lexicon)
        if len(self._readings) >= READING_CACHE:
            self._readings.clear()
            self._extra_words.clear()
        self._readings[key] = (entry, reading)
        return reading

    def _candidate(self, hit: Hit) -> Candidate:
        reading = self._read(hit.entry)
        key = (hit.entry.id, hit.entry.version)
        known = self._extra_words.get(key)
        if known is None or known[:3] != (hit.said, hit.keywords, reading):
            keywords = hit.keywords - reading.said
            known = (hit.said, hit.keywords, reading, keywords, hit.said - reading.said - keywords)
            self._extra_words[key] = known
        return Candidate(hit.entry, hit.rank, known[3], known[4], reading)

    async def _identity(self, query: Question) -> Answer | None:
        """'Who is X' and 'what is X': the person or term named, or a plain "X is not in this story"."""
        assert query.subject is not None
        kind = "person" if query.wants == "person" else "term"
        found = await self._named(kind, query.subject)
        if found is not None:
            return Answer(query.text, True, found, (), 1.0, query.corrections)
        # "the defense guy who talked to the lawmakers": only the name before its description must be known
        subject = set(words(_NAME_ENDS.split(query.subject)[0], split_hyphens=False))
        strangers = [c for c in query.concepts if not c.known and set(c.word.split()) & subject]
        if not strangers:
            return None
        if kind != "person":
            return None  # the general search says what is missing, with questions it can answer
        people = ", ".join(
            e.name or e.id
            for e in (await self._entries("person"))
            if e.name and any(s.kind == "name" for s in annotate(e.name, self.lexicon))
        )
        message = f"{_display(query.text, query.subject)} is not in this story. The people it names: {people}."
        return Answer(query.text, False, corrections=query.corrections, message=message)

    async def _named(self, kind: str, name: str) -> Entry | None:
        """The person or term a name, alias or description points to ("lee", "the jsa", "defense minister")."""
        # "the joint security area, like what makes it different": the name ends where the sentence goes on
        name = _NAME_ENDS.split(name)[0]
        subject = [w for w in words(name, split_hyphens=False) if w not in STOPWORDS]
        if not subject:
            return None
        # "the president of south korea": the president is who is asked about, not south korea
        named, owner = owned(name)
        heads = [w for w in words(named, split_hyphens=False) if w not in STOPWORDS]
        head = heads[-1] if heads else subject[-1]
        # "the doctor" is the surgeon; "the leader of north korea" is nobody's title here, whoever leads elsewhere
        synonyms = {} if owner else self.lexicon.synonyms_of
        vocab = await self.vocabulary()
        # Only entries of that kind that share a word with the name are scored (a store may hold thousands).
        terms = sorted({stem(w) for w in subject} | set(subject))
        hits = await self._store.match(" OR ".join(f'"{t}"' for t in terms), kind=kind, limit=IDENTITY_CANDIDATES)
        best: tuple[float, Entry] | None = None
        for entry in (h.entry for h in hits):
            score = _identity_score(subject, entry, vocab, head, synonyms)
            if score >= IDENTITY_THRESHOLD and (best is None or score > best[0]):
                best = (score, entry)
        return best[1] if best else None

    async def _not_found(self, query: Question, judged: list[tuple[Judgement, Candidate]]) -> Answer:
        """The article holds no answer: say what it does say that comes closest, or suggest questions."""
        close = [(j, c) for j, c in judged if j.coverage >= FOUND_THRESHOLD and j.required]
        if close and (query.wants not in (None, "definition") or query.beyond):
            lead = "The article only covers the first days after the escape" if query.beyond else None
            return self._doesnt_say(query, close[0][1].entry, lead)
        strangers = [c for c in query.concepts if c.required and not c.known]
        return await self._unknown(query, judged, missing=strangers)

    async def _suggestions(self, entries: list[Entry]) -> list[str]:
        """Up to three questions about what the question did touch, each one the bot answers."""
        vocab = await self.vocabulary()
        offered: list[str] = []
        for question in candidates(entries[:12], vocab.idf)[: 2 * MAX_SUGGESTIONS]:
            if len(offered) == MAX_SUGGESTIONS:
                break
            if question not in self._answerable:  # remembered until the store changes
                self._answerable[question] = (await self.ask(question, suggest=False)).found
            if self._answerable[question]:
                offered.append(question)
        return offered

    def _says_otherwise(self, query: Question, entry: Entry) -> Answer:
        """A false premise.  A yes/no question is answered by what the article says instead ("did the South fire
        back?": they did not); any other question has no answer as asked ("why did the South open fire on him?",
        "how many rounds did the South fire?"), so it is not found, and the message says what the article says."""
        if query.yes_no:
            return Answer(query.text, True, entry, (), 0.0, query.corrections, corrects=True, verdict="no")
        answer = self._doesnt_say(query, entry, "The article says otherwise")
        return replace(answer, corrects=True)

    def _doesnt_say(self, query: Question, closest: Entry, lead: str | None = None) -> Answer:
        lead = lead or "The article doesn't say"
        where = citation_words(closest.paragraphs) or f"context from {closest.source}"
        message = f"{lead}. What it does say: {shorten(answer_text(closest), 240)} ({where})."
        return Answer(query.text, False, corrections=query.corrections, message=message, closest=closest)

    async def _unknown(
        self, query: Question, judged: list[tuple[Judgement, Candidate]], missing: list[Concept] | None = None
    ) -> Answer:
        offered = await self._suggestions([c.entry for _j, c in judged]) if judged else []
        lead = "I don't know that from this story."
        if missing:
            lead = f"The story doesn't mention {_as_typed(query.text, [c.word for c in missing[:3]])}."
        hint = " Try: " + " · ".join(offered) if offered else ""
        return Answer(query.text, False, corrections=query.corrections, message=lead + hint, suggestions=tuple(offered))

    # ---- searching -----------------------------------------------------------------------------------

    async def find(self, kind: str, name: str) -> Entry | None:
        """The person or term a name, alias or description points to ("jsa", "the surgeon"), or None."""
        named = await self._named(kind, name)
        if named is not None:
            return named
        query = analyse(name, await self.vocabulary(), self.lexicon)
        if not query.index_words:
            return None
        hits = await self._store.match(query.fts(), kind=kind, limit=5)
        hits = [h for h in hits if coverage(query.concepts, h.said, h.keywords) >= FOUND_THRESHOLD]
        return hits[0].entry if hits else None

    async def search(self, text: str, limit: int = 100) -> list[Entry]:
        """Every entry that mentions the words, best first (the words' coverage, then the index's rank)."""
        query = analyse(text, await self.vocabulary(), self.lexicon)
        if not query.index_words:
            return []
        hits = await self._store.match(query.fts(), limit=limit)
        scored = sorted(hits, key=lambda h: (-round(coverage(query.concepts, h.said, h.keywords), 2), h.rank))
        return [h.entry for h in scored]


def _names_a_role(subject: str, lexicon: Lexicon) -> bool:
    """'The spokesman', 'the military spokesman they quoted': a role someone in the story holds; not 'the soldier',
    who is the story's unnamed defector as often as anyone."""
    head = subject.split()[-1]
    return head in lexicon.person_words and head not in _ANYONE


_ANYONE = frozenset("soldier soldiers defector man men guy guys person people someone".split())


def _identity_score(
    subject: list[str], entry: Entry, vocab: Vocabulary, head: str, synonyms: Mapping[str, frozenset[str]]
) -> float:
    """The weighted share of the subject's words in the entry's name (or term), role and aliases, typos allowed,
    each word or one of its synonyms ("the doctor" is the surgeon). The subject's head ("minister" in "the defense
    minister", "president" in "the president of X") must be among them, and some word must be in the name or role
    itself, not only in the aliases."""
    own = " ".join(filter(None, (entry.title, entry.role)))
    own_words = _label_words(own)
    all_words = own_words | _label_words(" ".join(entry.keywords))

    def spelled(word: str, label: frozenset[str]) -> bool:
        return (
            word in label or stem(word) in label or (len(word) >= 4 and any(fuzz.ratio(word, w) >= 85 for w in label))
        )

    def holds(word: str, label: frozenset[str]) -> bool:
        return spelled(word, label) or any(w in label or stem(w) in label for w in synonyms.get(word, ()))

    if not holds(head, all_words) or not any(holds(w, own_words) for w in subject):
        return 0.0
    weights = [vocab.idf(stem(w)) or vocab.max_idf for w in subject]
    matched = sum(weight for word, weight in zip(subject, weights, strict=True) if holds(word, all_words))
    return matched / sum(weights)


@lru_cache(maxsize=4096)
def _label_words(text: str) -> frozenset[str]:
    return frozenset(words(text, split_hyphens=True)) | {stem(w) for w in words(text)}


def _as_typed(question: str, found: list[str]) -> str:
    """Words the story lacks, as the asker wrote them ("Japan", "bitcoin"), joined with "or"."""
    shown = []
    for word in found:
        match = re.search(rf"(?i)\b{re.escape(word)}\b", question)
        shown.append(match.group(0) if match else word)
    return " or ".join(f"“{w}”" for w in shown)


def _display(question: str, cleaned: str) -> str:
    """How a thing the story lacks is named back: as the asker wrote it ("Kim Jong Un", "the president of
    France"), else from the cleaned words, a name capitalised ("kim jong un" -> "Kim Jong Un")."""
    found = re.search(
        r"(?i)\b(?:who|what)(?:'s|’s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+|a\s+|an\s+)?(.+?)\s*[?.!]*$",
        question.strip(),
    )
    if found and len(found.group(1)) <= 60:
        shown = found.group(1)
        if shown == shown.lower() and not re.match(r"(?:the|a|an)\b", shown):
            shown = shown.title()  # a name typed in lower case: "kim jong un"
        return shown[:1].upper() + shown[1:]
    parts = [w for w in cleaned.split() if w not in AUXILIARIES]
    return " ".join(p[:1].upper() + p[1:] for p in parts) or cleaned


def _same_news(a: Entry, b: Entry) -> bool:
    """Two entries telling the same thing (a fact and its timeline event, say): show only one."""
    return _same_text(a.text, b.text)


@lru_cache(maxsize=16_384)
def _same_text(a: str, b: str) -> bool:
    # (entries' texts: the same pairs come back question after question, and the comparison costs ~10 µs)
    return fuzz.token_set_ratio(a, b, processor=str.lower) >= SAME_NEWS
