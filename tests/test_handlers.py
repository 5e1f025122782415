"""Reader commands through app.story: the Reply a user sees for each command and each mistake."""

from __future__ import annotations

import pytest

from bot.handlers import Reply
from bot.handlers.story import COMMANDS, PAGE_SIZE
from bot.models import Actor


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
    assert reply.citation == "Source: ¶2"
    assert reply.entries[0].id == "shot-five-times"
    assert len(reply.body) <= 350
    if reply.fields:
        assert reply.fields[0].name == "See also"
        assert all("¶" in line for line in reply.fields[0].value.splitlines())


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
        assert reply.fields[0].value == f"fact `{entry.id}`"


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


async def test_timeline_first_page(app):
    reply = await app.story.timeline(1)
    assert reply.found and not reply.error
    assert len(reply.fields) == PAGE_SIZE == 5
    events = list(reply.entries)
    assert [e.sort for e in events] == sorted(e.sort for e in events)
    assert reply.fields[0].name == "1953"
    assert "1953" in reply.fields[0].value or "armistice" in reply.fields[0].value
    for field, event in zip(reply.fields, events, strict=True):
        assert field.name == event.when
        assert event.text in field.value
        assert f"¶{event.paragraphs[0]}" in field.value
    total_events = (await app.store.counts()).by_kind["event"]
    assert reply.page.number == 1
    assert reply.page.total == -(-total_events // 5)
    assert set(reply.citations) == {p for e in events for p in e.paragraphs}


async def test_timeline_pages_continue_in_order(app):
    first = await app.story.timeline(1)
    second = await app.story.timeline(2)
    assert first.entries[-1].sort < second.entries[0].sort
    assert not {e.id for e in first.entries} & {e.id for e in second.entries}


async def test_timeline_last_page(app):
    total_events = (await app.store.counts()).by_kind["event"]
    last = -(-total_events // 5)
    reply = await app.story.timeline(last)
    assert reply.found
    assert len(reply.fields) == total_events - (last - 1) * 5
    assert reply.page.number == reply.page.total == last
    all_events = sorted(await app.store.entries("event"), key=lambda e: e.sort)
    assert reply.entries[-1].id == all_events[-1].id


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
        assert "¶" in field.value


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
    assert reply.title == "¶8"
    assert reply.citations == (8,)


@pytest.mark.parametrize("number", [0, 21, -3])
async def test_source_out_of_range(app, number):
    assert_error(await app.story.source(number), "1 to 20", f"¶{number}")


async def test_about_counts(app):
    reply = await app.story.about()
    counts = await app.store.counts()
    shown = {f.name: f.value for f in reply.fields}
    assert shown == {
        "Facts": str(counts.by_kind["fact"]),
        "Quotes": str(counts.by_kind["quote"]),
        "Events": str(counts.by_kind["event"]),
        "People": str(counts.by_kind["person"]),
        "Terms": str(counts.by_kind["term"]),
    }
    assert "20 paragraphs" in reply.body


async def test_about_counts_follow_the_store(app):
    before = {f.name: int(f.value) for f in (await app.story.about()).fields}
    await app.store.set_deleted("fact", "shot-five-times", True, Actor("1", "mod"))
    after = {f.name: int(f.value) for f in (await app.story.about()).fields}
    assert after["Facts"] == before["Facts"] - 1


def test_help_lists_every_command(app):
    reply = app.story.help()
    for name in ("ask", "fact", "quote", "timeline", "search", "who", "explain", "source", "about", "help"):
        assert f"`/{name}" in reply.body
    assert len(COMMANDS) == 10


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
