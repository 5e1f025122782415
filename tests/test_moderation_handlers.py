"""Moderator commands at handler level (no Discord): who may change data, what each command replies,
and what the store holds afterwards."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.config import Settings
from bot.handlers import Reply
from bot.handlers.forms import FORMS, entry_from_form, form_values, slug_for
from bot.handlers.moderation import MAX_IMPORT_BYTES, may_moderate
from bot.models import KINDS, Actor

ALICE = Actor("1001", "alice")
BOB = Actor("1002", "bob")
ALICE_ID, BOB_ID = 1001, 1002
ROLE = 555_000_000_000_000_001

NEW_FACT = {
    "topic": "zeppelins",
    "text": "A zeppelin hovered over the truce village at dawn.",
    "keywords": "blimp, airship",
    "citations": "3",
}


def assert_error(reply: Reply, *needles: str, title: str | None = None) -> None:
    assert reply.error and not reply.found, reply
    if title is not None:
        assert reply.title == title, reply.title
    for needle in needles:
        assert needle in reply.body, reply.body


def field(reply: Reply, prefix: str) -> str:
    matches = [f.value for f in reply.fields if f.name.startswith(prefix)]
    assert matches, [f.name for f in reply.fields]
    return matches[0]


def field_names(reply: Reply) -> list[str]:
    return [f.name for f in reply.fields]


async def snapshot(app) -> tuple[list, int]:
    """Everything a moderator can change: every entry (removed ones too) and the revision count."""
    entries = await app.store.entries(include_deleted=True)
    _, revisions = await app.store.recent_revisions(0, 1)
    return entries, revisions


async def answer_ids(app, question: str) -> list[str]:
    return [e.id for e in (await app.story.ask(question)).entries]


def export_doc(raw: bytes) -> dict:
    return json.loads(raw.decode("utf-8"))


def dumps(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


# ---- who may moderate --------------------------------------------------------------------------------


def test_may_moderate_listed_user_or_role():
    settings = Settings(moderator_user_ids=frozenset({ALICE_ID}), moderator_role_ids=frozenset({ROLE}))
    assert may_moderate(settings, ALICE_ID, [])
    assert may_moderate(settings, BOB_ID, [ROLE])
    assert may_moderate(settings, BOB_ID, (r for r in [7, ROLE]))
    assert not may_moderate(settings, BOB_ID, [])
    assert not may_moderate(settings, BOB_ID, [7, 8])
    # ids are not interchangeable: a user id is not a role id and vice versa
    assert not may_moderate(settings, ROLE, [])
    assert not may_moderate(settings, BOB_ID, [ALICE_ID])


def test_nobody_moderates_by_default():
    settings = Settings()
    assert not may_moderate(settings, ALICE_ID, [ROLE, 0])


# ---- add ---------------------------------------------------------------------------------------------


async def test_add_fact_is_saved_recorded_and_answered_at_once(app):
    assert "zeppelin" not in (await app.story.ask("what about the zeppelin")).body
    reply = await app.moderation.add("fact", dict(NEW_FACT), ALICE)
    assert not reply.error
    new_id = reply.entries[0].id
    assert reply.title == f"Added fact `{new_id}` (version 1)"
    assert new_id == "zeppelins-a-zeppelin-hovered-over-the"
    assert NEW_FACT["text"] in reply.body
    assert field(reply, "Citation") == "Source: paragraph 3 of the article"
    assert reply.citations == (3,)
    saved = await app.store.get(new_id)
    assert saved is not None
    assert (saved.topic, saved.text, saved.keywords, saved.paragraphs) == (
        "zeppelins",
        NEW_FACT["text"],
        ("blimp", "airship"),
        (3,),
    )
    revisions, total = await app.store.history(new_id)
    assert total == 1
    assert (revisions[0].action, revisions[0].actor_id, revisions[0].actor_name) == ("create", "1001", "alice")
    assert revisions[0].before is None and revisions[0].after["text"] == NEW_FACT["text"]
    answer = await app.story.ask("what about the zeppelin")
    assert answer.found and answer.entries[0].id == new_id


async def test_adding_the_same_text_twice_gives_two_ids(app):
    first = await app.moderation.add("fact", dict(NEW_FACT), ALICE)
    second = await app.moderation.add("fact", dict(NEW_FACT), BOB)
    third = await app.moderation.add("fact", dict(NEW_FACT), BOB)
    ids = [r.entries[0].id for r in (first, second, third)]
    assert ids == [
        "zeppelins-a-zeppelin-hovered-over-the",
        "zeppelins-a-zeppelin-hovered-over-the-2",
        "zeppelins-a-zeppelin-hovered-over-the-3",
    ]
    for entry_id in ids:
        assert (await app.store.get(entry_id)).text == NEW_FACT["text"]


async def test_id_of_a_removed_entry_is_not_reused(app):
    first = (await app.moderation.add("fact", dict(NEW_FACT), ALICE)).entries[0]
    await app.moderation.set_deleted("fact", first.id, True, ALICE)
    second = (await app.moderation.add("fact", dict(NEW_FACT), ALICE)).entries[0]
    assert second.id == first.id + "-2"
    assert (await app.store.get(first.id, include_deleted=True)).deleted


async def test_add_clashing_with_a_seed_id_gets_a_suffix(app):
    seed_text = (await app.store.get("dmz")).text
    reply = await app.moderation.add(
        "term", {"term": "DMZ", "text": "The DMZ is a border zone.", "citations": "3"}, ALICE
    )
    assert reply.entries[0].id == "dmz-2"
    assert (await app.store.get("dmz")).text == seed_text  # the seed entry is untouched


async def test_add_every_kind(app):
    forms = {
        "fact": NEW_FACT,
        "quote": {
            "speaker": "Lee Cook-jong",
            "text": "We will have to ride out some crucial moments",
            "context": "To reporters",
            "citations": "10",
        },
        "event": {
            "when": "just after 3 p.m. Monday",
            "sort": "75",
            "text": "The jeep neared a guard post.",
            "citations": "4",
        },
        "person": {"name": "Roh Jae-cheon", "role": "Spokesman", "text": "He described the jeep.", "citations": "4"},
        "term": {"term": "Armistice line", "text": "The line the 1953 armistice drew.", "citations": "13"},
    }
    assert set(forms) == set(KINDS)
    for kind, values in forms.items():
        reply = await app.moderation.add(kind, dict(values), ALICE)
        assert not reply.error, (kind, reply.body)
        saved = await app.store.get(reply.entries[0].id)
        assert saved.kind == kind and saved.text == values["text"]
    event = next(e for e in await app.store.entries("event") if e.text == forms["event"]["text"])
    assert event.sort == 75 and event.when == "just after 3 p.m. Monday"
    person = await app.store.get("roh-jae-cheon-2")  # the seed already has roh-jae-cheon
    assert person is not None and person.role == "Spokesman" and person.text == "He described the jeep."


async def test_add_context_entry_from_another_source(app):
    reply = await app.moderation.add(
        "fact",
        {"topic": "aftermath", "text": "The soldier later recovered.", "citations": "source: Reuters, 2018"},
        ALICE,
    )
    entry = await app.store.get(reply.entries[0].id)
    assert entry.is_context and entry.source == "Reuters, 2018" and entry.paragraphs == ()
    assert "Context from Reuters, 2018" in field(reply, "Citation")


@pytest.mark.parametrize(
    ("kind", "values", "needle"),
    [
        ("fact", {**NEW_FACT, "citations": "99"}, "cites paragraph 99, but the article has paragraphs 1-20"),
        ("fact", {**NEW_FACT, "citations": "3, 99"}, "cites paragraph 99"),
        ("fact", {**NEW_FACT, "citations": "four"}, "Paragraphs must be numbers"),
        ("fact", {**NEW_FACT, "citations": ""}, "Paragraphs is required"),
        ("fact", {**NEW_FACT, "topic": ""}, "Topic is required"),
        ("fact", {**NEW_FACT, "topic": "   "}, "Topic is required"),
        ("fact", {k: v for k, v in NEW_FACT.items() if k != "text"}, "Text is required"),
        ("fact", {**NEW_FACT, "topic": "t" * 201}, "Topic is 201 characters; the limit is 200"),
        ("fact", {**NEW_FACT, "text": "x" * 351}, "Text is 351 characters; the limit is 350"),
        (
            "quote",
            {"speaker": "Lee Cook-jong", "text": "We will win the war by Friday", "citations": "10"},
            "the quote does not appear word for word in paragraph(s) 10",
        ),
        (
            "quote",
            {"speaker": "Lee Cook-jong", "text": "We will have to ride out some crucial moments", "citations": "9"},
            "does not appear word for word",
        ),
        (
            "event",
            {"when": "Monday", "sort": "soon", "text": "Something happened.", "citations": "4"},
            "Sort key must be a whole number",
        ),
        (
            "event",
            {"when": "Monday", "sort": "7.5", "text": "Something happened.", "citations": "4"},
            "Sort key must be a whole number",
        ),
        (
            "event",
            {"when": "Monday", "sort": "", "text": "Something happened.", "citations": "4"},
            "Sort key is required",
        ),
        ("person", {"name": "Someone", "text": "Did something.", "citations": "4"}, "Role is required"),
    ],
)
async def test_add_invalid_is_not_saved_and_says_why(app, kind, values, needle):
    before = await snapshot(app)
    reply = await app.moderation.add(kind, dict(values), ALICE)
    assert_error(reply, needle, title="Not saved")
    assert reply.body.startswith("• ")
    assert await snapshot(app) == before


async def test_add_lists_every_problem(app):
    reply = await app.moderation.add("event", {"when": "", "sort": "x", "text": "", "citations": "z"}, ALICE)
    assert_error(
        reply,
        "When is required",
        "Sort key must be a whole number",
        "What happened is required",
        "Paragraphs must be numbers",
        title="Not saved",
    )


async def test_add_unknown_kind(app):
    before = await snapshot(app)
    assert_error(await app.moderation.add("rumour", dict(NEW_FACT), ALICE), "Unknown kind", "fact, quote")
    assert await snapshot(app) == before


# ---- edit --------------------------------------------------------------------------------------------


async def test_edit_form_holds_the_current_values(app):
    form = await app.moderation.edit_form("fact", "  Shot-Five-Times ")
    (entry,) = form.entries
    assert not form.error and entry.id == "shot-five-times" and entry.version == 1
    assert form.form == {
        "topic": "shooting",
        "text": "The soldier was shot five times by his countrymen as he ran south Monday.",
        "keywords": "bullets, wounded, hit, gunshot, how many times, fired at, shots",
        "citations": "2",
    }


async def test_edit_form_for_missing_or_wrong_kind(app):
    for kind, entry_id in (("quote", "shot-five-times"), ("fact", "no-such-entry")):
        form = await app.moderation.edit_form(kind, entry_id)
        assert form.entries == () and form.form == {}
        assert_error(form, f"There is no {kind} with id `{entry_id}`")
    assert_error(await app.moderation.edit_form("gossip", "shot-five-times"), "Unknown kind")


async def test_edit_saves_records_and_is_answered(app):
    values = dict((await app.moderation.edit_form("fact", "shot-five-times")).form)
    values["text"] = "The soldier was shot five times, in the shoulder, stomach and elbow, as he ran south Monday."
    reply = await app.moderation.edit("fact", "shot-five-times", values, 1, BOB)
    assert not reply.error
    assert reply.title == "Saved fact `shot-five-times` (version 2)"
    assert (await app.store.get("shot-five-times")).text == values["text"]
    revisions, total = await app.store.history("shot-five-times")
    assert total == 1 and revisions[0].action == "edit" and revisions[0].actor_name == "bob"
    assert "shoulder, stomach and elbow" in (await app.story.ask("how many times was he shot")).body


async def test_edit_with_an_old_version_is_a_conflict_and_keeps_the_first_edit(app):
    values = dict((await app.moderation.edit_form("fact", "shot-five-times")).form)
    first = dict(values, text="First moderator's text about the five shots.")
    second = dict(values, text="Second moderator's text about the five shots.")
    assert not (await app.moderation.edit("fact", "shot-five-times", first, 1, ALICE)).error
    reply = await app.moderation.edit("fact", "shot-five-times", second, 1, BOB)
    assert_error(reply, "changed by someone else", "version 2", "was not saved", title="Edit conflict")
    entry = await app.store.get("shot-five-times")
    assert entry.text == first["text"] and entry.version == 2
    assert (await app.store.history("shot-five-times"))[1] == 1


async def test_edit_without_changes_saves_nothing(app):
    values = dict((await app.moderation.edit_form("fact", "shot-five-times")).form)
    reply = await app.moderation.edit("fact", "shot-five-times", values, 1, ALICE)
    assert not reply.error and reply.title == "No change"
    assert (await app.store.get("shot-five-times")).version == 1
    assert (await app.store.history("shot-five-times"))[1] == 0


async def test_edit_invalid_is_not_saved(app):
    before = await snapshot(app)
    values = dict((await app.moderation.edit_form("fact", "shot-five-times")).form)
    reply = await app.moderation.edit("fact", "shot-five-times", dict(values, citations="99"), 1, ALICE)
    assert_error(reply, "cites paragraph 99", title="Not saved")
    reply = await app.moderation.edit("fact", "no-such-fact", values, 1, ALICE)
    assert_error(reply, "There is no fact with id `no-such-fact`")
    assert await snapshot(app) == before


async def test_edit_of_a_removed_entry_keeps_it_removed(app):
    await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE)
    form = await app.moderation.edit_form("fact", "shot-five-times")
    (entry,), values = form.entries, dict(form.form)
    reply = await app.moderation.edit(
        "fact", "shot-five-times", dict(values, text="Five shots hit him."), entry.version, ALICE
    )
    assert not reply.error
    saved = await app.store.get("shot-five-times", include_deleted=True)
    assert saved.deleted and saved.text == "Five shots hit him."


# ---- remove and restore ------------------------------------------------------------------------------


async def test_remove_and_restore(app):
    assert "shot-five-times" in await answer_ids(app, "how many times was he shot")
    preview = await app.moderation.removal_preview("fact", "shot-five-times")
    assert [e.id for e in preview.entries] == ["shot-five-times"] and not preview.error
    assert preview.title == "Remove fact `shot-five-times`?"
    assert "/kb restore" in field(preview, "Undo")

    reply = await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE, expected_version=1)
    assert not reply.error and reply.title == "Removed fact `shot-five-times`"
    assert "no longer answered" in reply.body
    assert await app.store.get("shot-five-times") is None
    assert (await app.store.get("shot-five-times", include_deleted=True)).deleted
    assert "shot-five-times" not in await answer_ids(app, "how many times was he shot")

    preview = await app.moderation.removal_preview("fact", "shot-five-times")
    assert_error(preview, "already removed", "/kb restore")

    reply = await app.moderation.set_deleted("fact", "shot-five-times", False, BOB)
    assert not reply.error and reply.title == "Restored fact `shot-five-times`"
    assert "answered again" in reply.body
    assert "shot-five-times" in await answer_ids(app, "how many times was he shot")
    revisions, _ = await app.store.history("shot-five-times")
    assert [(r.action, r.actor_name) for r in revisions] == [("restore", "bob"), ("delete", "alice")]


async def test_remove_twice_and_restore_live_are_refused(app):
    await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE)
    before = await snapshot(app)
    assert_error(await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE), "already removed")
    assert_error(await app.moderation.set_deleted("fact", "dmz", False, ALICE), "There is no fact with id `dmz`")
    assert_error(await app.moderation.set_deleted("term", "dmz", False, ALICE), "already live")
    assert await snapshot(app) == before


async def test_remove_with_a_stale_version_does_nothing(app):
    """A confirm button pressed again carries an old version of an entry removed meanwhile: nothing happens."""
    assert not (await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE, expected_version=1)).error
    before = await snapshot(app)
    reply = await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE, expected_version=1)
    assert_error(reply, "already removed")
    assert await snapshot(app) == before
    revisions, _ = await app.store.history("shot-five-times")
    assert [r.action for r in revisions] == ["delete"]


async def test_remove_after_an_edit_does_nothing(app):
    """A confirm button whose entry was edited since the preview carries an old version: nothing happens."""
    form = await app.moderation.edit_form("fact", "shot-five-times")
    (entry,), values = form.entries, dict(form.form)
    values["text"] = "The soldier was shot five times."
    assert not (await app.moderation.edit("fact", entry.id, values, entry.version, ALICE)).error
    before = await snapshot(app)
    reply = await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE, expected_version=1)
    assert_error(reply, "nothing was done", title="Changed meanwhile")
    assert await snapshot(app) == before


async def test_a_bug_in_the_store_is_not_taken_for_nothing_to_do(app, monkeypatch):
    """Only the store's NothingToDo and Refused become refusals: any other error is a bug and surfaces."""

    async def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(app.store, "set_deleted", broken)
    with pytest.raises(ValueError, match="a bug"):
        await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE)
    monkeypatch.setattr(app.store, "teach", broken)
    with pytest.raises(ValueError, match="a bug"):
        await app.inbox.teach("how many times was he shot at", "shot-five-times", ALICE)


