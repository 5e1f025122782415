"""The text timeline's pages and labels: periods and days as headings, years only where the article gives them,
and the short "See also" lines."""

from __future__ import annotations

import pytest

from bot.dataset import load_dataset
from bot.handlers.timeline import MAX_PER_PAGE, timeline_pages, with_article_years, yearless_months
from bot.handlers.wording import first_clause, see_also_line
from bot.models import Actor, Entry
from bot.timeline_periods import Period
from tests.conftest import DATA_DIR


def event(when: str, n: int = 0, paragraphs: tuple[int, ...] = (1,)) -> Entry:
    return Entry(kind="event", id=f"e-{n}", text=f"Event {n}.", when=when, sort=n, paragraphs=paragraphs)


def events(*whens: str) -> list[Entry]:
    return [event(w, n) for n, w in enumerate(whens)]


# ---- pages ----------------------------------------------------------------------------------------------------


def test_background_then_one_page_per_day_of_the_escape():
    pages = timeline_pages(events("1953", "March", "just after 3 p.m. Monday", "minutes later", "Tuesday"))
    assert [(p.heading, [e.when for e in p.events]) for p in pages] == [
        ("Background", ["1953", "March"]),
        ("Monday", ["just after 3 p.m. Monday", "minutes later"]),
        ("Tuesday", ["Tuesday"]),
    ]
    assert pages[0].summary == "Before the escape: 1953 to March."
    assert pages[1].summary == pages[2].summary == "The days of the escape: Monday and Tuesday."
    assert [p.period for p in pages] == [Period.BACKGROUND, Period.ESCAPE, Period.ESCAPE]


def test_escape_events_before_any_weekday_get_the_periods_heading():
    pages = timeline_pages(events("that night", "at dawn"))
    assert [p.heading for p in pages] == ["The days of the escape"]
    assert pages[0].summary == "The days of the escape."


def test_history_after_the_escape_has_its_own_heading():
    pages = timeline_pages(events("Monday", "in December", "last year"))
    assert [p.heading for p in pages] == ["Monday", "After the escape"]
    assert pages[1].summary == "After the escape: in December to last year."


def test_a_day_named_again_later_is_a_new_section():
    pages = timeline_pages(events("Monday", "Tuesday", "Monday"))
    assert [p.heading for p in pages] == ["Monday", "Tuesday", "Monday"]


@pytest.mark.parametrize("count", [1, 8, 9, 17, 25, 40])
def test_long_sections_are_split_evenly_and_nothing_is_lost(count):
    many = events(*[str(1900 + n) for n in range(count)])
    pages = timeline_pages(many)
    sizes = [len(p.events) for p in pages]
    assert sum(sizes) == count and max(sizes) <= MAX_PER_PAGE
    assert max(sizes) - min(sizes) <= 1  # evenly filled, not 8, 8 and 1
    assert [e.id for p in pages for e in p.events] == [e.id for e in many]
    assert [p.heading for p in pages] == ["Background"] + ["Background (continued)"] * (len(pages) - 1)


def test_no_events_no_pages():
    assert timeline_pages([]) == []


# ---- years ----------------------------------------------------------------------------------------------------

PARAGRAPHS = {
    1: "Tillerson visited the DMZ in March 2017.",
    2: "Pence visited in September.",
    3: "It happened on Sept. 5, 2016, and again in March of 2015.",
    4: "In March 2016 one thing, in March 2017 another.",
}


@pytest.mark.parametrize(
    ("when", "paragraphs", "shown"),
    [
        ("March", (1,), "March 2017"),  # the article gives the year with the month
        ("in March", (1,), "in March 2017"),
        ("Sept. 5", (3,), "Sept. 5, 2016"),
        ("March", (3,), "March 2015"),
        ("September", (2,), "September"),  # no year there: none is made up
        ("March", (2,), "March"),  # the year must come with the same month
        ("March", (4,), "March"),  # two different years: no guess
        ("March 2016", (1,), "March 2016"),  # a label with its year is left alone
        ("Monday", (1,), "Monday"),
        ("March", (9,), "March"),  # a paragraph the article does not have
    ],
)
def test_a_month_carries_the_year_its_paragraph_gives(when, paragraphs, shown):
    (dated,) = with_article_years([event(when, paragraphs=paragraphs)], PARAGRAPHS)
    assert dated.when == shown


def test_the_story_gives_no_year_for_march_and_september(article):
    entries = load_dataset(DATA_DIR / "story.json", article)
    story = sorted((e for e in entries if e.kind == "event"), key=lambda e: e.sort or 0)
    dated = with_article_years(story, {p.number: p.text for p in article.paragraphs})
    assert [e.when for e in dated] == [e.when for e in story]
    assert yearless_months(dated) == ["March", "September"]


# ---- See also -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ("The soldier was shot five times.", "The soldier was shot five times"),
        ("He drove a jeep just after 3 p.m. Monday. Then he ran.", "He drove a jeep just after 3 p.m. Monday…"),
        ("Col. Roh Jae-cheon spoke. Others did not.", "Col. Roh Jae-cheon spoke…"),
        ("The U.S. military runs it. It oversees the area.", "The U.S. military runs it…"),
        ("The vehicle got stuck; he ran.", "The vehicle got stuck…"),
        (  # a cut never ends on "in an"
            "The incident marked the first time since the Korean War ended in an armistice in 1953 that shots were "
            "fired.",
            "The incident marked the first time since the Korean War ended…",
        ),
        (
            "Five bullets smashed into the escaping soldier, hitting his shoulder, stomach and elbow, but he still "
            "made it 50 yards over the dividing line",
            "Five bullets smashed into the escaping soldier, hitting his shoulder…",
        ),
    ],
)
def test_first_clause(text, clause):
    assert first_clause(text) == clause


def test_a_clause_with_no_break_is_cut_at_a_word():
    clause = first_clause("word " * 40)
    assert clause.endswith("word…") and len(clause) <= 71


def test_see_also_lines_name_the_entry_and_its_source_in_words():
    quote = Entry(
        kind="quote", id="q", text="We will have to ride out some crucial moments", speaker="Lee", paragraphs=(10,)
    )
    person = Entry(kind="person", id="p", name="Roh", role="spokesman", text="Long text.", paragraphs=(4, 5))
    context = Entry(kind="fact", id="c", text="It was cold.", source="Reuters", is_context=True)
    assert see_also_line(quote) == "• “We will have to ride out some crucial moments” — Lee (paragraph 10)"
    assert see_also_line(person) == "• Roh, spokesman (paragraphs 4 and 5)"
    assert see_also_line(context) == "• It was cold (context from Reuters)"


async def test_a_full_page_of_the_longest_events_fits_one_embed_with_every_event(app):
    """Eight events with the longest label and text a form allows and a long source: Discord's 6,000 characters
    for an embed still hold all eight (an embed that is too long loses its last fields)."""
    from bot.discord_app.limits import EMBED_TOTAL
    from bot.discord_app.render import render_embed

    for event in await app.store.entries("event"):
        await app.store.set_deleted("event", event.id, True, Actor("1", "mod"))
    for n in range(MAX_PER_PAGE):
        long = Entry(
            kind="event",
            id=f"long-{n}",
            when=f"{1900 + n} " + "w" * 195,
            text="t" * 350,
            sort=n,
            paragraphs=tuple(range(1, 21)),
            source="s" * 1000,
            is_context=True,
        )
        await app.store.add(long, Actor("1", "mod"))
    reply = await app.story.timeline(1)
    embed = render_embed(reply)
    assert len(embed.fields) == MAX_PER_PAGE and len(embed) <= EMBED_TOTAL
