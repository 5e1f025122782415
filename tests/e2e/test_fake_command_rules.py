"""The fake Discord refuses an application command that breaks one of Discord's documented rules, on every
command endpoint (global and guild; bulk PUT, POST and PATCH), with Discord's 400 shape, and keeps what it had."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from tests.e2e.conftest import TOKEN
from tests.fake_discord import FakeDiscord, payloads
from tests.fake_discord.command_rules import MAX_INTEGER, MAX_NUMBER

SUB_COMMAND, GROUP, STRING, INTEGER, BOOLEAN, NUMBER = 1, 2, 3, 4, 5, 10


def valid_command() -> dict[str, Any]:
    return {
        "name": "story",
        "type": 1,
        "description": "Ask about the story",
        "options": [
            {
                "type": INTEGER,
                "name": "page",
                "description": "Which page",
                "required": True,
                "min_value": 1,
                "max_value": MAX_INTEGER,
            },
            {
                "type": STRING,
                "name": "topic",
                "description": "A topic",
                "min_length": 1,
                "max_length": 100,
                "choices": [{"name": "Shooting", "value": "shooting"}, {"name": "Rescue", "value": "rescue"}],
            },
            {"type": NUMBER, "name": "weight", "description": "A weight", "min_value": -MAX_NUMBER, "max_value": 0.5},
            {"type": STRING, "name": "who", "description": "A person", "max_length": 6000, "autocomplete": True},
        ],
    }


def grouped_command() -> dict[str, Any]:
    return {
        "name": "kb",
        "description": "Edit the store",
        "options": [
            {
                "type": GROUP,
                "name": "entries",
                "description": "Entries",
                "options": [
                    {
                        "type": SUB_COMMAND,
                        "name": "add",
                        "description": "Add one",
                        "options": [{"type": STRING, "name": "kind", "description": "Its kind", "required": True}],
                    }
                ],
            },
            {"type": SUB_COMMAND, "name": "log", "description": "Recent changes"},
        ],
    }


def big_command() -> dict[str, Any]:
    """Every option and choice within its own limits, the whole over 8000 characters (2 x 25 x 200 = 10,000)."""
    choices = [{"name": f"{i:02d}" + "n" * 98, "value": f"{i:02d}" + "v" * 98} for i in range(25)]
    return {
        "name": "big",
        "description": "Too big",
        "options": [
            {"type": STRING, "name": f"o{j}", "description": "An option", "choices": copy.deepcopy(choices)}
            for j in range(2)
        ],
    }


Mutation = Callable[[dict[str, Any]], Any]


def option(index: int, **changes: Any) -> Mutation:
    def mutate(cmd: dict[str, Any]) -> None:
        cmd["options"][index].update(changes)

    return mutate


def command(**changes: Any) -> Mutation:
    return lambda cmd: cmd.update(changes)


def choice(index: int, **changes: Any) -> Mutation:
    return lambda cmd: cmd["options"][1]["choices"][index].update(changes)


def too_many_options(cmd: dict[str, Any]) -> None:
    cmd["options"] += [{"type": BOOLEAN, "name": f"flag{i}", "description": "A flag"} for i in range(22)]


def required_after_optional(cmd: dict[str, Any]) -> None:
    cmd["options"].append({"type": BOOLEAN, "name": "late", "description": "Required, too late", "required": True})


def duplicate_option(cmd: dict[str, Any]) -> None:
    cmd["options"][1]["name"] = "page"


def too_many_choices(cmd: dict[str, Any]) -> None:
    cmd["options"][1]["choices"] = [{"name": f"c{i}", "value": f"c{i}"} for i in range(26)]


def group_holding(kind: int) -> Mutation:
    def mutate(cmd: dict[str, Any]) -> None:
        cmd["options"][0]["options"][0] = {"type": kind, "name": "inner", "description": "Nested", "options": []}

    return mutate


def subcommand_holding(kind: int) -> Mutation:
    def mutate(cmd: dict[str, Any]) -> None:
        cmd["options"][1]["options"] = [{"type": kind, "name": "inner", "description": "Nested"}]

    return mutate


def mixed_level(cmd: dict[str, Any]) -> None:
    cmd["options"].append({"type": STRING, "name": "loose", "description": "Next to sub-commands"})


def localized_beyond_size(cmd: dict[str, Any]) -> None:
    """Under 8000 by default, over it at the longest localization (which is what Discord counts)."""
    for o in cmd["options"]:
        o["choices"] = o["choices"][:19]  # 2 x 19 x 200 = 7,600
        for c in o["choices"]:
            c["name_localizations"] = {"fr": c["name"][:2] + "é" * 98, "de": c["name"][:2] + "ß" * 60}
    cmd["description_localizations"] = {"fr": "d" * 100}
    cmd["options"][0]["description_localizations"] = {"fr": "d" * 100}
    cmd["options"][1]["description_localizations"] = {"fr": "d" * 100}
    cmd["options"].append({"type": STRING, "name": "o2", "description": "x" * 100, "max_length": 10})
    cmd["options"][2]["description_localizations"] = {"fr": "d" * 100}


# (what breaks, the command it starts from, the change, where Discord reports it, its code)
BROKEN: list[tuple[str, Callable[[], dict[str, Any]], Mutation, tuple[str, ...], str]] = [
    ("name of 33", valid_command, command(name="s" * 33), ("name",), "BASE_TYPE_BAD_LENGTH"),
    ("name with a capital", valid_command, command(name="Story"), ("name",), "APPLICATION_COMMAND_INVALID_NAME"),
    ("name with a space", valid_command, command(name="the story"), ("name",), "APPLICATION_COMMAND_INVALID_NAME"),
    ("name with punctuation", valid_command, command(name="story!"), ("name",), "APPLICATION_COMMAND_INVALID_NAME"),
    ("name with an apostrophe", valid_command, command(name="it's"), ("name",), "APPLICATION_COMMAND_INVALID_NAME"),
    ("no name", valid_command, command(name=None), ("name",), "BASE_TYPE_REQUIRED"),
    (
        "localized name with a capital",
        valid_command,
        command(name_localizations={"fr": "Histoire"}),
        ("name_localizations", "fr"),
        "APPLICATION_COMMAND_INVALID_NAME",
    ),
    ("no description", valid_command, command(description=None), ("description",), "BASE_TYPE_REQUIRED"),
    ("description of 101", valid_command, command(description="d" * 101), ("description",), "BASE_TYPE_BAD_LENGTH"),
    (
        "option without description",
        valid_command,
        option(0, description=""),
        ("options", "0", "description"),
        "BASE_TYPE_REQUIRED",
    ),
    (
        "option name with a capital",
        valid_command,
        option(0, name="Page"),
        ("options", "0", "name"),
        "APPLICATION_COMMAND_INVALID_NAME",
    ),
    ("26 options", valid_command, too_many_options, ("options",), "BASE_TYPE_MAX_LENGTH"),
    (
        "required after optional",
        valid_command,
        required_after_optional,
        ("options",),
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
    ),
    (
        "two options named alike",
        valid_command,
        duplicate_option,
        ("options", "1", "name"),
        "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
    ),
    ("26 choices", valid_command, too_many_choices, ("options", "1", "choices"), "BASE_TYPE_MAX_LENGTH"),
    (
        "empty choice name",
        valid_command,
        choice(0, name=""),
        ("options", "1", "choices", "0", "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "choice name of 101",
        valid_command,
        choice(1, name="n" * 101),
        ("options", "1", "choices", "1", "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "number as a string choice",
        valid_command,
        choice(0, value=3),
        ("options", "1", "choices", "0", "value"),
        "STRING_TYPE_CONVERT",
    ),
    (
        "string choice of 101",
        valid_command,
        choice(0, value="v" * 101),
        ("options", "1", "choices", "0", "value"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "fraction as an integer choice",
        valid_command,
        option(0, choices=[{"name": "half", "value": 1.5}]),
        ("options", "0", "choices", "0", "value"),
        "NUMBER_TYPE_COERCE",
    ),
    (
        "integer choice beyond 2^53-1",
        valid_command,
        option(0, choices=[{"name": "huge", "value": 2**53}]),
        ("options", "0", "choices", "0", "value"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "choices with autocomplete",
        valid_command,
        option(1, autocomplete=True),
        ("options", "1", "autocomplete"),
        "APPLICATION_COMMAND_AUTOCOMPLETE_AND_CHOICES",
    ),
    (
        "choices on a boolean",
        valid_command,
        option(0, type=BOOLEAN, min_value=None, max_value=None, choices=[{"name": "yes", "value": True}]),
        ("options", "0", "choices"),
        "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
    ),
    # the /kb revert bug: Discord's integers stop at 2^53-1
    (
        "integer max_value 2^53",
        valid_command,
        option(0, max_value=2**53),
        ("options", "0", "max_value"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "integer min_value -2^53",
        valid_command,
        option(0, min_value=-(2**53)),
        ("options", "0", "min_value"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "fractional integer bound",
        valid_command,
        option(0, min_value=0.5),
        ("options", "0", "min_value"),
        "NUMBER_TYPE_COERCE",
    ),
    (
        "number max_value over 2^53",
        valid_command,
        option(2, max_value=2**53 + 2),
        ("options", "2", "max_value"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "min_value over max_value",
        valid_command,
        option(0, min_value=10, max_value=9),
        ("options", "0", "min_value"),
        "APPLICATION_COMMAND_OPTION_RANGE_INVALID",
    ),
    (
        "min_value on a string",
        valid_command,
        option(3, min_value=1),
        ("options", "3", "min_value"),
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    ),
    (
        "max_length of 6001",
        valid_command,
        option(3, max_length=6001),
        ("options", "3", "max_length"),
        "NUMBER_TYPE_MAX",
    ),
    ("max_length of 0", valid_command, option(3, max_length=0), ("options", "3", "max_length"), "NUMBER_TYPE_MIN"),
    ("negative min_length", valid_command, option(3, min_length=-1), ("options", "3", "min_length"), "NUMBER_TYPE_MIN"),
    (
        "min_length over max_length",
        valid_command,
        option(3, min_length=50, max_length=10),
        ("options", "3", "min_length"),
        "APPLICATION_COMMAND_OPTION_RANGE_INVALID",
    ),
    (
        "max_length on an integer",
        valid_command,
        option(0, max_length=10),
        ("options", "0", "max_length"),
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    ),
    (
        "a string in a group",
        grouped_command,
        group_holding(STRING),
        ("options", "0", "options", "0", "type"),
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    ),
    (
        "a group in a group",
        grouped_command,
        group_holding(GROUP),
        ("options", "0", "options", "0", "type"),
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    ),
    (
        "a sub-command in a sub-command",
        grouped_command,
        subcommand_holding(SUB_COMMAND),
        ("options", "1", "options", "0", "type"),
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    ),
    (
        "sub-commands next to a plain option",
        grouped_command,
        mixed_level,
        ("options",),
        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
    ),
    ("over 8000 characters", big_command, lambda c: None, (), "APPLICATION_COMMAND_TOO_LARGE"),
    ("over 8000 when localized", big_command, localized_beyond_size, (), "APPLICATION_COMMAND_TOO_LARGE"),
]


def broken(start: Callable[[], dict[str, Any]], mutate: Mutation) -> dict[str, Any]:
    cmd = start()
    mutate(cmd)
    return cmd


def errors_at(body: dict[str, Any], path: tuple[str, ...]) -> list[dict[str, str]]:
    """Discord's error shape, and the ``_errors`` list at ``path`` inside its ``errors``."""
    assert body["code"] == 50035 and body["message"] == "Invalid Form Body", body
    node = body["errors"]
    for key in path:
        assert key in node, f"no error at {path}: {body['errors']}"
        node = node[key]
    assert node["_errors"], node
    for e in node["_errors"]:
        assert set(e) == {"code", "message"} and e["message"], e
    return node["_errors"]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(guilds=[payloads.guild_create(name="g")], patch=False) as server:
        yield server


