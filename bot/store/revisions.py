"""Reading the record of changes: one revision, an entry's history, the store's recent changes."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite

from bot.models import Revision
from bot.store.base import StoreBase, _first

REVISION_COLUMNS = "id, entry_id, kind, action, actor_id, actor_name, at, before, after, note"


class RevisionReads(StoreBase):
    # ---- revisions --------------------------------------------------------------------------

    async def revision(self, revision_id: int) -> Revision | None:
        return await fetch_revision(self._reader, revision_id)

    async def history(self, entry_id: str, offset: int = 0, limit: int = 10) -> tuple[list[Revision], int]:
        total = await self._one("SELECT count(*) FROM revisions WHERE entry_id = ?", (entry_id,))
        rows = await self._rows(
            f"SELECT {REVISION_COLUMNS} FROM revisions WHERE entry_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
            (entry_id, limit, offset),
        )
        return [revision_from_row(r) for r in rows], int(total[0])

    async def recent_revisions(self, offset: int = 0, limit: int = 10) -> tuple[list[Revision], int]:
        total = await self._one("SELECT count(*) FROM revisions")
        rows = await self._rows(
            f"SELECT {REVISION_COLUMNS} FROM revisions ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)
        )
        return [revision_from_row(r) for r in rows], int(total[0])


async def fetch_revision(db: aiosqlite.Connection, revision_id: int) -> Revision | None:
    row = await _first(db, f"SELECT {REVISION_COLUMNS} FROM revisions WHERE id = ?", (revision_id,))
    return None if row is None else revision_from_row(row)


def revision_from_row(row: Any) -> Revision:
    return Revision(
        id=row["id"],
        entry_id=row["entry_id"],
        kind=row["kind"],
        action=row["action"],
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        at=row["at"],
        before=None if row["before"] is None else json.loads(row["before"]),
        after=None if row["after"] is None else json.loads(row["after"]),
        note=row["note"],
    )
