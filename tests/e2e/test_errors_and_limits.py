"""Errors and abuse: cooldowns, over-long input, handler crashes; Discord's size limits on everything sent."""

from __future__ import annotations

import logging
import re

import pytest

from bot.discord_app import errors
from bot.discord_app.render import render_embed
from bot.handlers import Reply, ReplyField
from bot.models import Actor, Entry
from tests.e2e.conftest import button, is_ephemeral
from tests.e2e.test_cooldown_flood import settle
from tests.fake_discord import payloads

QUESTION = "how many times was he shot"
READER = payloads.user(1200000000000000303, "reader")
RETRY = re.compile(r"^Slow down a little: try again in (\d+) s\.$")


async def ask(fake, question=QUESTION, **where):
    record = await fake.interact(payloads.slash_command("ask", {"question": question}, **where))
    assert record.ok and record.json["type"] == 4, record
    return record.json["data"]


async def dm(fake, text, author=READER, channel_id=None):
    message = await fake.dispatch("MESSAGE_CREATE", payloads.message_create(text, author=author, channel_id=channel_id))
    record = await fake.wait_for_message(message["channel_id"])
    assert record.ok, record
    return message, record


# --- cooldown ----------------------------------------------------------------------------------------------------


async def test_ask_cooldown_per_user(fake, cooldown_bot, guild, other_user):
    first = await ask(fake, guild_id=guild)
    assert "five times" in first["embeds"][0]["description"] and not is_ephemeral(first)

    second = await ask(fake, "who is Lee Cook-jong", guild_id=guild)
    assert is_ephemeral(second)
    assert "embeds" not in second or second["embeds"] == []
    wait = RETRY.match(second["content"])
    assert wait and 1 <= int(wait[1]) <= 30

    # someone else is not slowed down by it
    theirs = await ask(fake, guild_id=guild, user=other_user)
    assert not is_ephemeral(theirs) and "five times" in theirs["embeds"][0]["description"]

    # the other reader commands are not rate-limited
    record = await fake.interact(payloads.slash_command("who", {"name": "Lee Cook-jong"}, guild_id=guild))
    assert record.json["data"]["embeds"][0]["title"] == "Lee Cook-jong"


async def test_dm_question_cooldown(fake, cooldown_bot):
    message, record = await dm(fake, "how many rounds were fired")
    assert "40 rounds" in record.json["embeds"][0]["description"]

    message, record = await dm(fake, "who is Lee Cook-jong", channel_id=message["channel_id"])
    assert RETRY.match(record.json["content"]) and not record.json.get("embeds")
    assert str(record.json["message_reference"]["message_id"]) == message["id"]
    assert record.json["allowed_mentions"] == {"parse": [], "replied_user": False}

    # another user is not affected
    _, record = await dm(fake, "how many rounds were fired", author=payloads.user(1200000000000000505, "other"))
    assert "40 rounds" in record.json["embeds"][0]["description"]


async def test_cooldown_is_shared_between_ask_dms_and_mentions(fake, cooldown_bot, guild):
    await dm(fake, "how many rounds were fired")
    data = await ask(fake, user=READER, context=1)
    assert is_ephemeral(data) and RETRY.match(data["content"])

    # told once for this window already (by /ask): the mention gets no answer and no second notice
    me = fake.bot_user
    mark = len(fake.requests)
    message = await fake.dispatch(
        "MESSAGE_CREATE",
        payloads.message_create(f"<@{me['id']}> who is Lee Cook-jong", author=READER, guild_id=guild, mentions=[me]),
    )
    await settle(fake)
    channel = message["channel_id"]
    assert [r for r in fake.requests[mark:] if f"/channels/{channel}/" in r.path] == []


# --- over-long input ---------------------------------------------------------------------------------------------


async def test_overlong_ask_gets_a_short_clear_answer(fake, bot, guild, caplog):
    data = await ask(fake, "why " * 200, guild_id=guild)  # 800 characters; Discord would stop at 600
    assert is_ephemeral(data)
    embed = data["embeds"][0]
    assert embed["description"] == "That question is 799 characters long; please keep it under 600."
    assert "components" not in data or data["components"] == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # the bot is fine afterwards
    assert "five times" in (await ask(fake, guild_id=guild))["embeds"][0]["description"]


