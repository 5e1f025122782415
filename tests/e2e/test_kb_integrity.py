"""Moderators' data stays whole under slowness, races, kind changes, failed imports and a vanished database file
(issue 10, items 3-9), through the real client and the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.store import Store
from tests.e2e.kb_harness import (
    KB,
    MOD_ROLE,
    buttons,
    embed,
    form,
    kb_client,  # noqa: F401  (the `kb` fixture)
    kb_guild,  # noqa: F401  (the `guild` fixture)
    private,
)
from tests.fake_discord import Record, payloads

SHOT = "shot-five-times"
SHOT_QUOTE = {
    "id": SHOT,
    "speaker": "The Washington Post",
    "text": "The soldier was shot five times by his countrymen as he ran south Monday.",
    "paragraphs": [2],
}
ZEPPELIN = {"topic": "zeppelins", "text": "A zeppelin hovered over the truce village at dawn.", "citations": "3"}
ZEPPELIN_ID = "zeppelins-a-zeppelin-hovered-over-the"


@contextlib.asynccontextmanager
async def store_held(store: Store) -> AsyncIterator[None]:
    """What a large import does to every other change: it holds the store's one writer."""
    async with store._write_lock:
        yield


def every_text(kb: KB) -> str:
    """Everything the bot has sent so far, as one string."""
    return "\n".join(json.dumps(r.json) for r in kb.fake.requests if r.json is not None)


def fields_of(data: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in data["embeds"][0].get("fields", [])}


async def export(kb: KB) -> dict[str, Any]:
    return json.loads(await kb.app.moderation.export_bytes())


def as_quote(document: dict[str, Any]) -> dict[str, Any]:
    """The document with the fact shot-five-times turned into a quote of the same sentence."""
    document["facts"] = [f for f in document["facts"] if f["id"] != SHOT]
    document["quotes"].append(dict(SHOT_QUOTE))
    return document


async def preview(kb: KB, document: dict[str, Any], mode: str | None = None) -> tuple[Record, dict[str, Any]]:
    first, followup = await kb.upload(json.dumps(document).encode(), mode=mode)
    assert followup is not None and followup.ok, followup
    return first, followup.json


async def confirm(kb: KB, first: Record) -> dict[str, Any]:
    """Press Confirm on an import preview; the embed that replaces "Importing N changes…"."""
    message = kb.message_of(first)
    pressed = await kb.press(buttons(message)["Confirm import"], message)
    assert pressed.json["type"] == 7 and pressed.json["data"]["content"].startswith("Importing ")
    return embed(await kb.edit_of(pressed))


async def imported(kb: KB, document: dict[str, Any]) -> None:
    first, _ = await preview(kb, document)
    assert (await confirm(kb, first))["title"] == "Import done"


def form_values(inputs: dict[str, str | None]) -> dict[str, str]:
    return {key.removeprefix("f:"): value or "" for key, value in inputs.items()}


# ---- 3: slow is not expired ----------------------------------------------------------------------------------


async def test_a_form_saved_behind_an_import_is_deferred_at_once_never_called_expired(kb):
    custom_id, inputs = form(await kb.slash("kb edit", {"kind": "fact", "id": SHOT}))
    values = {**form_values(inputs), "text": "Five shots hit him as he ran south."}
    async with store_held(kb.app.store):
        fields = {f"f:{name}": value for name, value in values.items()}
        sent = await kb.fake.dispatch_interaction(
            payloads.modal_submit(custom_id, fields, user=kb.moderator, guild_id=kb.guild)
        )
        first = await kb.fake.wait_for_interaction_response(sent)
        assert first.json["type"] == 5 and first.json["data"]["flags"] & 64  # "thinking…", privately
        await asyncio.sleep(2.0)  # longer than the old 1.5 s after which the bot said "expired"
    saved = private(await kb.fake.wait_for_followup(sent))
    assert saved["embeds"][0]["title"] == f"Saved fact `{SHOT}` (version 2)"
    assert "expired" not in every_text(kb)
    assert (await kb.app.store.get(SHOT)).text == values["text"]


async def test_remove_behind_an_import_answers_at_once_then_confirms(kb):
    record = await kb.slash("kb remove", {"kind": "fact", "id": SHOT})
    async with store_held(kb.app.store):
        pressed = await kb.press(f"kb:rm:fact:{SHOT}:1", kb.message_of(record))
        assert pressed.json["type"] == 7 and pressed.json["data"]["content"] == f"Removing fact `{SHOT}`…"
        await asyncio.sleep(2.0)
    assert embed(await kb.edit_of(pressed))["title"] == f"Removed fact `{SHOT}`"
    assert "expired" not in every_text(kb)


