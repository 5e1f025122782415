"""The lexicon additions in the store: one document with a version, changed in one transaction, each change a
revision of kind "lexicon"; imports carry them in the same transaction as the entries."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time

import pytest

from bot.models import LEXICON_ENTRY, LEXICON_KIND, Actor, Entry, ImportPlan, LexiconChange, LexiconState
from bot.store import NotFound, StaleImport, Store, StoreError
from bot.store.lexicon import LEXICON_RECHECK_SECONDS

ALICE = Actor("1001", "alice")
ZORP = {"synonyms": [["zorp", "jeep"]]}


def with_zorp(document: dict) -> dict:
    return {**document, **ZORP}


async def test_a_new_store_has_no_additions_at_version_0(empty_store):
    state = await empty_store.lexicon_additions()
    assert (state.version, state.document) == (0, {})
    assert await empty_store.lexicon_version() == 0


async def test_a_change_is_stored_versioned_and_recorded(store):
    state, revision = await store.change_lexicon(with_zorp, ALICE, "add")
    assert (state.version, state.document) == (1, ZORP)
    assert await store.lexicon_additions() == state
    assert await store.lexicon_version() == 1  # our own change: seen at once
    recorded = await store.revision(revision)
    assert (recorded.kind, recorded.entry_id, recorded.action, recorded.actor_name) == (
        LEXICON_KIND,
        LEXICON_ENTRY,
        "add",
        "alice",
    )
    assert (recorded.before, recorded.after) == ({}, ZORP)
    revisions, total = await store.recent_revisions(0, 10)
    assert total == 1 and revisions[0].id == revision


async def test_an_edit_that_changes_nothing_writes_nothing(store):
    await store.change_lexicon(with_zorp, ALICE, "add")
    state, revision = await store.change_lexicon(with_zorp, ALICE, "add")
    assert revision is None and state.version == 1
    assert (await store.recent_revisions(0, 1))[1] == 1


async def test_an_edit_that_raises_writes_nothing(store):
    def refuse(document: dict) -> dict:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        await store.change_lexicon(refuse, ALICE, "add")
    assert await store.lexicon_additions() == LexiconState(0, {})
    assert (await store.recent_revisions(0, 1))[1] == 0


async def test_two_changes_at_once_both_land(store):
    def add(word: str):
        return lambda document: {"filler": [*document.get("filler", []), word]}

    await asyncio.gather(
        store.change_lexicon(add("sheesh"), ALICE, "add"), store.change_lexicon(add("bet"), ALICE, "add")
    )
    state = await store.lexicon_additions()
    assert sorted(state.document["filler"]) == ["bet", "sheesh"] and state.version == 2


async def test_entry_history_and_entry_revert_leave_lexicon_revisions_alone(store):
    fact = Entry("fact", "lexicon", "A fact whose id is the word lexicon.", topic="words", paragraphs=(1,))
    await store.add(fact, ALICE)
    _state, revision = await store.change_lexicon(with_zorp, ALICE, "add")
    history, total = await store.history("lexicon")
    assert total == 1 and history[0].kind == "fact"
    with pytest.raises(NotFound, match=f"no revision #{revision} of an entry"):
        await store.revert(revision, ALICE)
    assert await store.get("lexicon") is not None


async def test_another_process_change_is_seen_within_the_recheck(store, tmp_path):
    assert await store.lexicon_version() == 0
    other = await Store.open(store.path)
    try:
        await other.change_lexicon(with_zorp, ALICE, "add")
    finally:
        await other.close()
    started = time.monotonic()
    while await store.lexicon_version() != 1:
        assert time.monotonic() - started < LEXICON_RECHECK_SECONDS + 0.5
        await asyncio.sleep(0.02)
    assert (await store.lexicon_additions()).document == ZORP


# ---- imports --------------------------------------------------------------------------------------------------


def fact(entry_id: str) -> Entry:
    return Entry("fact", entry_id, "A zorp is what the soldier drove.", topic="words", paragraphs=(4,))


async def test_an_import_writes_entries_and_lexicon_in_one_transaction(store):
    before = await store.lexicon_additions()
    plan = ImportPlan((fact("zorp-fact"),), (), (), 0, LexiconChange(before, ZORP))
    await store.apply_import(plan, ALICE)
    assert (await store.lexicon_additions()).document == ZORP
    assert await store.get("zorp-fact") is not None
    revisions, _total = await store.recent_revisions(0, 5)
    lexicon = [r for r in revisions if r.kind == LEXICON_KIND]
    assert [(r.action, r.note, r.before, r.after) for r in lexicon] == [("import", "changed by import", {}, ZORP)]


async def test_an_import_whose_lexicon_moved_since_the_preview_writes_nothing(store):
    before = await store.lexicon_additions()
    await store.change_lexicon(lambda d: {"filler": ["sheesh"]}, ALICE, "add")
    plan = ImportPlan((fact("zorp-fact"),), (), (), 0, LexiconChange(before, ZORP))
    with pytest.raises(StaleImport) as caught:
        await store.apply_import(plan, ALICE)
    assert caught.value.entry_ids == [LEXICON_ENTRY]
    assert (await store.lexicon_additions()).document == {"filler": ["sheesh"]}
    assert await store.get("zorp-fact") is None


async def test_an_import_that_fails_midway_keeps_the_lexicon(store):
    """A write that fails after the lexicon's (a duplicate id in the plan) rolls the lexicon back too."""
    before = await store.lexicon_additions()
    plan = ImportPlan((fact("zorp-fact"), fact("zorp-fact")), (), (), 0, LexiconChange(before, ZORP))
    with pytest.raises(StoreError, match="UNIQUE constraint failed"):
        await store.apply_import(plan, ALICE)
    assert await store.lexicon_additions() == before
    assert await store.get("zorp-fact") is None


def test_the_migration_creates_the_row_once(tmp_path):
    async def open_twice() -> None:
        for _ in range(2):
            opened = await Store.open(tmp_path / "m.db")
            await opened.close()

    asyncio.run(open_twice())
    with sqlite3.connect(tmp_path / "m.db") as db:
        assert db.execute("SELECT id, document, version FROM lexicon_additions").fetchall() == [(1, "{}", 0)]
        assert json.loads(db.execute("SELECT document FROM lexicon_additions").fetchone()[0]) == {}
