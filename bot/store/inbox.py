"""The inbox: questions the bot could not answer and answers reported as wrong, grouped by a question key.

Askers are stored only as a keyed hash of their id (the key is a salt made once per store, in the meta table),
enough to count distinct askers and to allow one report per person, never to tell who they are."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import aiosqlite

from bot.models import InboxItem
from bot.store.base import StoreBase, _all, _first, _now, fetch_meta

# What an item keeps of its asks (the text, where, when): the latest few; its count goes on regardless.
ASKS_KEPT = 20
_ITEM_COLUMNS = (
    "i.id, i.kind, i.key, i.entry_id, i.count, i.first_seen, i.last_seen, "
    "(SELECT count(*) FROM inbox_askers a WHERE a.item_id = i.id) AS askers"
)
_ORDER = "ORDER BY i.count DESC, i.last_seen DESC, i.id DESC"


def _at(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else _now()


class InboxStore(StoreBase):
    _inbox_salt: bytes | None = None

    async def _asker(self, db: aiosqlite.Connection, asker_id: str) -> str:
        """The asker as the inbox keeps them: a salted hash, the same for one person in one store."""
        if self._inbox_salt is None:
            salt = await fetch_meta(db, "inbox_salt")
            if salt is None:  # pragma: no cover - migration 0004 makes it
                raise RuntimeError("the store has no inbox salt")
            self._inbox_salt = bytes.fromhex(salt)
        return hmac.new(self._inbox_salt, asker_id.encode(), hashlib.sha256).hexdigest()[:32]

    async def record_question(
        self, key: str, text: str, place: str, asker_id: str, *, max_items: int, at: datetime | None = None
    ) -> int:
        """Count a question the bot could not answer in the item of its key (a new item past `max_items` drops
        the item asked least recently); the item's id."""
        return (await self.record_questions([(key, text, place, asker_id)], max_items=max_items, at=at))[0]

    async def record_questions(
        self, asks: Sequence[tuple[str, str, str, str]], *, max_items: int, at: datetime | None = None
    ) -> list[int]:
        """`record_question` for several questions (key, text, place, asker id) at once, in the order given: one
        transaction and a fixed number of statements whatever their number (under load, recording one question
        at a time cost more than answering it); the items' ids."""
        if not asks:
            return []
        when = _at(at)
        async with self._transaction() as db:
            askers = [await self._asker(db, asker_id) for _key, _text, _place, asker_id in asks]
            await db.executemany(_UPSERT_ITEM, [("unanswered", key, "", when, when) for key, *_rest in asks])
            keys = sorted({key for key, *_rest in asks})
            rows = await _all(
                db,
                "SELECT key, id FROM inbox_items WHERE kind = 'unanswered' AND entry_id = '' "
                "AND key IN (SELECT value FROM json_each(?))",
                (json.dumps(keys),),
            )
            items = {str(r[0]): int(r[1]) for r in rows}
            ids = [items[key] for key, *_rest in asks]
            await db.executemany(
                _INSERT_ASK, [(item, text, place, when) for item, (_k, text, place, _a) in zip(ids, asks, strict=True)]
            )
            await db.executemany(_TRIM_ASKS, [(item, item, ASKS_KEPT) for item in sorted(set(ids))])
            await db.executemany(_UPSERT_ASKER, [(item, asker, when) for item, asker in zip(ids, askers, strict=True)])
            await _cap(db, max_items)
        return ids

    async def record_report(
        self,
        key: str,
        text: str,
        entry_id: str,
        place: str,
        asker_id: str,
        comment: str,
        *,
        max_items: int,
        at: datetime | None = None,
    ) -> bool:
        """A reader's "wrong answer" to a question (the entry given, their comment); False, and nothing written,
        when they already reported that answer to that question."""
        async with self._transaction() as db:
            asker = await self._asker(db, asker_id)
            if await _reported(db, key, entry_id, asker):
                return False
            when = _at(at)
            item = await _ask(db, "reported", key, entry_id, text, place, asker, when)
            await db.execute(
                "INSERT INTO inbox_reports (item_id, asker, comment, at) VALUES (?, ?, ?, ?)",
                (item, asker, comment, when),
            )
            await _cap(db, max_items)
        return True

    async def has_reported(self, key: str, entry_id: str, asker_id: str) -> bool:
        db = self._reader
        return await _reported(db, key, entry_id, await self._asker(db, asker_id))

    async def purge_inbox(self, keep_days: int, now: datetime | None = None) -> int:
        """Forget what is older than `keep_days`: items last asked before then, and older asks, askers and
        reports of the others; the number of items dropped."""
        cutoff = _at((now or datetime.now(UTC)) - timedelta(days=keep_days))
        async with self._transaction() as db:
            # The cheap check first: purging runs on every recorded question.
            row = await _first(db, "SELECT min(at) FROM inbox_asks")
            oldest = await _first(db, "SELECT min(at) FROM inbox_askers")
            if (row[0] is None or row[0] >= cutoff) and (oldest[0] is None or oldest[0] >= cutoff):
                return 0
            cursor = await db.execute("DELETE FROM inbox_items WHERE last_seen < ?", (cutoff,))
            dropped = cursor.rowcount
            for table in ("inbox_asks", "inbox_askers", "inbox_reports"):
                await db.execute(f"DELETE FROM {table} WHERE at < ?", (cutoff,))
        return dropped

    async def inbox_page(self, offset: int, limit: int) -> tuple[list[InboxItem], int]:
        """A page of the inbox, the most asked first (then the latest), and the number of items."""
        total = await self._one("SELECT count(*) FROM inbox_items")
        rows = await self._rows(f"SELECT {_ITEM_COLUMNS} FROM inbox_items i {_ORDER} LIMIT ? OFFSET ?", (limit, offset))
        return await self._items(rows), int(total[0])

    async def inbox_item(self, item_id: int) -> InboxItem | None:
        rows = await self._rows(f"SELECT {_ITEM_COLUMNS} FROM inbox_items i WHERE i.id = ?", (item_id,))
        items = await self._items(rows)
        return items[0] if items else None

    async def inbox_items_with(self, keys: Sequence[str]) -> list[InboxItem]:
        """The items, of either kind, whose question has one of these keys."""
        rows = await self._rows(
            f"SELECT {_ITEM_COLUMNS} FROM inbox_items i WHERE i.key IN (SELECT value FROM json_each(?)) {_ORDER}",
            (json.dumps(list(keys)),),
        )
        return await self._items(rows)

    async def close_inbox_items(self, item_ids: Sequence[int]) -> int:
        """Take items out of the inbox (taught or dismissed), with everything recorded for them; how many."""
        async with self._transaction() as db:
            cursor = await db.execute(
                "DELETE FROM inbox_items WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(item_ids)),)
            )
            closed = cursor.rowcount
        return closed

    async def _items(self, rows: list[Any]) -> list[InboxItem]:
        ids = json.dumps([row["id"] for row in rows])
        asks = await self._rows(
            "SELECT item_id, text, place FROM inbox_asks WHERE item_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY id DESC",
            (ids,),
        )
        comments = await self._rows(
            "SELECT item_id, comment FROM inbox_reports WHERE item_id IN (SELECT value FROM json_each(?)) "
            "AND comment != '' ORDER BY at DESC",
            (ids,),
        )
        texts: dict[int, dict[str, None]] = {}
        places: dict[int, dict[str, None]] = {}
        for ask in asks:
            texts.setdefault(ask["item_id"], {})[ask["text"]] = None
            places.setdefault(ask["item_id"], {})[ask["place"]] = None
        said: dict[int, list[str]] = {}
        for comment in comments:
            said.setdefault(comment["item_id"], []).append(comment["comment"])
        return [
            InboxItem(
                id=row["id"],
                kind=row["kind"],
                key=row["key"],
                entry_id=row["entry_id"] or None,
                questions=tuple(texts.get(row["id"], ())),
                places=tuple(places.get(row["id"], ())),
                count=int(row["count"]),
                askers=int(row["askers"]),
                comments=tuple(said.get(row["id"], ())),
                first_seen=row["first_seen"],
                last_seen=row["last_seen"],
            )
            for row in rows
        ]


