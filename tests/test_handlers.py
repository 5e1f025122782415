"""Reader commands through app.story: the Reply a user sees for each command and each mistake."""

from __future__ import annotations

import io
import re
import threading
from dataclasses import replace

import pytest
from PIL import Image

from bot import timeline_image
from bot.about import load_about
from bot.answer import Answerer, answer_text
from bot.app import ABOUT_FILE
from bot.handlers import Reply, StoryHandlers
from bot.handlers.story import COMMANDS
from bot.lexicon import load_lexicon
from bot.models import Actor, Entry, Paragraph
from bot.store import Store
from tests.conftest import DATA_DIR


def assert_error(reply: Reply, *needles: str):
    assert reply.error and not reply.found
    assert reply.citations == () and reply.entries == ()
    for needle in needles:
        assert needle in reply.body, reply.body


# ---- ask --------------------------------------------------------------------------------------------


async def test_ask_found(app):
    reply = await app.story.ask("how many times was he shot")
    assert reply.found and not reply.error
    assert reply.title == "how many times was he shot"
    assert "five times" in reply.body
    assert reply.citations == (2,)
    assert reply.citation == "Source: paragraph 2 of the article"
    assert reply.entries[0].id == "shot-five-times"
    assert len(reply.body) <= 350
    if reply.fields:
        assert reply.fields[0].name == "See also"
        assert all(re.search(r"\(paragraphs? \d", line) for line in reply.fields[0].value.splitlines())


async def test_ask_not_found(app):
    reply = await app.story.ask("recipe for pancakes")
    assert not reply.found and not reply.error
    assert reply.title == "I don't know"
    assert "I don't know" in reply.body
    assert reply.citations == () and reply.citation == ""
    assert reply.entries == ()


async def test_ask_too_long(app):
    reply = await app.story.ask("why " * 200)
    assert_error(reply, "600")


async def test_ask_strips_control_characters(app):
    reply = await app.story.ask("how many times\u200b was he \x07shot")
    assert reply.found and "five times" in reply.body


# ---- fact -------------------------------------------------------------------------------------------


async def test_fact_at_random(app):
    for _ in range(5):
        reply = await app.story.fact()
        assert reply.found and not reply.error
        entry = reply.entries[0]
        assert entry.kind == "fact"
        assert reply.body == entry.text
        assert reply.title == entry.topic
        assert reply.citations == entry.paragraphs and reply.citations
        assert reply.fields == ()  # readers never see the entry's id


async def test_fact_by_id(app):
    reply = await app.story.fact(entry_id="Shot-Five-Times ")
    assert reply.entries[0].id == "shot-five-times"
    assert reply.body == "The soldier was shot five times by his countrymen as he ran south Monday."
    assert reply.citations == (2,)


async def test_fact_by_unknown_id(app):
    reply = await app.story.fact(entry_id="no-such-fact")
    assert_error(reply, "no-such-fact")


async def test_fact_by_unknown_id_suggests_close_ids(app):
    reply = await app.story.fact(entry_id="shot-five")
    assert_error(reply, "shot-five", "Did you mean", "`shot-five-times`")


async def test_fact_by_topic(app):
    seen = set()
    for _ in range(8):
        reply = await app.story.fact(topic="shooting")
        assert reply.found
        assert reply.entries[0].topic == "shooting"
        seen.add(reply.entries[0].id)
    assert seen


async def test_fact_by_fuzzy_topic(app):
    reply = await app.story.fact(topic="injury")
    assert reply.found and not reply.error
    assert reply.entries[0].kind == "fact"
    assert reply.entries[0].topic == "injuries"


async def test_fact_by_unknown_topic_lists_topics(app):
    reply = await app.story.fact(topic="cooking")
    topics = await app.store.titles("fact")
    assert_error(reply, "cooking", *topics)


async def test_fact_ignores_deleted_entries(app):
    await app.store.set_deleted("fact", "shot-five-times", True, Actor("1", "mod"))
    assert_error(await app.story.fact(entry_id="shot-five-times"), "shot-five-times")


