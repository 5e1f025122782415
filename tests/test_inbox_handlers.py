"""The inbox handlers: what is recorded (and when not), reports, the inbox as moderators read it, dismissing."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import pytest

from bot.answer import MAX_QUESTION
from bot.app import open_app
from bot.handlers import inbox as inbox_module
from bot.handlers.inbox import COMMAND_LINE, CONSOLE, INBOX_PAGE, Asker, answer_key
from bot.models import Actor
from bot.store import StoreBusy

ALICE = Actor("1001", "alice")
READER = Asker("1200000000000000101", "DM")
OTHER = Asker("1200000000000000202", "123456789012345678")
UNANSWERED = "what is his blood type"
ANSWERED = "how many times was the soldier shot"


async def items_of(app):
    items, _ = await app.store.inbox_page(0, 100)
    return items


@pytest.fixture
async def quiet_app(settings):
    """The app with recording turned off (RECORD_QUESTIONS=false)."""
    opened = await open_app(replace(settings, record_questions=False))
    try:
        yield opened
    finally:
        await opened.close()


# ---- collecting -----------------------------------------------------------------------------------------


async def test_a_question_the_bot_cannot_answer_is_recorded_after_the_answer(app):
    reply = await app.inbox.ask(UNANSWERED, READER)
    assert not reply.found and reply.asked == ""  # nothing to report: no entry was given
    await app.inbox.flush()
    [item] = await items_of(app)
    assert (item.kind, item.questions, item.count, item.places) == ("unanswered", (UNANSWERED,), 1, ("DM",))


async def test_a_burst_of_unanswered_questions_is_recorded_whole(app):
    asked = [UNANSWERED, "who paid for his surgery", UNANSWERED, "what is his blood type?", "who paid for his surgery"]
    await asyncio.gather(*(app.inbox.ask(q, OTHER if n % 2 else READER) for n, q in enumerate(asked)))
    await app.inbox.flush()
    items = {"blood" if "blood" in i.questions[0] else "surgery": i for i in await items_of(app)}
    assert sorted(items) == ["blood", "surgery"]
    assert (items["blood"].count, items["blood"].askers) == (3, 2)
    assert sorted(items["blood"].questions) == ["what is his blood type", "what is his blood type?"]
    assert (items["surgery"].count, items["surgery"].askers, items["surgery"].questions) == (
        2,
        2,
        ("who paid for his surgery",),
    )


async def test_an_answer_is_not_recorded_and_names_its_question(app):
    reply = await app.inbox.ask(f"  {ANSWERED}\u200b ", READER)
    assert reply.found and reply.asked == ANSWERED
    assert app.inbox.reported_question(answer_key(ANSWERED), None) == ANSWERED
    await app.inbox.flush()
    assert await items_of(app) == []


async def test_refused_input_is_not_recorded(app):
    reply = await app.inbox.ask("x" * (MAX_QUESTION + 1), READER)
    assert reply.error
    await app.inbox.ask("", READER)
    await app.inbox.flush()
    assert await items_of(app) == []


async def test_record_questions_false_records_nothing_and_offers_no_report(quiet_app):
    assert not (await quiet_app.inbox.ask(UNANSWERED, READER)).found
    assert (await quiet_app.inbox.ask(ANSWERED, READER)).asked == ""
    await quiet_app.inbox.record_unanswered(UNANSWERED, CONSOLE)
    await quiet_app.inbox.flush()
    assert await items_of(quiet_app) == []
    refused = await quiet_app.inbox.report(ANSWERED, "shot-five-times", "", READER)
    assert refused.error and "turned off" in refused.body
    assert "recording questions is turned off" in (await quiet_app.inbox.page(1)).reply.body


async def test_a_store_that_cannot_record_never_costs_the_reader_their_answer(app, monkeypatch, caplog):
    async def busy(*args, **kwargs):
        raise StoreBusy("the store is busy with another change (a large import?) for over 30 s")

    monkeypatch.setattr(app.store, "record_questions", busy)
    with caplog.at_level(logging.WARNING, logger="bot.handlers.inbox"):
        reply = await app.inbox.ask(UNANSWERED, READER)
        assert not reply.error and "I don't know" in reply.title
        await app.inbox.flush()
    assert "could not record a question in the inbox: the store is busy" in caplog.text


async def test_questions_are_recorded_even_when_the_store_closes_right_after(settings):
    opened = await open_app(settings)
    await opened.inbox.ask(UNANSWERED, COMMAND_LINE)
    await opened.close()  # flushes first
    reopened = await open_app(settings)
    try:
        assert [i.questions for i in await items_of(reopened)] == [(UNANSWERED,)]
    finally:
        await reopened.close()


# ---- "Wrong answer?" --------------------------------------------------------------------------------------


async def test_a_report_is_recorded_once_per_person_and_thanked(app, monkeypatch):
    monkeypatch.setattr(inbox_module, "REPORT_COOLDOWN_SECONDS", 0.0)
    assert await app.inbox.may_report(ANSWERED, "shot-five-times", READER) is None
    thanks = await app.inbox.report(ANSWERED, "shot-five-times", "  I wanted\nthe   hospital  ", READER)
    assert thanks.title == "Thank you" and not thanks.error
    again = await app.inbox.report(ANSWERED, "shot-five-times", "again", READER)
    assert again.title == "Already reported"
    assert (await app.inbox.may_report("How many times was the soldier shot?", "shot-five-times", READER)).title == (
        "Already reported"
    )
    assert (await app.inbox.report(ANSWERED, "shot-five-times", "", OTHER)).title == "Thank you"
    [item] = await items_of(app)
    assert (item.kind, item.entry_id, item.count, item.askers) == ("reported", "shot-five-times", 2, 2)
    assert item.comments == ("I wanted the hospital",)
    assert set(item.places) == {"DM", "123456789012345678"}


async def test_reports_have_a_per_person_cooldown(app):
    assert (await app.inbox.report(ANSWERED, "shot-five-times", "", READER)).title == "Thank you"
    wait = await app.inbox.report("who drove the jeep", "jeep-toward-guard-post", "", READER)
    assert wait.error and wait.title == "Wait" and "you can report another in 60 s" in wait.body
    assert (await app.inbox.report("who drove the jeep", "jeep-toward-guard-post", "", OTHER)).title == "Thank you"
    assert len(await items_of(app)) == 2


async def test_an_over_long_comment_is_refused_and_nothing_recorded(app):
    reply = await app.inbox.report(ANSWERED, "shot-five-times", "x" * 301, READER)
    assert reply.error and "under 300 characters" in reply.body
    assert await items_of(app) == []


# ---- the inbox ------------------------------------------------------------------------------------------


async def test_the_inbox_pages_most_asked_first(app):
    for n in range(INBOX_PAGE + 2):
        for asker in range(n + 1):
            await app.store.record_question(f"key {n}", f"question {n}?", "DM", str(asker), max_items=100)
    first = await app.inbox.page(1)
    assert first.reply.page.number == 1 and first.reply.page.total == 2
    assert [i.key for i in first.items] == [f"key {n}" for n in range(INBOX_PAGE + 1, 1, -1)]
    assert first.reply.fields[0].name.endswith("asked 6 times by 6 people")
    second = await app.inbox.page(2)
    assert [i.key for i in second.items] == ["key 1", "key 0"]
    assert second.reply.fields[-1].name.endswith("asked once by 1 person")
    refused = await app.inbox.page(3)
    assert refused.reply.error and refused.items == ()


async def test_what_readers_typed_is_shown_as_literal_text(app):
    typed = "@everyone <@1234> see [this](https://evil.example) **now** `x`"
    await app.store.record_report(
        "k", typed, "shot-five-times", "DM", "1", "<@&99> http://spam.example ||hi||", max_items=9
    )
    [field] = (await app.inbox.page(1)).reply.fields
    lines = field.value.splitlines()
    assert lines[0] == "`@everyone <@1234> see [this](https://evil.example) **now** ˋxˋ`"
    assert "Answer given: fact `shot-five-times`: The soldier was shot five times" in lines[1]
    assert lines[2] == "Comment: `<@&99> http://spam.example ||hi||`"


async def test_dismiss_drops_an_item_once(app):
    await app.inbox.record_unanswered(UNANSWERED, READER)
    [item] = await items_of(app)
    assert (await app.inbox.dismiss(item.id)).title == f"Dismissed inbox item #{item.id}"
    assert await items_of(app) == []
    again = await app.inbox.dismiss(item.id)
    assert again.error and f"no inbox item #{item.id}" in again.body


async def test_candidates_to_teach_a_question_to_come_from_the_engine(app):
    entries = await app.inbox.candidates("what hospital treated the soldier")
    assert entries and len(entries) <= 25 and len({e.id for e in entries}) == len(entries)
    assert "operated-on-by-trauma-surgeon" in [e.id for e in entries[:5]]