@pytest.mark.parametrize(
    ("name", "option", "expected"),
    [
        ("search", "query", "limited to 100 characters"),
        ("who", "name", "That is 400 characters"),
        ("explain", "term", "That is 400 characters"),
        ("fact", "topic", "limited to 100 characters"),
        ("fact", "id", "limited to 100 characters"),
        ("quote", "speaker", "limited to 100 characters"),
    ],
)
async def test_overlong_options_get_a_short_clear_answer(fake, bot, guild, caplog, name, option, expected):
    record = await fake.interact(payloads.slash_command(name, {option: "x" * 400}, guild_id=guild))
    assert record.ok and record.json["type"] == 4
    data = record.json["data"]
    assert is_ephemeral(data)
    description = data["embeds"][0]["description"]
    assert expected in description
    assert "x" * 60 not in description  # the input is not echoed back in full
    assert len(description) < 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("timeline", {"page": 0}),
        ("timeline", {"page": 10_000}),
        ("source", {"paragraph": 0}),
        ("source", {"paragraph": 999}),
        ("search", {"query": "soldier", "page": 500}),
    ],
)
async def test_out_of_range_numbers_are_refused_clearly(fake, bot, guild, name, options):
    record = await fake.interact(payloads.slash_command(name, options, guild_id=guild))
    data = record.json["data"]
    assert record.json["type"] == 4 and is_ephemeral(data)
    assert re.search(r"\b1 to \d+", data["embeds"][0]["description"])


async def test_overlong_autocomplete_input(fake, bot, guild):
    record = await fake.interact(payloads.autocomplete("who", {"name": "le" * 300}, focused="name", guild_id=guild))
    assert record.ok and record.json["type"] == 8 and len(record.json["data"]["choices"]) <= 25


async def test_overlong_dm_gets_a_clear_reply(fake, bot, caplog):
    _, record = await dm(fake, "a" * 3000)
    embed = record.json["embeds"][0]
    assert embed["description"] == "That question is 3000 characters long; please keep it under 600."
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- crashes -----------------------------------------------------------------------------------------------------


def boom(*args, **kwargs):
    raise RuntimeError("the store caught fire")


async def test_handler_error_is_reported_briefly_and_logged(fake, bot, guild, monkeypatch, caplog):
    monkeypatch.setattr(bot.app.story, "ask", boom)
    data = await ask(fake, guild_id=guild)
    assert is_ephemeral(data)
    assert data["content"] == errors.GENERIC
    assert data["content"].startswith("Something went wrong")
    assert "fire" not in data["content"] and "Traceback" not in data["content"]

    (logged,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert logged.name == "bot.discord_app.errors" and "ask" in logged.getMessage()
    assert logged.exc_info and logged.exc_info[0] is RuntimeError
    assert "RuntimeError: the store caught fire" in caplog.text and "Traceback" in caplog.text

    # the bot keeps working: other commands now, /ask once it is repaired
    record = await fake.interact(payloads.slash_command("who", {"name": "Lee Cook-jong"}, guild_id=guild))
    assert record.json["data"]["embeds"][0]["title"] == "Lee Cook-jong"
    monkeypatch.undo()
    assert "five times" in (await ask(fake, guild_id=guild))["embeds"][0]["description"]


async def test_dm_handler_error_is_reported_briefly_and_logged(fake, bot, monkeypatch, caplog):
    monkeypatch.setattr(bot.app.story, "ask", boom)
    message, record = await dm(fake, "how many rounds were fired")
    assert record.json["content"] == errors.GENERIC
    assert str(record.json["message_reference"]["message_id"]) == message["id"]
    assert record.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)
    monkeypatch.undo()
    _, record = await dm(fake, "how many rounds were fired", channel_id=message["channel_id"])
    assert "40 rounds" in record.json["embeds"][0]["description"]


async def test_show_source_error_is_reported(fake, bot, guild, monkeypatch, caplog):
    monkeypatch.setattr(bot.app.story, "source", boom)
    record = await fake.interact(payloads.component("sb:src:2", guild_id=guild))
    assert record.json["type"] == 4
    assert is_ephemeral(record.json["data"]) and record.json["data"]["content"] == errors.GENERIC
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


async def test_pager_error_is_reported(fake, bot, guild, monkeypatch, caplog):
    sent = await fake.dispatch_interaction(payloads.slash_command("timeline", guild_id=guild))
    await fake.wait_for_interaction_response(sent)
    message = fake.original_message(sent)
    monkeypatch.setattr(bot.app.store, "entries", boom)
    record = await fake.interact(
        payloads.component(button(message, "Next")["custom_id"], message=message, guild_id=guild)
    )
    assert record.json["type"] == 4
    assert is_ephemeral(record.json["data"]) and record.json["data"]["content"] == errors.GENERIC
    assert fake.message(message["id"])["embeds"] == message["embeds"]
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