# ---- quote ------------------------------------------------------------------------------------------


async def test_quote_at_random(app):
    reply = await app.story.quote()
    entry = reply.entries[0]
    assert entry.kind == "quote"
    assert reply.body.startswith("“") and f"” — {entry.speaker}" in reply.body
    assert reply.citations == entry.paragraphs


@pytest.mark.parametrize(
    ("speaker", "name", "words", "paragraph"),
    [
        ("lee", "Lee Cook-jong", "crucial moments", 10),
        ("pence", "Pence", "strength and resolve", 18),
        ("Lee Cook jong", "Lee Cook-jong", "crucial moments", 10),
    ],
)
async def test_quote_by_speaker(app, speaker, name, words, paragraph):
    reply = await app.story.quote(speaker)
    assert reply.found and not reply.error
    assert name in reply.entries[0].speaker
    assert words in reply.body
    assert paragraph in reply.citations


async def test_quote_by_unknown_speaker(app):
    reply = await app.story.quote("Napoleon")
    assert_error(reply, "Napoleon", "Lee Cook-jong", "Pence")


# ---- timeline ---------------------------------------------------------------------------------------


async def test_timeline_starts_with_a_short_background_page(app):
    reply = await app.story.timeline(1)
    assert reply.found and not reply.error
    assert reply.title == "Timeline: Background"
    assert [f.name for f in reply.fields] == ["1953", "1998", "2007", "March", "September", "last week"]
    assert "Before the escape: 1953 to last week." in reply.body
    assert "The escape itself starts on page 2." in reply.body
    for field, event in zip(reply.fields, reply.entries, strict=True):
        assert field.name == event.when
        assert event.text in field.value
        assert field.value.endswith(f"(paragraph {event.paragraphs[0]})")
    assert set(reply.citations) == {p for e in reply.entries for p in e.paragraphs}


async def test_timeline_gives_each_day_of_the_escape_its_own_page(app):
    monday, tuesday = await app.story.timeline(2), await app.story.timeline(3)
    assert monday.title == "Timeline: Monday" and tuesday.title == "Timeline: Tuesday"
    assert "The days of the escape: Monday and Tuesday." in monday.body
    assert [f.name for f in monday.fields][:2] == ["just after 3 p.m. Monday", "Monday"]
    # a label that names no day ("after the rescue") stays with the day of the event before it
    assert monday.fields[-1].name == "after the rescue"
    assert [f.name for f in tuesday.fields] == ["Tuesday"] * 4 + ["after the incident"]
    assert tuesday.page.number == tuesday.page.total == 3


async def test_timeline_pages_hold_every_event_once_in_order(app):
    first = await app.story.timeline(1)
    shown = [e for n in range(1, first.page.total + 1) for e in (await app.story.timeline(n)).entries]
    events = sorted(await app.store.entries("event"), key=lambda e: e.sort)
    assert [e.id for e in shown] == [e.id for e in events]


async def test_timeline_says_the_article_gives_no_year_for_march_and_september(app):
    """The article dates two visits only by month: the bot does not invent their year."""
    reply = await app.story.timeline(1)
    assert "The article gives no year for March and September." in reply.body
    assert not re.search(r"(March|September) \d{4}", str(reply.fields))
    assert "no year" not in (await app.story.timeline(2)).body


async def test_a_year_a_moderator_adds_with_its_source_is_shown_with_that_source(app):
    march = next(e for e in await app.store.entries("event") if e.when == "March")
    marked = replace(march, when="March 2017", source="U.S. State Department, travel record", is_context=True)
    await app.store.update(marked, Actor("1", "mod"), march.version)
    reply = await app.story.timeline(1)
    field = next(f for f in reply.fields if f.name == "March 2017")
    assert field.value.endswith("(paragraph 17; context from U.S. State Department, travel record)")
    assert "The article gives no year for September." in reply.body


