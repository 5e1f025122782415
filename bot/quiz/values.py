"""Numbers, measures and clock times as the quiz reads and writes them: 'five' and '5' are one value, and a
distractor is written the way the answer is ('Four' with 'Five', '20 minutes' with '10 minutes')."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES = {word: value for value, word in enumerate(UNITS)} | {w: 20 + 10 * i for i, w in enumerate(TENS)}
_WORD_VALUES |= {"a": 1, "an": 1, "hundred": 100, "thousand": 1000, "dozen": 12}

# Words in front of a number that bound it: "at least 40" is also true of 30, "almost 20" is not true of 19.
LOWER_BOUNDS = ("at least", "more than", "over", "upwards of")
UPPER_BOUNDS = ("almost", "nearly", "up to", "fewer than", "less than", "under")
QUALIFIERS = (*LOWER_BOUNDS, *UPPER_BOUNDS, "about", "around", "roughly", "some", "just", "only")

# Each unit's length in seconds or yards, so that '10 years' and 'a decade' compare equal.
_UNIT_SIZE = {
    "second": ("time", 1),
    "minute": ("time", 60),
    "hour": ("time", 3600),
    "day": ("time", 86400),
    "week": ("time", 7 * 86400),
    "month": ("time", 30 * 86400),
    "year": ("time", 365 * 86400),
    "decade": ("time", 3650 * 86400),
    "yard": ("length", 0.9144),
    "foot": ("length", 0.3048),
    "feet": ("length", 0.3048),
    "meter": ("length", 1.0),
    "metre": ("length", 1.0),
    "km": ("length", 1000.0),
    "kilometer": ("length", 1000.0),
    "kilometre": ("length", 1000.0),
    "mile": ("length", 1609.0),
}
_PLURAL = {"foot": "feet", "km": "km"}
_MEASURE = re.compile(r"^(?P<number>\S+)\s+(?P<unit>[a-z]+)$")
_CLOCK = re.compile(r"^(?P<hour>\d{1,2})(?P<minutes>:\d\d)?(?P<space>\s*)(?P<suffix>a\.m\.?|p\.m\.?|am|pm|o'clock)$")
_DIGITS = re.compile(r"^\d[\d,]*$")


def number_value(text: str) -> int | None:
    """The whole number a word or digits stand for ('five', 'Forty', '1,000'); None for anything else
    ('handful', 'several', '2.5')."""
    word = text.strip().lower()
    if _DIGITS.match(word):
        return int(word.replace(",", ""))
    return _WORD_VALUES.get(word)


def is_word(text: str) -> bool:
    return not text.strip()[:1].isdigit()


def number_words(value: int) -> str | None:
    """'seven', 'forty', 'twenty-five', or None past ninety-nine (such numbers are written in digits)."""
    if 0 <= value < 20:
        return UNITS[value]
    if 20 <= value < 100:
        tens, units = divmod(value, 10)
        return TENS[tens - 2] + (f"-{UNITS[units]}" if units else "")
    return None


def write_number(value: int, like: str) -> str | None:
    """`value` written as `like` is: in words (capitalised when it is) or in digits; None when it cannot be."""
    if not is_word(like):
        return f"{value:,}" if "," in like else str(value)
    if like.lower() in ("a", "an"):
        return number_words(value)
    words = number_words(value)
    if words is None:
        return None
    return words.capitalize() if like[:1].isupper() else words


def qualifier_before(text: str, start: int) -> str:
    """The bounding word right before position `start` ('at least', 'almost'...), or ''."""
    before = text[:start].rstrip().lower()
    for qualifier in sorted(QUALIFIERS, key=len, reverse=True):
        if before.endswith(qualifier) and (len(before) == len(qualifier) or not before[-len(qualifier) - 1].isalnum()):
            return qualifier
    return ""


def fits_qualifier(number: int, value: int, qualifier: str) -> bool:
    """Whether `number` is plainly wrong where the story gives `qualifier value`: 30 is true too of 'at least
    40', and 19 arguable for 'almost 20'."""
    if number <= 0 or number == value:
        return False
    if qualifier in LOWER_BOUNDS:
        return number > value
    if qualifier:
        return abs(number - value) >= max(2, value * 0.25)
    return True


