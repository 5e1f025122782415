"""The commands the bot syncs (the reader commands globally, /kb in a moderator guild), checked against Discord's
rules for application commands."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pytest

from bot.app import open_app
from bot.config import Settings
from tests.e2e.conftest import running_bot
from tests.fake_discord.command_rules import MAX_INTEGER, command_errors

READER_COMMANDS = {"ask", "fact", "quote", "timeline", "search", "who", "explain", "source", "about", "help"}
STRING, INTEGER, NUMBER = 3, 4, 10
SUBCOMMAND, GROUP = 1, 2


def valid_name(name):
    """Discord: ^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$, lowercase where the letter has a lowercase."""
    return (
        1 <= len(name) <= 32
        and all(c in "-_" or unicodedata.category(c)[0] in "LN" for c in name)
        and name == name.lower()
    )


def walk_options(options, path):
    for option in options or []:
        yield f"{path} {option['name']}", option
        if option["type"] in (SUBCOMMAND, GROUP):
            yield from walk_options(option.get("options"), f"{path} {option['name']}")


@pytest.fixture
def bot_settings(settings: Settings, guild) -> Settings:
    """The bot of these tests moderates the test guild, so /kb is synced there too."""
    return replace(settings, ask_cooldown_seconds=0.0, moderator_guild_ids=(int(guild["id"]),))


@pytest.fixture
def synced(fake, bot, guild):
    """Every command the bot synced: the global ones, then those of the moderator guild."""
    commands = fake.synced_commands()
    assert commands, "the bot synced no global commands"
    in_guild = fake.synced_commands(guild["id"])
    assert in_guild, "the bot synced no /kb to its moderator guild"
    return commands + in_guild


def test_the_reader_commands_are_synced_globally(fake, bot, guild):
    synced = fake.synced_commands()
    names = [c["name"] for c in synced]
    assert set(names) >= READER_COMMANDS
    assert len(names) == len(set(names))
    assert len(synced) <= 100
    # no DEV_GUILD_ID: the guild gets only what is its own
    assert [c["name"] for c in fake.synced_commands(guild["id"])] == ["kb"]


def test_the_reader_commands_suggest_the_storys_own_words(synced):
    """The examples in the commands' descriptions come from data/about.json."""
    described = {c["name"]: c for c in synced}
    options = {(c, o["name"]): o["description"] for c in ("ask", "fact", "who") for o in described[c]["options"]}
    assert options["ask", "question"] == "Your question, e.g. how many times was the soldier shot?"
    assert options["fact", "topic"] == "A topic such as injuries or rescue"
    assert options["who", "name"] == "A name, e.g. Lee Cook-jong"
    assert described["explain"]["description"] == "Explain a term: DMZ, Joint Security Area, armistice..."


def test_every_command_keeps_discords_rules(synced):
    """The fake refuses a command that breaks a rule; this says which, should one ever slip through."""
    for command in synced:
        assert command_errors(command) == {}, command["name"]


def test_kb_revert_takes_any_revision_discord_can_send(synced):
    (kb,) = [c for c in synced if c["name"] == "kb"]
    (revert,) = [o for o in kb["options"] if o["name"] == "revert"]
    (revision,) = revert["options"]
    assert (revision["type"], revision["min_value"], revision["max_value"]) == (INTEGER, 1, MAX_INTEGER)


def test_names_and_descriptions(synced):
    for command in synced:
        assert command["type"] == 1
        assert valid_name(command["name"]), command["name"]
        assert 1 <= len(command["description"]) <= 100, command["name"]
        assert len(command.get("options") or []) <= 25, command["name"]
        for path, option in walk_options(command.get("options"), f"/{command['name']}"):
            assert valid_name(option["name"]), path
            assert 1 <= len(option["description"]) <= 100, path
            assert len(option.get("options") or []) <= 25, path
            assert len(option.get("choices") or []) <= 25, path
            assert not (option.get("choices") and option.get("autocomplete")), path
            for choice in option.get("choices") or []:
                assert 1 <= len(choice["name"]) <= 100, path