async def test_a_long_period_is_split_into_pages_of_at_most_eight(app):
    mod = Actor("1", "mod")
    for n in range(12):
        await app.store.add(
            Entry(
                kind="event",
                id=f"old-{n}",
                text=f"Background event {n}.",
                when=f"{1960 + n}",
                sort=11 + n,
                paragraphs=(12,),
            ),
            mod,
        )
    background = [await app.story.timeline(n) for n in (1, 2, 3)]
    assert [r.title for r in background] == ["Timeline: Background"] + ["Timeline: Background (continued)"] * 2
    assert [len(r.fields) for r in background] == [6, 6, 6]  # 18 events: three even pages, not 8 + 8 + 2
    assert "The escape itself starts on page 4." in background[0].body
    assert (await app.story.timeline(4)).title == "Timeline: Monday"


async def test_timeline_of_an_empty_store(app):
    for event in await app.store.entries("event"):
        await app.store.set_deleted("event", event.id, True, Actor("1", "mod"))
    reply = await app.story.timeline(1)
    assert not reply.error and reply.body == "No events yet."
    assert_error(await app.story.timeline(2), "1 to 1")


@pytest.mark.parametrize("page", [0, -1, 99])
async def test_timeline_page_out_of_range(app, page):
    reply = await app.story.timeline(page)
    total = (await app.story.timeline(1)).page.total
    assert_error(reply, f"1 to {total}")


# ---- search -----------------------------------------------------------------------------------------


async def test_search_is_paged(app):
    first = await app.story.search("soldier")
    second = await app.story.search("soldier", 2)
    assert first.found and second.found
    assert len(first.fields) == 5
    assert first.page.number == 1 and second.page.number == 2
    assert first.page.total == second.page.total > 1
    assert first.page.command == "search" and first.page.argument == "soldier"
    assert not {e.id for e in first.entries} & {e.id for e in second.entries}
    assert [f.value for f in first.fields] != [f.value for f in second.fields]
    assert "match" in first.body
    for field in first.fields:
        assert re.search(r"\(paragraphs? \d", field.value)


async def test_search_finds_a_specific_word(app):
    reply = await app.story.search("ditch")
    assert reply.found
    assert any("ditch" in e.text for e in reply.entries)


async def test_search_page_past_the_end(app):
    first = await app.story.search("ditch")
    reply = await app.story.search("ditch", first.page.total + 1)
    assert_error(reply, "pick a page")


async def test_search_no_matches(app):
    reply = await app.story.search("pancakes syrup")
    assert not reply.found and not reply.error
    assert "Nothing in the story matches" in reply.body
    assert reply.fields == ()


@pytest.mark.parametrize("words", ["", "   ", "\u200b"])
async def test_search_empty_words(app, words):
    assert_error(await app.story.search(words), "search")


async def test_search_too_long(app):
    assert_error(await app.story.search("jeep " * 30), "100")


@pytest.mark.parametrize("words", ['"', "NEAR(", "*", "a AND", "col:foo"])
async def test_search_syntax_is_not_fts(app, words):
    reply = await app.story.search(words)
    assert isinstance(reply, Reply) and reply.body


# ---- who and explain --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "entry_id", "paragraph"),
    [
        ("lee", "lee-cook-jong", 9),
        ("Roh", "roh-jae-cheon", 4),
        ("song young moo", "song-young-moo", 13),
        ("tillerson", "rex-tillerson", 17),
    ],
)
async def test_who(app, name, entry_id, paragraph):
    reply = await app.story.who(name)
    assert reply.found and not reply.error
    assert reply.entries[0].id == entry_id
    assert reply.entries[0].name in reply.body
    assert paragraph in reply.citations


async def test_who_by_keyword_the_surgeon(app):
    reply = await app.story.who("the surgeon")
    assert reply.found and not reply.error
    assert reply.entries[0].id == "lee-cook-jong", reply.title
    assert "Lee Cook-jong" in reply.body


async def test_who_unknown(app):
    reply = await app.story.who("Napoleon Bonaparte")
    assert_error(reply, "Napoleon Bonaparte", "Lee Cook-jong", "Roh Jae-cheon")


