"""The moderators' additions to the lexicon: one document with a version, every change recorded as a revision of
kind "lexicon" with the whole document before and after."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import Callable
from typing import Any

import aiosqlite

from bot.models import LEXICON_ENTRY, LEXICON_KIND, Actor, LexiconState
from bot.store.base import StoreBase, _first, _now

# Another process's change (a CLI import while the bot runs) reaches the answer engine within this many seconds;
# our own at once.
LEXICON_RECHECK_SECONDS = 0.5


class LexiconAdditions(StoreBase):
    # (our write count, the version read, when) at the last look: see lexicon_version
    _lexicon_seen: tuple[int, int, float] | None = None
    _lexicon_lock: asyncio.Lock | None = None  # made on first use, in the store's event loop

    async def lexicon_additions(self) -> LexiconState:
        return await fetch_additions(self._reader)

    async def lexicon_version(self) -> int:
        """The additions' version, cheap enough to ask before every question: read again at once after a change
        made through this store, and at most every LEXICON_RECHECK_SECONDS for changes by other processes (by
        one question; those arriving meanwhile take what it read)."""
        seen = self._lexicon_fresh()
        if seen is not None:
            return seen
        if self._lexicon_lock is None:
            self._lexicon_lock = asyncio.Lock()
        async with self._lexicon_lock:
            seen = self._lexicon_fresh()
            if seen is not None:
                return seen
            row = await self._one("SELECT version FROM lexicon_additions WHERE id = 1")
            version = 0 if row is None else int(row[0])
            self._lexicon_seen = (self._local_writes, version, time.monotonic())
            return version

    def _lexicon_fresh(self) -> int | None:
        """The version last read, while it may still be trusted."""
        seen = self._lexicon_seen
        if seen is None or seen[0] != self._local_writes or time.monotonic() - seen[2] >= LEXICON_RECHECK_SECONDS:
            return None
        return seen[1]

    async def change_lexicon(
        self, edit: Callable[[dict[str, Any]], dict[str, Any]], actor: Actor, action: str, note: str = ""
    ) -> tuple[LexiconState, int | None]:
        """Change the additions in one transaction: `edit` gets them as they are and returns them as they are to
        be (it may raise: then nothing is written).  The additions afterwards, and the revision that records the
        change (None when `edit` changed nothing, and nothing was written)."""
        async with self._transaction() as db:
            current = await fetch_additions(db)
            document = edit(copy.deepcopy(current.document))
            if document == current.document:
                return current, None
            state, revision = await write_additions(db, current, document, actor, action, note)
        self._lexicon_seen = None  # the next look reads the new version (the entries' vocabulary is not touched)
        return state, revision


async def fetch_additions(db: aiosqlite.Connection) -> LexiconState:
    """The additions on this connection (inside a transaction, as the transaction has them)."""
    row = await _first(db, "SELECT version, document FROM lexicon_additions WHERE id = 1")
    if row is None:  # pragma: no cover - the migration writes the row
        return LexiconState(0, {})
    return LexiconState(int(row[0]), json.loads(row[1]))


async def write_additions(
    db: aiosqlite.Connection, before: LexiconState, document: dict[str, Any], actor: Actor, action: str, note: str
) -> tuple[LexiconState, int]:
    """Inside a transaction: store the additions, move their version on, and record the revision."""
    now = _now()
    text = json.dumps(document, ensure_ascii=False)
    await db.execute(
        "UPDATE lexicon_additions SET document = ?, version = version + 1, updated_at = ? WHERE id = 1", (text, now)
    )
    cursor = await db.execute(
        "INSERT INTO revisions (entry_id, kind, action, actor_id, actor_name, at, before, after, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            LEXICON_ENTRY,
            LEXICON_KIND,
            action,
            actor.id,
            actor.name,
            now,
            json.dumps(before.document, ensure_ascii=False),
            text,
            note,
        ),
    )
    revision = cursor.lastrowid
    await cursor.close()
    assert revision is not None
    return LexiconState(before.version + 1, document), revision
