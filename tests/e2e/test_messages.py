"""Plain messages: DMs to the bot and server messages that mention it are answered like /ask; nothing pings."""

from __future__ import annotations

import pytest

from bot.app import open_app
from tests.e2e.conftest import button, flat_components, running_bot
from tests.fake_discord import FakeDiscord, payloads

READER = payloads.user(1200000000000000303, "reader", global_name="Reader")
NO_PINGS = {"parse": [], "replied_user": False}


async def say(fake, content, **kwargs):
    """Dispatch a MESSAGE_CREATE; return it (as stored by the fake)."""
    kwargs.setdefault("author", READER)
    return await fake.dispatch("MESSAGE_CREATE", payloads.message_create(content, **kwargs))


async def reply_to(fake, message):
    """The bot's reply to ``message``: a POST in the same channel that references it."""
    record = await fake.wait_for_message(message["channel_id"])
    assert record.ok, record
    assert str(record.json["message_reference"]["message_id"]) == message["id"]
    assert record.json["allowed_mentions"] == NO_PINGS
    return record


async def nothing_sent_for(fake, channel_id, since=0):
    """Prove a silence without sleeping: ask something afterwards on the same gateway; by the time that is
    answered, the earlier messages have been handled, and nothing may have been posted to ``channel_id``."""
    probe = await say(fake, "help")  # a DM: always answered
    await reply_to(fake, probe)
    sent = [r for r in fake.requests[since:] if r.method == "POST" and r.path == f"/channels/{channel_id}/messages"]
    assert sent == []


async def test_dm_question_is_answered_with_an_embed(fake, bot):
    message = await say(fake, "how many rounds were fired")
    record = await reply_to(fake, message)
    (embed,) = record.json["embeds"]
    assert embed["title"] == "how many rounds were fired"
    assert "40 rounds" in embed["description"]
    assert embed["footer"]["text"] == "Source: paragraph 7 of the article"
    assert button(record.json, "Show source")["custom_id"].startswith("sb:src:")
    assert record.response["channel_id"] == message["channel_id"]
    assert record.response["author"]["id"] == str(fake.application_id)


async def test_show_source_on_a_dm_answer(fake, bot):
    message = await say(fake, "how many times was he shot")
    reply = (await reply_to(fake, message)).response
    record = await fake.interact(
        payloads.component(button(reply, "Show source")["custom_id"], message=reply, user=READER)
    )
    assert record.json["type"] == 4 and record.json["data"]["flags"] == 64
    assert record.json["data"]["embeds"][0]["description"] == (await bot.app.store.paragraph(2)).text


@pytest.mark.parametrize("text", ["help", "HELP", "  help ", "?", "commands", ""])
async def test_help_in_a_dm_lists_the_commands(fake, bot, text):
    message = await say(fake, text)
    record = await reply_to(fake, message)
    (embed,) = record.json["embeds"]
    assert embed["title"] == "StoryBot commands"
    ids = {c["name"]: c["id"] for c in fake.synced_commands(None)}
    for name in ("ask", "fact", "quote", "timeline", "search", "who", "explain", "source", "about", "help"):
        assert f"</{name}:{ids[name]}>" in embed["description"]  # clickable, as in /help
    assert flat_components(record.json) == []


async def test_dm_question_the_bot_cannot_answer(fake, bot):
    message = await say(fake, "what is the capital of france")
    record = await reply_to(fake, message)
    assert record.json["embeds"][0]["title"] == "I don't know"
    assert flat_components(record.json) == []


@pytest.mark.parametrize("mention", ["<@{id}>", "<@!{id}>"])
async def test_guild_mention_is_answered_without_the_mention(fake, bot, guild, mention):
    me = fake.bot_user
    text = mention.format(id=me["id"]) + " how many rounds were fired"
    message = await say(fake, text, guild_id=guild, mentions=[me])
    record = await reply_to(fake, message)
    assert record.path == f"/channels/{guild['channels'][0]['id']}/messages"
    (embed,) = record.json["embeds"]
    assert embed["title"] == "how many rounds were fired"  # the mention is not part of the question
    assert "40 rounds" in embed["description"]