async def test_who_empty(app):
    assert_error(await app.story.who("  "), "who Lee Cook-jong")


@pytest.mark.parametrize(
    ("term", "entry_id", "shown"),
    [
        ("dmz", "dmz", "DMZ"),
        ("JSA", "joint-security-area", "Joint Security Area"),
        ("armistice", "armistice", "armistice"),
        ("panmunjom", "panmunjom", "Panmunjom"),
    ],
)
async def test_explain(app, term, entry_id, shown):
    reply = await app.story.explain(term)
    assert reply.found and not reply.error
    assert reply.entries[0].id == entry_id
    assert shown in reply.body
    assert reply.citations


async def test_explain_unknown(app):
    reply = await app.story.explain("quantum chromodynamics")
    assert_error(reply, "quantum chromodynamics", "DMZ")


async def test_explain_too_long(app):
    assert_error(await app.story.explain("x" * 150), "100")


# ---- source, about, help, complete ------------------------------------------------------------------


async def test_source_8_is_paragraph_8(app, article):
    reply = await app.story.source(8)
    assert reply.found and not reply.error
    assert reply.body == article.paragraphs[7].text
    assert reply.body.startswith("Five bullets smashed into the escaping soldier")
    assert reply.title == "Paragraph 8"
    assert reply.citations == (8,)


@pytest.mark.parametrize("number", [0, 21, -3])
async def test_source_out_of_range(app, number):
    assert_error(await app.story.source(number), "1 to 20", f"paragraph {number} is not")


async def test_about_is_one_description_and_one_line_of_counts(app):
    reply = await app.story.about()
    counts = await app.store.counts()
    assert reply.fields == ()
    description, tally, commands = reply.body.split("\n\n")
    assert "Panmunjom" in description and len(description) < 200
    assert tally == (
        f"**{counts.paragraphs} paragraphs · {counts.by_kind['fact']} facts · {counts.by_kind['quote']} quotes · "
        f"{counts.by_kind['event']} events · {counts.by_kind['person']} people · {counts.by_kind['term']} terms**"
    )
    assert "`/ask`" in commands and "`/help`" in commands


async def test_about_names_commands_the_way_the_front_end_asks(app):
    reply = await app.story.about(lambda name: f"</{name}:42>")
    assert "</ask:42>" in reply.body and "</timeline:42>" in reply.body and "`/" not in reply.body


async def test_about_counts_follow_the_store(app):
    before = (await app.story.about()).body
    await app.store.set_deleted("fact", "shot-five-times", True, Actor("1", "mod"))
    after = (await app.story.about()).body
    facts = (await app.store.counts()).by_kind["fact"]
    assert f" {facts + 1} facts " in before and f" {facts} facts " in after


def test_help_lists_every_command(app):
    reply = app.story.help()
    lines = reply.body.splitlines()
    names = ("ask", "fact", "quote", "timeline", "search", "who", "explain", "source", "about", "help")
    for name in (*names, "quiz start", "quiz leaderboard"):
        assert any(line.startswith(f"`/{name}`") for line in lines), name
    assert len(COMMANDS) == 12


def test_help_names_commands_the_way_the_front_end_asks(app):
    reply = app.story.help(lambda name: f"</{name}:7>")
    assert reply.body.splitlines()[0] == "</ask:7> `<question>` — Ask anything about the story."