async def test_a_save_refused_by_a_lock_says_so_and_gives_the_text_back(kb):
    await kb.app.store._writer.execute("PRAGMA busy_timeout = 300")  # not 10 s, for the test's sake
    custom_id, _ = form(await kb.slash("kb add", {"kind": "fact"}))
    other = sqlite3.connect(kb.app.store.path)  # another process writing (a CLI import), as SQLite sees it
    try:
        other.execute("BEGIN IMMEDIATE")
        data = private(await kb.submit(custom_id, {**ZEPPELIN, "keywords": "blimp, airship"}))
    finally:
        other.rollback()
        other.close()
    assert data["embeds"][0]["title"] == "Not saved"
    assert "locked by another process" in data["embeds"][0]["description"]
    assert fields_of(data) == {
        "You typed: Topic": "```\nzeppelins\n```",
        "You typed: Text": f"```\n{ZEPPELIN['text']}\n```",
        "You typed: Keywords": "```\nblimp, airship\n```",
        "You typed: Paragraphs": "```\n3\n```",
    }
    assert await kb.app.store.get(ZEPPELIN_ID) is None


# ---- 4: a revert across a kind change ----------------------------------------------------------------------------


async def test_revert_across_a_kind_change_brings_the_whole_entry_back(kb):
    custom_id, inputs = form(await kb.slash("kb edit", {"kind": "fact", "id": SHOT}))
    edited = "He was shot five times as he ran south, officials said."
    private(await kb.submit(custom_id, {**form_values(inputs), "text": edited}))
    edit = (await kb.app.store.history(SHOT))[0][0].id

    first, shown = await preview(kb, as_quote(await export(kb)))
    assert fields_of(shown)["Kind changes (1)"] == f"`{SHOT}`: fact → quote"
    assert (await confirm(kb, first))["title"] == "Import done"
    assert (await kb.app.store.get(SHOT)).kind == "quote"
    history = private(await kb.slash("kb history", {"kind": "quote", "id": SHOT}))
    assert "kind: fact → quote" in history["embeds"][0]["fields"][0]["value"]

    data = private(await kb.slash("kb revert", {"revision": edit}))
    assert data["embeds"][0]["title"] == f"Reverted fact `{SHOT}` to revision #{edit}"
    assert "It is a fact again (it was a quote)." in data["embeds"][0]["description"]
    entry = await kb.app.store.get(SHOT)
    assert (entry.kind, entry.text, entry.speaker, entry.topic) == ("fact", edited, None, "shooting")
    assert entry.version == 4  # created 1, edited 2, imported 3, reverted 4: versions only grow
    answer = await kb.ask("how many times was he shot")
    assert edited in answer and "None" not in answer
    # the export of the reverted store imports again: backups still work
    _, shown = await preview(kb, await export(kb))
    assert shown["embeds"][0]["description"].startswith("Nothing would change.")


async def test_revert_to_a_revision_that_is_not_valid_today_is_refused(kb):
    bad = {"id": SHOT, "speaker": "Nobody", "text": "Words the article never printed.", "paragraphs": [2]}
    async with kb.app.store._transaction() as db:  # a revision written by an older StoryBot
        cursor = await db.execute(
            "INSERT INTO revisions (entry_id, kind, action, actor_id, actor_name, at, before, after, note) "
            "VALUES (?, 'quote', 'edit', 'old', 'old bot', '2020-01-01T00:00:00+00:00', NULL, ?, '')",
            (SHOT, json.dumps(bad)),
        )
        revision = cursor.lastrowid
    before = await kb.app.store.get(SHOT)
    data = private(await kb.slash("kb revert", {"revision": revision}))
    assert data["embeds"][0]["title"] == "Not reverted"
    assert "the quote does not appear word for word in paragraph(s) 2" in data["embeds"][0]["description"]
    assert await kb.app.store.get(SHOT) == before


# ---- 5: a stale form against a kind change ----------------------------------------------------------------------


async def test_a_form_opened_before_two_kind_changes_is_refused_as_stale(kb):
    custom_id, inputs = form(await kb.slash("kb edit", {"kind": "fact", "id": SHOT}))
    assert f":{SHOT}:1:" in custom_id
    await imported(kb, as_quote(await export(kb)))  # fact → quote
    document = await export(kb)
    document["quotes"] = [q for q in document["quotes"] if q["id"] != SHOT]
    document["facts"].append({"id": SHOT, "topic": "shooting", "text": "Imported: five shots.", "paragraphs": [2]})
    await imported(kb, document)  # quote → fact again
    assert (await kb.app.store.get(SHOT)).version == 3

    data = private(await kb.submit(custom_id, {**form_values(inputs), "text": "Typed into a form opened long ago."}))
    assert data["embeds"][0]["title"] == "Edit conflict"
    assert "You typed: Text" in fields_of(data)
    assert (await kb.app.store.get(SHOT)).text == "Imported: five shots."


# ---- 6: a replace import previewed before an edit -------------------------------------------------------------


