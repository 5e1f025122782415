"""Only moderators change data: every /kb command, button and form refuses anyone else, privately, logs
the attempt, and leaves the database byte for byte as it was."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from bot.app import open_app
from bot.discord_app.moderation import REFUSAL
from bot.models import Actor
from tests.e2e.conftest import EPHEMERAL, running_bot
from tests.e2e.kb_harness import (
    KB,
    MOD_ROLE,
    buttons,
    form_id,
    kb_actor,
    kb_client,  # noqa: F401  (the `kb` fixture; this file's `guild` is below)
    kb_settings,
    moderator_guild,
    private,
)
from tests.fake_discord import FakeDiscord, Record, payloads

# The `kb` client and the helpers are tests/e2e/kb_harness.py (shared by every test_kb_* file); this file's
# moderator guild also has a role that is not the moderator role.

OTHER_ROLE = 1500000000000000888
MANAGE_MESSAGES = 1 << 13


@pytest.fixture
def guild() -> dict[str, Any]:
    return moderator_guild(payloads.role(OTHER_ROLE, "Regulars"))


# ---- the database, byte for byte ---------------------------------------------------------------------


def database_state(path: Path) -> tuple[bytes, list[str]]:
    """The database file's bytes (after moving the WAL into it) and a full SQL dump, read through a fresh
    connection of our own."""
    con = sqlite3.connect(path, timeout=10)
    try:
        busy, _, _ = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0, "the checkpoint could not finish"
        dump = list(con.iterdump())
    finally:
        con.close()
    return path.read_bytes(), dump


def refused(record: Record, what: str) -> None:
    """A private refusal and nothing else: no modal, no embed, no buttons, no file."""
    assert record.ok, (what, record)
    assert record.json["type"] == 4, (what, record.json)
    data = record.json["data"]
    assert data["content"] == REFUSAL, (what, data)
    assert data["flags"] & EPHEMERAL, what
    assert not data.get("embeds") and not data.get("components") and not data.get("attachments"), (what, data)
    assert record.files == [], what


def refusals_logged(caplog: pytest.LogCaptureFixture, user: dict[str, Any]) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "bot.discord_app.moderation"
        and r.levelno == logging.WARNING
        and r.getMessage().startswith("refused ")
        and f"for user {user['id']}" in r.getMessage()
    ]


@dataclass
class ModeratorScene:
    """Things a moderator opened, whose ids an outsider copies."""

    add_form: str
    edit_form: str
    remove_message: dict[str, Any]
    import_message: dict[str, Any]
    history_message: dict[str, Any]


async def moderator_scene(kb: KB) -> ModeratorScene:
    actor = kb_actor(kb)
    values = dict((await kb.app.moderation.edit_form("term", "dmz")).form)
    for version in range(1, 7):  # enough revisions for two pages of history
        await kb.app.moderation.edit("term", "dmz", dict(values, text=f"DMZ text {version}."), version, actor)

    add_form = form_id(await kb.slash("kb add", {"kind": "fact"}))
    edit_form = form_id(await kb.slash("kb edit", {"kind": "fact", "id": "shot-five-times"}))

    record = await kb.slash("kb remove", {"kind": "fact", "id": "shot-five-times"})
    remove_message = kb.message_of(record)
    assert buttons(remove_message) == {"Remove": "kb:rm:fact:shot-five-times:1", "Cancel": "kb:cancel:remove"}

    document = json.loads(await kb.app.moderation.export_bytes())
    document["facts"].append({"id": "outsider-fact", "topic": "x", "text": "Imported.", "paragraphs": [3]})
    first, followup = await kb.upload(json.dumps(document).encode())
    assert followup is not None
    import_message = kb.message_of(first)
    assert set(buttons(import_message)) == {"Confirm import", "Cancel"}

    record = await kb.slash("kb history", {"kind": "term", "id": "dmz"})
    history_message = kb.message_of(record)
    assert "Next" in buttons(history_message)
    return ModeratorScene(add_form, edit_form, remove_message, import_message, history_message)


FACT_FORM = {"topic": "hijack", "text": "An outsider's fact.", "keywords": "", "citations": "3"}


# ---- /kb is offered only where it belongs ------------------------------------------------------------------


async def test_kb_is_synced_only_to_moderator_guilds_for_message_managers(kb):
    guild_commands = {c["name"]: c for c in kb.fake.synced_commands(kb.guild["id"])}
    assert set(guild_commands) == {"kb"}
    command = guild_commands["kb"]
    assert str(command["default_member_permissions"]) == str(MANAGE_MESSAGES) == "8192"
    assert command["dm_permission"] is False
    # Discord uses `contexts` only for global commands; a guild command is guild-only by nature.
    assert command.get("contexts") in (None, [0])
    assert {o["name"] for o in command["options"]} == {
        "add",
        "edit",
        "remove",
        "restore",
        "history",
        "revert",
        "log",
        "export",
        "import",
        "inbox",
        "teach",
        "words",
    }
    assert "kb" not in {c["name"] for c in kb.fake.synced_commands()}


async def test_no_moderator_guild_means_no_kb_anywhere(fake, settings, guild):
    app = await open_app(replace(settings, moderator_user_ids=frozenset({1})))
    try:
        async with running_bot(app):
            assert "kb" not in {c["name"] for c in fake.synced_commands()}
            assert fake.synced_commands(guild["id"]) == []
    finally:
        await app.close()


def command_names(fake: FakeDiscord, guild_id: Any = None) -> set[str]:
    return {c["name"] for c in fake.synced_commands(guild_id)}


async def test_kb_goes_to_each_moderator_guild_and_not_to_the_development_guild(settings, guild):
    second = payloads.guild_create(name="Second Moderator Guild")
    dev = payloads.guild_create(name="Dev Guild")
    async with FakeDiscord(guilds=[guild, second, dev]) as fake:
        app = await open_app(
            replace(settings, dev_guild_id=int(dev["id"]), moderator_guild_ids=(int(guild["id"]), int(second["id"])))
        )
        try:
            async with running_bot(app):
                assert command_names(fake, guild["id"]) == command_names(fake, second["id"]) == {"kb"}
                assert "ask" in command_names(fake, dev["id"]) and "kb" not in command_names(fake, dev["id"])
                assert "kb" not in command_names(fake)
        finally:
            await app.close()


async def test_a_development_guild_that_is_also_a_moderator_guild_gets_both(settings, guild):
    async with FakeDiscord(guilds=[guild]) as fake:
        app = await open_app(replace(settings, dev_guild_id=int(guild["id"]), moderator_guild_ids=(int(guild["id"]),)))
        try:
            async with running_bot(app):
                assert {"kb", "ask", "timeline"} <= command_names(fake, guild["id"])
                assert "kb" not in command_names(fake)
        finally:
            await app.close()


# ---- an outsider in the moderator guild -------------------------------------------------------------------


async def test_every_kb_command_refuses_a_non_moderator(kb, caplog):
    await moderator_scene(kb)
    before = database_state(kb.app.store.path)
    outsider = payloads.user(name="outsider")
    caplog.set_level(logging.INFO)
    commands = [
        ("kb add", {"kind": "fact"}),
        ("kb edit", {"kind": "fact", "id": "shot-five-times"}),
        ("kb remove", {"kind": "fact", "id": "shot-five-times"}),
        ("kb restore", {"kind": "fact", "id": "shot-five-times"}),
        ("kb history", {"kind": "term", "id": "dmz"}),
        ("kb revert", {"revision": 1}),
        ("kb log", {}),
        ("kb export", {}),
    ]
    for name, options in commands:
        refused(await kb.slash(name, options, user=outsider, roles=(OTHER_ROLE,)), name)
    # the import is refused before the file is even looked at (no "thinking" defer, no followup)
    first, followup = await kb.upload(b'{"facts": []}', user=outsider, roles=(OTHER_ROLE,))
    refused(first, "kb import")
    assert followup is None

    assert database_state(kb.app.store.path) == before
    logged = refusals_logged(caplog, outsider)
    assert len(logged) == len(commands) + 1, logged
    for (name, _), message in zip([*commands, ("kb import", {})], logged, strict=True):
        assert message == f"refused /{name} for user {outsider['id']} in guild {kb.guild['id']}"


async def test_every_kb_button_refuses_a_non_moderator(kb, caplog):
    scene = await moderator_scene(kb)
    before = database_state(kb.app.store.path)
    outsider = payloads.user(name="outsider")
    caplog.set_level(logging.WARNING, logger="bot.discord_app.moderation")
    import_buttons = buttons(scene.import_message)
    presses = [
        ("kb:rm:fact:shot-five-times:1", scene.remove_message),
        ("kb:cancel:remove", scene.remove_message),
        (import_buttons["Confirm import"], scene.import_message),
        (import_buttons["Cancel"], scene.import_message),
        (buttons(scene.history_message)["Next"], scene.history_message),
        # the same buttons made up from nothing (persistent custom ids work without the message)
        ("kb:rm:fact:shot-five-times:1", None),
        (import_buttons["Confirm import"], None),
    ]
    for custom_id, message in presses:
        refused(await kb.press(custom_id, message, user=outsider), custom_id)

    assert database_state(kb.app.store.path) == before
    logged = refusals_logged(caplog, outsider)
    assert len(logged) == len(presses), logged
    assert all(m.endswith(f"for user {outsider['id']} in guild {kb.guild['id']}") for m in logged)
    assert any("kb remove button kb:rm:fact:shot-five-times:1" in m for m in logged)
    assert any("kb import button kb:imp:ok:" in m for m in logged)
    assert any("kb pager" in m for m in logged)

    # the refused presses used nothing up: the moderator's own buttons still work
    confirmed = await kb.press(import_buttons["Confirm import"], scene.import_message)
    assert confirmed.json["type"] == 7
    await kb.fake.wait_for(
        lambda r: (
            r.method == "PATCH"
            and r.path.endswith("/messages/@original")
            and r.params.get("token") == kb.fake.interaction(confirmed.params["interaction_id"]).token
        )
    )
    assert (await kb.app.store.get("outsider-fact")).text == "Imported."
    removed = await kb.edit_of(await kb.press("kb:rm:fact:shot-five-times:1", scene.remove_message))
    assert removed.json["embeds"][0]["title"] == "Removed fact `shot-five-times`"


async def test_moderator_forms_refuse_a_non_moderator(kb, caplog):
    scene = await moderator_scene(kb)
    before = database_state(kb.app.store.path)
    outsider = payloads.user(name="outsider")
    caplog.set_level(logging.WARNING, logger="bot.discord_app.moderation")
    edit_values = {**FACT_FORM, "topic": "shooting", "text": "Rewritten by an outsider."}
    refused(await kb.submit(scene.add_form, FACT_FORM, user=outsider), "add form")
    refused(await kb.submit(scene.edit_form, edit_values, user=outsider), "edit form")

    assert database_state(kb.app.store.path) == before
    logged = refusals_logged(caplog, outsider)
    assert [m.split(" for user ")[0] for m in logged] == [
        f"refused kb form {scene.add_form}",
        f"refused kb form {scene.edit_form}",
    ]
    # the moderator's forms are still open and still theirs
    saved = await kb.submit(scene.edit_form, {**edit_values, "text": "Five shots, says the moderator."})
    assert private(saved)["embeds"][0]["title"] == "Saved fact `shot-five-times` (version 2)"
    assert (await kb.app.store.get("shot-five-times")).text == "Five shots, says the moderator."
    assert database_state(kb.app.store.path) != before  # the comparison does see a change


async def test_a_role_that_is_not_the_moderator_role_is_refused(kb):
    before = database_state(kb.app.store.path)
    someone = payloads.user(name="regular")
    refused(await kb.slash("kb log", user=someone, roles=(OTHER_ROLE,)), "kb log")
    refused(
        await kb.slash("kb add", {"kind": "fact"}, user=someone, member_permissions=str(MANAGE_MESSAGES)),
        "kb add with Manage Messages but no moderator role",
    )
    assert database_state(kb.app.store.path) == before


async def test_the_moderator_role_is_enough(kb):
    someone = payloads.user(name="rolemod")
    record = await kb.slash("kb log", user=someone, roles=(OTHER_ROLE, MOD_ROLE))
    assert record.json["type"] == 4
    assert record.json["data"]["embeds"][0]["title"] == "Recent changes"


async def test_a_moderator_role_created_after_start_up_is_enough(fake, settings, guild):
    # The role is in the settings and in the interaction, but not in the guild the bot cached at start.
    late_role = 1500000000000000999
    assert late_role not in {int(r["id"]) for r in guild["roles"]}
    moderator = payloads.user(name="moddy")
    app = await open_app(replace(kb_settings(settings, guild, moderator), moderator_role_ids=frozenset({late_role})))
    try:
        async with running_bot(app):
            kb = KB(fake, guild, app, moderator)
            record = await kb.slash("kb log", user=payloads.user(name="newmod"), roles=(late_role,))
            assert record.json["data"]["embeds"][0]["title"] == "Recent changes"
            refused(await kb.slash("kb log", user=payloads.user(name="other"), roles=(OTHER_ROLE,)), "kb log")
    finally:
        await app.close()


async def test_autocomplete_offers_nothing_to_a_non_moderator(kb):
    outsider = payloads.user(name="outsider")
    # /kb restore offers removed entries only, so remove the one the moderator should then see there.
    await kb.app.store.set_deleted("fact", "shot-five-times", True, Actor("1", "setup"))
    for command in ("kb edit", "kb restore", "kb history"):
        record = await kb.fake.interact(
            payloads.autocomplete(
                command, {"kind": "fact", "id": "shot"}, focused="id", guild_id=kb.guild, user=outsider
            )
        )
        assert record.json["type"] == 8, command
        assert record.json["data"]["choices"] == [], command
        mine = await kb.fake.interact(
            payloads.autocomplete(
                command, {"kind": "fact", "id": "shot"}, focused="id", guild_id=kb.guild, user=kb.moderator
            )
        )
        assert "shot-five-times" in [c["value"] for c in mine.json["data"]["choices"]], command


# ---- a moderator where moderation is not allowed -----------------------------------------------------------


async def test_moderator_outside_the_moderator_guilds_is_refused(kb, caplog):
    scene = await moderator_scene(kb)
    before = database_state(kb.app.store.path)
    caplog.set_level(logging.WARNING, logger="bot.discord_app.moderation")
    elsewhere = payloads.guild_create(name="Another Guild", channels=["general"])
    forged = {"guild_id": elsewhere}
    # a /kb command claiming to be the moderator guild's command, sent from another guild
    refused(await kb.slash("kb log", roles=(MOD_ROLE,), command_guild_id=kb.guild["id"], **forged), "kb log")
    refused(
        await kb.slash("kb edit", {"kind": "fact", "id": "shot-five-times"}, command_guild_id=kb.guild["id"], **forged),
        "kb edit",
    )
    # buttons and forms pressed from another guild, or from a DM
    refused(await kb.press("kb:rm:fact:shot-five-times:1", None, **forged), "remove button")
    refused(await kb.press(buttons(scene.import_message)["Confirm import"], None, **forged), "import button")
    refused(await kb.submit(scene.edit_form, {**FACT_FORM, "topic": "shooting"}, **forged), "edit form")
    refused(await kb.press("kb:rm:fact:shot-five-times:1", None, guild_id=None), "remove button in a DM")
    refused(await kb.submit(scene.add_form, FACT_FORM, guild_id=None), "add form in a DM")

    assert database_state(kb.app.store.path) == before
    logged = refusals_logged(caplog, kb.moderator)
    assert len(logged) == 7, logged
    assert sum(f"in guild {elsewhere['id']}" in m for m in logged) == 5
    assert sum(m.endswith("in guild None") for m in logged) == 2
