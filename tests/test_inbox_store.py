"""The inbox in the store (grouping, salted askers, retention, the cap, one report per person) and taught
questions as entry data (teach, revert, export and import)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.answer import MAX_QUESTION
from bot.app import seed_store
from bot.handlers.inbox import MAX_ITEMS, Asker
from bot.models import Actor
from bot.store import NotFound, Refused, Store
from tests.conftest import DATA_DIR

ALICE = Actor("1001", "alice")
SURGEON_ID = "operated-on-by-trauma-surgeon"
READER = Asker("1200000000000000101", "DM")


def rows(path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql, params).fetchall()


async def items_of(app):
    items, _ = await app.store.inbox_page(0, 100)
    return items


# ---- grouping -----------------------------------------------------------------------------------------------


async def test_near_identical_questions_are_one_item_with_a_count_and_distinct_askers(app):
    variants = [
        ("How much did the soldier's surgery cost?", "1"),
        ("how much did the soldiers surgery cost", "2"),
        ("HOW MUCH DID THE SOLDIERS SURGERY COST", "1"),  # casing
        ("how much did the soliders surgrey cost", "3"),  # typos
        ("hey how much did the soldiers surgery cost lol, please", "2"),  # filler
    ]
    for question, user in variants:
        await app.inbox.record_unanswered(question, Asker(user, "123456789012345678"))
    await app.inbox.record_unanswered("why did the soldiers surgery cost so much", READER)
    await app.inbox.record_unanswered("how much did the soldiers surgery not cost", READER)
    items = await items_of(app)
    assert [(i.count, i.askers) for i in items] == [(5, 3), (1, 1), (1, 1)]
    grouped = items[0]
    assert grouped.kind == "unanswered" and grouped.entry_id is None
    assert set(grouped.questions) == {q for q, _ in variants}
    assert grouped.places == ("123456789012345678",)
    assert {i.questions for i in items[1:]} == {
        ("why did the soldiers surgery cost so much",),
        ("how much did the soldiers surgery not cost",),
    }


async def test_questions_without_words_to_teach_and_over_long_ones_are_not_recorded(app):
    for question in ("???", "", "   ", "x" * (MAX_QUESTION + 1)):
        await app.inbox.record_unanswered(question, READER)
    assert await items_of(app) == []


async def test_askers_are_kept_as_a_salted_hash_never_the_id(tmp_path, settings):
    paths = [tmp_path / "one.db", tmp_path / "two.db"]
    for path in paths:
        store = await Store.open(path)
        try:
            await store.record_question("blood type", "what is his blood type", "DM", READER.id, max_items=10)
            await store.record_question("blood type", "what is his blood type", "DM", READER.id, max_items=10)
        finally:
            await store.close()
    kept = [rows(path, "SELECT asker FROM inbox_askers") for path in paths]
    assert [len(k) for k in kept] == [1, 1]  # one person, however often they ask
    one, two = kept[0][0][0], kept[1][0][0]
    assert one != two  # each store has its own salt
    for path in paths:
        dump = "\n".join(sqlite3.connect(path).iterdump())
        assert READER.id not in dump
        assert hashlib.sha256(READER.id.encode()).hexdigest()[:32] not in dump
    salt = rows(paths[0], "SELECT value FROM meta WHERE key = 'inbox_salt'")[0][0]
    assert len(bytes.fromhex(salt)) == 16


# ---- retention and the cap ----------------------------------------------------------------------------------


async def test_retention_purges_old_items_and_old_asks_of_live_ones(app):
    store, now = app.store, datetime.now(UTC)
    old, recent = now - timedelta(days=100), now - timedelta(days=10)
    await store.record_question("old", "an old question", "DM", "1", max_items=MAX_ITEMS, at=old)
    await store.record_question("mixed", "asked long ago", "DM", "2", max_items=MAX_ITEMS, at=old)
    await store.record_question("mixed", "asked lately", "DM", "3", max_items=MAX_ITEMS, at=recent)
    await store.record_report("wrong", "a report", "shot-five-times", "DM", "4", "ages ago", max_items=10, at=old)
    assert await store.purge_inbox(90, now=now) == 2
    items = await items_of(app)
    assert [(i.key, i.questions, i.count, i.askers) for i in items] == [("mixed", ("asked lately",), 2, 1)]
    assert rows(store.path, "SELECT count(*) FROM inbox_reports") == [(0,)]
    assert await store.purge_inbox(90, now=now) == 0
    assert await store.purge_inbox(5, now=now) == 1
    assert await items_of(app) == []


async def test_the_handler_purges_by_the_retention_setting(app):
    long_ago = datetime.now(UTC) - timedelta(days=app.settings.question_retention_days + 1)
    await app.store.record_question("old", "an old question", "DM", "1", max_items=MAX_ITEMS, at=long_ago)
    page = await app.inbox.page(1)
    assert page.items == () and "Nothing here" in page.reply.body


async def test_at_most_ten_thousand_items_the_least_recently_asked_go(app):
    assert MAX_ITEMS == 10_000
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with sqlite3.connect(app.store.path) as db:
        db.executemany(
            "INSERT INTO inbox_items (kind, key, count, first_seen, last_seen) VALUES ('unanswered', ?, 1, ?, ?)",
            [
                (f"key {n}", (start + timedelta(minutes=n)).isoformat(), (start + timedelta(minutes=n)).isoformat())
                for n in range(MAX_ITEMS)
            ],
        )
    await app.inbox.record_unanswered("what is his blood type", READER)
    keys = {key for (key,) in rows(app.store.path, "SELECT key FROM inbox_items")}
    assert len(keys) == MAX_ITEMS
    assert "key 0" not in keys and "key 1" in keys and "what his blood" in keys


# ---- reports ------------------------------------------------------------------------------------------------


async def test_one_report_per_person_per_answer(app):
    store = app.store
    assert await store.record_report("k", "q?", "shot-five-times", "DM", "1", "first", max_items=10)
    assert not await store.record_report("k", "q?", "shot-five-times", "DM", "1", "again", max_items=10)
    assert await store.has_reported("k", "shot-five-times", "1")
    assert not await store.has_reported("k", "shot-five-times", "2")
    assert await store.record_report("k", "q?", "shot-five-times", "DM", "2", "", max_items=10)
    assert await store.record_report("k", "q?", "kpa-uniform", "DM", "1", "another answer", max_items=10)
    items = await items_of(app)
    assert [(i.kind, i.entry_id, i.count, i.askers, i.comments) for i in items] == [
        ("reported", "shot-five-times", 2, 2, ("first",)),
        ("reported", "kpa-uniform", 1, 1, ("another answer",)),
    ]


# ---- teaching: the entry's phrasings ------------------------------------------------------------------------


async def test_teach_then_revert_round_trip(app):
    before = await app.store.get("operated-on-by-trauma-surgeon")
    assert not (await app.answerer.ask("what is his blood type")).found
    reply = await app.inbox.teach("What is his blood type?", "operated-on-by-trauma-surgeon", ALICE)
    assert not reply.error, reply
    taught = await app.store.get("operated-on-by-trauma-surgeon")
    assert taught.phrasings == ("What is his blood type?",) and taught.version == before.version + 1
    revisions, _ = await app.store.history(taught.id)
    assert revisions[0].action == "teach" and revisions[0].after["phrasings"] == ["What is his blood type?"]
    assert "phrasings" not in revisions[0].before
    assert f"`/kb revert {revisions[0].id}` undoes it" in reply.body
    assert (await app.answerer.ask("whats his blood type lol")).best.id == taught.id

    undone = await app.moderation.revert(revisions[0].id, ALICE)
    assert undone.title.startswith(f"Undid revision #{revisions[0].id}"), undone
    after = await app.store.get(taught.id)
    assert after.phrasings == () and after.content_equal(before)
    assert not (await app.answerer.ask("what is his blood type")).found


async def test_teaching_a_question_taught_elsewhere_moves_it(app):
    await app.inbox.teach("what is his blood type", "operated-on-by-trauma-surgeon", ALICE)
    reply = await app.inbox.teach("What is his blood type", "shot-five-times", ALICE)
    assert "It was taught to fact `operated-on-by-trauma-surgeon` before; it moved." in reply.body
    assert (await app.store.get("operated-on-by-trauma-surgeon")).phrasings == ()
    assert (await app.store.get("shot-five-times")).phrasings == ("What is his blood type",)
    moved = (await app.store.history("operated-on-by-trauma-surgeon"))[0][0]
    assert moved.action == "teach" and moved.note == "moved to shot-five-times"
    assert (await app.answerer.ask("what is his blood type?")).best.id == "shot-five-times"
    again = await app.inbox.teach("what's his blood type", "shot-five-times", ALICE)
    assert again.title == "Already taught"


async def test_teach_refusals_change_nothing(app):
    await app.moderation.set_deleted("fact", "kpa-uniform", True, ALICE)
    _, revisions_before = await app.store.recent_revisions(0, 1)
    for question, entry_id, needle in [
        ("what is his blood type", "no-such-entry", "There is no live entry `no-such-entry`"),
        ("what is his blood type", "kpa-uniform", "There is no live entry `kpa-uniform`"),
        ("ab", "shot-five-times", "3 to 600 characters"),
        ("???", "shot-five-times", "no words to recognise it by"),
    ]:
        reply = await app.inbox.teach(question, entry_id, ALICE)
        assert reply.error and needle in reply.body, reply
    assert (await app.store.recent_revisions(0, 1))[1] == revisions_before
    with pytest.raises(NotFound):
        await app.store.teach("kpa-uniform", "what did he wear", ALICE)
    for n in range(20):
        await app.store.teach("shot-five-times", f"question number {n}", ALICE)
    with pytest.raises(Refused, match="holds 20 questions already"):
        await app.store.teach("shot-five-times", "one more question", ALICE)


async def test_teaching_closes_the_items_the_question_answers(app):
    for question in ("what is his blood type", "What's his blood type??"):
        await app.inbox.record_unanswered(question, READER)
    await app.store.record_report("what his blood", "what is his blood type", "kpa-uniform", "DM", "1", "", max_items=9)
    await app.inbox.record_unanswered("who paid for his surgery", READER)
    reply = await app.inbox.teach("what is his blood type", "operated-on-by-trauma-surgeon", ALICE)
    assert "Closed 2 inbox items." in reply.body
    assert [i.questions for i in await items_of(app)] == [("who paid for his surgery",)]


async def test_export_and_import_carry_phrasings(app, tmp_path):
    await app.inbox.teach("what is his blood type", "operated-on-by-trauma-surgeon", ALICE)
    exported = json.loads(await app.moderation.export_bytes())
    [fact] = [f for f in exported["facts"] if f["id"] == "operated-on-by-trauma-surgeon"]
    assert fact["phrasings"] == ["what is his blood type"]

    other = await Store.open(tmp_path / "other.db")
    try:
        await seed_store(other, DATA_DIR)
        from bot.dataset import load_article, read_dataset

        entries = read_dataset(json.dumps(exported), load_article(DATA_DIR / "article.txt"), "export.json")
        plan = await other.plan_import(entries, replace=False)
        assert [new.id for _old, new in plan.changed] == ["operated-on-by-trauma-surgeon"] and not plan.added
        await other.apply_import(plan, ALICE)
        assert (await other.get("operated-on-by-trauma-surgeon")).phrasings == ("what is his blood type",)
        assert (await other.plan_import(entries, replace=False)).is_noop  # the same file again changes nothing
    finally:
        await other.close()


async def test_phrasings_are_in_the_full_text_index(app):
    await app.inbox.teach("what is his blood type", "operated-on-by-trauma-surgeon", ALICE)
    hits = await app.store.match('"blood"')
    assert [h.entry.id for h in hits] == ["operated-on-by-trauma-surgeon"]
    assert "blood" in hits[0].keywords


async def test_an_edit_through_the_form_keeps_the_taught_questions(app):
    await app.inbox.teach("what is his blood type", SURGEON_ID, ALICE)
    form = await app.moderation.edit_form("fact", SURGEON_ID)
    (entry,), values = form.entries, dict(form.form)
    saved = await app.moderation.edit(
        "fact", SURGEON_ID, dict(values, text=entry.text + " Edited."), entry.version, ALICE
    )
    assert not saved.error, saved
    after = await app.store.get(SURGEON_ID)
    assert after.text.endswith("Edited.") and after.phrasings == ("what is his blood type",)
    assert (await app.answerer.ask("what is his blood type")).best.id == SURGEON_ID


async def test_recording_questions_leaves_the_vocabulary_cached(app):
    """The answer engine rebuilds its vocabulary (tens of milliseconds on a large store) when entries change:
    a recorded question changes none, so it must not cost the next question a rebuild."""
    vocabulary, _ = await app.store.vocabulary()
    await app.inbox.record_unanswered("what is his blood type", READER)
    await app.store.record_report("k", "q?", SURGEON_ID, "DM", "1", "", max_items=10)
    await app.store.purge_inbox(1, now=datetime.now(UTC) + timedelta(days=5))
    app.store._vocab_checked = float("-inf")  # past the recheck interval, as another process's change would be
    assert (await app.store.vocabulary())[0] is vocabulary
    with sqlite3.connect(app.store.path) as db:  # another process edits an entry
        db.execute("UPDATE entries SET text = 'Edited elsewhere.' WHERE id = ?", (SURGEON_ID,))
    app.store._vocab_checked = float("-inf")
    assert (await app.store.vocabulary())[0] is not vocabulary
