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


_INFLECTIONS = (
    ("ies", "y"),
    ("ied", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("'s", ""),
)


# Each part of a compound is at least this long ("timeline" is time + line; "besides" is no "be" + "sides").
_COMPOUND_PART = 4


@lru_cache(maxsize=65536)
def is_english(word: str, *, derived: bool = True) -> bool:
    """True for a dictionary word or a regular inflection of one ("walked", "guys", "tourists"), and (if
    `derived`) an adverb made with -ly ("officially")."""
    words = english_words()
    if word in words:
        return True
    for suffix, replacement in (*_INFLECTIONS, *((("ly", ""),) if derived else ())):
        if word.endswith(suffix):
            base = word[: -len(suffix)] + replacement
            if len(base) >= 3 and base in words:
                return True
            # a doubled final consonant: dragged, running
            if suffix in ("ed", "ing") and len(base) >= 4 and base[-1] == base[-2] and base[:-1] in words:
                return True
    # a compound of two words ("timeline", "firefight"), not to be "corrected" into a story word
    singular = word[:-1] if word.endswith("s") else word
    return derived and any(
        singular[:i] in words and singular[i:] in words
        for i in range(_COMPOUND_PART, len(singular) - _COMPOUND_PART + 1)
    )


_VOWELS = frozenset("aeiou")
# Short words a speed-typer writes without vowels ("hw", "wh", "ws", "hm", "gt", "yr").
_SHORT_TARGETS = frozenset(
    "how who was what why when where were with him his her get got the this that year yes".split()
)


def _skeleton(word: str) -> str:
    return word[:1] + "".join(c for c in word[1:] if c not in _VOWELS)


def _endings(word: str) -> list[tuple[str, str]]:
    """The word, and its stem with an ending it may carry ("bullts" -> "bullt" + s, "fird" -> "fir" + ed)."""
    out = [(word, "")]
    for typed, ending in (("s", "s"), ("ng", "ing"), ("d", "ed")):
        if word.endswith(typed) and len(word) > len(typed) + 2:
            out.append((word[: -len(typed)], ending))
    return out


def _inflect(word: str, ending: str) -> str:
    if not ending:
        return word
    if ending in ("ing", "ed") and word.endswith("e"):
        return word[:-1] + ending
    return word + ending


def _subsequence(typed: str, word: str) -> bool:
    letters = iter(word)
    return all(c in letters for c in typed)


@lru_cache(maxsize=1)
def _skeletons() -> dict[str, tuple[str, ...]]:
    """English words and question words by their consonants ("bllt" -> bullet, ballot...), built on first use."""
    table: dict[str, list[str]] = {}
    for word in (*english_words(), *STOPWORDS):
        if word.isalpha() and len(word) <= 14:
            table.setdefault(_skeleton(word), []).append(word)
    return {key: tuple(value) for key, value in table.items()}


def _misspelt_stopword(word: str) -> str | None:
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    adds = {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in _LETTERS}
    found = sorted(w for w in swaps | adds if w in STOPWORDS)
    return found[0] if found else None


@lru_cache(maxsize=4096)
def looks_misspelt(word: str) -> bool:
    """True when one edit turns the word into an English word ("colapsed"): a typo, not a name."""
    return word.isalpha() and any(is_english(candidate) for candidate in _edits(word))


def _likely_edits(word: str) -> list[str]:
    """Spellings one edit away, the likeliest typos first: two letters swapped or one doubled, then a letter
    dropped or added, then one changed."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    doubled = [a + b[0] + b for a, b in splits if b]
    drops = [a + b[1:] for a, b in splits if b]
    adds = [a + c + b for a, b in splits for c in _LETTERS]
    changes = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    return list(
        dict.fromkeys(e for e in (*swaps, *doubled, *sorted(drops), *sorted(adds), *sorted(changes)) if e != word)
    )


def _edit_tiers(word: str) -> tuple[list[str], ...]:
    """The spellings of _likely_edits in tiers: swapped or doubled letters; then one dropped or added; then one
    changed."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1] + [a + b[0] + b for a, b in splits if b]
    drops = [a + b[1:] for a, b in splits if b] + [a + c + b for a, b in splits for c in _LETTERS]
    changes = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    return tuple([e for e in tier if e != word] for tier in (swaps, drops, changes))


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
        self._extra = frozenset(extra)
        self.targets: dict[str, int] = {**{stem(w): 1 for w in self._extra}, **doc_freq}
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
        if not word.isalpha():
            return None
        if word not in STOPWORDS and len(word) >= MIN_TYPO_LENGTH and not is_english(word):
            meant = _misspelt_stopword(word)
            if meant is not None and stem(meant) == stem(word):
                return meant  # "befor": it stems like "before", yet it is no word the story says
        if self.knows(word):
            return None
        vowels = sum(c in _VOWELS for c in word[1:])
        if (vowels == 0 or (vowels == 1 and len(word) == 3)) and len(word) >= 2 and not is_english(word):
            unvowelled = self._unvowelled(word)  # "hw", "trn bck", "dfctn": typed without vowels
            if unvowelled is not None:
                return unvowelled
        if len(word) < MIN_TYPO_LENGTH:
            return _misspelt_stopword(word) if len(word) == MIN_TYPO_LENGTH - 1 else None
        if is_english(word):
            return None
        best: tuple[int, str] | None = None
        edits = _likely_edits(word)
        for tier in _edit_tiers(word):  # "tiem" is "time" (two letters swapped) before it is "them"
            for candidate in tier:
                frequency = self._frequency(candidate)
                # a real spelling, not just letters that stem to a story word ("famly" is not "farly", stemmed "far")
                if frequency and (best is None or frequency > best[0]) and self._spelling(candidate):
                    best = (frequency, candidate)
            if best is not None:
                return best[1]
        if vowels == 1:
            unvowelled = self._unvowelled(word)  # "bullts", "investgtng": most vowels left out
            if unvowelled is not None:
                return unvowelled
        if len(word) >= 7:  # two edits in a long word: the nearest stem by similarity
            closest = self._closest_stem(word)
            if closest is not None:
                return closest
        # a misspelt English word the story does not use ("famly"): spelt right, it can be told apart from a name
        # (but a name one letter short of a word, "australia", is no misspelt "australian")
        return next(
            (
                c
                for c in edits
                if c.isalpha()
                and len(c) >= MIN_TYPO_LENGTH
                and not c.startswith(word)
                and c[0] == word[0]  # a typo keeps its first letter: "ramen" is no misspelt "amen"
                and is_english(c, derived=False)
            ),
            None,
        )

    def _unvowelled(self, word: str) -> str | None:
        """The word a speed-typer meant by dropping vowels: one with the same consonants in the same order that
        holds every letter typed, with its ending ("bullts", "investgtng", "fird").  Two letters only stand for
        question words and the like ("hw", "ws"), three for those or the story's words ("drv", "trn"); longer
        ones for the story's words first, then any English word."""
        found: list[tuple[int, str]] = []
        for base, ending in _endings(word):
            for candidate in _skeletons().get(_skeleton(base), ()):
                spelt = _inflect(candidate, ending)
                if not _subsequence(word, spelt):
                    continue
                frequency = self._frequency(spelt) if spelt not in STOPWORDS else self.docs
                if spelt in _SHORT_TARGETS:
                    frequency = max(frequency, self.docs)
                if not frequency and len(word) >= MIN_TYPO_LENGTH and is_english(spelt):
                    frequency = 1  # an English word the story lacks: still better read right
                if frequency and (len(word) > 2 or spelt in STOPWORDS or spelt in _SHORT_TARGETS):
                    found.append((frequency, spelt))
        return max(found, key=lambda f: (f[0], -len(f[1])))[1] if found else None

    def _spelling(self, candidate: str) -> bool:
        return (
            candidate in STOPWORDS
            or is_english(candidate, derived=False)
            or stem(candidate) == candidate
            or (candidate in self._extra)
        )

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
