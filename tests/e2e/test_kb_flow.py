"""A moderator's whole /kb session through the real client and a fake Discord: add, /ask, edit, history,
revert, remove, restore, log; what the forms refuse; two moderators editing one entry."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.kb_harness import (
    MOD_ROLE,
    buttons,
    embed,
    form,
    kb_actor,
    kb_client,  # noqa: F401  (the `kb` fixture)
    kb_guild,  # noqa: F401  (the `guild` fixture)
    private,
)
from tests.fake_discord import payloads

# The moderator guild, the `kb` client and the helpers are tests/e2e/kb_harness.py (shared by every test_kb_* file).


def embed_title(data: dict[str, Any]) -> str:
    assert data.get("embeds"), data
    return data["embeds"][0]["title"]


def revision_numbers(history: dict[str, Any]) -> dict[str, int]:
    """'created' -> revision number, from a /kb history embed (newest first; the first of each kind wins)."""
    found: dict[str, int] = {}
    for item in history["fields"]:
        match = re.match(r"#(\d+) · (\w+) by ", item["name"])
        assert match, item["name"]
        found.setdefault(match[2], int(match[1]))
    return found


# ---- the whole flow ----------------------------------------------------------------------------------

ZEPPELIN = {
    "topic": "zeppelins",
    "text": "A zeppelin hovered over the truce village at dawn.",
    "keywords": "blimp, airship",
    "citations": "3",
}
BLIMP_TEXT = "A grey blimp, not a zeppelin, hovered over the truce village at dawn."
QUESTION = "what about the zeppelin over the village"


async def test_moderator_flow_add_edit_history_revert_remove_restore_log(kb):
    store = kb.app.store
    assert ZEPPELIN["text"] not in await kb.ask(QUESTION)  # not known before it is added

    # /kb add fact: the fact's form opens, empty
    custom_id, inputs = form(await kb.slash("kb add", {"kind": "fact"}))
    assert custom_id.startswith("kb:form:add:fact::0:")
    assert inputs == {"f:topic": None, "f:text": None, "f:keywords": None, "f:citations": None}
    data = private(await kb.submit(custom_id, ZEPPELIN))
    entry_id = "zeppelins-a-zeppelin-hovered-over-the"
    assert embed_title(data) == f"Added fact `{entry_id}` (version 1)"
    assert data["embeds"][0]["footer"]["text"] == "Source: paragraph 3 of the article"
    saved = await store.get(entry_id)
    assert saved is not None and saved.text == ZEPPELIN["text"] and saved.keywords == ("blimp", "airship")
    assert ZEPPELIN["text"] in await kb.ask(QUESTION)  # answered at once

    # /kb edit: the form opens filled in with the entry as it is
    custom_id, inputs = form(await kb.slash("kb edit", {"kind": "fact", "id": entry_id}))
    assert custom_id.startswith(f"kb:form:edit:fact:{entry_id}:1:")
    assert inputs == {
        "f:topic": "zeppelins",
        "f:text": ZEPPELIN["text"],
        "f:keywords": "blimp, airship",
        "f:citations": "3",
    }
    data = private(await kb.submit(custom_id, {**ZEPPELIN, "text": BLIMP_TEXT}))
    assert embed_title(data) == f"Saved fact `{entry_id}` (version 2)"
    assert (await store.get(entry_id)).text == BLIMP_TEXT
    assert BLIMP_TEXT in await kb.ask(QUESTION)

    # /kb history: create and edit, by the moderator
    history = embed(record := await kb.slash("kb history", {"kind": "fact", "id": entry_id}))
    private(record)
    assert history["title"] == f"History of fact `{entry_id}`"
    assert history["description"].startswith("2 revisions.")
    assert [f["name"].split(" · ")[1] for f in history["fields"]] == ["edited by moddy", "created by moddy"]
    assert f"→ {BLIMP_TEXT}" in history["fields"][0]["value"]
    create = revision_numbers(history)["created"]

    # /kb revert to the create: the first text is back, and the revert is itself a revision
    data = private(await kb.slash("kb revert", {"revision": create}))
    assert embed_title(data) == f"Reverted fact `{entry_id}` to revision #{create}"
    entry = await store.get(entry_id)
    assert entry.text == ZEPPELIN["text"] and entry.version == 3
    assert ZEPPELIN["text"] in await kb.ask(QUESTION)
    history = embed(await kb.slash("kb history", {"kind": "fact", "id": entry_id}))
    assert history["description"].startswith("3 revisions.")
    assert history["fields"][0]["name"].split(" · ")[1] == "reverted by moddy"

    # /kb remove asks first; Remove confirms
    record = await kb.slash("kb remove", {"kind": "fact", "id": entry_id})
    data = private(record)
    assert embed_title(data) == f"Remove fact `{entry_id}`?"
    assert buttons(data) == {"Remove": f"kb:rm:fact:{entry_id}:3", "Cancel": "kb:cancel:remove"}
    assert await store.get(entry_id) is not None  # asking removes nothing
    done = await kb.press(f"kb:rm:fact:{entry_id}:3", kb.message_of(record))
    assert done.json["type"] == 7  # the buttons go at once; the result replaces "Removing…"
    assert done.json["data"]["content"] == f"Removing fact `{entry_id}`…"
    assert done.json["data"]["components"] == []
    assert embed(await kb.edit_of(done))["title"] == f"Removed fact `{entry_id}`"
    assert await store.get(entry_id) is None
    assert (await store.get(entry_id, include_deleted=True)).deleted
    assert ZEPPELIN["text"] not in await kb.ask(QUESTION)  # not known before it is added

    # /kb restore: answered again
    data = private(await kb.slash("kb restore", {"kind": "fact", "id": entry_id}))
    assert embed_title(data) == f"Restored fact `{entry_id}`"
    assert ZEPPELIN["text"] in await kb.ask(QUESTION)

    # /kb log: every change, newest first, with who did it
    log = embed(record := await kb.slash("kb log"))
    private(record)
    assert log["title"] == "Recent changes" and log["description"] == "5 revisions in all."
    assert [f["name"].split(" · ", 1)[1] for f in log["fields"]] == [
        f"fact {entry_id} {what} by moddy" for what in ("restored", "removed", "reverted", "edited", "created")
    ]
    assert [(r.action, r.actor_name) for r in (await store.history(entry_id))[0]] == [
        ("restore", "moddy"),
        ("delete", "moddy"),
        ("revert", "moddy"),
        ("edit", "moddy"),
        ("create", "moddy"),
    ]


async def test_moderator_by_role_can_add(kb):
    someone = payloads.user(name="rolemod")
    custom_id, _ = form(await kb.slash("kb add", {"kind": "term"}, user=someone, roles=(MOD_ROLE,)))
    values = {"term": "Blue huts", "text": "The blue meeting buildings.", "citations": "16"}
    data = private(await kb.submit(custom_id, values, user=someone, roles=(MOD_ROLE,)))
    assert embed_title(data) == "Added term `blue-huts` (version 1)"
    revision = (await kb.app.store.history("blue-huts"))[0][0]
    assert (revision.actor_id, revision.actor_name) == (someone["id"], "rolemod")


async def test_every_kind_opens_its_own_form(kb):
    expected = {
        "fact": ["f:topic", "f:text", "f:keywords", "f:citations"],
        "quote": ["f:speaker", "f:text", "f:context", "f:keywords", "f:citations"],
        "event": ["f:when", "f:sort", "f:text", "f:keywords", "f:citations"],
        "person": ["f:name", "f:role", "f:text", "f:keywords", "f:citations"],
        "term": ["f:term", "f:text", "f:keywords", "f:citations"],
    }
    for kind, inputs in expected.items():
        record = await kb.slash("kb add", {"kind": kind})
        custom_id, values = form(record)
        assert record.json["data"]["title"] == f"Add a {kind}"
        assert list(values) == inputs, kind
        assert custom_id.startswith(f"kb:form:add:{kind}::0:")


async def test_adding_the_same_text_twice_gives_two_entries(kb):
    titles = []
    for _ in range(2):
        custom_id, _ = form(await kb.slash("kb add", {"kind": "fact"}))
        titles.append(embed_title(private(await kb.submit(custom_id, ZEPPELIN))))
    assert titles == [
        "Added fact `zeppelins-a-zeppelin-hovered-over-the` (version 1)",
        "Added fact `zeppelins-a-zeppelin-hovered-over-the-2` (version 1)",
    ]


# ---- what the form refuses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "values", "reason"),
    [
        ("fact", {**ZEPPELIN, "citations": "99"}, "cites paragraph 99, but the article has paragraphs 1-20"),
        (
            "quote",
            {"speaker": "Lee Cook-jong", "text": "We will win this by Friday", "citations": "10"},
            "the quote does not appear word for word in paragraph(s) 10",
        ),
        ("fact", {**ZEPPELIN, "topic": ""}, "Topic is required"),
        (
            "event",
            {"when": "Monday", "sort": "soon", "text": "The jeep stopped.", "citations": "4"},
            "Sort key must be a whole number",
        ),
        ("fact", {**ZEPPELIN, "citations": "the third one"}, "Paragraphs must be numbers"),
    ],
    ids=["missing-paragraph", "quote-not-in-article", "missing-field", "sort-not-a-number", "bad-citation"],
)
async def test_invalid_form_is_not_saved(kb, kind, values, reason):
    before = await kb.app.store.entries(include_deleted=True)
    custom_id, _ = form(await kb.slash("kb add", {"kind": kind}))
    data = private(await kb.submit(custom_id, values))
    assert embed_title(data) == "Not saved"
    assert reason in data["embeds"][0]["description"]
    assert await kb.app.store.entries(include_deleted=True) == before
    assert (await kb.app.store.recent_revisions())[1] == 0


async def test_edit_of_a_missing_entry_opens_no_form(kb):
    data = private(await kb.slash("kb edit", {"kind": "quote", "id": "shot-five-times"}))
    assert "There is no quote with id `shot-five-times`" in data["embeds"][0]["description"]


# ---- two moderators, one entry -------------------------------------------------------------------------


async def test_edit_conflict_keeps_the_first_moderators_text(kb):
    second = payloads.user(name="second-mod")
    first_form, first_values = form(await kb.slash("kb edit", {"kind": "fact", "id": "shot-five-times"}))
    second_form, second_values = form(
        await kb.slash("kb edit", {"kind": "fact", "id": "shot-five-times"}, user=second, roles=(MOD_ROLE,))
    )
    assert first_form != second_form
    assert first_values == second_values
    values = {key[2:]: value or "" for key, value in first_values.items()}

    first_text = "First moderator: the soldier was shot five times as he ran south Monday."
    data = private(await kb.submit(first_form, {**values, "text": first_text}))
    assert embed_title(data) == "Saved fact `shot-five-times` (version 2)"

    second_text = "Second moderator: he was hit five times."
    data = private(await kb.submit(second_form, {**values, "text": second_text}, user=second, roles=(MOD_ROLE,)))
    assert embed_title(data) == "Edit conflict"
    assert "changed by someone else" in data["embeds"][0]["description"]
    assert "was not saved" in data["embeds"][0]["description"]

    entry = await kb.app.store.get("shot-five-times")
    assert entry.text == first_text and entry.version == 2
    revisions, total = await kb.app.store.history("shot-five-times")
    assert total == 1 and revisions[0].actor_name == "moddy"


# ---- remove: confirm twice, cancel -------------------------------------------------------------------------


async def test_remove_confirm_pressed_twice_removes_once(kb):
    record = await kb.slash("kb remove", {"kind": "fact", "id": "shot-five-times"})
    message = kb.message_of(record)
    first = await kb.press("kb:rm:fact:shot-five-times:1", message)
    assert embed(await kb.edit_of(first))["title"] == "Removed fact `shot-five-times`"
    again = await kb.press("kb:rm:fact:shot-five-times:1", message)
    assert again.ok
    reply = embed(await kb.edit_of(again))
    assert "already removed" in reply["description"]
    revisions, total = await kb.app.store.history("shot-five-times")
    assert total == 1 and revisions[0].action == "delete"
    assert (await kb.app.store.get("shot-five-times", include_deleted=True)).version == 2


async def test_remove_cancel_changes_nothing(kb):
    record = await kb.slash("kb remove", {"kind": "fact", "id": "shot-five-times"})
    cancelled = await kb.press("kb:cancel:remove", kb.message_of(record))
    assert cancelled.json["type"] == 7
    assert cancelled.json["data"]["content"] == "Cancelled; nothing changed."
    assert cancelled.json["data"]["components"] == [] and cancelled.json["data"]["embeds"] == []
    assert (await kb.app.store.get("shot-five-times")).version == 1
    assert (await kb.app.store.recent_revisions())[1] == 0


async def test_remove_of_a_removed_entry_says_so(kb):
    await kb.app.moderation.set_deleted("fact", "shot-five-times", True, kb_actor(kb))
    data = private(await kb.slash("kb remove", {"kind": "fact", "id": "shot-five-times"}))
    assert "already removed" in data["embeds"][0]["description"]
    assert "components" not in data or data["components"] == []


# ---- paging and autocomplete for a moderator -----------------------------------------------------------


async def test_history_pages_for_the_moderator(kb):
    values = dict((await kb.app.moderation.edit_form("term", "dmz")).form)
    for version in range(1, 8):
        await kb.app.moderation.edit("term", "dmz", dict(values, text=f"DMZ edit {version}."), version, kb_actor(kb))
    record = await kb.slash("kb history", {"kind": "term", "id": "dmz"})
    data = private(record)
    assert data["embeds"][0]["description"].startswith("7 revisions.")
    assert len(data["embeds"][0]["fields"]) == 5
    nxt = await kb.press(buttons(data)["Next"], kb.message_of(record))
    assert nxt.json["type"] == 7
    assert len(embed(nxt)["fields"]) == 2
    # another moderator may not turn someone else's pages
    page_two = kb.message_of(record)
    prev = {c["label"]: c["custom_id"] for row in page_two["components"] for c in row["components"]}["Prev"]
    other = await kb.press(prev, page_two, user=payloads.user(name="m2"), roles=(MOD_ROLE,))
    assert "Only the person who ran this command" in private(other)["content"]


async def test_id_autocomplete_for_a_moderator(kb):
    record = await kb.fake.interact(
        payloads.autocomplete(
            "kb edit", {"kind": "fact", "id": "shot"}, focused="id", guild_id=kb.guild, user=kb.moderator
        )
    )
    assert record.json["type"] == 8
    choices = [c["value"] for c in record.json["data"]["choices"]]
    assert "shot-five-times" in choices and all("shot" in c for c in choices)


async def test_restore_autocomplete_offers_removed_entries(kb):
    """/kb restore only works on removed entries, so those are what its id autocomplete must offer."""
    await kb.app.moderation.set_deleted("fact", "shot-five-times", True, kb_actor(kb))
    record = await kb.fake.interact(
        payloads.autocomplete(
            "kb restore", {"kind": "fact", "id": "shot-five"}, focused="id", guild_id=kb.guild, user=kb.moderator
        )
    )
    assert record.json["type"] == 8
    assert [c["value"] for c in record.json["data"]["choices"]] == ["shot-five-times"]


async def test_revert_to_a_removal_tells_the_moderator_it_worked(kb):
    await kb.app.moderation.set_deleted("fact", "shot-five-times", True, kb_actor(kb))
    await kb.app.moderation.set_deleted("fact", "shot-five-times", False, kb_actor(kb))
    history = embed(await kb.slash("kb history", {"kind": "fact", "id": "shot-five-times"}))
    removal = revision_numbers(history)["removed"]
    data = private(await kb.slash("kb revert", {"revision": removal}))
    assert (await kb.app.store.get("shot-five-times", include_deleted=True)).deleted  # the revert happened
    assert embed_title(data) != "Sorry", data["embeds"][0]
    assert embed_title(data).startswith("Reverted fact `shot-five-times`")