async def test_remove_unknown_or_wrong_kind(app):
    assert_error(await app.moderation.set_deleted("quote", "dmz", True, ALICE), "There is no quote with id `dmz`")
    assert_error(await app.moderation.set_deleted("sound", "dmz", True, ALICE), "Unknown kind")
    reply = await app.moderation.removal_preview("fact", "nothing-here")
    assert_error(reply, "There is no fact with id `nothing-here`")


# ---- history, log, revert ------------------------------------------------------------------------------


async def test_history_lists_every_change_with_who(app):
    values = dict((await app.moderation.edit_form("fact", "shot-five-times")).form)
    await app.moderation.edit("fact", "shot-five-times", dict(values, text="Five shots hit the soldier."), 1, ALICE)
    await app.moderation.set_deleted("fact", "shot-five-times", True, BOB)
    reply = await app.moderation.history("fact", "Shot-Five-Times")
    assert not reply.error
    assert reply.title == "History of fact `shot-five-times` (removed)"
    assert reply.body.startswith("2 revisions.")
    names = field_names(reply)
    assert len(names) == 2
    assert " · removed by bob · " in names[0] and " · edited by alice · " in names[1]
    assert reply.fields[0].value == "removed"
    assert "text: The soldier was shot five times" in reply.fields[1].value
    assert "→ Five shots hit the soldier." in reply.fields[1].value
    assert reply.page.number == 1 and reply.page.total == 1


