"""The SQLite store: migrations, refusals, seeding, the full-text index, revisions, imports, backup."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from bot.app import seed_store
from bot.indexing import INDEX_VERSION
from bot.models import OPERATOR, Actor, Entry
from bot.store import ConflictError, DuplicateId, NotFound, NothingToDo, StaleImport, Store, StoreBusy, StoreError
from bot.store import base as store_base
from bot.store.migrations import available
from bot.text import stem
from tests.conftest import DATA_DIR

ALICE = Actor("1001", "alice")
BOB = Actor("1002", "bob")


def fts(*plain_words: str) -> str:
    """An FTS query for words as the index stores them (stemmed, quoted), OR-ed."""
    return " OR ".join(f'"{stem(w.lower())}"' for w in plain_words)


def new_fact(entry_id: str = "zeppelin-fact", text: str = "A zeppelin hovered over the truce village.") -> Entry:
    return Entry(kind="fact", id=entry_id, text=text, topic="airships", keywords=("blimp",), paragraphs=(3,))


async def ids_matching(store: Store, query: str) -> set[str]:
    return {hit.entry.id for hit in await store.match(query, limit=100)}


# ---- opening and migrations ---------------------------------------------------------------------


async def test_migrations_recorded_and_applied_once(tmp_path):
    path = tmp_path / "m.db"
    shipped = [(m.version, m.name) for m in available()]
    assert shipped[0] == (1, "initial")
    for _ in range(2):
        store = await Store.open(path)
        try:
            assert await store.schema_version() == shipped[-1][0]
        finally:
            await store.close()
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert rows == shipped


async def test_pragmas_wal_and_foreign_keys(empty_store):
    for connection in (empty_store._reader, empty_store._writer):
        mode = await (await connection.execute("PRAGMA journal_mode")).fetchone()
        keys = await (await connection.execute("PRAGMA foreign_keys")).fetchone()
        assert str(mode[0]).lower() == "wal"
        assert keys[0] == 1


async def test_newer_schema_version_is_refused(tmp_path):
    path = tmp_path / "new.db"
    store = await Store.open(path)
    await store.close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'now')")
    with pytest.raises(StoreError, match="999"):
        await Store.open(path)
    # Refusing changed nothing: the future row is still the newest.
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == 999


async def test_garbage_file_is_refused(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError, match="damaged or not a SQLite file") as caught:
        await Store.open(path)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == b"not a database" * 100


async def test_missing_folder_is_created(tmp_path):
    path = tmp_path / "a" / "b" / "deep.db"
    store = await Store.open(path)
    await store.close()
    assert path.exists()


# ---- seeding --------------------------------------------------------------------------------------


async def test_seed_is_idempotent(store):
    first = await store.counts()
    assert first.total > 0
    assert first.paragraphs == 20
    assert await store.is_seeded()
    assert await seed_store(store, DATA_DIR) is False
    again = await store.counts()
    assert again.by_kind == first.by_kind
    assert again.paragraphs == first.paragraphs


async def test_seed_twice_from_a_fresh_open(tmp_path):
    path = tmp_path / "twice.db"
    for expected in (True, False):
        store = await Store.open(path)
        try:
            assert await seed_store(store, DATA_DIR) is expected
        finally:
            await store.close()
    with sqlite3.connect(path) as db:
        total = db.execute("SELECT count(*) FROM entries").fetchone()[0]
        ids = db.execute("SELECT count(DISTINCT id) FROM entries").fetchone()[0]
    assert total == ids > 0


async def test_edited_store_is_never_overwritten_by_the_seed(store):
    before = await store.counts()
    await store.add(new_fact(), ALICE)
    assert await seed_store(store, DATA_DIR) is False
    after = await store.counts()
    assert after.by_kind["fact"] == before.by_kind["fact"] + 1
    assert {k: v for k, v in after.by_kind.items() if k != "fact"} == {
        k: v for k, v in before.by_kind.items() if k != "fact"
    }
    assert (await store.get("zeppelin-fact")).text == new_fact().text


async def test_unseeded_store_holding_an_entry_is_not_seeded(empty_store):
    await empty_store.add(new_fact(), ALICE)
    assert await seed_store(empty_store, DATA_DIR) is False
    counts = await empty_store.counts()
    assert counts.total == 1
    assert counts.paragraphs == 0
    assert not await empty_store.is_seeded()


# ---- full-text index in sync ------------------------------------------------------------------------


async def test_added_entry_is_found(store):
    assert await ids_matching(store, fts("zeppelin")) == set()
    await store.add(new_fact(), ALICE)
    assert "zeppelin-fact" in await ids_matching(store, fts("zeppelin"))
    assert "zeppelin-fact" in await ids_matching(store, fts("blimp"))  # keywords are indexed too
    assert "zeppelin-fact" in await ids_matching(store, fts("airships"))  # and the title (topic)


async def test_updated_entry_is_reindexed(store):
    added = await store.add(new_fact(), ALICE)
    changed = replace(added, text="A xylophone played near the truce village.", keywords=("music",))
    await store.update(changed, BOB, expected_version=added.version)
    assert "zeppelin-fact" not in await ids_matching(store, fts("zeppelin"))
    assert "zeppelin-fact" not in await ids_matching(store, fts("blimp"))
    assert "zeppelin-fact" in await ids_matching(store, fts("xylophone"))
    assert "zeppelin-fact" in await ids_matching(store, fts("music"))


async def test_deleted_entry_leaves_the_index_and_restore_brings_it_back(store):
    await store.add(new_fact(), ALICE)
    await store.set_deleted("fact", "zeppelin-fact", True, BOB)
    assert "zeppelin-fact" not in await ids_matching(store, fts("zeppelin"))
    assert await store.get("zeppelin-fact") is None
    await store.set_deleted("fact", "zeppelin-fact", False, ALICE)
    assert "zeppelin-fact" in await ids_matching(store, fts("zeppelin"))


async def test_deleting_a_seed_entry_hides_it_from_search(store):
    assert "shot-five-times" in await ids_matching(store, fts("countrymen"))
    await store.set_deleted("fact", "shot-five-times", True, ALICE)
    assert "shot-five-times" not in await ids_matching(store, fts("countrymen"))
    assert "shot-five-times" not in await store.ids("fact", "shot-five")


async def test_search_sees_changes_through_the_answer_vocabulary(store):
    vocab_before, _ = await store.vocabulary()
    assert stem("zeppelin") not in vocab_before
    await store.add(new_fact(), ALICE)
    vocab_after, _ = await store.vocabulary()
    assert stem("zeppelin") in vocab_after


# ---- soft delete and revisions ----------------------------------------------------------------------


async def test_soft_delete_keeps_the_row_and_history_records_everything(store):
    added = await store.add(new_fact(), ALICE, note="new")
    assert added.version == 1
    edited = await store.update(replace(added, text="A zeppelin landed near Panmunjom."), BOB, added.version)
    assert edited.version == 2
    before_delete = await store.counts()
    deleted = await store.set_deleted("fact", "zeppelin-fact", True, ALICE)
    assert deleted.deleted and deleted.version == 3
    assert (await store.counts()).by_kind["fact"] == before_delete.by_kind["fact"] - 1
    kept = await store.get("zeppelin-fact", include_deleted=True)
    assert kept is not None and kept.deleted and kept.text == "A zeppelin landed near Panmunjom."
    assert "zeppelin-fact" in {e.id for e in await store.entries("fact", include_deleted=True)}
    assert "zeppelin-fact" not in {e.id for e in await store.entries("fact")}
    restored = await store.set_deleted("fact", "zeppelin-fact", False, BOB)
    assert not restored.deleted and restored.version == 4

    revisions, total = await store.history("zeppelin-fact")
    assert total == 4
    oldest_first = list(reversed(revisions))
    assert [r.action for r in oldest_first] == ["create", "edit", "delete", "restore"]
    assert [r.actor_id for r in oldest_first] == ["1001", "1002", "1001", "1002"]
    assert [r.actor_name for r in oldest_first] == ["alice", "bob", "alice", "bob"]
    create, edit, delete, restore = oldest_first
    assert create.before is None and create.after["text"] == new_fact().text
    assert create.note == "new"
    assert edit.before["text"] == new_fact().text
    assert edit.after["text"] == "A zeppelin landed near Panmunjom."
    assert delete.before["text"] == "A zeppelin landed near Panmunjom." and delete.after is None
    assert restore.after["text"] == "A zeppelin landed near Panmunjom."


async def test_delete_twice_is_refused(store):
    await store.set_deleted("fact", "shot-five-times", True, ALICE)
    with pytest.raises(NothingToDo, match="already removed"):
        await store.set_deleted("fact", "shot-five-times", True, ALICE)
    with pytest.raises(NotFound):
        await store.set_deleted("quote", "shot-five-times", False, ALICE)  # wrong kind


async def test_stale_update_raises_conflict_and_changes_nothing(store):
    current = await store.get("shot-five-times")
    first = await store.update(replace(current, text="First editor's text."), ALICE, current.version)
    _, revisions_before = await store.history("shot-five-times")
    with pytest.raises(ConflictError) as caught:
        await store.update(replace(current, text="Second editor's text."), BOB, current.version)
    assert caught.value.current.version == first.version
    now = await store.get("shot-five-times")
    assert now.text == "First editor's text."
    assert now.version == first.version
    _, revisions_after = await store.history("shot-five-times")
    assert revisions_after == revisions_before
    assert "shot-five-times" not in await ids_matching(store, fts("second"))


async def test_update_of_unknown_entry_is_not_found(store):
    with pytest.raises(NotFound):
        await store.update(new_fact("no-such-entry"), ALICE, 1)


async def test_add_with_duplicate_id_is_refused(store):
    before = await store.counts()
    duplicate = Entry(kind="term", id="shot-five-times", text="Something else.", term="x", paragraphs=(2,))
    with pytest.raises(DuplicateId, match="shot-five-times"):
        await store.add(duplicate, ALICE)
    assert (await store.counts()).by_kind == before.by_kind
    assert (await store.get("shot-five-times")).kind == "fact"


async def test_revert_restores_content_as_a_new_revision(store):
    added = await store.add(new_fact(), ALICE)
    edited = await store.update(replace(added, text="A xylophone replaced the zeppelin story."), BOB, added.version)
    revisions, _ = await store.history("zeppelin-fact")
    create = revisions[-1]
    assert create.action == "create"
    reverted = await store.revert(create.id, OPERATOR)
    assert reverted.text == new_fact().text
    assert reverted.content_equal(added)
    assert reverted.version == edited.version + 1
    revisions, total = await store.history("zeppelin-fact")
    assert total == 3
    newest = revisions[0]
    assert newest.action == "revert"
    assert (newest.actor_id, newest.actor_name) == (OPERATOR.id, OPERATOR.name)
    assert newest.before["text"] == "A xylophone replaced the zeppelin story."
    assert newest.after["text"] == new_fact().text
    assert f"#{create.id}" in newest.note
    assert "zeppelin-fact" not in await ids_matching(store, fts("xylophone"))
    assert "zeppelin-fact" in await ids_matching(store, fts("blimp"))
    with pytest.raises(NothingToDo, match="already matches"):
        await store.revert(create.id, OPERATOR)


async def test_revert_to_an_edit_of_a_seed_entry(store):
    original = await store.get("shot-five-times")
    edited = await store.update(replace(original, text="Wrong text about a zeppelin."), ALICE, original.version)
    edit_revision = (await store.history("shot-five-times"))[0][0]
    await store.update(replace(edited, text="Another wrong text."), BOB, edited.version)
    reverted = await store.revert(edit_revision.id, OPERATOR)
    assert reverted.text == "Wrong text about a zeppelin."
    assert (await store.history("shot-five-times"))[1] == 3


async def test_revert_of_a_create_brings_back_a_deleted_entry(store):
    await store.add(new_fact(), ALICE)
    revisions, _ = await store.history("zeppelin-fact")
    create = revisions[0]
    await store.set_deleted("fact", "zeppelin-fact", True, ALICE)
    back = await store.revert(create.id, BOB)
    assert not back.deleted
    assert back.text == new_fact().text
    assert "zeppelin-fact" in await ids_matching(store, fts("zeppelin"))


async def test_revert_unknown_revision(store):
    with pytest.raises(NotFound):
        await store.revert(987654, ALICE)


# ---- imports ----------------------------------------------------------------------------------------


async def test_merge_import_adds_and_changes(store):
    before = await store.counts()
    current = await store.get("shot-five-times")
    changed = replace(current, text="The soldier was shot five times as he ran south.", version=1)
    incoming = [changed, new_fact(), *(e for e in await store.entries("term"))]
    plan = await store.plan_import(incoming, replace=False)
    assert [e.id for e in plan.added] == ["zeppelin-fact"]
    assert [(old.id, new.id) for old, new in plan.changed] == [("shot-five-times", "shot-five-times")]
    assert plan.removed == ()
    assert plan.unchanged == before.by_kind["term"]
    assert not plan.is_noop
    await store.apply_import(plan, OPERATOR)
    after = await store.counts()
    assert after.by_kind["fact"] == before.by_kind["fact"] + 1
    assert (await store.get("shot-five-times")).text == "The soldier was shot five times as he ran south."
    assert (await store.get("zeppelin-fact")) is not None
    revisions, _ = await store.history("shot-five-times")
    assert revisions[0].action == "import"
    assert revisions[0].actor_id == OPERATOR.id


async def test_import_of_identical_entries_is_a_noop(store):
    plan = await store.plan_import(await store.entries(), replace=True)
    assert plan.is_noop
    assert plan.unchanged == (await store.counts()).total


async def test_replace_import_removes_what_is_missing(store):
    before = await store.counts()
    keep = await store.entries("term")
    plan = await store.plan_import(keep, replace=True)
    assert plan.added == () and plan.changed == ()
    assert len(plan.removed) == before.total - before.by_kind["term"]
    progress: list[tuple[int, int]] = []
    await store.apply_import(plan, OPERATOR, progress=lambda done, total: progress.append((done, total)))
    after = await store.counts()
    assert after.total == before.by_kind["term"]
    assert progress[-1] == (len(plan.removed), len(plan.removed))
    gone = await store.get("shot-five-times", include_deleted=True)
    assert gone is not None and gone.deleted
    assert "shot-five-times" not in await ids_matching(store, fts("countrymen"))


async def test_failed_import_leaves_the_store_unchanged(store):
    current = await store.get("shot-five-times")
    plan = await store.plan_import([new_fact(), replace(current, text="Imported text.")], replace=False)
    assert len(plan.added) == 1 and len(plan.changed) == 1
    # Someone edits the entry after the plan was made: the plan's version is now stale.
    await store.update(replace(current, text="Edited meanwhile."), ALICE, current.version)
    counts_before = await store.counts()
    _, revisions_before = await store.recent_revisions()
    with pytest.raises(StaleImport) as caught:
        await store.apply_import(plan, OPERATOR)
    assert caught.value.entry_ids == ["shot-five-times"]
    assert (await store.counts()).by_kind == counts_before.by_kind
    assert await store.get("zeppelin-fact", include_deleted=True) is None  # the add was rolled back
    assert (await store.get("shot-five-times")).text == "Edited meanwhile."
    _, revisions_after = await store.recent_revisions()
    assert revisions_after == revisions_before
    assert "zeppelin-fact" not in await ids_matching(store, fts("zeppelin"))
    # The store still takes writes after the rollback.
    await store.add(new_fact(), ALICE)


# ---- reindex and backup -------------------------------------------------------------------------------


async def test_stale_index_version_triggers_a_reindex(tmp_path):
    path = tmp_path / "reindex.db"
    store = await Store.open(path)
    await seed_store(store, DATA_DIR)
    assert await store.meta("index_version") == str(INDEX_VERSION)
    await store.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'index_version'")
        # An index written by an "older" StoryBot: its search columns say nothing.
        db.execute("UPDATE entries SET search_title = '', search_body = '', search_keywords = ''")
    store = await Store.open(path)
    try:
        assert await store.meta("index_version") == str(INDEX_VERSION)
        assert "shot-five-times" in await ids_matching(store, fts("countrymen"))
        assert "lee-cook-jong" in await ids_matching(store, fts("surgeon"))
    finally:
        await store.close()


async def test_backup_copies_and_refuses_to_overwrite(store, tmp_path):
    await store.add(new_fact(), ALICE)
    target = tmp_path / "backup.db"
    await store.backup(target)
    copy = await Store.open(target)
    try:
        assert (await copy.counts()).by_kind == (await store.counts()).by_kind
        assert (await copy.counts()).paragraphs == 20
        assert (await copy.get("zeppelin-fact")).text == new_fact().text
        assert "zeppelin-fact" in await ids_matching(copy, fts("zeppelin"))
    finally:
        await copy.close()
    size = target.stat().st_size
    with pytest.raises(StoreError, match="already exists"):
        await store.backup(target)
    assert target.stat().st_size == size


async def test_integrity_check_ok(store):
    assert await store.integrity_check() == "ok"


# ---- waiting, kind changes, free ids, the file underneath (issue 10) ------------------------------------------


async def test_a_write_that_waits_too_long_for_the_writer_is_refused(store, monkeypatch):
    monkeypatch.setattr(store_base, "WRITE_WAIT_SECONDS", 0.1)
    async with store._write_lock:  # a large import holds the one writer
        with pytest.raises(StoreBusy, match="busy with another change"):
            await store.add(new_fact(), ALICE)
    assert await store.get("zeppelin-fact", include_deleted=True) is None
    assert (await store.add(new_fact(), ALICE)).version == 1  # and the store takes writes again


async def test_a_kind_change_by_import_keeps_the_version_growing(store):
    current = await store.get("shot-five-times")
    quote = Entry("quote", current.id, "The soldier was shot five times.", paragraphs=(2,), speaker="AP")
    plan = await store.plan_import([quote], replace=False)
    await store.apply_import(plan, OPERATOR)
    changed = await store.get("shot-five-times")
    assert (changed.kind, changed.speaker, changed.topic, changed.version) == ("quote", "AP", None, 2)
    revision = (await store.history("shot-five-times"))[0][0]
    assert revision.note == "changed by import; kind fact → quote"
    assert await ids_matching(store, fts("shot")) >= {"shot-five-times"}  # still indexed, once


async def test_add_with_a_free_id_takes_the_next_suffix_inside_the_write(store):
    first = await store.add(new_fact(), ALICE, free_id=True)
    second = await store.add(new_fact(), ALICE, free_id=True)
    third = await store.add(new_fact("z" * 48), ALICE, free_id=True)
    fourth = await store.add(new_fact("z" * 48), ALICE, free_id=True)
    assert [first.id, second.id, third.id, fourth.id] == ["zeppelin-fact", "zeppelin-fact-2", "z" * 48, "z" * 46 + "-2"]


async def test_a_failure_inside_a_write_comes_out_in_words_and_rolls_back(store):
    pages = (await store._writer.execute_fetchall("PRAGMA page_count"))[0][0]
    await store._writer.execute(f"PRAGMA max_page_count = {pages}")
    plan = await store.plan_import([new_fact(f"filler-{n}", "Filler about the jeep. " * 10) for n in range(300)], False)
    with pytest.raises(StoreError, match=r"cannot read or write the database .*full"):
        await store.apply_import(plan, OPERATOR)
    assert await store.get("filler-0", include_deleted=True) is None
