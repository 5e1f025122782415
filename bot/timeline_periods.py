"""Which part of the story a timeline event belongs to: the background history or the days of the escape.

The article dates its background in years, months and weeks ("1953", "in March", "last week") and the
escape itself in weekdays and clock times ("just after 3 p.m. Monday"). A label that says neither
("almost 20 minutes later", "after the rescue") belongs with the event before it. Pure functions, no
Pillow, so the text timeline can use them too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import groupby
from operator import itemgetter

from bot.models import Entry


class Period(StrEnum):
    BACKGROUND = "background"
    ESCAPE = "escape"


_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Abbreviations only with their dot: a bare "sun" or "sat" is more likely a word than a day.
_WEEKDAY = re.compile(
    r"\b(?:(?P<day>" + "|".join(_WEEKDAY_NAMES) + r")|(?P<abbr>mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.)",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*[ap]\.?\s?m\b\.?"  # 3 p.m., 3:30pm, 11 a.m.
    r"|\b\d{1,2}:\d{2}\b"  # 15:10
    r"|\b\d{4}\s*hours\b"  # 1510 hours
    r"|\bo'clock\b",
    re.IGNORECASE,
)
_THIS_WEEK = re.compile(r"\bthis week\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d.,:])(?:18|19|20)\d{2}(?:s|'s)?(?![\d.,:]?\d)|\B'\d0s\b")
_MONTH = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.)",
    re.IGNORECASE,
)
# Spans of a week or longer ("last week", "two months earlier", "in recent years", "decades ago").
_LONG_SPAN = re.compile(r"\b(?:weeks?|fortnight|months?|years?|decades?|centur(?:y|ies)|era|war)\b", re.IGNORECASE)
_LONG_AGO = re.compile(r"\b(?:in the past|previously|historically|long ago)\b", re.IGNORECASE)
# Parts of a day: the article uses them only for the days it reports on.
_DAY_PART = re.compile(
    r"\b(?:today|tonight|yesterday|tomorrow|overnight|noon|midday|midnight|dawn|daybreak|dusk|sunrise|sunset"
    r"|morning|afternoon|evening|night)\b",
    re.IGNORECASE,
)


def period_of(when: str, previous: Period | None = None) -> Period:
    """The period of one `when` label; `previous` is the period of the event just before it.

    A weekday or a clock time marks the days of the escape; a year, a month or a span of a week or more
    marks the background ("this week" excepted); a part of a day ("that night") marks the escape days. Anything else is
    relative to the event before ("minutes later", "after the rescue") and shares its period; with no
    event before, it counts as the escape (the story is about the escape).
    """
    if _WEEKDAY.search(when) or _CLOCK.search(when) or _THIS_WEEK.search(when):
        return Period.ESCAPE
    if _YEAR.search(when) or _MONTH.search(when) or _LONG_SPAN.search(when) or _LONG_AGO.search(when):
        return Period.BACKGROUND
    if _DAY_PART.search(when):
        return Period.ESCAPE
    return previous or Period.ESCAPE


def periods_of(whens: Iterable[str]) -> list[Period]:
    """The period of each label in timeline order, each relative label following the one before."""
    out: list[Period] = []
    for when in whens:
        out.append(period_of(when, out[-1] if out else None))
    return out


@dataclass(frozen=True, slots=True)
class PeriodRun:
    """Consecutive events of one period, in timeline order."""

    period: Period
    events: tuple[Entry, ...]


def split_periods(events: Sequence[Entry]) -> list[PeriodRun]:
    """The events (in timeline order) cut into runs of one period each."""
    pairs = zip(periods_of(e.when or "" for e in events), events, strict=True)
    return [PeriodRun(period, tuple(e for _, e in run)) for period, run in groupby(pairs, key=itemgetter(0))]


def weekdays_in(whens: Iterable[str]) -> list[str]:
    """The weekday names the labels use, once each, in order of first use ("Monday", "Tuesday")."""
    seen: list[str] = []
    for when in whens:
        for match in _WEEKDAY.finditer(when):
            name = match.group("day") or _full_weekday(match.group("abbr"))
            if name.capitalize() not in seen:
                seen.append(name.capitalize())
    return seen


def _full_weekday(abbreviation: str) -> str:
    return next(name for name in _WEEKDAY_NAMES if name.startswith(abbreviation[:3].lower()))


def months_in(when: str) -> list[str]:
    """The months a label names, as written ("March", "Sept."), in order."""
    return [m.group(0) for m in _MONTH.finditer(when)]


def names_a_year(when: str) -> bool:
    """True when the label gives a year or a decade ("1953", "March 2017", "the 1990s")."""
    return _YEAR.search(when) is not None
