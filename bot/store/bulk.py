"""Writing many entries in one transaction: the per-row triggers set aside, the index brought up to date once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

import aiosqlite

from bot.store.base import _all, _first

_TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entries' ORDER BY rowid"
_IDS = "SELECT value FROM json_each(?)"
_INDEX_COLUMNS = (
    "INSERT INTO entries_fts (rowid, title, body, keywords) SELECT pk, search_title, search_body, search_keywords"
)


@asynccontextmanager
async def indexed_once(db: aiosqlite.Connection, changed_ids: Iterable[str] = ()) -> AsyncIterator[None]:
    """Inside a write transaction, a block that inserts entries and updates those of `changed_ids`.

    Row by row, the triggers of migrations 0001 and 0003 would rewrite the full-text index and move the
    entries' generation once per entry (over half of a 100,000-entry import).  They are dropped for the block
    and created again after it, and what they would have done is done once: the index rows of the changed
    entries replaced, those of the new ones (every pk above the largest before) added, the generation moved.
    All of it is part of the caller's transaction: a failure or a crash anywhere leaves the old triggers, the
    old index and the old entries together."""
    triggers = [(str(row[0]), str(row[1])) for row in await _all(db, _TRIGGERS)]
    newest = int((await _first(db, "SELECT coalesce(max(pk), 0) FROM entries"))[0])
    for name, _sql in triggers:
        await db.execute(f'DROP TRIGGER "{name}"')
    yield
    changed = json.dumps(list(changed_ids))
    await db.execute(
        f"DELETE FROM entries_fts WHERE rowid IN (SELECT pk FROM entries WHERE id IN ({_IDS}))", (changed,)
    )
    await db.execute(f"{_INDEX_COLUMNS} FROM entries WHERE id IN ({_IDS}) AND deleted_at IS NULL", (changed,))
    await db.execute(f"{_INDEX_COLUMNS} FROM entries WHERE pk > ? AND deleted_at IS NULL", (newest,))
    await db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'entries_generation'")
    for _name, sql in triggers:
        await db.execute(sql)
