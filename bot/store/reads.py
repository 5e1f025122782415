"""Reading entries, the article and the store's metadata."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from bot.models import KINDS, TITLE_FIELDS, Entry, ImportPlan, Paragraph, StoreCounts
from bot.store.base import Pacer, StoreBase, _containing, fetch_entry, fetch_meta
from bot.store.rows import COLUMNS, entry_from_row

# `when` is a keyword in SQL: the column is when_text.
_TITLE_COLUMN = {kind: "when_text" if name == "when" else name for kind, name in TITLE_FIELDS.items()}
_ACTIVE = "deleted_at IS NULL"


class EntryReads(StoreBase):
    # ---- meta and article -------------------------------------------------------------------

    async def schema_version(self) -> int:
        row = await self._one("SELECT max(version) FROM schema_migrations")
        return int(row[0] or 0)

    async def meta(self, key: str) -> str | None:
        return await fetch_meta(self._reader, key)

    async def paragraph(self, number: int) -> Paragraph | None:
        row = await self._one("SELECT number, text FROM paragraphs WHERE number = ?", (number,))
        return None if row is None else Paragraph(row[0], row[1])

    async def paragraphs(self) -> list[Paragraph]:
        return [Paragraph(r[0], r[1]) for r in await self._rows("SELECT number, text FROM paragraphs ORDER BY number")]

    async def is_seeded(self) -> bool:
        return await self.meta("seeded_at") is not None

    # ---- reading entries --------------------------------------------------------------------

    async def get(self, entry_id: str, *, include_deleted: bool = False) -> Entry | None:
        return await fetch_entry(self._reader, entry_id, include_deleted=include_deleted)

    async def get_many(self, entry_ids: Sequence[str]) -> list[Entry]:
        if not entry_ids:
            return []
        marks = ",".join("?" * len(entry_ids))
        rows = await self._rows(f"SELECT {COLUMNS} FROM entries WHERE id IN ({marks}) AND {_ACTIVE}", entry_ids)
        found = {row["id"]: entry_from_row(row) for row in rows}
        return [found[i] for i in entry_ids if i in found]

    async def entries(self, kind: str | None = None, *, include_deleted: bool = False) -> list[Entry]:
        clauses = [] if include_deleted else [_ACTIVE]
        params: list[Any] = []
        if kind:
            clauses.append("kind = ?")
            params.append(kind)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = await self._rows(f"SELECT {COLUMNS} FROM entries {where} ORDER BY kind, sort_key, id", params)
        return [entry_from_row(r) for r in rows]

    async def phrased(self) -> list[Entry]:
        """Every live entry that was taught questions, the latest changed first (a partial index finds them)."""
        rows = await self._rows(
            f"SELECT {COLUMNS} FROM entries INDEXED BY entries_phrased WHERE phrasings != '[]' AND {_ACTIVE} "
            "ORDER BY updated_at DESC, id"
        )
        return [entry_from_row(r) for r in rows]

    async def counts(self) -> StoreCounts:
        rows = await self._rows(f"SELECT kind, count(*) FROM entries WHERE {_ACTIVE} GROUP BY kind")
        found = {r[0]: r[1] for r in rows}
        paragraphs = await self._one("SELECT count(*) FROM paragraphs")
        return StoreCounts({k: found.get(k, 0) for k in KINDS}, int(paragraphs[0]))

    async def random_entry(self, kind: str, title: str | None = None) -> Entry | None:
        """A random live entry of a kind, optionally whose title (topic, speaker...) contains `title`."""
        clause, params = self._title_filter(kind, title)
        row = await self._one(f"SELECT count(*) FROM entries WHERE kind = ? AND {_ACTIVE}{clause}", params)
        total = int(row[0])
        if not total:
            return None
        pick = await self._one(
            f"SELECT {COLUMNS} FROM entries WHERE kind = ? AND {_ACTIVE}{clause} ORDER BY pk LIMIT 1 OFFSET ?",
            [*params, random.randrange(total)],
        )
        return entry_from_row(pick)

    async def by_title(self, kind: str, title: str, limit: int = 25) -> list[Entry]:
        clause, params = self._title_filter(kind, title)
        rows = await self._rows(
            f"SELECT {COLUMNS} FROM entries WHERE kind = ? AND {_ACTIVE}{clause} ORDER BY sort_key, id LIMIT ?",
            [*params, limit],
        )
        return [entry_from_row(r) for r in rows]

    @staticmethod
    def _title_filter(kind: str, title: str | None) -> tuple[str, list[Any]]:
        if not title:
            return "", [kind]
        return f" AND {_TITLE_COLUMN[kind]} LIKE ? ESCAPE '\\'", [kind, _containing(title)]

    async def titles(self, kind: str, limit: int = 500) -> list[str]:
        """The distinct titles of a kind (topics, speakers, names, terms), for menus and autocomplete."""
        column = _TITLE_COLUMN[kind]
        rows = await self._rows(
            f"SELECT DISTINCT {column} FROM entries WHERE kind = ? AND {_ACTIVE} AND {column} IS NOT NULL "
            f"ORDER BY {column} LIMIT ?",
            (kind, limit),
        )
        return [r[0] for r in rows]

    async def ids(
        self, kind: str | None = None, prefix: str = "", limit: int = 25, *, deleted: bool | None = False
    ) -> list[str]:
        """Ids containing `prefix`: live ones (deleted=False), removed ones (True) or both (None)."""
        params: list[Any] = [_containing(prefix)]
        state = {False: f" AND {_ACTIVE}", True: " AND deleted_at IS NOT NULL", None: ""}[deleted]
        clause = ""
        if kind:
            clause = " AND kind = ?"
            params.append(kind)
        rows = await self._rows(
            f"SELECT id FROM entries WHERE id LIKE ? ESCAPE '\\'{state}{clause} ORDER BY id LIMIT ?",
            [*params, limit],
        )
        return [r[0] for r in rows]

    async def timeline(self, offset: int, limit: int) -> tuple[list[Entry], int]:
        """A page of events in story order, and the number of events."""
        total = await self._one(f"SELECT count(*) FROM entries WHERE kind = 'event' AND {_ACTIVE}")
        rows = await self._rows(
            f"SELECT {COLUMNS} FROM entries WHERE kind = 'event' AND {_ACTIVE} ORDER BY sort_key, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [entry_from_row(r) for r in rows], int(total[0])

    async def plan_import(self, entries: Sequence[Entry], replace: bool) -> ImportPlan:
        """What importing these entries would add, change and (replace mode) remove; nothing is written.
        The comparison pauses every few milliseconds, so a large file does not hold up questions."""
        pace = Pacer()
        current: dict[str, Entry] = {}
        for row in await self._rows(f"SELECT {COLUMNS} FROM entries ORDER BY kind, sort_key, id"):
            current[row["id"]] = entry_from_row(row)
            await pace()
        added: list[Entry] = []
        changed: list[tuple[Entry, Entry]] = []
        unchanged = 0
        incoming = set()
        for entry in entries:
            incoming.add(entry.id)
            old = current.get(entry.id)
            if old is None:
                added.append(entry)
            elif old.deleted or not old.content_equal(entry):
                changed.append((old, entry))
            else:
                unchanged += 1
            await pace()
        removed = [e for e in current.values() if replace and not e.deleted and e.id not in incoming]
        return ImportPlan(tuple(added), tuple(changed), tuple(removed), unchanged)
