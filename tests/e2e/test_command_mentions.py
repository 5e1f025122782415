"""/help and /about name commands as Discord command mentions (`</ask:ID>`, which users can click), with the ids
Discord gave the commands at sync; where an id is unknown they fall back to plain `/ask`."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.app import open_app
from tests.e2e.conftest import running_bot
from tests.fake_discord import FakeDiscord, payloads

MENTION = re.compile(r"</(\w+):(\d+)>")


async def help_text(fake, **where):
    record = await fake.interact(payloads.slash_command("help", **where))
    return record.json["data"]["embeds"][0]["description"]


async def test_help_mentions_the_global_commands_even_with_a_development_guild(guild, settings):
    async with FakeDiscord(guilds=[guild]) as fake:
        app = await open_app(replace(settings, dev_guild_id=int(guild["id"])))
        try:
            async with running_bot(app):
                text = await help_text(fake, guild_id=guild)
                mentioned = dict(MENTION.findall(text))
                global_ids = {c["name"]: c["id"] for c in fake.synced_commands()}
                guild_ids = {c["name"]: c["id"] for c in fake.synced_commands(guild["id"])}
                # the global command's id works everywhere; the development guild's copy only there
                assert mentioned == {name: global_ids[name] for name in mentioned}
                assert len(mentioned) == 10 and not set(mentioned.values()) & set(guild_ids.values())
        finally:
            await app.close()


async def test_with_the_global_sync_refused_the_development_guilds_ids_are_used(guild, settings):
    refusal = {"code": 50035, "message": "Invalid Form Body", "errors": {}}
    async with FakeDiscord(guilds=[guild]) as fake:
        fake.inject_error("PUT", r"/applications/\d+/commands", 400, refusal)
        app = await open_app(replace(settings, dev_guild_id=int(guild["id"])))
        try:
            async with running_bot(app):
                mentioned = dict(MENTION.findall(await help_text(fake, guild_id=guild)))
                guild_ids = {c["name"]: c["id"] for c in fake.synced_commands(guild["id"])}
                assert fake.synced_commands() == [] and mentioned and mentioned.items() <= guild_ids.items()
        finally:
            await app.close()


async def test_unknown_ids_fall_back_to_the_command_as_text(fake, bot, guild):
    bot.command_ids.clear()  # as before the sync answered, or when Discord refused it
    text = await help_text(fake, guild_id=guild)
    assert not MENTION.search(text)
    assert text.splitlines()[0] == "`/ask` `<question>` — Ask anything about the story."
    record = await fake.interact(payloads.slash_command("about", guild_id=guild))
    assert "Ask with `/ask`, browse with `/timeline`" in record.json["data"]["embeds"][0]["description"]


async def test_about_and_help_mention_the_same_commands_in_every_place(fake, bot, guild):
    ids = {c["name"]: c["id"] for c in fake.synced_commands()}
    for where in ({"guild_id": guild}, {"context": 1}, {"context": 2}):
        record = await fake.interact(payloads.slash_command("about", **where))
        about = record.json["data"]["embeds"][0]["description"]
        assert dict(MENTION.findall(about)) == {n: ids[n] for n in ("ask", "timeline", "search", "source", "help")}
        assert dict(MENTION.findall(await help_text(fake, **where))) == {
            n: ids[n]
            for n in ("ask", "fact", "quote", "timeline", "search", "who", "explain", "source", "about", "help")
        }