async def test_confirm_refuses_when_an_entry_it_would_remove_was_edited_after_the_preview(kb):
    document = await export(kb)
    dropped = document["terms"].pop()["id"]
    first, shown = await preview(kb, document, mode="replace")
    assert fields_of(shown)["Removed (1)"] == f"`{dropped}`"

    custom_id, inputs = form(await kb.slash("kb edit", {"kind": "term", "id": dropped}))
    private(await kb.submit(custom_id, {**form_values(inputs), "text": "Edited after the preview."}))

    result = await confirm(kb, first)
    assert result["title"] == "Import refused"
    assert f"`{dropped}`" in result["description"]
    assert "upload the file again for a new preview" in result["description"]
    entry = await kb.app.store.get(dropped)
    assert entry is not None and entry.text == "Edited after the preview."


# ---- 7: what passes the preview is applied, or the failure is said -------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("sort", 10**30, "sort must be a whole number from -999999999 to 999999999"),
        ("text", "Jeep\ud800 stuck", "text holds a character that cannot be stored"),
        ("when", "Monday\udfff", "when holds a character that cannot be stored"),
    ],
    ids=["sort-1e30", "lone-surrogate-text", "lone-surrogate-when"],
)
async def test_a_value_the_store_cannot_hold_is_refused_at_the_preview(kb, field, value, problem):
    document = await export(kb)
    document["events"][0][field] = value
    _, followup = await kb.upload(json.dumps(document).encode(), filename="odd.json")  # \ud800 as an escape
    data = followup.json
    assert data["embeds"][0]["title"] == "odd.json was not imported"
    assert problem in data["embeds"][0]["description"]
    assert not data.get("components")  # no Confirm to press


async def test_an_import_that_fails_while_applied_says_so(kb):
    document = await export(kb)
    document["facts"] += [
        {"id": f"filler-{n}", "topic": "filler", "text": f"Filler fact number {n} about the jeep.", "paragraphs": [4]}
        for n in range(400)
    ]
    first, _ = await preview(kb, document)
    pages = (await kb.app.store._writer.execute_fetchall("PRAGMA page_count"))[0][0]
    await kb.app.store._writer.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
    before = await kb.app.store.entries(include_deleted=True)
    result = await confirm(kb, first)
    assert result["title"] == "Import failed"
    assert "full" in result["description"] and "Nothing was imported" in result["description"]
    assert await kb.app.store.entries(include_deleted=True) == before


# ---- 8: two moderators add the same title at once ----------------------------------------------------------------


async def test_two_moderators_adding_the_same_title_at_once_both_get_their_entry(kb):
    second = payloads.user(name="second-mod")
    forms = [
        form(await kb.slash("kb add", {"kind": "fact"}))[0],
        form(await kb.slash("kb add", {"kind": "fact"}, user=second, roles=(MOD_ROLE,)))[0],
    ]
    async with store_held(kb.app.store):  # both forms are checked before either is written
        submits = [
            asyncio.ensure_future(kb.submit(forms[0], ZEPPELIN)),
            asyncio.ensure_future(kb.submit(forms[1], ZEPPELIN, user=second, roles=(MOD_ROLE,))),
        ]
        await asyncio.sleep(0.3)
    titles = sorted([private(await one)["embeds"][0]["title"] for one in submits])
    assert titles == [f"Added fact `{ZEPPELIN_ID}-2` (version 1)", f"Added fact `{ZEPPELIN_ID}` (version 1)"]
    assert (await kb.app.store.get(f"{ZEPPELIN_ID}-2")).text == ZEPPELIN["text"]


# ---- 9: the database file deleted or replaced under the running bot --------------------------------------------


@pytest.mark.parametrize("how", ["deleted", "replaced"])
async def test_writes_are_refused_once_the_database_file_is_gone(kb, tmp_path, caplog, how):
    path = kb.app.store.path
    if how == "deleted":
        os.unlink(path)
    else:
        other = sqlite3.connect(tmp_path / "other.db")
        other.execute("CREATE TABLE t (x)")
        other.close()
        os.replace(tmp_path / "other.db", path)
    custom_id, _ = form(await kb.slash("kb add", {"kind": "fact"}))
    with caplog.at_level(logging.ERROR, logger="bot.store"):
        data = private(await kb.submit(custom_id, ZEPPELIN))
        assert data["embeds"][0]["title"] == "Not saved"
        assert "was deleted or replaced while the bot was running" in data["embeds"][0]["description"]
        assert fields_of(data)["You typed: Text"] == f"```\n{ZEPPELIN['text']}\n```"
        record = await kb.slash("kb remove", {"kind": "fact", "id": SHOT})
        removal = embed(await kb.edit_of(await kb.press(f"kb:rm:fact:{SHOT}:1", kb.message_of(record))))
    assert removal["title"] == "Not saved" and "deleted or replaced" in removal["description"]
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.store"]
    assert len(logged) == 1 and "refusing every change from now on" in logged[0], logged
    assert await kb.app.store.get(ZEPPELIN_ID) is None
    assert "five times" in await kb.ask("how many times was he shot")  # readers are still answered
