"""The words the story uses (with how many entries hold each), English words, and typo correction."""

from __future__ import annotations

import math
import string
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.text import STOPWORDS, stem

MIN_TYPO_LENGTH = 4
_LETTERS = string.ascii_lowercase


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """A dictionary of English words (GCIDE headwords, lower case), loaded on first use."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["gcide"], alpha=True, lower=True))


@lru_cache(maxsize=65536)
def is_english(word: str) -> bool:
    """True for a dictionary word or a regular inflection of one ("walked", "guys", "tourists")."""
    words = english_words()
    if word in words:
        return True
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("ly", ""),
        ("'s", ""),
    ):
        if word.endswith(suffix):
            base = word[: -len(suffix)] + replacement
            if len(base) >= 3 and base in words:
                return True
            # a doubled final consonant: dragged, running
            if suffix in ("ed", "ing") and len(base) >= 4 and base[-1] == base[-2] and base[:-1] in words:
                return True
    return False


def _misspelt_stopword(word: str) -> str | None:
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    adds = {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in _LETTERS}
    found = sorted(w for w in swaps | adds if w in STOPWORDS)
    return found[0] if found else None


@lru_cache(maxsize=4096)
def looks_misspelt(word: str) -> bool:
    """True when one edit turns the word into an English word ("colapsed"): a typo, not a name."""
    return word.isalpha() and any(is_english(candidate) for candidate in _edits(word))


def _edits(word: str) -> set[str]:
    """Every spelling one edit away (drop, swap neighbours, change, add a letter)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    drops = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    adds = {a + c + b for a, b in splits for c in _LETTERS}
    return drops | swaps | changes | adds


class Vocabulary:
    """The index's words (stems) with document frequencies, and typo correction toward them."""

    def __init__(self, doc_freq: dict[str, int], docs: int, extra: Iterable[str] = ()) -> None:
        self.doc_freq = doc_freq
        self.docs = max(docs, 1)
        self.max_idf = self.idf_of(0)
        # Stems a correction may aim at: the index's, the lexicon's (and stopwords, so "teh" is not mistaken).
        self.targets: dict[str, int] = {**{stem(w): 1 for w in extra}, **doc_freq}
        self._long: dict[int, list[str]] = {}
        for term in self.targets:
            self._long.setdefault(len(term), []).append(term)
        # A stem is nearly a prefix of its word ("hospit" of "hospital"): a spelling whose prefixes miss every
        # stem (and every stem less its last letter) need not be stemmed at all, which would cost ~20 µs.
        self._stem_heads = {t for term in self.targets for t in (term, term[:-1]) if len(t) >= 3}
        self._corrections: dict[str, str | None] = {}

    def idf_of(self, df: int) -> float:
        return math.log((self.docs - df + 0.5) / (df + 0.5) + 1.0)

    def idf(self, term: str) -> float:
        return self.idf_of(self.doc_freq.get(term, 0))

    def knows(self, word: str) -> bool:
        return word in STOPWORDS or stem(word) in self.targets

    def correct(self, word: str) -> str | None:
        """The story's spelling of a misspelt word (remembered for this vocabulary), or None."""
        if word not in self._corrections:
            if len(self._corrections) > 50_000:
                self._corrections.clear()
            self._corrections[word] = self._correct(word)
        return self._corrections[word]

    def _correct(self, word: str) -> str | None:
        """The story's spelling of a misspelt word, or None (short words, numbers and English words stay).
        A three-letter word is only taken for a question word or the like with two letters swapped or one
        dropped ("teh", "mny", "hwo")."""
        if len(word) == MIN_TYPO_LENGTH - 1 and word.isalpha() and not self.knows(word):
            return _misspelt_stopword(word)
        if len(word) < MIN_TYPO_LENGTH or not word.isalpha() or self.knows(word) or is_english(word):
            return None
        best: tuple[int, str] | None = None
        for candidate in _edits(word):
            frequency = self._frequency(candidate)
            if frequency and (best is None or frequency > best[0]):
                best = (frequency, candidate)
        if best is not None:
            return best[1]
        if len(word) >= 7:  # two edits in a long word: the nearest stem by similarity
            return self._closest_stem(word)
        return None

    def _frequency(self, candidate: str) -> int:
        if candidate in STOPWORDS:
            return self.docs  # question words and the like are the most frequent of all
        heads = self._stem_heads
        if not any(candidate[:k] in heads for k in range(max(3, len(candidate) - 5), len(candidate) + 1)):
            return 0
        return self.targets.get(stem(candidate), 0)

    def _closest_stem(self, word: str) -> str | None:
        base = stem(word)
        pool = [t for length in range(len(base) - 2, len(base) + 3) for t in self._long.get(length, ())]
        found = process.extractOne(base, pool, scorer=fuzz.ratio, score_cutoff=80.0)
        return found[0] if found else None