# --- Discord limits ----------------------------------------------------------------------------------------------


def huge_reply(**kwargs):
    return Reply(
        title="T" * 1000,
        body="word " * 2000,  # 10 000 characters
        fields=tuple(ReplyField(f"field {i} " + "n" * 300, "v" * 2000) for i in range(40)),
        citations=tuple(range(1, 300)),
        context_source="s" * 3000,
        **kwargs,
    )


def assert_within_limits(embed):
    data = embed.to_dict() if hasattr(embed, "to_dict") else embed
    assert len(data.get("title", "")) <= 256
    assert len(data.get("description", "")) <= 4096
    assert len(data.get("fields", [])) <= 25
    for field in data.get("fields", []):
        assert 1 <= len(field["name"]) <= 256 and 1 <= len(field["value"]) <= 1024
    assert len(data.get("footer", {}).get("text", "")) <= 2048
    total = len(data.get("title", "")) + len(data.get("description", "")) + len(data.get("footer", {}).get("text", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in data.get("fields", []))
    assert total <= 6000


@pytest.mark.parametrize("page", [None, "paged"])
def test_render_embed_fits_discord_limits(page):
    from bot.handlers.replies import Page

    reply = huge_reply(page=Page(3, 9999, "search", "x") if page else None)
    embed = render_embed(reply)
    assert len(embed) <= 6000
    assert len(embed.fields) <= 25
    assert all(len(f.value) <= 1024 and len(f.name) <= 256 for f in embed.fields)
    assert len(embed.description) <= 4096 and len(embed.title) <= 256
    assert len(embed.footer.text) <= 2048
    assert embed.fields, "at least the first field is kept"
    if page:
        assert embed.footer.text.startswith("Page 3/9999")
    assert_within_limits(embed)


def test_render_embed_never_sends_empty_parts():
    embed = render_embed(Reply(title="   ", fields=(ReplyField("", ""),)))
    assert embed.title and embed.fields[0].name and embed.fields[0].value


async def test_huge_reply_is_accepted_by_discord(fake, bot, guild, monkeypatch):
    """The fake enforces Discord's limits (400 otherwise): the bot's rendering of a huge reply goes through."""

    async def huge(question):
        return huge_reply()

    monkeypatch.setattr(bot.app.story, "ask", huge)
    record = await fake.interact(payloads.slash_command("ask", {"question": "anything"}, guild_id=guild))
    assert record.ok, record.response
    assert_within_limits(record.json["data"]["embeds"][0])
    assert len(button(record.json["data"], "Show source")["custom_id"]) <= 100


async def test_show_source_of_long_paragraphs_fits_in_one_message(fake, bot, guild, monkeypatch):
    """Up to 8 cited paragraphs of up to 4000 characters each: only as many as Discord accepts together."""

    async def long_paragraph(number):
        return Reply(title=f"¶{number}", body=("lorem ipsum " * 400)[:4000], citations=(number,))

    monkeypatch.setattr(bot.app.story, "source", long_paragraph)
    record = await fake.interact(payloads.component("sb:src:1,2,3,4,5,6,7,8", guild_id=guild))
    assert record.ok, record.response
    embeds = record.json["data"]["embeds"]
    assert embeds and embeds[0]["title"] == "¶1"
    total = sum(
        len(e.get("title", "")) + len(e.get("description", "")) + len(e.get("footer", {}).get("text", ""))
        for e in embeds
    )
    assert total <= 6000


async def test_autocomplete_never_exceeds_25_choices(fake, bot, guild):
    tester = Actor("test", "tester")
    for i in range(100):
        await bot.app.store.add(
            Entry(
                kind="person",
                id=f"extra-person-{i}",
                text=f"Extra person number {i} in the story.",
                name=f"Leeson Extra {i:03d}",
                role="an extra",
                paragraphs=(1,),
            ),
            tester,
        )
    assert len(await bot.app.store.titles("person")) >= 110
    for current in ("", "le", "Leeson", "extra 0", "x"):
        record = await fake.interact(payloads.autocomplete("who", {"name": current}, focused="name", guild_id=guild))
        assert record.ok, record.response
        choices = record.json["data"]["choices"]
        assert len(choices) <= 25
        if current in ("", "Leeson"):
            assert len(choices) == 25