def near_numbers(value: int, qualifier: str = "", story: Iterable[int] = ()) -> list[int]:
    """Plausible wrong counts for `value`, closest first: near values, and the story's other counts of a
    similar size; never `value`, and none the qualifier would make right too."""
    if value <= 12:
        pool = set(range(max(1, value - 4), value + 6)) | {value * 2, value * 3}
    else:
        steps = (0.25, 0.5, 0.75, 1.25, 1.5, 2, 2.5, 3)
        pool = {_round_like(value * s, value) for s in steps}
    pool |= {n for n in story if value / 4 <= n <= value * 4 and (value > 12 or n <= 12)}
    out = [n for n in pool if fits_qualifier(n, value, qualifier)]
    return sorted(out, key=lambda n: (abs(math.log(n / value)), n))


def is_round(number: int) -> bool:
    """A figure people give for a measure: 5, 10, 15... and the small counts and common spans (7, 12, 14)."""
    return number <= 4 or number % 5 == 0 or number in (6, 7, 12, 14, 24, 48)


def _round_like(number: float, like: int) -> int:
    """Round to the precision a value of this size is usually given in (40 -> tens, 1953 -> ones)."""
    step = 10 if like >= 20 and like % 10 == 0 else 5 if like >= 20 and like % 5 == 0 else 1
    return max(step, int(round(number / step) * step))


def near_years(year: int, latest: int) -> list[int]:
    """Plausible wrong years, closest first, none after `latest` (the story's own latest year)."""
    offsets = (3, -3, 5, -5, 7, -7, 2, -2, 10, -10, 4, -4, 12, -12, 15, -15)
    return [year + d for d in offsets if year + d <= latest]


@dataclass(frozen=True, slots=True)
class Measure:
    """'20 minutes', 'a decade', '50 yards': a count of a unit."""

    count: int
    count_text: str
    unit: str  # as written: 'minutes', 'decade'

    @property
    def base_unit(self) -> str:
        unit = self.unit.lower()
        if unit in _UNIT_SIZE:
            return unit
        return unit[:-1] if unit.endswith("s") and unit[:-1] in _UNIT_SIZE else unit

    @property
    def size(self) -> tuple[str, float] | None:
        """(dimension, amount in seconds or metres), for comparing measures written in different units."""
        found = _UNIT_SIZE.get(self.base_unit)
        return None if found is None else (found[0], found[1] * self.count)

    def with_count(self, count: int) -> str | None:
        written = write_number(count, self.count_text)
        if written is None:
            return None
        unit = self.base_unit
        if count != 1:
            unit = _PLURAL.get(unit, unit + "s")
        if self.unit[:1].isupper():
            unit = unit.capitalize()
        return f"{written} {unit}"


def read_measure(text: str) -> Measure | None:
    match = _MEASURE.match(text.strip())
    if match is None:
        return None
    count = number_value(match["number"])
    measure = Measure(count, match["number"], match["unit"]) if count is not None else None
    return measure if measure is not None and measure.size is not None else None


@dataclass(frozen=True, slots=True)
class Clock:
    hour: int
    minutes: str
    space: str
    suffix: str

    def at(self, hour: int) -> str:
        return f"{hour}{self.minutes}{self.space}{self.suffix}"


def read_clock(text: str) -> Clock | None:
    match = _CLOCK.match(text.strip().lower())
    if match is None or not 1 <= int(match["hour"]) <= 12:
        return None
    return Clock(int(match["hour"]), match["minutes"] or "", match["space"], match["suffix"])


def near_hours(hour: int) -> list[int]:
    """Other hours of a 12-hour clock, closest first."""
    out = []
    for step in (1, 2, 3, 4, 5):
        for hour_ in (hour - step, hour + step):
            if 1 <= hour_ <= 12:
                out.append(hour_)
    return out


def measure_core(text: str) -> tuple[int, int]:
    """Where the count and unit sit in a measure span: '20 minutes' in 'almost 20 minutes later'."""
    tokens = text.split(" ")
    while len(tokens) > 2 and tokens[-1].lower() in ("later", "ago", "earlier"):
        tokens.pop()
    core = " ".join(tokens[-2:])
    start = text.find(core)
    return start, start + len(core)
