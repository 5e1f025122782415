"""What kinds of answer a piece of text holds: numbers, distances, durations, times, people, names, places,
members of the lexicon's categories, reasons, statements and quotes.

Entries are annotated when they are indexed; questions are matched against the annotations, so that "how far"
finds the entry that holds a distance and "who" the one that names someone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.lexicon import Lexicon, normal
from bot.text import STOPWORDS

NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
    "dozen dozens handful several"
).split()
DISTANCE_UNITS = (
    "yard yards meter meters metre metres foot feet mile miles km kilometer kilometers kilometre kilometres"
)
DURATION_UNITS = "second seconds minute minutes hour hours day days week weeks month months year years decade decades"
# "since" followed this close (in characters) by a date or a time dates something rather than explains it.
SINCE_WINDOW = 60
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
MONTHS = "january february march april may june july august september october november december".split()
RELATIVE_TIMES = (
    "last week",
    "last month",
    "last year",
    "this week",
    "next week",
    "yesterday",
    "today",
    "tomorrow",
    "tonight",
    "this morning",
    "in recent years",
    "recently",
    "in the coming days",
    "earlier this year",
    "later",
)
# Capitalised words that open sentences or name nations and offices: never part of a person's name.  The
# lexicon's places, organisations, countries and weapons are added to these.
NOT_NAMES = (
    frozenset(
        """the a an at in on of for and but or if as by to from with during once after before almost despite there
    it its
    this that these those some many most read more north south east west korean korea koreans american americans
    u.s states secretary state vice president defense defence minister col colonel surgeon dr mr mrs ms general
    officials escapes war army military""".split()
        + NUMBER_WORDS
        + WEEKDAYS
        + MONTHS
    )
    | STOPWORDS
    | frozenset("however although among meanwhile thus yet whereas unless".split())
)
_NOT_NAME_CATEGORIES = ("organisation", "country", "weapon", "village", "city", "month", "weekday")
TITLES = (
    "col.",
    "colonel",
    "president",
    "vice president",
    "secretary of state",
    "defense minister",
    "minister",
    "surgeon",
    "dr.",
    "dr",
    "doctor",
    "mr.",
    "mrs.",
    "ms.",
    "general",
    "gen.",
    "sgt.",
    "captain",
    "capt.",
    "chairman",
    "leader",
)

_NUM = r"(?:\d[\d,]*(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r"|a|an)"
_QUALIFIER = r"(?:(?:at least|about|almost|nearly|more than|over|some|around|roughly|just|only) )?"


@dataclass(frozen=True, slots=True)
class Span:
    kind: str
    start: int
    end: int
    text: str


def _compile(words: str) -> str:
    return "|".join(re.escape(w) for w in sorted(words.split(), key=len, reverse=True))


_DISTANCE = re.compile(rf"\b{_QUALIFIER}{_NUM} (?:{_compile(DISTANCE_UNITS)})\b")
_DURATION = re.compile(rf"\b{_QUALIFIER}{_NUM} (?:{_compile(DURATION_UNITS)})\b(?: later| ago| earlier)?")
_CLOCK = re.compile(r"\b\d{1,2}(?::\d\d)?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b|o'clock)")
_YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)s?\b")
_DIGITS = re.compile(r"(?<![\w-])\d[\d,]*(?:\.\d+)?(?![\w-])")
# "one of the few spots" is not a count
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(NUMBER_WORDS) + r")\b(?! of the)")
_WEEKDAY = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r")\b")
_MONTH = re.compile(r"\b(?:" + "|".join(MONTHS[:4] + MONTHS[5:]) + r")\b")
_RELATIVE = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in RELATIVE_TIMES) + r")\b")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,})[”\"]")
_CAPITALISED = re.compile(r"\b[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*))*")


def _word_pattern(items: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted({i for i in items if i}, key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(i) for i in ordered) + r")(?![\w-])")


@lru_cache(maxsize=8)
def _lexicon_patterns(lexicon: Lexicon) -> dict[str, re.Pattern[str]]:
    patterns = {
        "person": _word_pattern(lexicon.person_words),
        "place": _word_pattern(lexicon.place_words),
        "statement": _word_pattern(lexicon.speech_verbs),
        "cause": _word_pattern(lexicon.cause_markers),
        "title": _word_pattern(TITLES),
    }
    for category in lexicon.categories:
        patterns[f"member:{category.name}"] = _word_pattern(category.members)
    return patterns


def annotate(text: str, lexicon: Lexicon) -> tuple[Span, ...]:
    """Every typed span of `text` (start and end index the text as given)."""
    folded = normal_case(text)
    spans: list[Span] = []

    def add(kind: str, match: re.Match[str], group: int = 0) -> None:
        spans.append(Span(kind, match.start(group), match.end(group), match.group(group)))

    for match in _DISTANCE.finditer(folded):
        add("distance", match)
    for match in _DURATION.finditer(folded):
        if not match.group(0).startswith(("a ", "an ")) or "decade" in match.group(0):
            add("duration", match)
            if match.group(0).endswith(("later", "ago", "earlier")):
                add("vaguetime", match)
    for kind, pattern in (("clock", _CLOCK), ("year", _YEAR), ("weekday", _WEEKDAY), ("month", _MONTH)):
        for match in pattern.finditer(folded):
            add("time", match)
            add(kind, match)
    for match in re.finditer(r"\bMay\b", text):  # the month, not the verb
        spans.extend(
            (Span("time", match.start(), match.end(), "may"), Span("month", match.start(), match.end(), "may"))
        )
    for match in _RELATIVE.finditer(folded):
        add("vaguetime", match)
    taken = [(s.start, s.end) for s in spans if s.kind in ("time", "vaguetime")]
    for pattern in (_DIGITS, _NUMBER_WORD):
        for match in pattern.finditer(folded):
            if not any(a <= match.start() < b for a, b in taken):
                add("number", match)
    for match in _QUOTED.finditer(text):
        add("quote", match, 1)
    times = {s.start for s in spans if s.kind in ("time", "vaguetime", "duration", "number")}
    for kind, pattern in _lexicon_patterns(lexicon).items():
        for match in pattern.finditer(folded):
            # "just after 3 p.m." gives a time, not a reason
            if kind == "cause" and _next_word_start(folded, match.end()) in times:
                continue
            # "since the Korean War ended in 1953" dates, it does not explain
            dated = any(0 < t - match.end() <= SINCE_WINDOW for t in times)
            if kind == "cause" and match.group(0) == "since" and dated:
                continue
            if kind == "statement" and _NOUN_BEFORE.search(folded, 0, match.start()):
                continue  # "Secretary of State", "the report": nouns, not verbs of saying
            add(kind, match)
    spans.extend(_names(text, _not_names(lexicon)))
    return tuple(sorted(spans, key=lambda s: (s.start, s.end)))


_NOUN_BEFORE = re.compile(r"\b(?:of|the|a|an|his|her|their|its)\s+$")


def _next_word_start(text: str, position: int) -> int:
    while position < len(text) and not text[position].isalnum():
        position += 1
    return position


def normal_case(text: str) -> str:
    """Lower case with plain quotes and dashes, the same length as `text` (so offsets carry over)."""
    out = text.lower().translate(_SAME_LENGTH)
    return out if len(out) == len(text) else text.lower()


_SAME_LENGTH = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


@lru_cache(maxsize=8)
def _not_names(lexicon: Lexicon) -> frozenset[str]:
    words = set(NOT_NAMES)
    for item in lexicon.place_words:
        words.update(_bare(w) for w in item.split())
    for category in lexicon.categories:
        if category.name in _NOT_NAME_CATEGORIES:
            for member in category.members:
                words.update(_bare(w) for w in member.split())
    return frozenset(words)


def _bare(word: str) -> str:
    """'South’s' -> 'south', 'Col.' -> 'col', 'AK-47' -> 'ak-47'."""
    base = normal(word).strip(".,;:’'\"")
    return base[:-2] if base.endswith("'s") else base


def _names(text: str, not_names: frozenset[str]) -> list[Span]:
    """Proper names of people: capitalised runs that are not places, nations or sentence openers."""
    out: list[Span] = []
    for match in _CAPITALISED.finditer(text):
        words = match.group(0).split()
        start = match.start()
        # Drop leading and trailing words that cannot be part of a person's name ("Vice President", "The").
        while words and _bare(words[0]) in not_names:
            start += len(words[0]) + 1
            words = words[1:]
        while words and _bare(words[-1]) in not_names:
            words = words[:-1]
        if not words:
            continue
        name = " ".join(words).rstrip(".,’'")
        out.append(Span("name", start, start + len(name), normal(name)))
    return out


def kinds(spans: tuple[Span, ...]) -> frozenset[str]:
    return frozenset(s.kind for s in spans)
