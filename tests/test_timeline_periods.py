"""Background or the days of the escape: the classification of timeline labels, over many labels."""

from __future__ import annotations

import json

import pytest

from bot.models import Entry
from bot.timeline_periods import Period, period_of, periods_of, split_periods, weekdays_in
from tests.conftest import DATA_DIR

BACKGROUND_LABELS = [
    "1953",
    "in 1998",
    "2007",
    "the 1990s",
    "in the '90s",
    "since 1953",
    "March",
    "in early September",
    "Sept. 5",
    "late november",
    "Nov. 13",
    "last week",
    "last month",
    "last year",
    "a week earlier",
    "two weeks before the escape",
    "earlier this year",
    "in recent years",
    "two years ago",
    "decades earlier",
    "in the past",
    "previously",
    "during the Korean War",
]
ESCAPE_LABELS = [
    "Monday",
    "just after 3 p.m. Monday",
    "tuesday",
    "Tuesday morning",
    "Mon.",
    "Tue. night",
    "late Wednesday",
    "3:30 p.m.",
    "about 3pm",
    "at 11 a.m.",
    "15:10",
    "1510 hours",
    "at four o'clock",
    "that night",
    "early today",
    "yesterday",
    "at noon",
    "around midnight",
    "this week",
    "earlier this week",
    "Monday, Nov. 13",  # a weekday pins the day even with a month beside it
]
# Labels that say nothing about the period: they follow the event before them.
RELATIVE_LABELS = [
    "almost 20 minutes later",
    "after the rescue",
    "after the incident",
    "moments later",
    "two hours later",
    "then",
    "shortly afterwards",
    "the next day",
    "two days later",
    "at the hospital",
    "after he sat down",  # "sat" and "sun" are days only as "Sat." and "Sun."
    "in the sun",
    "1,000 days on",  # not a year
    "",
]


@pytest.mark.parametrize("when", BACKGROUND_LABELS)
def test_years_months_and_long_spans_are_background_whatever_came_before(when):
    assert period_of(when) is Period.BACKGROUND
    assert period_of(when, Period.ESCAPE) is Period.BACKGROUND


@pytest.mark.parametrize("when", ESCAPE_LABELS)
def test_weekdays_clock_times_and_parts_of_a_day_are_the_escape_whatever_came_before(when):
    assert period_of(when) is Period.ESCAPE
    assert period_of(when, Period.BACKGROUND) is Period.ESCAPE


@pytest.mark.parametrize("when", RELATIVE_LABELS)
def test_relative_labels_follow_the_event_before(when):
    assert period_of(when, Period.BACKGROUND) is Period.BACKGROUND
    assert period_of(when, Period.ESCAPE) is Period.ESCAPE
    # With nothing before, a relative label is about the escape: that is what the story is about.
    assert period_of(when) is Period.ESCAPE


def _story_labels() -> list[str]:
    events = json.loads((DATA_DIR / "story.json").read_text(encoding="utf-8"))["events"]
    return [e["when"] for e in sorted(events, key=lambda e: e["sort"])]


def test_the_story_splits_into_six_background_events_then_the_escape():
    labels = _story_labels()
    periods = periods_of(labels)
    assert periods == [Period.BACKGROUND] * 6 + [Period.ESCAPE] * (len(labels) - 6)
    assert labels[5] == "last week" and labels[6] == "just after 3 p.m. Monday"


def test_relative_labels_chain_through_a_sequence():
    labels = ["1998", "two days later", "Monday", "minutes later", "after the rescue", "2007", "then"]
    assert periods_of(labels) == [
        Period.BACKGROUND,
        Period.BACKGROUND,
        Period.ESCAPE,
        Period.ESCAPE,
        Period.ESCAPE,
        Period.BACKGROUND,
        Period.BACKGROUND,
    ]


def _event(number: int, when: str) -> Entry:
    return Entry("event", f"e{number}", f"Event {number}.", when=when, sort=number)


def test_split_periods_keeps_order_and_cuts_where_the_period_changes():
    events = [_event(i, w) for i, w in enumerate(["1953", "March", "Monday", "later", "1998", "Tuesday"])]
    runs = split_periods(events)
    assert [(r.period, [e.id for e in r.events]) for r in runs] == [
        (Period.BACKGROUND, ["e0", "e1"]),
        (Period.ESCAPE, ["e2", "e3"]),
        (Period.BACKGROUND, ["e4"]),
        (Period.ESCAPE, ["e5"]),
    ]
    assert split_periods([]) == []


def test_weekdays_in_names_each_day_once_as_the_labels_give_it():
    assert weekdays_in(_story_labels()) == ["Monday", "Tuesday"]
    assert weekdays_in(["Wed. night", "wednesday", "late Thursday", "after the rescue"]) == ["Wednesday", "Thursday"]
    assert weekdays_in(["1953", "minutes later"]) == []
