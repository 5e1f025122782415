"""Imports and seeding write many entries at once (issue 11): all or nothing, a revision for each entry, the
full-text index and the entries' generation exactly as the per-row triggers would leave them, the triggers back."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import seed_store
from bot.models import OPERATOR, Actor, Entry
from bot.store import Store, StoreError
from bot.store.writes import IMPORT_BATCH
from bot.text import stem
from tests.conftest import DATA_DIR

ALICE = Actor("1001", "alice")
MANY = 3 * IMPORT_BATCH + 17  # several batches, the last one partly filled


def fts(word: str) -> str:
    return f'"{stem(word)}"'


def bulk_facts(count: int, word: str = "quokka") -> list[Entry]:
    """`count` new facts, each saying `word` and a word of its own (`uniq<n>`)."""
    return [
        Entry(kind="fact", id=f"bulk-{n}", text=f"A {word} was seen near guard post uniq{n}.", paragraphs=(3,))
        for n in range(count)
    ]


def index_state(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int, int]:
    """What the full-text index holds and what the live entries say it should hold, the triggers on entries,
    and the number of revisions (read with the stdlib module, outside the store)."""
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')")  # raises if inconsistent
        held = db.execute("SELECT rowid, title, body, keywords FROM entries_fts ORDER BY rowid").fetchall()
        wanted = db.execute(
            "SELECT pk, search_title, search_body, search_keywords FROM entries WHERE deleted_at IS NULL ORDER BY pk"
        ).fetchall()
        triggers = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]
        revisions = db.execute("SELECT count(*) FROM revisions").fetchone()[0]
    return held, wanted, triggers, revisions


async def ids_matching(store: Store, query: str) -> set[str]:
    return {hit.entry.id for hit in await store.match(query, limit=MANY + 100)}


async def test_a_big_import_indexes_every_entry_and_records_a_revision_for_each(store):
    _, _, triggers_before, revisions_before = index_state(store.path)
    generation = await store.meta("entries_generation")
    plan = await store.plan_import(bulk_facts(MANY), replace=False)
    await store.apply_import(plan, OPERATOR)
    held, wanted, triggers, revisions = index_state(store.path)
    assert held == wanted  # the index holds exactly the live entries' words
    assert triggers == triggers_before
    assert revisions == revisions_before + MANY
    assert await store.meta("entries_generation") != generation  # other processes see the change
    assert await ids_matching(store, fts("quokka")) == {f"bulk-{n}" for n in range(MANY)}
    assert await ids_matching(store, fts(f"uniq{MANY - 1}")) == {f"bulk-{MANY - 1}"}
    history, total = await store.history(f"bulk-{MANY - 1}")
    assert total == 1
    assert (history[0].action, history[0].note, history[0].actor_id) == ("import", "added by import", OPERATOR.id)
    assert history[0].before is None and history[0].after == bulk_facts(MANY)[-1].to_data()


async def test_a_big_import_that_changes_and_removes_reindexes_those_entries(store):
    await store.apply_import(await store.plan_import(bulk_facts(MANY), replace=False), OPERATOR)
    # Change every entry to say another word, and (replace) remove all the others, the seed's included.
    changed = [replace(e, text=f"A wombat was seen near guard post uniq{n}.") for n, e in enumerate(bulk_facts(MANY))]
    plan = await store.plan_import(changed, replace=True)
    assert len(plan.changed) == MANY and plan.removed
    _, _, _, revisions_before = index_state(store.path)
    await store.apply_import(plan, OPERATOR)
    held, wanted, _, revisions = index_state(store.path)
    assert held == wanted
    assert revisions == revisions_before + MANY + len(plan.removed)
    assert await ids_matching(store, fts("quokka")) == set()
    assert await ids_matching(store, fts("wombat")) == {f"bulk-{n}" for n in range(MANY)}
    assert "shot-five-times" not in await ids_matching(store, fts("countrymen"))
    assert (await store.history("bulk-0"))[0][0].note == "changed by import"
    assert (await store.history("shot-five-times"))[0][0].note == "removed by import (replace)"
    # The triggers are back: a single write is indexed as before.
    await store.update(replace(changed[0], text="A platypus.", version=2), ALICE, 2)
    assert await ids_matching(store, fts("platypus")) == {"bulk-0"}
    assert "bulk-0" not in await ids_matching(store, fts("wombat"))
    assert index_state(store.path)[0] == index_state(store.path)[1]


async def test_a_big_import_with_one_bad_row_writes_nothing(store):
    """The last entry repeats the id of an earlier one: SQLite refuses it after several batches were written,
    and every one of them is rolled back, the index and the triggers with them."""
    before = index_state(store.path)
    counts = await store.counts()
    generation = await store.meta("entries_generation")
    entries = bulk_facts(MANY)
    entries[-1] = replace(entries[-1], id="bulk-5")
    plan = await store.plan_import(entries, replace=False)
    assert len(plan.added) == MANY
    progress: list[int] = []
    with pytest.raises(StoreError):
        await store.apply_import(plan, OPERATOR, lambda done, _total: progress.append(done))
    assert progress and progress[-1] >= IMPORT_BATCH  # it failed after writing some
    assert index_state(store.path) == before
    assert await store.counts() == counts
    assert await store.meta("entries_generation") == generation
    assert await store.get("bulk-0", include_deleted=True) is None
    assert await ids_matching(store, fts("quokka")) == set()
    # and the store takes writes again, indexed by its triggers
    await store.add(bulk_facts(1)[0], ALICE)
    assert await ids_matching(store, fts("quokka")) == {"bulk-0"}


async def test_seeding_indexes_every_entry(tmp_path):
    store = await Store.open(tmp_path / "seeded.db")
    try:
        triggers_before = index_state(store.path)[2]
        await seed_store(store, DATA_DIR)
        held, wanted, triggers, revisions = index_state(store.path)
        assert held == wanted and len(held) == (await store.counts()).total
        assert triggers == triggers_before and revisions == 0
        assert "shot-five-times" in await ids_matching(store, fts("countrymen"))
    finally:
        await store.close()


async def test_a_hit_shows_the_entry_as_it_is_now(store):
    """Hits are decoded once per version of an entry: an edit (here or by another process) shows at once."""
    entry = (await store.match(fts("countrymen")))[0].entry
    assert entry.id == "shot-five-times"
    await store.update(replace(entry, text=entry.text + " His countrymen watched."), ALICE, entry.version)
    assert (await store.match(fts("countrymen")))[0].entry.text.endswith("His countrymen watched.")
    with sqlite3.connect(store.path) as db:  # another process edits it
        db.execute("UPDATE entries SET text = 'Changed elsewhere.', version = version + 1 WHERE id = ?", (entry.id,))
    assert (await store.match(fts("countrymen")))[0].entry.text == "Changed elsewhere."