async def test_mention_in_the_middle_and_alone(fake, bot, guild):
    me = fake.bot_user
    message = await say(fake, f"hey <@{me['id']}>, who is Lee Cook-jong?", guild_id=guild, mentions=[me])
    record = await reply_to(fake, message)
    assert "<@" not in record.json["embeds"][0]["title"]
    assert "Lee Cook-jong" in record.json["embeds"][0]["description"]

    message = await say(fake, f"<@{me['id']}>", guild_id=guild, mentions=[me])
    record = await reply_to(fake, message)
    assert record.json["embeds"][0]["title"] == "StoryBot commands"


async def test_guild_message_without_mention_is_ignored(fake, bot, guild):
    await say(fake, "how many rounds were fired", guild_id=guild)
    await say(fake, f"talking about <@{READER['id']}>, not the bot", guild_id=guild, mentions=[READER])
    await nothing_sent_for(fake, guild["channels"][0]["id"])


async def test_messages_from_bots_are_ignored(fake, bot, guild):
    other_bot = payloads.user(1200000000000000404, "another-bot", bot=True)
    me = fake.bot_user
    dm_from_bot = await say(fake, "how many rounds were fired", author=other_bot)
    await say(fake, f"<@{me['id']}> how many rounds were fired", author=other_bot, guild_id=guild, mentions=[me])
    await say(fake, f"<@{me['id']}> how many rounds were fired", author=me, guild_id=guild, mentions=[me])
    await nothing_sent_for(fake, guild["channels"][0]["id"])
    assert [r for r in fake.requests if r.path == f"/channels/{dm_from_bot['channel_id']}/messages"] == []


async def test_webhook_messages_are_ignored(fake, bot, guild):
    me = fake.bot_user
    await say(
        fake,
        f"<@{me['id']}> how many rounds were fired",
        guild_id=guild,
        mentions=[me],
        webhook_id=payloads.snowflake(),
    )
    await nothing_sent_for(fake, guild["channels"][0]["id"])


async def test_the_bots_own_answers_do_not_loop(guild, bot_settings):
    """Discord echoes the bot's own messages back on the gateway; in a DM (where every message is a question)
    the bot must not answer its own answer."""
    async with FakeDiscord(guilds=[guild], echo_bot_messages=True) as fake:
        app = await open_app(bot_settings)
        try:
            async with running_bot(app):
                me = fake.bot_user
                message = await say(fake, "how many rounds were fired")
                answer = await reply_to(fake, message)
                mark = len(fake.requests)
                echoed = await fake.wait_for_gateway(
                    lambda g: g.t == "MESSAGE_CREATE" and g.d["author"]["id"] == me["id"]
                )
                assert echoed.d["id"] == answer.response["id"] and "guild_id" not in echoed.d
                probe = await say(fake, "help", channel_id=message["channel_id"])
                await reply_to(fake, probe)
                replies = [r for r in fake.requests[mark:] if r.route == "POST /channels/{channel_id}/messages"]
                assert len(replies) == 1  # only the probe's
        finally:
            await app.close()


async def test_no_message_or_reply_can_ping(fake, bot, guild):
    """allowed_mentions on everything the bot sends: no @everyone, roles or users; replies don't ping."""
    me = fake.bot_user
    text = "@everyone <@&123456789012345678> what did Trump say"
    await reply_to(fake, await say(fake, text))
    await reply_to(fake, await say(fake, f"<@{me['id']}> {text}", guild_id=guild, mentions=[me]))
    await fake.interact(payloads.slash_command("ask", {"question": text}, guild_id=guild))
    await fake.interact(payloads.slash_command("fact", {"id": "nope @everyone"}, guild_id=guild))
    sent = [
        r
        for r in fake.requests
        if r.method in ("POST", "PATCH")
        and isinstance(r.json, dict)
        and (r.route or "").split()[1]
        in ("/channels/{channel_id}/messages", "/interactions/{interaction_id}/{token}/callback")
    ]
    assert len(sent) == 4
    for record in sent:
        body = record.json.get("data", record.json)
        assert body["allowed_mentions"]["parse"] == [], record
        if "message_reference" in body:
            assert body["allowed_mentions"]["replied_user"] is False
        stored = (
            record.response.get("resource", {}).get("message")
            if "resource" in (record.response or {})
            else record.response
        )
        if stored:
            assert stored["mentions"] == [] and stored["mention_everyone"] is False