@pytest.fixture
async def http(fake: FakeDiscord) -> AsyncIterator[Any]:
    """``await http(method, path, body) -> (status, json)`` against the fake, as the bot."""
    async with aiohttp.ClientSession(headers={"Authorization": f"Bot {TOKEN}"}) as session:

        async def call(method: str, path: str, body: Any = None) -> tuple[int, Any]:
            async with session.request(method, fake.api_base + path, json=body) as response:
                return response.status, await response.json() if response.status != 204 else None

        yield call


def scopes(fake: FakeDiscord) -> list[tuple[str, int | None]]:
    app = f"/applications/{fake.application_id}"
    guild_id = next(iter(fake.guilds))
    return [(f"{app}/commands", None), (f"{app}/guilds/{guild_id}/commands", guild_id)]


async def test_valid_commands_are_accepted_everywhere(fake, http):
    devanagari_thai = {"name": "कहानी-เรื่อง", "description": "Names in Devanagari and Thai, with their vowel signs"}
    for base, scope in scopes(fake):
        commands = [valid_command(), grouped_command(), devanagari_thai, {"name": "Show Source", "type": 3}]
        status, body = await http("PUT", base, commands)
        assert status == 200, body
        assert [c["name"] for c in fake.synced_commands(scope)] == [c["name"] for c in commands]
        status, body = await http("POST", base, valid_command())
        assert status == 200, body
        status, body = await http("PATCH", f"{base}/{body['id']}", {"description": "Still valid"})
        assert status == 200 and body["description"] == "Still valid", body