async def _reported(db: aiosqlite.Connection, key: str, entry_id: str, asker: str) -> bool:
    row = await _first(
        db,
        "SELECT 1 FROM inbox_reports r JOIN inbox_items i ON i.id = r.item_id "
        "WHERE i.kind = 'reported' AND i.key = ? AND i.entry_id = ? AND r.asker = ?",
        (key, entry_id, asker),
    )
    return row is not None


async def _ask(
    db: aiosqlite.Connection, kind: str, key: str, entry_id: str, text: str, place: str, asker: str, at: str
) -> int:
    """Count one ask in its item (made if new): the text, where and when, and the asker."""
    row = await _first(db, _UPSERT_ITEM + " RETURNING id", (kind, key, entry_id, at, at))
    item = int(row[0])
    await db.execute(_INSERT_ASK, (item, text, place, at))
    await db.execute(_TRIM_ASKS, (item, item, ASKS_KEPT))
    await db.execute(_UPSERT_ASKER, (item, asker, at))
    return item


# One ask, statement by statement (parameters as in _ask): its item made or counted, its text, where and when (the
# item's latest ASKS_KEPT kept), its asker.
_UPSERT_ITEM = (
    "INSERT INTO inbox_items (kind, key, entry_id, count, first_seen, last_seen) VALUES (?, ?, ?, 1, ?, ?) "
    "ON CONFLICT (kind, key, entry_id) DO UPDATE SET count = count + 1, last_seen = max(last_seen, excluded.last_seen)"
)
_INSERT_ASK = "INSERT INTO inbox_asks (item_id, text, place, at) VALUES (?, ?, ?, ?)"
_TRIM_ASKS = (
    "DELETE FROM inbox_asks WHERE item_id = ? AND id NOT IN "
    "(SELECT id FROM inbox_asks WHERE item_id = ? ORDER BY id DESC LIMIT ?)"
)
_UPSERT_ASKER = (
    "INSERT INTO inbox_askers (item_id, asker, at) VALUES (?, ?, ?) "
    "ON CONFLICT (item_id, asker) DO UPDATE SET at = max(at, excluded.at)"
)


async def _cap(db: aiosqlite.Connection, max_items: int) -> None:
    """Keep at most `max_items` items: the ones asked least recently go."""
    row = await _first(db, "SELECT count(*) FROM inbox_items")
    excess = int(row[0]) - max_items
    if excess > 0:
        await db.execute(
            "DELETE FROM inbox_items WHERE id IN (SELECT id FROM inbox_items ORDER BY last_seen, id LIMIT ?)", (excess,)
        )
