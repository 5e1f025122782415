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


def case(what: str, mutate: Mutation, path: str, code: str, start: Callable[[], dict[str, Any]] = valid_command) -> Any:
    """A command that breaks one rule: what breaks, how (a change to ``start``), where Discord reports it (a
    dotted path inside ``errors``, "" for the command itself) and with which code."""
    return pytest.param(start, mutate, tuple(path.split(".")) if path else (), code, id=what)


INVALID_NAME, TYPE_INVALID = "APPLICATION_COMMAND_INVALID_NAME", "APPLICATION_COMMAND_OPTION_TYPE_INVALID"
RANGE_INVALID, TOO_LARGE = "APPLICATION_COMMAND_OPTION_RANGE_INVALID", "APPLICATION_COMMAND_TOO_LARGE"
BROKEN = [
    case("name of 33", command(name="s" * 33), "name", "BASE_TYPE_BAD_LENGTH"),
    case("name with a capital", command(name="Story"), "name", INVALID_NAME),
    case("name with a space", command(name="the story"), "name", INVALID_NAME),
    case("name with punctuation", command(name="story!"), "name", INVALID_NAME),
    case("name with an apostrophe", command(name="it's"), "name", INVALID_NAME),
    case("no name", command(name=None), "name", "BASE_TYPE_REQUIRED"),
    case(
        "localized name with a capital",
        command(name_localizations={"fr": "Histoire"}),
        "name_localizations.fr",
        INVALID_NAME,
    ),
    case("no description", command(description=None), "description", "BASE_TYPE_REQUIRED"),
    case("description of 101", command(description="d" * 101), "description", "BASE_TYPE_BAD_LENGTH"),
    case("option without description", option(0, description=""), "options.0.description", "BASE_TYPE_REQUIRED"),
    case("option name with a capital", option(0, name="Page"), "options.0.name", INVALID_NAME),
    case("26 options", too_many_options, "options", "BASE_TYPE_MAX_LENGTH"),
    case("required after optional", required_after_optional, "options", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"),
    case(
        "two options named alike", duplicate_option, "options.1.name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS"
    ),
    case("26 choices", too_many_choices, "options.1.choices", "BASE_TYPE_MAX_LENGTH"),
    case("empty choice name", choice(0, name=""), "options.1.choices.0.name", "BASE_TYPE_BAD_LENGTH"),
    case("choice name of 101", choice(1, name="n" * 101), "options.1.choices.1.name", "BASE_TYPE_BAD_LENGTH"),
    case("number as a string choice", choice(0, value=3), "options.1.choices.0.value", "STRING_TYPE_CONVERT"),
    case("string choice of 101", choice(0, value="v" * 101), "options.1.choices.0.value", "BASE_TYPE_MAX_LENGTH"),
    case(
        "fraction as an integer choice",
        option(0, choices=[{"name": "half", "value": 1.5}]),
        "options.0.choices.0.value",
        "NUMBER_TYPE_COERCE",
    ),
    case(
        "integer choice beyond 2^53-1",
        option(0, choices=[{"name": "huge", "value": 2**53}]),
        "options.0.choices.0.value",
        "NUMBER_TYPE_MAX",
    ),
    case(
        "choices with autocomplete",
        option(1, autocomplete=True),
        "options.1.autocomplete",
        "APPLICATION_COMMAND_AUTOCOMPLETE_AND_CHOICES",
    ),
    case(
        "choices on a boolean",
        option(0, type=BOOLEAN, min_value=None, max_value=None, choices=[{"name": "yes", "value": True}]),
        "options.0.choices",
        "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
    ),
    # the /kb revert bug: Discord's integers stop at 2^53-1
    case("integer max_value 2^53", option(0, max_value=2**53), "options.0.max_value", "NUMBER_TYPE_MAX"),
    case("integer min_value -2^53", option(0, min_value=-(2**53)), "options.0.min_value", "NUMBER_TYPE_MIN"),
    case("fractional integer bound", option(0, min_value=0.5), "options.0.min_value", "NUMBER_TYPE_COERCE"),
    case("number max_value over 2^53", option(2, max_value=2**53 + 2), "options.2.max_value", "NUMBER_TYPE_MAX"),
    case("min_value over max_value", option(0, min_value=10, max_value=9), "options.0.min_value", RANGE_INVALID),
    case("min_value on a string", option(3, min_value=1), "options.3.min_value", TYPE_INVALID),
    case("max_length of 6001", option(3, max_length=6001), "options.3.max_length", "NUMBER_TYPE_MAX"),
    case("max_length of 0", option(3, max_length=0), "options.3.max_length", "NUMBER_TYPE_MIN"),
    case("negative min_length", option(3, min_length=-1), "options.3.min_length", "NUMBER_TYPE_MIN"),
    case("min_length over max_length", option(3, min_length=50, max_length=10), "options.3.min_length", RANGE_INVALID),
    case("max_length on an integer", option(0, max_length=10), "options.0.max_length", TYPE_INVALID),
    case("a string in a group", group_holding(STRING), "options.0.options.0.type", TYPE_INVALID, grouped_command),
    case("a group in a group", group_holding(GROUP), "options.0.options.0.type", TYPE_INVALID, grouped_command),
    case(
        "a sub-command in a sub-command",
        subcommand_holding(SUB_COMMAND),
        "options.1.options.0.type",
        TYPE_INVALID,
        grouped_command,
    ),
    case(
        "sub-commands next to a plain option",
        mixed_level,
        "options",
        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
        grouped_command,
    ),
    case("over 8000 characters", lambda c: None, "", TOO_LARGE, big_command),
    case("over 8000 when localized", localized_beyond_size, "", TOO_LARGE, big_command),
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


@pytest.mark.parametrize(("start", "mutate", "path", "code"), BROKEN)
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