def test_options_are_bounded(synced):
    """Free text has a length limit and numbers a range (an option with choices is bounded by them)."""
    for command in synced:
        for path, option in walk_options(command.get("options"), f"/{command['name']}"):
            if option["type"] == STRING and not option.get("choices"):
                assert 1 <= option.get("max_length", 0) <= 6000, f"{path} has no max_length"
                assert option.get("min_length", 0) <= option["max_length"], path
            if option["type"] in (INTEGER, NUMBER):
                assert "min_value" in option and "max_value" in option, f"{path} is unbounded"
                assert -MAX_INTEGER <= option["min_value"] <= option["max_value"] <= MAX_INTEGER, path


def test_required_options_come_first(synced):
    """Discord refuses a command with a required option after an optional one (at each level)."""

    def check(options, path):
        plain = [o for o in options or [] if o["type"] not in (SUBCOMMAND, GROUP)]
        flags = [bool(o.get("required")) for o in plain]
        assert flags == sorted(flags, reverse=True), f"{path}: a required option after an optional one"
        for o in options or []:
            if o["type"] in (SUBCOMMAND, GROUP):
                check(o.get("options"), f"{path} {o['name']}")

    for command in synced:
        check(command.get("options"), f"/{command['name']}")


def test_reader_commands_work_everywhere(synced):
    for command in synced:
        if command["name"] in READER_COMMANDS:
            assert sorted(command["integration_types"]) == [0, 1], command["name"]
            assert sorted(command["contexts"]) == [0, 1, 2], command["name"]
            assert command.get("default_member_permissions") is None, command["name"]
            assert not command.get("nsfw"), command["name"]


@pytest.mark.parametrize(
    ("command", "option", "max_length"),
    [
        ("ask", "question", 600),
        ("search", "query", 100),
        ("who", "name", 100),
        ("explain", "term", 100),
        ("fact", "topic", 100),
        ("fact", "id", 100),
        ("quote", "speaker", 100),
    ],
)
def test_text_limits_match_what_the_bot_accepts(synced, command, option, max_length):
    (found,) = [o for c in synced if c["name"] == command for o in c.get("options", []) if o["name"] == option]
    assert found["max_length"] == max_length and found["min_length"] == 1


def test_autocomplete_options(synced):
    completing = {
        (c["name"], o["name"])
        for c in synced
        if c["name"] in READER_COMMANDS
        for o in c.get("options", [])
        if o.get("autocomplete")
    }
    assert completing == {("fact", "topic"), ("quote", "speaker"), ("who", "name"), ("explain", "term")}


def test_numbers_are_bounded(synced):
    pages = {
        (c["name"], o["name"]): (o["min_value"], o["max_value"])
        for c in synced
        for o in c.get("options", [])
        if o["type"] == INTEGER
    }
    assert pages[("timeline", "page")][0] == 1
    assert pages[("search", "page")][0] == 1
    assert pages[("source", "paragraph")][0] == 1


def test_sync_is_one_bulk_overwrite_per_scope(fake, bot, guild):
    puts = [r for r in fake.requests if r.method == "PUT" and "/commands" in r.path]
    assert [(r.route, r.status) for r in puts] == [
        ("PUT /applications/{application_id}/commands", 200),
        ("PUT /applications/{application_id}/guilds/{guild_id}/commands", 200),
    ]
    assert puts[1].params["guild_id"] == guild["id"]
    assert not fake.unknown_requests


async def test_dev_guild_gets_the_commands_at_once(fake, settings, guild):
    app = await open_app(replace(settings, dev_guild_id=int(guild["id"]), ask_cooldown_seconds=0))
    try:
        async with running_bot(app):
            in_guild = fake.synced_commands(guild["id"])
            assert {c["name"] for c in in_guild} == {c["name"] for c in fake.synced_commands()}
            assert {c["name"] for c in in_guild} >= READER_COMMANDS
    finally:
        await app.close()
