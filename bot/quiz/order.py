"""'Which of these happened first?': timeline events whose times can be told apart.

An event is asked only when its `when` names a year, a month or a weekday (its *time*: "1953", "March",
"Monday"; "almost 20 minutes later" names none) that its cited paragraphs also name.  The events of one time
span a range of the timeline's sort keys; the right option's range lies wholly before (or after) every other
option's, so two events of the same time, or of times whose order the timeline leaves open, never compete.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.models import Entry
from bot.quiz.pool import Pool, norm
from bot.quiz.question import Candidate, Template
from bot.spans import annotate

TIMES = ("year", "month", "weekday")


@dataclass(frozen=True, slots=True)
class Dated:
    entry: Entry
    time: str  # 'monday', '1953'
    low: int  # the sort range of every event of this time
    high: int
    shown: int  # the cited paragraph that names the time


def order_templates(pool: Pool) -> Iterator[Template]:
    dated = _dated(pool)
    for event in dated:
        for direction in ("first", "last"):
            if direction == "first":
                others = [d for d in dated if d.low > event.high]
            else:
                others = [d for d in dated if d.high < event.low]
            # nearest times first: 'Monday or Tuesday' is harder than 'Monday or 1953'
            others.sort(key=lambda d: abs(d.low - event.low))
            candidates = tuple(Candidate(d.entry.text, d.time, d.entry.when or "", d.entry.sort or 0) for d in others)
            yield Template(
                "order",
                event.entry.id,
                event.entry.paragraphs,
                f"Which of these happened {direction}?",
                event.entry.text,
                candidates,
                "",
                event.entry.when or "",
                event.entry.sort or 0,
                shown=event.shown,
            )


def _dated(pool: Pool) -> list[Dated]:
    """Events with a time their paragraphs name, each with the sort range of all events of that time."""
    times: dict[str, tuple[Entry, str, int]] = {}
    ranges: dict[str, tuple[int, int]] = {}
    for doc in pool.docs:
        entry = doc.entry
        if entry.kind != "event" or entry.sort is None or not entry.when:
            continue
        spans = [s for s in annotate(entry.when, pool.lexicon) if s.kind in TIMES]
        if not spans:
            continue
        time = norm(spans[0].text)
        low, high = ranges.get(time, (entry.sort, entry.sort))
        ranges[time] = (min(low, entry.sort), max(high, entry.sort))
        shown = pool.supporting(entry.paragraphs, ("t", time), time) if doc.in_article else None
        if shown is not None:
            times[entry.id] = (entry, time, shown)
    texts: dict[str, int] = {}
    for entry, _, _ in times.values():
        texts[norm(entry.text)] = texts.get(norm(entry.text), 0) + 1
    return [
        Dated(entry, time, *ranges[time], shown)
        for entry, time, shown in times.values()
        if texts[norm(entry.text)] == 1  # two events told in the same words could not be told apart
    ]
