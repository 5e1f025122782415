"""Syncing the commands scope by scope: Discord refusing one scope is one error line naming the command, the other
scopes still sync, and the bot still connects and answers (it used to abort the login)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from types import SimpleNamespace

import discord
import pytest
from discord import app_commands

from bot.app import open_app
from bot.discord_app import client as client_module
from bot.discord_app.command_sync import describe_refusal
from bot.discord_app.moderation import KnowledgeBase
from tests.e2e.conftest import running_bot
from tests.fake_discord import FakeDiscord, payloads

SYNC_LOGGER = "bot.discord_app.command_sync"


def refusals(caplog):
    return [r for r in caplog.records if r.name == SYNC_LOGGER and r.levelno >= logging.WARNING]


async def ready_line(caplog):
    """The client's start-up line (on_ready runs as its own task, just after the client is ready)."""
    for _ in range(250):
        found = [r for r in caplog.records if r.getMessage().startswith("ready as")]
        if found:
            return found[0]
        await asyncio.sleep(0.02)
    raise AssertionError("no start-up line")


async def assert_answers(fake, guild):
    record = await fake.interact(
        payloads.slash_command("ask", {"question": "how many times was he shot"}, guild_id=guild)
    )
    assert "five times" in record.json["data"]["embeds"][0]["description"]


def kb_with_a_bad_bound():
    """/kb plus one sub-command whose bound Discord refuses (as /kb revert's was)."""
    kb = KnowledgeBase()

    async def big(interaction: discord.Interaction, n: app_commands.Range[int, 1, 2**53]) -> None:
        raise AssertionError("never synced, never called")

    kb.add_command(app_commands.Command(name="big", description="A bound beyond Discord's integers", callback=big))
    return kb


async def test_a_command_the_fake_refuses_is_named_and_the_bot_serves_anyway(
    fake, bot_settings, guild, caplog, monkeypatch
):
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(client_module, "KnowledgeBase", kb_with_a_bad_bound)
    app = await open_app(replace(bot_settings, moderator_guild_ids=(int(guild["id"]),)))
    try:
        async with running_bot(app) as bot:
            ready = await ready_line(caplog)
            await assert_answers(fake, guild)
            assert not bot.is_closed()
    finally:
        await app.close()
    (refused,) = refusals(caplog)
    assert refused.levelno == logging.ERROR
    assert refused.getMessage() == (
        f"Discord refused the commands for guild {guild['id']}: "
        "/kb big: options.0.max_value: int value should be less than or equal to 9007199254740991."
    )
    assert ready.levelno == logging.WARNING and f"commands NOT synced for guild {guild['id']}" in ready.getMessage()
    assert fake.synced_commands(guild["id"]) == []
    assert "ask" in {c["name"] for c in fake.synced_commands()}