async def test_history_of_an_added_entry_starts_with_create(app):
    new_id = (await app.moderation.add("fact", dict(NEW_FACT), ALICE)).entries[0].id
    reply = await app.moderation.history("fact", new_id)
    assert reply.body.startswith("1 revision.")
    assert " · created by alice · " in reply.fields[0].name
    assert reply.fields[0].value == "new: " + NEW_FACT["text"]


async def test_history_pages(app):
    values = dict((await app.moderation.edit_form("fact", "shot-five-times")).form)
    for version in range(1, 8):
        reply = await app.moderation.edit(
            "fact", "shot-five-times", dict(values, text=f"Edit number {version}."), version, ALICE
        )
        assert not reply.error
    first = await app.moderation.history("fact", "shot-five-times")
    second = await app.moderation.history("fact", "shot-five-times", 2)
    assert (first.page.total, len(first.fields), len(second.fields)) == (2, 5, 2)
    assert first.page.command == "history" and first.page.argument == "fact shot-five-times"
    assert_error(await app.moderation.history("fact", "shot-five-times", 3), "Pick a page from 1 to 2")
    assert_error(await app.moderation.history("fact", "shot-five-times", 0), "Pick a page from 1 to 2")


async def test_history_of_a_seed_entry_never_changed(app):
    reply = await app.moderation.history("term", "dmz")
    assert not reply.error and reply.body.startswith("0 revisions.") and reply.fields == ()


