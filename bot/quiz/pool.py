"""The store's entries as the quiz reads them: typed spans, content words, the people the story names, and an
index of what each entry mentions, so a distractor can be checked against everything the story says."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from bot.lexicon import Category, Lexicon
from bot.models import Entry, Paragraph
from bot.quiz.values import measure_core, number_value, read_clock, read_measure
from bot.spans import TITLES, Span, annotate
from bot.text import STOPWORDS, fold, stem, words

# A word in more than this share of the entries says nothing about which fact a sentence tells ("soldier").
COMMON_SHARE = 0.25
# Two statements tell the same thing when this share of the shorter one's telling words is in the other.
SAME_THING = 0.4
# Categories whose members are places: a place is asked only against places of its own kind.
PLACE_CATEGORIES = ("city", "country", "village")
TIME_CATEGORIES = ("month", "weekday")
_NOT_WORD = re.compile(r"[^\w-]+")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")

Key = tuple[str, str]


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Text as the quiz compares it: folded, single spaces."""
    return " ".join(fold(text).split())


@lru_cache(maxsize=65536)
def _padded(text: str) -> str:
    """The words of a text between single spaces, punctuation and apostrophes as spaces: ' korean people s army '."""
    return " " + " ".join(_NOT_WORD.sub(" ", norm(text)).split()) + " "


def contains_phrase(text: str, phrase: str) -> bool:
    """`phrase` occurs in `text` as whole words ('Trump’s' holds 'trump'; 'AK-47' does not hold '47')."""
    wanted = _padded(phrase)
    return wanted != "  " and wanted in _padded(text)


def strip_possessive(text: str) -> str:
    return _POSSESSIVE.sub("", text) if len(text) > 3 else text


def telling_words(text: str, lexicon: Lexicon) -> frozenset[str]:
    """The stemmed content words of a text, each word in its base form first (shot -> shoot)."""
    out = set()
    for word in words(text, split_hyphens=False):
        if word in STOPWORDS or word.isdigit() or number_value(word) is not None:
            continue
        forms = lexicon.form_of.get(word)
        base = min(forms, key=len) if forms else word
        out.add(stem(base))
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone the story names: how the quiz writes them, and the words of their name."""

    name: str
    tokens: frozenset[str]

    def same_as(self, other: Person) -> bool:
        return self.tokens <= other.tokens or other.tokens <= self.tokens

    def named_by(self, tokens: frozenset[str]) -> bool:
        return bool(tokens) and (tokens <= self.tokens or self.tokens <= tokens)


@dataclass(frozen=True, slots=True)
class Doc:
    """One live entry: its text's spans, what its text and keywords mention, and its telling words."""

    entry: Entry
    spans: tuple[Span, ...]
    mentions: frozenset[Key]
    telling: frozenset[str]
    in_article: bool


