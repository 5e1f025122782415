"""Questions moderators taught: a question with the same key as a phrasing of a live entry gets that entry.

The key of a question is what is left of it once cleaned (bot/answer/question.py: case, punctuation, typos,
contractions, filler, abbreviations): its content words, stemmed, in order, with the few small words that change
what is asked ("why" is not "how", "after" not "before", "not", "him" not "he").  So "How mny times was he shot??"
and "lol how many times was he shot" share a key, and "why was he shot" or "was he not shot" do not.  The same
key groups near-identical questions in the inbox."""

from __future__ import annotations

import re

from bot.answer.question import clean
from bot.answer.vocabulary import Vocabulary
from bot.lexicon import Lexicon
from bot.models import Entry
from bot.store import Store
from bot.text import STOPWORDS, fold, stem, words

# Stopwords that a key keeps: question words, order in time, negation, who did what to whom, and mood.
KEY_WORDS = frozenset(
    """what which who whom whose where when why how
    after before until once then during while
    not
    he him his she her they them their
    will would can could should might may must""".split()
)
_NUMBERS = dict(zip("one two three four five six seven eight nine ten".split(), map(str, range(1, 11)), strict=True))
_WORD = re.compile(r"[A-Za-z]+")


def question_key(question: str, vocab: Vocabulary, lexicon: Lexicon, corrections: dict[str, str] | None = None) -> str:
    """The words that decide what a question asks, cleaned, stemmed and in order ('' when none)."""
    # The question itself, not the asides around it ("ok so, like, how many rounds did they fire, that's insane")
    cleaned, _asides = clean(question, lexicon, vocab, {} if corrections is None else corrections)
    kept: list[str] = []
    for word in words(cleaned, split_hyphens=False):
        if word in KEY_WORDS:
            term = word
        elif word in STOPWORDS:
            continue
        else:
            term = _NUMBERS.get(word) or stem(word)
        if term not in kept:
            kept.append(term)
    return " ".join(kept)


def spelled(question: str, corrections: dict[str, str]) -> str:
    """The question as typed, with the typos the engine corrected written as it reads them ("how mny tims was he
    shot" -> "how many times was he shot"): what a taught question is stored as, so that the typo itself
    never enters the index as a word of the story."""
    return _WORD.sub(lambda m: corrections.get(fold(m.group(0)), m.group(0)), " ".join(question.split()))


class Taught:
    """The keys of every live entry's phrasings, rebuilt when the entries change (the answer engine hands in a
    new vocabulary then); an entry's keys are worked out once per version of it."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._built_for: tuple[Vocabulary, Lexicon] | None = None
        self._entries: dict[str, Entry] = {}
        self._keys: dict[tuple[str, int], tuple[str, ...]] = {}

    async def find(self, question: str, vocab: Vocabulary, lexicon: Lexicon) -> tuple[Entry, dict[str, str]] | None:
        """The live entry a question (or one with its key) was taught to, and the typos corrected on the way;
        None at once, without reading the question, while nothing is taught."""
        await self._current(vocab, lexicon)
        if not self._entries:
            return None
        corrections: dict[str, str] = {}
        entry = self._entries.get(question_key(question, vocab, lexicon, corrections))
        return None if entry is None else (entry, corrections)

    async def entry_for(self, key: str, vocab: Vocabulary, lexicon: Lexicon) -> Entry | None:
        """The live entry taught a question with this key, if any."""
        await self._current(vocab, lexicon)
        return self._entries.get(key) if key else None

    async def _current(self, vocab: Vocabulary, lexicon: Lexicon) -> None:
        if self._built_for is None or self._built_for[0] is not vocab or self._built_for[1] is not lexicon:
            await self._rebuild(vocab, lexicon)

    async def _rebuild(self, vocab: Vocabulary, lexicon: Lexicon) -> None:
        if self._built_for is not None and self._built_for[1] is not lexicon:
            self._keys.clear()  # another lexicon cleans questions differently
        entries: dict[str, Entry] = {}
        keys: dict[tuple[str, int], tuple[str, ...]] = {}
        for entry in await self._store.phrased():  # the latest changed first: it wins a key two entries share
            version = (entry.id, entry.version)
            found = self._keys.get(version)
            if found is None:
                found = tuple(question_key(p, vocab, lexicon) for p in entry.phrasings)
            keys[version] = found
            for key in found:
                if key:
                    entries.setdefault(key, entry)
        self._entries, self._keys, self._built_for = entries, keys, (vocab, lexicon)