async def test_history_unknown_entry(app):
    assert_error(await app.moderation.history("fact", "dmz"), "There is no fact with id `dmz`")
    assert_error(await app.moderation.history("myth", "dmz"), "Unknown kind")


async def test_log_lists_recent_changes_across_entries(app):
    empty = await app.moderation.log()
    assert not empty.error and empty.body == "No changes yet." and empty.fields == ()
    new_id = (await app.moderation.add("fact", dict(NEW_FACT), ALICE)).entries[0].id
    await app.moderation.set_deleted("term", "dmz", True, BOB)
    reply = await app.moderation.log()
    assert reply.title == "Recent changes" and reply.body == "2 revisions in all."
    names = field_names(reply)
    assert names[0].endswith("· term dmz removed by bob")
    assert names[1].endswith(f"· fact {new_id} created by alice")
    assert_error(await app.moderation.log(2), "Pick a page from 1 to 1")


async def test_log_pages(app):
    for n in range(6):
        await app.moderation.add("fact", dict(NEW_FACT, text=f"Zeppelin number {n} hovered."), ALICE)
    first, second = await app.moderation.log(1), await app.moderation.log(2)
    assert first.page.total == 2 and len(first.fields) == 5 and len(second.fields) == 1
    assert first.body == "6 revisions in all."