class Pool:
    """Everything the question families need, built once per state of the store (see QuizMaker)."""

    def __init__(self, entries: Iterable[Entry], paragraphs: Iterable[Paragraph], lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.paragraphs = {p.number: p.text for p in paragraphs}
        live = sorted((e for e in entries if not e.deleted), key=lambda e: (e.kind, e.id))
        self.categories = {c.name: c for c in lexicon.categories}
        self._proper: dict[str, Person | None] = {}
        self._by_token: dict[str, list[Person]] = {}
        self.people = self._people(live)
        self._paragraph_keys: dict[int, frozenset[Key]] = {}
        self.docs = [self._doc(e) for e in live]
        counts = Counter(w for d in self.docs for w in d.telling)
        limit = max(3, COMMON_SHARE * len(self.docs))
        self.common = frozenset(w for w, n in counts.items() if n > limit)
        self.by_mention: dict[Key, list[Doc]] = {}
        for doc in self.docs:
            for key in doc.mentions:
                self.by_mention.setdefault(key, []).append(doc)

    # ---- people ---------------------------------------------------------------------------------------

    def _people(self, entries: Sequence[Entry]) -> list[Person]:
        """Everyone with a proper name, once: people entries first, then quotes' speakers."""
        found: list[Person] = []
        names = [e.name for e in entries if e.kind == "person" and e.name]
        names += [e.speaker for e in entries if e.kind == "quote" and e.speaker]
        for raw in names:
            person = self.proper_name(raw)
            if person is None or self.person_named(person.tokens) is not None:
                continue
            found.append(person)
            for token in person.tokens:
                self._by_token.setdefault(token, []).append(person)
        return found

    def proper_name(self, text: str) -> Person | None:
        """A Person when `text` is a proper name, perhaps after titles ('Vice President Pence' -> Pence); None
        for a description ('The North Korean soldier')."""
        if text not in self._proper:
            self._proper[text] = self._read_proper_name(text)
        return self._proper[text]

    def _read_proper_name(self, text: str) -> Person | None:
        names = [s for s in annotate(text, self.lexicon) if s.kind == "name"]
        if len(names) != 1:
            return None
        span = names[0]
        before, after = norm(text[: span.start]), text[span.end :].strip(" .,")
        if after or (before and not all(w in self.title_words for w in before.replace(".", "").split())):
            return None
        name = strip_possessive(text[span.start : span.end])
        return Person(name, name_tokens(name))

    @cached_property
    def title_words(self) -> frozenset[str]:
        ranks = self.categories.get("rank")
        titles = [*TITLES, *(ranks.members if ranks else ())]
        return frozenset(w.replace(".", "") for t in titles for w in norm(t).split())

    @cached_property
    def prominent_people(self) -> list[Person]:
        """The people, those the most entries mention first: the story's main figures make the likeliest
        distractors."""
        return sorted(self.people, key=lambda p: (-len(self.mentioning(("p", p.name))), p.name))

    def person_named(self, tokens: frozenset[str]) -> Person | None:
        """The person these name words name ('lee' or 'lee cook-jong' -> Lee Cook-jong), if any."""
        for token in sorted(tokens):
            for person in self._by_token.get(token, ()):
                if person.named_by(tokens):
                    return person
        return None

    # ---- entries --------------------------------------------------------------------------------------

    def _doc(self, entry: Entry) -> Doc:
        spans = annotate(entry.text, self.lexicon)
        mentions = set(self.keys_of(entry.text, spans))
        if entry.keywords:
            keywords = " ; ".join(entry.keywords)  # one pass: no span reaches across the semicolons
            mentions.update(self.keys_of(keywords, annotate(keywords, self.lexicon)))
            mentions.update(("w", norm(k)) for k in entry.keywords)
        title = entry.speaker if entry.kind == "quote" else entry.name if entry.kind == "person" else None
        person = self.proper_name(title) if title else None
        if person is not None:
            mentions.add(("p", (self.person_named(person.tokens) or person).name))
        in_article = not entry.is_context and bool(entry.paragraphs)
        in_article = in_article and all(p in self.paragraphs for p in entry.paragraphs)
        return Doc(entry, spans, frozenset(mentions), telling_words(entry.text, self.lexicon), in_article)

    def keys_of(self, text: str, spans: Iterable[Span]) -> list[Key]:
        """What a text mentions, as index keys: ('n', '40'), ('m', 'time:1200'), ('t', 'monday'),
        ('p', 'Lee Cook-jong'), ('w', 'seoul')."""
        keys: list[Key] = []
        for span in spans:
            surface = text[span.start : span.end]
            key = self.key_of(span.kind, surface)
            if key is not None:
                keys.append(key)
            if key is not None and key[0] == "n":
                keys.append(counted_key(key[1], text, span.end))
            keys.extend(self._inner_members(span.kind, surface))
        return keys

    def key_of(self, kind: str, surface: str) -> Key | None:
        if kind == "number":
            value = number_value(surface)
            return None if value is None else ("n", str(value))
        if kind in ("distance", "duration"):
            start, end = measure_core(surface)
            measure = read_measure(surface[start:end])
            return None if measure is None or measure.size is None else ("m", _size_key(measure.size))
        if kind == "time":
            clock = read_clock(surface)
            return ("t", f"{clock.hour}{clock.minutes}{clock.suffix[0]}") if clock else ("t", norm(surface))
        if kind == "name":
            person = self.person_named(name_tokens(strip_possessive(surface)))
            return None if person is None else ("p", person.name)
        if kind == "place" or kind.startswith("member:"):
            return ("w", norm(surface))
        return None

    def _inner_members(self, kind: str, surface: str) -> list[Key]:
        """The other members of a member's category that its words hold ('organs' in 'internal organs')."""
        category = self.category_of(kind)
        if category is None:
            return []
        whole = norm(surface)
        return [("w", m) for m in category.members if m != whole and contains_phrase(whole, m)]

    def mentioning(self, key: Key) -> list[Doc]:
        return self.by_mention.get(key, [])

    def telling(self, text: str) -> frozenset[str]:
        """The words that tell what a statement is about: content words minus the story's common ones."""
        return telling_words(text, self.lexicon) - self.common

    def told_elsewhere(self, key: Key, telling: frozenset[str], source: Entry) -> bool:
        """True when an entry that mentions `key` tells the same thing as a statement with these telling words
        (or is the statement's own entry, in its keywords): then `key` may be right too, and is no distractor."""
        for doc in self.mentioning(key):
            if doc.entry.id == source.id:
                return True
            other = doc.telling - self.common
            shared = len(telling & other)
            if shared >= 2 and shared / min(len(telling), len(other)) >= SAME_THING:
                return True
        return False

    # ---- the article ----------------------------------------------------------------------------------

    def cited_keys(self, paragraphs: Iterable[int]) -> frozenset[Key]:
        """What the cited paragraphs mention (the index keys of their spans)."""
        out: set[Key] = set()
        for number in paragraphs:
            if number not in self._paragraph_keys:
                text = self.paragraphs.get(number, "")
                self._paragraph_keys[number] = frozenset(self.keys_of(text, annotate(text, self.lexicon)))
            out |= self._paragraph_keys[number]
        return frozenset(out)

    def supporting(self, paragraphs: Iterable[int], key: Key | None, *phrases: str) -> int | None:
        """The first cited paragraph that says the answer (mentions its key, or holds one of the phrases)."""
        for number in paragraphs:
            if key is not None and key in self.cited_keys((number,)):
                return number
            if any(contains_phrase(self.paragraphs.get(number, ""), p) for p in phrases):
                return number
        return None

    def category_of(self, kind: str) -> Category | None:
        return self.categories.get(kind.removeprefix("member:")) if kind.startswith("member:") else None

    @cached_property
    def story_weekdays(self) -> frozenset[str]:
        return frozenset(
            norm(d.entry.text[s.start : s.end]) for d in self.docs for s in d.spans if s.kind == "weekday"
        ) | frozenset(norm(s.text) for d in self.docs if d.entry.when for s in annotate(d.entry.when, self.lexicon))

    @cached_property
    def latest_year(self) -> int:
        years = [int(s.text[:4]) for d in self.docs for s in d.spans if s.kind == "year"]
        return max(years, default=2000)

    @cached_property
    def story_numbers(self) -> list[int]:
        """Every count the story gives, in entry order, once each."""
        seen: dict[int, None] = {}
        for doc in self.docs:
            for span in doc.spans:
                if span.kind == "number":
                    value = number_value(span.text)
                    if value is not None:
                        seen.setdefault(value, None)
        return list(seen)


def counted_key(value: str, text: str, end: int) -> Key:
    """('nn', '5:time'): a count with the thing it counts ('five times'), the surest sign two statements give a
    number for the same thing."""
    after = words(text[end:])
    return ("nn", f"{value}:{stem(after[0]) if after else ''}")


def name_tokens(name: str) -> frozenset[str]:
    return frozenset(w.strip(".,") for w in norm(name).split() if w.strip(".,"))


def _size_key(size: tuple[str, float]) -> str:
    return f"{size[0]}:{round(size[1], 3)}"