async def test_readers_never_see_entry_ids(app):
    replies = [
        await app.story.fact(entry_id="shot-five-times"),
        await app.story.fact(topic="injuries"),
        await app.story.quote("lee"),
        await app.story.who("lee"),
        await app.story.explain("dmz"),
        await app.story.ask("how many times was he shot"),
        await app.story.search("soldier"),
        *[await app.story.timeline(n) for n in (1, 2, 3)],
    ]
    ids = {e.id for e in await app.store.entries()}
    for reply in replies:
        shown = " ".join([reply.title, reply.body, reply.citation, *(f.name + " " + f.value for f in reply.fields)])
        assert not {i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", shown) and "-" in i}, shown
        assert "¶" not in shown


async def test_see_also_is_short_and_the_answer_leads(app):
    """Each "See also" line is an entry's label and first clause, never the whole of a long entry."""
    seen = 0
    questions = ("how many times was he shot", "what did pence say", "when did the soldier cross", "who is lee")
    for question in questions:
        reply = await app.story.ask(question)
        assert reply.fields[:1] == () or reply.fields[0].name == "See also"  # the answer (the body) comes first
        if not reply.fields:
            continue
        lines = reply.fields[0].value.splitlines()
        assert 1 <= len(lines) <= 3
        for line, entry in zip(lines, reply.entries[1:], strict=True):
            seen += 1
            assert len(line) <= 120, line
            shown = line.removeprefix("• ").rsplit(" (", 1)[0]
            if len(answer_text(entry)) > 100:
                assert len(shown) < len(answer_text(entry)) - 20, line  # cut short, not the whole entry
    assert seen >= 3


async def test_complete_person(app):
    choices = await app.story.complete("person", "le")
    assert "Lee Cook-jong" in choices
    assert len(choices) <= 25
    assert choices[0] == "Lee Cook-jong"


async def test_complete_empty_lists_titles(app):
    choices = await app.story.complete("term", "")
    assert 0 < len(choices) <= 25
    assert "DMZ" in choices


async def test_complete_respects_the_limit(app):
    assert len(await app.story.complete("fact", "", limit=3)) == 3
    assert len(await app.story.complete("term", "a", limit=2)) <= 2


# ---- the timeline picture ---------------------------------------------------------------------------------------


async def test_timeline_picture_is_drawn_off_the_event_loop_once_until_the_timeline_changes(app, monkeypatch):
    drawn_in = []
    real = timeline_image.render_timeline

    def counted(events, *, title):
        drawn_in.append(threading.current_thread())
        return real(events, title=title)

    monkeypatch.setattr(timeline_image, "render_timeline", counted)
    timeline_image.render_timeline_cached.cache_clear()
    first, again = await app.story.timeline_picture(), await app.story.timeline_picture()
    assert again.data == first.data and len(drawn_in) == 1
    assert drawn_in[0] is not threading.main_thread()

    event = next(e for e in await app.store.entries("event") if e.when == "1953")
    await app.store.update(replace(event, text="The war ended in 1953."), Actor("1", "mod"), event.version)
    edited = await app.story.timeline_picture()
    assert len(drawn_in) == 2 and edited.data != first.data


async def test_timeline_picture_describes_itself(app):
    picture = await app.story.timeline_picture()
    assert picture.filename == "timeline.png"
    assert picture.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert (picture.width, picture.height) == Image.open(io.BytesIO(picture.data)).size
    assert picture.description == "The story's timeline as a picture: 17 events, 1953 to after the incident."


async def test_a_month_carries_the_year_the_article_gives_in_the_text_and_the_picture(tmp_path):
    store = await Store.open(tmp_path / "years.db")
    try:
        paragraphs = [Paragraph(1, "Tillerson visited the DMZ in March 2017."), Paragraph(2, "He ran on Monday.")]
        await store.seed(
            paragraphs,
            [
                Entry(kind="event", id="visit", when="March", sort=1, text="Tillerson visited.", paragraphs=(1,)),
                Entry(kind="event", id="run", when="Monday", sort=2, text="The soldier ran.", paragraphs=(2,)),
            ],
            source="test",
        )
        story = StoryHandlers(
            store, Answerer(store, load_lexicon(DATA_DIR / "lexicon.json")), load_about(DATA_DIR / ABOUT_FILE)
        )
        reply = await story.timeline(1)
        assert [f.name for f in reply.fields] == ["March 2017"]
        assert "no year" not in reply.body
        picture = await story.timeline_picture()
        assert picture.description == "The story's timeline as a picture: 2 events, March 2017 to Monday."
    finally:
        await store.close()