async def test_revert_to_the_create_revision(app):
    new_id = (await app.moderation.add("fact", dict(NEW_FACT), ALICE)).entries[0].id
    create = (await app.store.history(new_id))[0][0]
    values = dict((await app.moderation.edit_form("fact", new_id)).form)
    await app.moderation.edit("fact", new_id, dict(values, text="A blimp, not a zeppelin."), 1, BOB)
    reply = await app.moderation.revert(create.id, ALICE)
    assert not reply.error
    assert reply.title == f"Reverted fact `{new_id}` to revision #{create.id}"
    assert NEW_FACT["text"] in reply.body and "can be undone too" in reply.body
    entry = await app.store.get(new_id)
    assert entry.text == NEW_FACT["text"] and entry.version == 3
    revisions, total = await app.store.history(new_id)
    assert total == 3
    assert (revisions[0].action, revisions[0].actor_name, revisions[0].note) == (
        "revert",
        "alice",
        f"revert to revision #{create.id}",
    )
    history = await app.moderation.history("fact", new_id)
    assert " · reverted by alice · " in history.fields[0].name


async def test_revert_brings_back_a_removed_entry(app):
    values = dict((await app.moderation.edit_form("fact", "shot-five-times")).form)
    await app.moderation.edit("fact", "shot-five-times", dict(values, text="Five shots."), 1, ALICE)
    edit = (await app.store.history("shot-five-times"))[0][0]
    await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE)
    reply = await app.moderation.revert(edit.id, BOB)
    assert not reply.error
    entry = await app.store.get("shot-five-times")
    assert entry is not None and entry.text == "Five shots."


async def test_revert_to_a_removal_removes_the_entry_and_says_so(app):
    """Reverting to a revision that removed the entry is allowed (the store does it), and the
    moderator must be told it worked."""
    await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE)
    delete = (await app.store.history("shot-five-times"))[0][0]
    await app.moderation.set_deleted("fact", "shot-five-times", False, ALICE)
    reply = await app.moderation.revert(delete.id, BOB)
    entry = await app.store.get("shot-five-times", include_deleted=True)
    assert entry.deleted
    assert (await app.store.history("shot-five-times"))[0][0].action == "revert"
    assert not reply.error, f"the revert happened, but the moderator was told: {reply.title}: {reply.body}"


async def test_revert_refusals_change_nothing(app):
    await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE)
    await app.moderation.set_deleted("fact", "shot-five-times", False, ALICE)
    restore = (await app.store.history("shot-five-times"))[0][0]
    before = await snapshot(app)
    # A restore records the same content before and after: there is nothing to put back.
    assert_error(await app.moderation.revert(restore.id, ALICE), "already matches revision", "nothing to do")
    assert_error(await app.moderation.revert(9999, ALICE), "no revision #9999.")
    assert await snapshot(app) == before


async def test_reverting_the_revision_an_entry_is_at_undoes_it(app):
    """`/kb revert N` while the entry is as N left it undoes N: the only way back for a first edit of a seed
    entry (the seed records no revision to go back to), and what undoes a taught question."""
    current = await app.store.get("shot-five-times")
    values = dict((await app.moderation.edit_form("fact", "shot-five-times")).form)
    await app.moderation.edit("fact", "shot-five-times", dict(values, text="Five shots."), current.version, ALICE)
    edit = (await app.store.history("shot-five-times"))[0][0]
    reply = await app.moderation.revert(edit.id, BOB)
    assert not reply.error and reply.title == f"Undid revision #{edit.id} of fact `shot-five-times`"
    assert "back as it was before" in reply.body
    assert (await app.store.get("shot-five-times")).content_equal(current)
    newest = (await app.store.history("shot-five-times"))[0][0]
    assert newest.action == "revert" and newest.note == f"undo revision #{edit.id}"
    # Now the entry is no longer as the edit left it: reverting to the edit puts the edit back.
    reply = await app.moderation.revert(edit.id, BOB)
    assert reply.title == f"Reverted fact `shot-five-times` to revision #{edit.id}"
    assert (await app.store.get("shot-five-times")).text == "Five shots."
    # Undoing the revision that created an entry removes it.
    new_id = (await app.moderation.add("fact", dict(NEW_FACT), ALICE)).entries[0].id
    create = (await app.store.history(new_id))[0][0]
    reply = await app.moderation.revert(create.id, ALICE)
    assert "It is now removed" in reply.body
    assert (await app.store.get(new_id, include_deleted=True)).deleted


# ---- export ------------------------------------------------------------------------------------------


