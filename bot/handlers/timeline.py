"""The text timeline's pages: a short background page first, then each day of the escape under its own heading;
and the year a month-only label carries when the article gives it.

Pure functions over events in timeline order; the handler (story.py) reads the store and builds the replies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import groupby

from bot.handlers.wording import and_list
from bot.models import Entry
from bot.timeline_periods import Period, months_in, names_a_year, split_periods, weekdays_in

# Eight events of at most 350 characters each, with their labels and citations, stay inside Discord's 6,000
# characters for an embed.
MAX_PER_PAGE = 8
ESCAPE_DAYS = "The days of the escape"


@dataclass(frozen=True, slots=True)
class TimelinePage:
    """One page of the text timeline: its heading, a line under it, and its events."""

    heading: str
    summary: str
    events: tuple[Entry, ...]
    period: Period


def timeline_pages(events: Sequence[Entry]) -> list[TimelinePage]:
    """The events (in timeline order) cut into pages: one section per period, the days of the escape one
    section per weekday, and a long section over several pages of at most MAX_PER_PAGE, evenly filled."""
    pages: list[TimelinePage] = []
    for heading, summary, period, section in _sections(events):
        count = math.ceil(len(section) / MAX_PER_PAGE)
        size, longer = divmod(len(section), count)  # the first `longer` pages hold one event more
        start = 0
        for i in range(count):
            end = start + size + (i < longer)
            chunk = section[start:end]
            pages.append(TimelinePage(heading if i == 0 else f"{heading} (continued)", summary, chunk, period))
            start = end
    return pages


def _sections(events: Sequence[Entry]) -> list[tuple[str, str, Period, tuple[Entry, ...]]]:
    runs = split_periods(events)
    days = weekdays_in(e.when or "" for run in runs if run.period is Period.ESCAPE for e in run.events)
    days_line = f"{ESCAPE_DAYS}: {and_list(days)}." if days else f"{ESCAPE_DAYS}."
    sections: list[tuple[str, str, Period, tuple[Entry, ...]]] = []
    after_escape = False
    for run in runs:
        if run.period is Period.BACKGROUND:
            heading = "After the escape" if after_escape else "Background"
            summary = f"{heading if after_escape else 'Before the escape'}: {_span(run.events)}."
            sections.append((heading, summary, run.period, run.events))
            continue
        after_escape = True
        for day, group in groupby(zip(_days(run.events), run.events, strict=True), key=lambda pair: pair[0]):
            sections.append((day or ESCAPE_DAYS, days_line, run.period, tuple(e for _, e in group)))
    return sections


def _days(events: Sequence[Entry]) -> list[str]:
    """The weekday of each event: the first one its label names, else the day of the event before it."""
    out: list[str] = []
    for event in events:
        named = weekdays_in([event.when or ""])
        out.append(named[0] if named else out[-1] if out else "")
    return out


def _span(events: Sequence[Entry]) -> str:
    first, last = events[0].when or "", events[-1].when or ""
    return first if first == last else f"{first} to {last}"


def with_article_years(events: Sequence[Entry], paragraphs: Mapping[int, str]) -> list[Entry]:
    """The events, a month-only label ("March") given the year its cited paragraphs write with that month
    ("in March 2017" -> "March 2017"). A year is never guessed: no year there, or two different ones, and the
    label stays as it is."""
    out = []
    for event in events:
        year = _article_year(event, paragraphs)
        when = event.when or ""
        out.append(replace(event, when=f"{when}{', ' if when[-1:].isdigit() else ' '}{year}") if year else event)
    return out


def _article_year(event: Entry, paragraphs: Mapping[int, str]) -> str | None:
    when = event.when or ""
    months = months_in(when)
    if len(months) != 1 or names_a_year(when):
        return None
    month = re.escape(months[0].rstrip("."))
    # "March 2017", "March of 2017", "March 5, 2017", "Sept. 5 2017"
    pattern = re.compile(rf"\b{month}\.?\s+(?:of\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?((?:18|19|20)\d\d)\b", re.I)
    years = {m[1] for p in event.paragraphs for m in pattern.finditer(paragraphs.get(p, ""))}
    return years.pop() if len(years) == 1 else None


def yearless_months(events: Sequence[Entry]) -> list[str]:
    """The months that labels name without a year ("March", "September"), once each, in order."""
    found: list[str] = []
    for event in events:
        when = event.when or ""
        if not names_a_year(when):
            found.extend(m for m in months_in(when) if m not in found)
    return found


def needs_article_years(events: Sequence[Entry]) -> bool:
    """True when some label names a month without a year (only then are the paragraphs worth reading)."""
    return bool(yearless_months(events))