async def test_a_refused_global_sync_leaves_the_guilds_synced(settings, caplog):
    dev, moderated = (payloads.guild_create(name=n, channels=["general"]) for n in ("Dev", "Moderated"))
    refusal = {
        "code": 50035,
        "message": "Invalid Form Body",
        "errors": {"1": {"description": {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH", "message": "Too long."}]}}},
    }
    caplog.set_level(logging.INFO)
    async with FakeDiscord(guilds=[dev, moderated]) as fake:
        fake.inject_error("PUT", r"/applications/\d+/commands", 400, refusal)
        chosen = replace(
            settings,
            ask_cooldown_seconds=0,
            dev_guild_id=int(dev["id"]),
            moderator_guild_ids=(int(moderated["id"]),),
        )
        app = await open_app(chosen)
        try:
            async with running_bot(app):
                ready = await ready_line(caplog)
                await assert_answers(fake, dev)  # the development guild has the reader commands
        finally:
            await app.close()
        (put,) = [r for r in fake.requests if r.route == "PUT /applications/{application_id}/commands"]
        second = put.json[1]["name"]
        assert fake.synced_commands() == []
        assert "ask" in {c["name"] for c in fake.synced_commands(dev["id"])}
        assert [c["name"] for c in fake.synced_commands(moderated["id"])] == ["kb"]
    (refused,) = refusals(caplog)
    assert refused.getMessage() == f"Discord refused the global commands: /{second}: description: Too long."
    assert "commands NOT synced for global" in ready.getMessage()
    synced = [r.getMessage() for r in caplog.records if r.name == SYNC_LOGGER and r.levelno == logging.INFO]
    assert synced == [
        f"synced {len(fake.synced_commands(dev['id']))} commands to the development guild {dev['id']}",
        f"synced 1 commands to the moderator guild {moderated['id']}",
    ]


async def test_a_moderator_guild_the_bot_is_not_in(fake, bot_settings, guild, caplog):
    stranger = 1400000000000000999
    caplog.set_level(logging.INFO)
    app = await open_app(replace(bot_settings, moderator_guild_ids=(stranger, int(guild["id"]))))
    try:
        async with running_bot(app):
            ready = await ready_line(caplog)
            await assert_answers(fake, guild)
    finally:
        await app.close()
    (refused,) = refusals(caplog)
    assert refused.getMessage() == (
        f"Discord refused the commands for guild {stranger}: HTTP 403 (error code 50001): Missing Access "
        "(is the bot in that server, invited with the applications.commands scope?)"
    )
    assert f"commands NOT synced for guild {stranger}" in ready.getMessage()
    assert [c["name"] for c in fake.synced_commands(guild["id"])] == ["kb"]


def http_error(status, body):
    response = SimpleNamespace(status=status, reason="Whatever")
    return discord.HTTPException(response, body)


SENT = [
    {"name": "ask", "options": [{"type": 3, "name": "question"}]},
    {
        "name": "kb",
        "options": [
            {"type": 2, "name": "entries", "options": [{"type": 1, "name": "add", "options": [{"name": "kind"}]}]},
            {"type": 1, "name": "log"},
        ],
    },
]


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            400,
            {
                "code": 50035,
                "message": "Invalid Form Body",
                "errors": {
                    "0": {"options": {"0": {"name": {"_errors": [{"code": "X", "message": "Bad name."}]}}}},
                    "1": {
                        "options": {
                            "0": {
                                "options": {
                                    "0": {"options": {"0": {"description": {"_errors": [{"message": "Empty."}]}}}}
                                }
                            },
                            "1": {"_errors": [{"code": "Y", "message": "Wrong."}, {"code": "Z", "message": "Twice."}]},
                        }
                    },
                },
            },
            "/ask: options.0.name: Bad name.; /kb entries add: options.0.description: Empty.; /kb log: Wrong. Twice.",
        ),
        (
            400,
            {
                "code": 50035,
                "message": "Invalid Form Body",
                "errors": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 100 or fewer in length."}]},
            },
            "the request: Must be 100 or fewer in length.",
        ),
        (
            400,
            {"code": 50035, "message": "Invalid Form Body", "errors": {"7": {"name": {"_errors": [{"message": "?"}]}}}},
            "7.name: ?",
        ),
        (
            400,
            {
                "code": 50035,
                "message": "Invalid Form Body",
                "errors": {"0": {"name": {"_errors": [{"message": "A.\nB."}]}}},
            },
            "/ask: name: A. B.",
        ),
        (503, "upstream connect error", "HTTP 503: upstream connect error"),
        (400, {"code": 30032, "message": "Maximum number of application commands reached"}, None),
    ],
    ids=["nested", "whole-request", "unknown-index", "multi-line", "server-error", "no-fields"],
)
def test_describe_refusal(status, body, expected):
    line = describe_refusal(http_error(status, body), SENT)
    if expected is None:
        expected = "HTTP 400 (error code 30032): Maximum number of application commands reached"
    assert line == expected
    assert "\n" not in line


def test_a_long_refusal_stays_one_short_line():
    errors = {str(i): {"name": {"_errors": [{"message": "x" * 80}]}} for i in range(20)}
    line = describe_refusal(http_error(400, {"code": 50035, "message": "Invalid Form Body", "errors": errors}), SENT)
    assert len(line) <= 600 and line.endswith("...") and "\n" not in line