async def test_export_is_the_data_file_format_and_equals_the_store(app):
    doc = export_doc(await app.moderation.export_bytes())
    assert list(doc) == ["format", "facts", "quotes", "events", "people", "terms"]
    assert doc["format"] == "storybot/1"
    seed = json.loads((app.settings.data_dir / "story.json").read_text(encoding="utf-8"))
    for plural in ("facts", "quotes", "events", "people", "terms"):
        assert sorted(e["id"] for e in doc[plural]) == sorted(e["id"] for e in seed[plural])
    exported = {e["id"]: e for plural in list(doc)[1:] for e in doc[plural]}
    for entry in await app.store.entries():
        assert exported[entry.id] == entry.to_data()
    sorts = [e["sort"] for e in doc["events"]]
    assert sorts == sorted(sorts)


async def test_export_leaves_out_removed_entries(app):
    await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE)
    doc = export_doc(await app.moderation.export_bytes())
    assert "shot-five-times" not in {e["id"] for e in doc["facts"]}


# ---- import --------------------------------------------------------------------------------------------


async def test_import_of_the_export_is_a_noop(app):
    raw = await app.moderation.export_bytes()
    before = await snapshot(app)
    reply = await app.moderation.preview_import(raw, False, "export.json")
    assert reply.plan is not None and reply.plan.is_noop
    assert not reply.error and reply.title == "Import preview"
    assert reply.body.startswith("Nothing would change.")
    assert field(reply, "Added (0)") == "none" and field(reply, "Changed (0)") == "none"
    assert await snapshot(app) == before


async def modified_export(app) -> tuple[bytes, str]:
    doc = export_doc(await app.moderation.export_bytes())
    doc["facts"][0]["text"] = "Changed by import."
    doc["facts"].append(
        {"id": "zeppelin-sighting", "topic": "zeppelins", "text": "A zeppelin was seen.", "paragraphs": [3]}
    )
    return dumps(doc), doc["facts"][0]["id"]


async def test_import_preview_confirm_and_apply(app):
    raw, changed_id = await modified_export(app)
    before = await snapshot(app)
    reply = await app.moderation.preview_import(raw, False, "mine.json")
    assert not reply.error
    assert reply.body.startswith("Dry run (merge): nothing is changed until you confirm.")
    assert field(reply, "Added (1)") == "`zeppelin-sighting`"
    assert field(reply, "Changed (1)") == f"`{changed_id}`"
    assert field(reply, "Removed (0)") == "none (merge keeps them)"
    assert await snapshot(app) == before  # a preview writes nothing

    done = await app.moderation.apply_import(reply.plan, ALICE)
    assert not done.error and done.title == "Import done"
    assert done.body.startswith("Added 1, changed 1, removed 0.")
    assert (await app.store.get(changed_id)).text == "Changed by import."
    assert (await app.store.get("zeppelin-sighting")).text == "A zeppelin was seen."
    revisions, total = await app.store.recent_revisions(0, 10)
    assert total == 2
    assert {(r.entry_id, r.action, r.actor_name, r.note) for r in revisions} == {
        ("zeppelin-sighting", "import", "alice", "added by import"),
        (changed_id, "import", "alice", "changed by import"),
    }
    # the same plan again: what it changes is no longer as it saw it, so nothing happens twice
    again = await app.moderation.apply_import(reply.plan, ALICE)
    assert_error(again, "Nothing was imported", title="Import refused")
    assert (await app.store.recent_revisions(0, 10))[1] == 2


async def test_import_replace_soft_deletes_missing_entries(app):
    doc = export_doc(await app.moderation.export_bytes())
    dropped = doc["terms"].pop()["id"]
    reply = await app.moderation.preview_import(dumps(doc), True)
    assert reply.body.startswith("Dry run (replace)")
    assert field(reply, "Removed (1)") == f"`{dropped}`"
    assert await app.store.get(dropped) is not None
    done = await app.moderation.apply_import(reply.plan, ALICE)
    assert done.body.startswith("Added 0, changed 0, removed 1.")
    assert await app.store.get(dropped) is None
    kept = await app.store.get(dropped, include_deleted=True)
    assert kept.deleted
    revision = (await app.store.history(dropped))[0][0]
    assert (revision.action, revision.note, revision.after) == ("import", "removed by import (replace)", None)


async def test_import_merge_does_not_remove(app):
    doc = export_doc(await app.moderation.export_bytes())
    doc["terms"].pop()
    reply = await app.moderation.preview_import(dumps(doc), False)
    assert reply.plan.is_noop and reply.body.startswith("Nothing would change.")


async def test_import_after_the_store_changed_imports_nothing(app):
    raw, changed_id = await modified_export(app)
    preview = await app.moderation.preview_import(raw, False)
    values = dict((await app.moderation.edit_form("fact", changed_id)).form)
    await app.moderation.edit("fact", changed_id, dict(values, text="Edited meanwhile."), 1, BOB)
    before = await snapshot(app)
    reply = await app.moderation.apply_import(preview.plan, ALICE)
    assert_error(
        reply, "were changed by someone else: `" + changed_id + "`", "Nothing was imported", title="Import refused"
    )
    assert await snapshot(app) == before
    assert await app.store.get("zeppelin-sighting") is None


def good_doc() -> dict:
    return {
        "format": "storybot/1",
        "facts": [{"id": "zeppelin-sighting", "topic": "zeppelins", "text": "A zeppelin was seen.", "paragraphs": [3]}],
    }


