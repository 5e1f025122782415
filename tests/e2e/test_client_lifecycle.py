"""The client as Discord sees it: intents, mentions, sharding, a rejected token, and no token in any log."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from dataclasses import replace

import discord
import pytest

from bot.app import open_app
from bot.config import Secret
from bot.discord_app import runner
from bot.discord_app.client import StoryBotClient
from tests.e2e.conftest import TOKEN, logging_restored, running_bot
from tests.fake_discord import FakeDiscord, payloads

GUILDS = 1 << 0
MEMBERS = 1 << 1  # privileged
PRESENCES = 1 << 8  # privileged
GUILD_MESSAGES = 1 << 9
DM_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15  # privileged
PRIVILEGED = MEMBERS | PRESENCES | MESSAGE_CONTENT

BAD_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAw.Gxxxxx.this-token-was-revoked-by-discord"


def all_log_text(records):
    out = []
    for r in records:
        out.append(r.getMessage())
        out.append(repr(r.args))
        if r.exc_text:
            out.append(r.exc_text)
        if r.exc_info:
            out.append(logging.Formatter().formatException(r.exc_info))
    return "\n".join(out)


async def test_identify_asks_for_no_privileged_intents(fake, bot):
    (identify,) = fake.identifies
    intents = identify["intents"]
    assert intents & PRIVILEGED == 0
    assert intents == GUILDS | GUILD_MESSAGES | DM_MESSAGES
    assert identify["token"] == TOKEN


async def test_client_sends_no_pings_by_default(fake, bot, guild):
    assert bot.allowed_mentions.to_dict() == {"parse": []}
    # even a plain channel message sent through the client carries it
    channel = bot.get_channel(int(guild["channels"][0]["id"]))
    await channel.send("@everyone hello <@1200000000000000101>")
    record = await fake.wait_for_message(channel.id)
    assert record.json["allowed_mentions"] == {"parse": []}
    assert record.response["mentions"] == [] and record.response["mention_everyone"] is False


async def test_minimal_caches(fake, bot, guild):
    assert bot._connection.max_messages is None  # no message cache
    g = bot.get_guild(int(guild["id"]))
    assert g is not None and g.me is not None
    assert not [r for r in fake.gateway_log if r.direction == "recv" and r.op == 8]  # no member chunking


async def test_two_shards(settings):
    guilds = [
        payloads.guild_create(payloads.guild_id_for_shard(0, 2), "Shard zero", channels=["general"]),
        payloads.guild_create(payloads.guild_id_for_shard(1, 2), "Shard one", channels=["general"]),
    ]
    async with FakeDiscord(guilds=guilds, shard_count=2) as fake:
        app = await open_app(replace(settings, shard_count=2, ask_cooldown_seconds=0))
        try:
            async with running_bot(app) as client:
                await fake.wait_until_ready(shard_count=2)
                assert isinstance(client, discord.AutoShardedClient)
                assert client.shard_count == 2 and sorted(client.shards) == [0, 1]
                assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
                assert all(i["intents"] & PRIVILEGED == 0 for i in fake.identifies)
                assert {g.name: g.shard_id for g in client.guilds} == {"Shard zero": 0, "Shard one": 1}
                for g in guilds:
                    record = await fake.interact(
                        payloads.slash_command("ask", {"question": "how many times was he shot"}, guild_id=g)
                    )
                    assert record.json["type"] == 4
                    assert "five times" in record.json["data"]["embeds"][0]["description"]
                sends = [r.shard_id for r in fake.gateway_log if r.direction == "send" and r.t == "INTERACTION_CREATE"]
                assert sends == [0, 1]
        finally:
            await app.close()


async def test_shard_ids_subset(settings):
    guilds = [payloads.guild_create(payloads.guild_id_for_shard(s, 3), f"Shard {s}") for s in range(3)]
    async with FakeDiscord(guilds=guilds, shard_count=3) as fake:
        app = await open_app(replace(settings, shard_count=3, shard_ids=(1, 2), ask_cooldown_seconds=0))
        try:
            async with running_bot(app) as client:
                assert sorted(i["shard"] for i in fake.identifies) == [[1, 3], [2, 3]]
                assert sorted(g.name for g in client.guilds) == ["Shard 1", "Shard 2"]
        finally:
            await app.close()


# --- run_discord: the real entry point (logging set up as in production) -----------------------------------------


@contextlib.contextmanager
def production_logging(monkeypatch, caplog):
    """run_discord sets up logging as in production (stderr handler with the token filter, replacing the root
    handlers); keep caplog attached after it, and put everything back at the end."""
    real = runner.setup_logging

    def setup_logging(*args, **kwargs):
        real(*args, **kwargs)
        logging.getLogger().addHandler(caplog.handler)

    with logging_restored():
        monkeypatch.setattr(runner, "setup_logging", setup_logging)
        yield caplog


async def test_rejected_token_exits_1_with_one_clear_line(settings, capsys, caplog, monkeypatch):
    with production_logging(monkeypatch, caplog) as logs:
        async with FakeDiscord(bad_token=BAD_TOKEN) as fake:
            rc = await asyncio.wait_for(
                runner.run_discord(replace(settings, discord_token=Secret(BAD_TOKEN), log_level="DEBUG")), 10
            )
    assert rc == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith("error: Discord rejected the token")
    assert "DISCORD_TOKEN" in errors[0]
    assert "Traceback" not in err
    assert BAD_TOKEN not in err
    assert BAD_TOKEN not in all_log_text(logs.records)
    assert not fake.connections  # stopped at login: never reached the gateway
    assert [r.status for r in fake.requests] == [401]


def quick_client_class(started):
    """The production client, minus the waits that only make sense against the real Discord; each instance
    is put on the ``started`` queue."""

    class QuickStoryBot(StoryBotClient):
        def __init__(self, app, **options):
            options.setdefault("guild_ready_timeout", 0.05)
            super().__init__(app, **options)
            started.put_nowait(self)

        async def before_identify_hook(self, shard_id, *, initial=False):
            return None

    return QuickStoryBot


async def test_normal_run_stops_on_sigterm_and_never_logs_the_token(settings, guild, capsys, caplog, monkeypatch):
    started = asyncio.Queue()
    monkeypatch.setattr(runner, "StoryBotClient", quick_client_class(started))
    with production_logging(monkeypatch, caplog) as logs:
        await run_until_sigterm(settings, guild, started)
    err = capsys.readouterr().err
    assert "received SIGTERM, closing" in err and "stopped" in err
    assert "Traceback" not in err
    assert TOKEN not in err
    assert any(r.levelno == logging.DEBUG for r in logs.records)
    assert TOKEN not in all_log_text(logs.records)


async def run_until_sigterm(settings, guild, started, **changes):
    """run_discord at LOG_LEVEL=DEBUG (and any other ``changes`` to the settings): one /ask, then SIGTERM.
    Returns the fake, to look at what it sent."""
    chosen = replace(settings, discord_token=Secret(TOKEN), log_level="DEBUG", **changes)
    async with FakeDiscord(guilds=[guild]) as fake:
        task = asyncio.create_task(runner.run_discord(chosen))
        try:
            client = await asyncio.wait_for(started.get(), 10)
            await asyncio.wait_for(client.wait_until_ready(), 10)
            record = await fake.interact(payloads.slash_command("ask", {"question": QUESTION}, guild_id=guild))
            assert "five times" in record.json["data"]["embeds"][0]["description"]

            # only signal ourselves once run_discord's handler is in place (else SIGTERM would end pytest)
            assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, signal.SIG_IGN, None)
            os.kill(os.getpid(), signal.SIGTERM)
            rc = await asyncio.wait_for(task, 10)
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    assert rc == 0
    assert client.is_closed()
    return fake


QUESTION = "how many times was he shot"


@pytest.mark.parametrize("discord_debug", [False, True], ids=["LOG_LEVEL=DEBUG", "DISCORD_DEBUG=1"])
async def test_debug_logging_never_shows_an_interaction_token(settings, guild, capsys, monkeypatch, discord_debug):
    """discord.py logs every gateway event at DEBUG, the INTERACTION_CREATE with its token (valid 15 minutes)
    and the question among them: only with DISCORD_DEBUG=1, and then with the token blotted out."""
    started = asyncio.Queue()
    monkeypatch.setattr(runner, "StoryBotClient", quick_client_class(started))
    with logging_restored():
        asked = {"discord_debug": True} if discord_debug else {}
        fake = await run_until_sigterm(settings, guild, started, **asked)
    err = capsys.readouterr().err
    (interaction,) = fake.interactions.values()
    assert interaction.token not in err
    assert TOKEN not in err
    assert "[DEBUG   ]" in err  # debug logging was on
    if discord_debug:
        assert "INTERACTION_CREATE" in err and QUESTION in err  # discord.py's gateway log, as asked
        assert "'token': '**********'" in err
    else:
        assert "INTERACTION_CREATE" not in err and QUESTION not in err


async def test_token_is_not_in_any_debug_log_record(fake, bot_settings, guild, caplog):
    """Without the redacting handler: nothing the bot or discord.py logs at DEBUG contains the token."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="discord.http")
    app = await open_app(bot_settings)
    try:
        async with running_bot(app):
            await fake.interact(
                payloads.slash_command("ask", {"question": "how many times was he shot"}, guild_id=guild)
            )
            message = await fake.dispatch("MESSAGE_CREATE", payloads.message_create("help"))
            await fake.wait_for_message(message["channel_id"])
            await fake.disconnect(code=4000)  # a reconnect + RESUME sends the token again
            await fake.wait_for_gateway(lambda g: g.direction == "recv" and g.op == 6)
            await fake.wait_until_ready()
    finally:
        await app.close()
    assert any(r.name.startswith("discord") and r.levelno == logging.DEBUG for r in caplog.records)
    assert TOKEN not in all_log_text(caplog.records)
    assert TOKEN not in caplog.text