@pytest.mark.parametrize(("start", "mutate", "path", "code"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
async def test_a_broken_command_is_refused_everywhere(fake, http, start, mutate, path, code):
    bad = broken(start, mutate)
    for base, scope in scopes(fake):
        good = start() if start is not big_command else valid_command()
        status, stored = await http("PUT", base, [good])
        assert status == 200, stored
        before = fake.synced_commands(scope)

        status, body = await http("PUT", base, [good, bad])
        assert status == 400, (base, "PUT", body)
        assert code in {e["code"] for e in errors_at(body, ("1", *path))}, body
        assert "0" not in body["errors"], body  # the good command is not blamed

        status, body = await http("POST", base, bad)
        assert status == 400, (base, "POST", body)
        assert code in {e["code"] for e in errors_at(body, path)}, body

        status, body = await http("PATCH", f"{base}/{stored[0]['id']}", bad)
        assert status == 400, (base, "PATCH", body)
        assert code in {e["code"] for e in errors_at(body, path)}, body

        assert fake.synced_commands(scope) == before, "a refused request changed the commands"


async def test_bulk_rules(fake, http):
    for base, _ in scopes(fake):
        status, body = await http("PUT", base, [valid_command(), valid_command()])
        assert status == 400
        assert errors_at(body, ("1", "name"))[0]["code"] == "APPLICATION_COMMANDS_DUPLICATE_NAME"

        many = [dict(valid_command(), name=f"c{i}") for i in range(101)]
        status, body = await http("PUT", base, many)
        assert status == 400 and errors_at(body, ())[0]["code"] == "BASE_TYPE_MAX_LENGTH"

        status, body = await http("PUT", base, {"name": "story"})
        assert status == 400 and errors_at(body, ())[0]["code"] == "LIST_TYPE_CONVERT"

        # a chat command and a message command may share a name
        status, body = await http("PUT", base, [valid_command(), {"name": "story", "type": 3}])
        assert status == 200, body


async def test_a_refused_edit_changes_nothing(fake, http):
    base, scope = scopes(fake)[0]
    status, created = await http("POST", base, valid_command())
    assert status == 201
    status, body = await http("PATCH", f"{base}/{created['id']}", {"name": "Story"})
    assert status == 400 and errors_at(body, ("name",))
    assert [c["name"] for c in fake.synced_commands(scope)] == ["story"]