BAD_IMPORTS = [
    ("truncated", lambda: dumps(good_doc())[:-7], ["not valid JSON"]),
    ("not utf-8", lambda: b"\xff\xfe{}", ["not UTF-8"]),
    ("not an object", lambda: b"[1, 2]", ["must hold a JSON object, got list"]),
    ("facts is text", lambda: dumps({**good_doc(), "facts": "x"}), ["facts must be a list of entries"]),
    (
        "paragraphs as strings",
        lambda: dumps({"facts": [{**good_doc()["facts"][0], "paragraphs": ["3"]}]}),
        ["paragraphs must be a list of paragraph numbers"],
    ),
    ("entry not an object", lambda: dumps({"facts": ["a fact"]}), ["fact entry must be an object"]),
    (
        "quote not in the article",
        lambda: dumps(
            {"quotes": [{"id": "fake-quote", "speaker": "Lee", "text": "We never said this", "paragraphs": [10]}]}
        ),
        ["'fake-quote': the quote does not appear word for word in paragraph(s) 10"],
    ),
    (
        "duplicate ids",
        lambda: dumps(
            {
                "facts": [good_doc()["facts"][0]],
                "terms": [{"id": "zeppelin-sighting", "term": "Z", "text": "Z.", "paragraphs": [3]}],
            }
        ),
        ["'zeppelin-sighting': duplicate id (already used by a fact)"],
    ),
    ("unknown section", lambda: dumps({**good_doc(), "rumours": []}), ["unknown section 'rumours'"]),
    ("wrong format", lambda: dumps({**good_doc(), "format": "other/9"}), ["format must be 'storybot/1'"]),
    (
        "missing paragraph",
        lambda: dumps({"facts": [{**good_doc()["facts"][0], "paragraphs": [99]}]}),
        ["cites paragraph 99"],
    ),
    (
        "unknown field",
        lambda: dumps({"facts": [{**good_doc()["facts"][0], "colour": "red"}]}),
        ["unknown field 'colour'"],
    ),
    (
        "sort not a number",
        lambda: dumps({"events": [{"id": "ev-x", "when": "Monday", "sort": "10", "text": "X.", "paragraphs": [4]}]}),
        ["sort must be a whole number"],
    ),
]


@pytest.mark.parametrize(("name", "make", "needles"), BAD_IMPORTS, ids=[b[0] for b in BAD_IMPORTS])
async def test_bad_import_lists_problems_and_changes_nothing(app, name, make, needles):
    before = await snapshot(app)
    reply = await app.moderation.preview_import(make(), False, "bad.json")
    assert reply.plan is None
    assert_error(reply, *needles, title="bad.json was not imported")
    assert reply.body.startswith("• ")
    assert await snapshot(app) == before


async def test_bad_import_shows_ten_problems_and_counts_the_rest(app):
    facts = [{"id": f"bad-{n}", "topic": "t", "text": "x", "paragraphs": [99]} for n in range(14)]
    reply = await app.moderation.preview_import(dumps({"facts": facts}), False, "many.json")
    assert reply.body.count("• ") == 10
    assert reply.body.endswith("…and 4 more.")


async def test_import_over_five_megabytes_is_refused(app):
    raw = dumps(good_doc())
    big = raw + b" " * (MAX_IMPORT_BYTES + 1 - len(raw))
    before = await snapshot(app)
    reply = await app.moderation.preview_import(big, False, "big.json")
    assert reply.plan is None
    assert_error(reply, "big.json is 5.0 MB", "limited to 5 MB", "python -m bot import")
    assert await snapshot(app) == before
    # exactly at the limit is checked normally
    exact = raw + b" " * (MAX_IMPORT_BYTES - len(raw))
    reply = await app.moderation.preview_import(exact, False, "exact.json")
    assert reply.plan is not None and not reply.error


# ---- the form ------------------------------------------------------------------------------------------


def test_every_kind_has_a_form_of_at_most_five_inputs():
    assert set(FORMS) == set(KINDS)
    for kind, fields in FORMS.items():
        assert 1 <= len(fields) <= 5, kind
        assert len({f.name for f in fields}) == len(fields)
        assert all(len(f.label) <= 45 for f in fields)
        assert [f.name for f in fields if f.long] == ["text"]


async def test_every_seed_entry_survives_its_form(app, article):
    """Opening the edit form and submitting it untouched gives back the same entry."""
    for entry in await app.store.entries():
        again, problems = entry_from_form(entry.kind, entry.id, form_values(entry), article)
        assert problems == [] and again is not None, (entry.id, problems)
        assert again.content_equal(entry), entry.id


def test_form_values_of_a_context_entry(article):
    entry, problems = entry_from_form(
        "term",
        "juche",
        {"term": "Juche", "text": "North Korea's state ideology.", "citations": "Source:  Britannica "},
        article,
    )
    assert problems == []
    assert entry.is_context and entry.source == "Britannica" and entry.paragraphs == ()
    assert form_values(entry)["citations"] == "source: Britannica"


@pytest.mark.parametrize("citations", ["17; source: State Department, 2017", "17 source: State Department, 2017"])
def test_form_paragraphs_and_a_source_together(article, citations):
    """A year the article does not give ("March") goes into an event with its source, and the paragraph stays."""
    values = {"when": "March 2017", "sort": "40", "text": "Tillerson visited the DMZ.", "citations": citations}
    entry, problems = entry_from_form("event", "tillerson-visit", values, article)
    assert problems == []
    assert entry.paragraphs == (17,) and entry.source == "State Department, 2017" and entry.is_context
    assert form_values(entry)["citations"] == "17; source: State Department, 2017"
    assert entry_from_form("event", "tillerson-visit", form_values(entry), article) == (entry, [])


@pytest.mark.parametrize(
    ("citations", "paragraphs"),
    [("4, 7", (4, 7)), ("7 4", (4, 7)), ("¶4; ¶7", (4, 7)), ("4,4", (4,)), (" 12 ", (12,))],
)
def test_form_citations_forms(article, citations, paragraphs):
    entry, problems = entry_from_form("fact", "x-fact", {**NEW_FACT, "citations": citations}, article)
    assert problems == [] and entry.paragraphs == paragraphs


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        (
            "fact",
            {**NEW_FACT, "citations": "4-7"},
            ["Paragraphs must be numbers such as 4, 7 — or write source: <where it comes from>"],
        ),
        (
            "fact",
            {**NEW_FACT, "citations": "source:"},
            ["Paragraphs must be numbers such as 4, 7 — or write source: <where it comes from>"],
        ),
        ("fact", {"text": "x", "citations": "3"}, ["Topic is required"]),
        ("fact", {**NEW_FACT, "keywords": "k" * 1301}, ["Keywords is 1301 characters; the limit is 1300"]),
        (
            "fact",
            {**NEW_FACT, "keywords": ", ".join(f"k{n}" for n in range(21))},
            ["at most 20 keywords of at most 60 characters each"],
        ),
        (
            "event",
            {"when": "Monday", "sort": "1e3", "text": "x", "citations": "4"},
            ["Sort key must be a whole number"],
        ),
        (
            "event",
            {"when": "Monday", "sort": "1234567890", "text": "x", "citations": "4"},
            ["Sort key must be a whole number"],
        ),
        (
            "quote",
            {"speaker": "Lee", "text": "ride out some moments", "citations": "10"},
            ["the quote does not appear word for word in paragraph(s) 10"],
        ),
        ("fact", {**NEW_FACT, "citations": "0"}, ["cites paragraph 0, but the article has paragraphs 1-20"]),
    ],
)
def test_entry_from_form_messages(article, kind, values, expected):
    entry, problems = entry_from_form(kind, "some-id", values, article)
    assert entry is None
    assert problems == expected


def test_entry_from_form_accepts_negative_sort_and_a_quote_with_other_quote_marks(article):
    event, problems = entry_from_form(
        "event", "ev-x", {"when": "1950", "sort": "-5", "text": "War.", "citations": "13"}, article
    )
    assert problems == [] and event.sort == -5
    quote, problems = entry_from_form(
        "quote",
        "q-x",
        {"speaker": "Lee Cook-jong", "citations": "10", "text": "“We will have to ride out some crucial moments"},
        article,
    )
    assert problems == [] and quote is not None


@pytest.mark.parametrize(
    ("kind", "values", "slug"),
    [
        (
            "fact",
            {"topic": "Rescue!", "text": "A South Korean soldier crawled to the site."},
            "rescue-a-south-korean-soldier-crawled",
        ),
        ("person", {"name": "Lee Cook-jong", "text": "Surgeon."}, "lee-cook-jong"),
        ("term", {"term": "DMZ", "text": "Zone."}, "dmz"),
        ("event", {"when": "3 p.m. Monday", "text": "The jeep stopped."}, "3-p-m-monday-the-jeep-stopped"),
        ("quote", {"speaker": "Lee", "text": "We will ride"}, "lee-we-will-ride"),
        ("term", {"term": "판문점", "text": "Panmunjom."}, "term-entry"),
        ("fact", {"topic": "x" * 60, "text": "y"}, "x" * 40),
    ],
)
def test_slug_for(kind, values, slug):
    assert slug_for(kind, values) == slug


@pytest.mark.parametrize(
    ("changes", "what"),
    [
        ({"topic": "t" * 100}, "a topic of 100 characters (the data format allows 200)"),
        (
            {"keywords": tuple(f"keyword number {n:02d} of twenty" for n in range(20))},
            "20 keywords of 27 characters (the data format allows 20 of 60)",
        ),
    ],
    ids=["long-topic", "many-keywords"],
)
async def test_an_entry_the_data_format_accepts_can_be_edited_in_its_form(app, article, changes, what):
    """Anything an import (or the seed) may hold must open in /kb edit and save again untouched;
    otherwise the moderator cannot fix a typo in the text without first cutting other fields."""
    base = await app.store.get("shot-five-times")
    entry = replace(base, id="long-fields-fact", **changes)
    document = {"facts": [entry.to_data()]}
    reply = await app.moderation.preview_import(dumps(document), False)
    assert reply.plan is not None and not reply.error, reply.body  # the data format accepts it
    again, problems = entry_from_form("fact", entry.id, form_values(entry), article)
    assert problems == [], f"{what}: {problems}"
    assert again.content_equal(entry)
