"""The Store: every SQL statement StoryBot runs, behind async methods that return dataclasses."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.indexing import INDEX_VERSION, search_columns, split_terms
from bot.models import KINDS, Actor, Entry, Hit, ImportPlan, Paragraph, Revision, StoreCounts
from bot.store.connection import StoreError, connect, explain
from bot.store.migrations import migrate
from bot.store.rows import COLUMNS, entry_from_row, entry_values

_TITLE_COLUMN = {"fact": "topic", "quote": "speaker", "event": "when_text", "person": "name", "term": "term"}
_ACTIVE = "deleted_at IS NULL"


class NotFound(LookupError):
    """No entry (or revision) with that id."""


class ConflictError(RuntimeError):
    """The entry changed since the editor loaded it."""

    def __init__(self, current: Entry) -> None:
        self.current = current
        super().__init__(f"{current.kind} {current.id!r} changed since you opened it (now version {current.version})")


class DuplicateId(ValueError):
    """An entry with that id already exists."""


async def _all(db: aiosqlite.Connection, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
    """Every row, with the statement finished: an unfinished one would hold its reader on an old snapshot."""
    return list(await db.execute_fetchall(sql, params))


async def _first(db: aiosqlite.Connection, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
    rows = await _all(db, sql, params)
    return rows[0] if rows else None


def _containing(text: str) -> str:
    """A LIKE pattern matching text that contains `text` literally (its % and _ escaped)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


READERS = 2
# Another process's commit (a CLI import while the bot runs) reaches the answer engine's vocabulary
# within this many seconds; our own writes reach it at once.
VOCAB_RECHECK_SECONDS = 0.5


class Store:
    """One writer connection (writes serialised) and a few reader connections to one SQLite file (WAL):
    readers never wait for a write and never see half of one, and queries on them run in parallel."""

    def __init__(self, path: Path, writer: aiosqlite.Connection, readers: Sequence[aiosqlite.Connection]) -> None:
        self.path = path
        self._writer = writer
        self._readers = tuple(readers)
        self._turn = 0
        self._write_lock = asyncio.Lock()
        self._local_writes = 0
        self._vocab_version: tuple[int, int] | None = None
        self._vocab_checked = 0.0
        self._vocab: dict[str, int] = {}
        self._vocab_docs = 0

    @property
    def _reader(self) -> aiosqlite.Connection:
        self._turn = (self._turn + 1) % len(self._readers)
        return self._readers[self._turn]

    @classmethod
    async def open(cls, path: Path) -> Store:
        """Open the database, apply pending migrations; raise StoreError with one clear line."""
        path = Path(path)
        writer = await connect(path)
        readers: list[aiosqlite.Connection] = []
        try:
            await migrate(writer, f"the database {path}")
            for _ in range(READERS):
                readers.append(await connect(path))
            store = cls(path, writer, readers)
            await store._reindex_if_stale()
        except BaseException as exc:
            for db in (*readers, writer):
                with suppress(sqlite3.Error, ValueError):
                    await db.close()
            if isinstance(exc, sqlite3.Error):
                # e.g. a damaged page the first reads did not reach
                raise StoreError(explain(exc, path)) from None
            raise
        return store

    async def _reindex_if_stale(self) -> None:
        """Rebuild the search columns when this StoryBot indexes text differently from the one that wrote them."""
        if await self.meta("index_version") == str(INDEX_VERSION):
            return
        async with self._transaction() as db:
            rows = await _all(db, f"SELECT {COLUMNS} FROM entries")
            for row in rows:
                title, body, keywords = search_columns(entry_from_row(row))
                await db.execute(
                    "UPDATE entries SET search_title = ?, search_body = ?, search_keywords = ? WHERE id = ?",
                    (title, body, keywords, row["id"]),
                )
            await db.execute(
                "INSERT INTO meta (key, value) VALUES ('index_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(INDEX_VERSION),),
            )

    async def close(self) -> None:
        for db in (*self._readers, self._writer):
            with suppress(sqlite3.Error, ValueError):
                await db.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            else:
                await self._writer.execute("COMMIT")

    async def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        return await _all(self._reader, sql, params)

    async def _one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        return await _first(self._reader, sql, params)

    # ---- meta and article -------------------------------------------------------------------

    async def schema_version(self) -> int:
        row = await self._one("SELECT max(version) FROM schema_migrations")
        return int(row[0] or 0)

    async def meta(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    async def paragraph(self, number: int) -> Paragraph | None:
        row = await self._one("SELECT number, text FROM paragraphs WHERE number = ?", (number,))
        return None if row is None else Paragraph(row[0], row[1])

    async def paragraphs(self) -> list[Paragraph]:
        return [Paragraph(r[0], r[1]) for r in await self._rows("SELECT number, text FROM paragraphs ORDER BY number")]

    async def is_seeded(self) -> bool:
        return await self.meta("seeded_at") is not None

    async def seed(self, paragraphs: Iterable[Paragraph], entries: Iterable[Entry], source: str) -> bool:
        """Load the article and the seed entries into an empty store; False (and nothing done) otherwise."""
        async with self._transaction() as db:
            row = await _first(
                db, "SELECT (SELECT count(*) FROM meta WHERE key = 'seeded_at') + (SELECT count(*) FROM entries)"
            )
            if row[0]:
                return False
            await db.executemany(
                "INSERT INTO paragraphs (number, text) VALUES (?, ?)", [(p.number, p.text) for p in paragraphs]
            )
            now = _now()
            await db.executemany(_INSERT, [{**entry_values(e), "now": now} for e in entries])
            await db.execute("INSERT INTO meta (key, value) VALUES ('seeded_at', ?), ('seed_source', ?)", (now, source))
        return True

    # ---- reading entries --------------------------------------------------------------------

    async def get(self, entry_id: str, *, include_deleted: bool = False) -> Entry | None:
        where = "" if include_deleted else f" AND {_ACTIVE}"
        row = await self._one(f"SELECT {COLUMNS} FROM entries WHERE id = ?{where}", (entry_id,))
        return None if row is None else entry_from_row(row)

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

    async def ids(self, kind: str | None = None, prefix: str = "", limit: int = 25, *,
                  deleted: bool | None = False) -> list[str]:
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
            f"SELECT {COLUMNS} FROM entries WHERE kind = 'event' AND {_ACTIVE} "
            "ORDER BY sort_key, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [entry_from_row(r) for r in rows], int(total[0])

    # ---- full-text search -------------------------------------------------------------------

    async def match(self, fts_query: str, *, kind: str | None = None, limit: int = 20) -> list[Hit]:
        """Entries matching an FTS5 query built by the answer engine, best first (bm25, title and
        keywords weighted above body)."""
        kind_clause = " AND e.kind = ?" if kind else ""
        params: list[Any] = [fts_query, *( [kind] if kind else [] ), limit]
        rows = await self._rows(
            f"SELECT {', '.join('e.' + c.strip() for c in COLUMNS.split(','))}, "
            "e.search_title, e.search_body, e.search_keywords, bm25(entries_fts, 3.0, 1.0, 2.0) AS rank "
            "FROM entries_fts JOIN entries e ON e.pk = entries_fts.rowid "
            f"WHERE entries_fts MATCH ?{kind_clause} ORDER BY rank LIMIT ?",
            params,
        )
        return [
            Hit(entry_from_row(r), float(r["rank"]), *split_terms(r["search_title"], r["search_body"],
                                                                    r["search_keywords"]))
            for r in rows
        ]

    async def vocabulary(self) -> tuple[dict[str, int], int]:
        """Every indexed word with the number of entries holding it, and the number of entries.

        Cached until a commit: ours are counted, another process's show in PRAGMA data_version (read on
        one fixed connection, since each connection counts its own)."""
        now = time.monotonic()
        own = self._vocab_version is not None and self._vocab_version[1] == self._local_writes
        if own and now - self._vocab_checked < VOCAB_RECHECK_SECONDS:
            return self._vocab, self._vocab_docs
        first = self._readers[0]
        row = await _first(first, "PRAGMA data_version")
        version = (int(row[0]), self._local_writes)
        self._vocab_checked = now
        if version != self._vocab_version:
            rows = await _all(first, "SELECT term, doc FROM entries_vocab")
            docs = await _first(first, "SELECT count(*) FROM entries_fts")
            self._vocab = {r[0]: int(r[1]) for r in rows}
            self._vocab_docs = int(docs[0])
            self._vocab_version = version
        return self._vocab, self._vocab_docs

    # ---- writing entries (each records a revision) -----------------------------------------

    async def add(self, entry: Entry, actor: Actor, note: str = "") -> Entry:
        async with self._transaction() as db:
            existing = await _first(db, "SELECT kind FROM entries WHERE id = ?", (entry.id,))
            if existing is not None:
                raise DuplicateId(f"the id {entry.id!r} is already used by a {existing[0]}")
            await db.execute(_INSERT, {**entry_values(entry), "now": _now()})
            await _record(db, entry.id, entry.kind, "create", actor, None, entry, note)
        self._touched()
        return await self._must_get(entry.id)

    async def update(self, entry: Entry, actor: Actor, expected_version: int, note: str = "") -> Entry:
        """Replace an entry's content; ConflictError when someone saved it since `expected_version`."""
        async with self._transaction() as db:
            current = await _get_for_write(db, entry.id)
            if current is None or current.kind != entry.kind:
                raise NotFound(f"no {entry.kind} with id {entry.id!r}")
            if current.version != expected_version:
                raise ConflictError(current)
            if current.content_equal(entry):
                return current
            await _update(db, entry, current.deleted)
            await _record(db, entry.id, entry.kind, "edit", actor, current, entry, note)
        self._touched()
        return await self._must_get(entry.id, include_deleted=True)

    async def set_deleted(self, kind: str, entry_id: str, deleted: bool, actor: Actor) -> Entry:
        """Soft-delete (or restore) an entry; nothing is ever erased."""
        async with self._transaction() as db:
            current = await _get_for_write(db, entry_id)
            if current is None or current.kind != kind:
                raise NotFound(f"no {kind} with id {entry_id!r}")
            if current.deleted == deleted:
                state = "removed" if deleted else "live"
                raise ValueError(f"{kind} {entry_id!r} is already {state}")
            await db.execute(
                "UPDATE entries SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                (_now() if deleted else None, _now(), entry_id),
            )
            action = "delete" if deleted else "restore"
            await _record(db, entry_id, kind, action, actor, current, None if deleted else current, "")
        self._touched()
        return await self._must_get(entry_id, include_deleted=True)

    async def revert(self, revision_id: int, actor: Actor) -> Entry:
        """Put an entry back to the content a revision recorded (its `after`, or removed if none)."""
        revision = await self.revision(revision_id)
        if revision is None:
            raise NotFound(f"no revision #{revision_id}")
        target = revision.after
        async with self._transaction() as db:
            current = await _get_for_write(db, revision.entry_id)
            note = f"revert to revision #{revision_id}"
            if target is None:
                if current is None or current.deleted:
                    raise ValueError(f"{revision.kind} {revision.entry_id!r} is already removed")
                await db.execute(
                    "UPDATE entries SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                    (_now(), _now(), revision.entry_id),
                )
                await _record(db, revision.entry_id, revision.kind, "revert", actor, current, None, note)
            else:
                wanted = _entry_from_data(revision.kind, target)
                if current is None:
                    await db.execute(_INSERT, {**entry_values(wanted), "now": _now()})
                else:
                    if current.content_equal(wanted) and not current.deleted:
                        raise ValueError(f"{revision.kind} {revision.entry_id!r} already matches revision "
                                         f"#{revision_id}")
                    await _update(db, wanted, deleted=False)
                await _record(db, revision.entry_id, revision.kind, "revert", actor, current, wanted, note)
        self._touched()
        return await self._must_get(revision.entry_id, include_deleted=True)

    async def plan_import(self, entries: Sequence[Entry], replace: bool) -> ImportPlan:
        current = {e.id: e for e in await self.entries(include_deleted=True)}
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
        removed = [e for e in current.values() if replace and not e.deleted and e.id not in incoming]
        return ImportPlan(tuple(added), tuple(changed), tuple(removed), unchanged)

    async def apply_import(
        self,
        plan: ImportPlan,
        actor: Actor,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Apply an import plan in one transaction, each change recorded as a revision."""
        total = len(plan.added) + len(plan.changed) + len(plan.removed)
        done = 0
        async with self._transaction() as db:
            for entry in plan.added:
                exists = await _first(db, "SELECT 1 FROM entries WHERE id = ?", (entry.id,))
                if exists:
                    raise ConflictError(await _get_for_write(db, entry.id))  # type: ignore[arg-type]
                await db.execute(_INSERT, {**entry_values(entry), "now": _now()})
                await _record(db, entry.id, entry.kind, "import", actor, None, entry, "added by import")
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
            for old, new in plan.changed:
                current = await _get_for_write(db, old.id)
                if current is None or current.version != old.version:
                    raise ConflictError(current or old)
                if current.kind != new.kind:
                    await db.execute("DELETE FROM entries WHERE id = ?", (old.id,))
                    await db.execute(_INSERT, {**entry_values(new), "now": _now()})
                else:
                    await _update(db, new, deleted=False)
                await _record(db, new.id, new.kind, "import", actor, current, new, "changed by import")
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
            for old in plan.removed:
                await db.execute(
                    "UPDATE entries SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                    (_now(), _now(), old.id),
                )
                await _record(db, old.id, old.kind, "import", actor, old, None, "removed by import (replace)")
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
        if progress:
            progress(total, total)
        self._touched()

    async def _must_get(self, entry_id: str, *, include_deleted: bool = False) -> Entry:
        entry = await self.get(entry_id, include_deleted=include_deleted)
        if entry is None:  # pragma: no cover - only if another process removed it in between
            raise NotFound(entry_id)
        return entry

    def _touched(self) -> None:
        # data_version only moves for other connections' commits; count our own writes too.
        self._local_writes += 1

    # ---- revisions --------------------------------------------------------------------------

    async def revision(self, revision_id: int) -> Revision | None:
        row = await self._one(f"SELECT {_REV_COLUMNS} FROM revisions WHERE id = ?", (revision_id,))
        return None if row is None else _revision_from_row(row)

    async def history(self, entry_id: str, offset: int = 0, limit: int = 10) -> tuple[list[Revision], int]:
        total = await self._one("SELECT count(*) FROM revisions WHERE entry_id = ?", (entry_id,))
        rows = await self._rows(
            f"SELECT {_REV_COLUMNS} FROM revisions WHERE entry_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
            (entry_id, limit, offset),
        )
        return [_revision_from_row(r) for r in rows], int(total[0])

    async def recent_revisions(self, offset: int = 0, limit: int = 10) -> tuple[list[Revision], int]:
        total = await self._one("SELECT count(*) FROM revisions")
        rows = await self._rows(
            f"SELECT {_REV_COLUMNS} FROM revisions ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)
        )
        return [_revision_from_row(r) for r in rows], int(total[0])

    # ---- maintenance ------------------------------------------------------------------------

    async def integrity_check(self) -> str:
        row = await self._one("PRAGMA integrity_check")
        return str(row[0])

    async def backup(self, target: Path) -> None:
        """Copy the live database with SQLite's online backup API (safe while the bot runs)."""
        target = Path(target)
        if target.exists():
            raise StoreError(f"{target} already exists; choose a new file name")
        try:
            async with aiosqlite.connect(target) as dest:
                await self._reader.backup(dest)
        except (sqlite3.Error, OSError) as exc:
            target.unlink(missing_ok=True)
            raise StoreError(f"backup to {target} failed: {exc}") from None


_INSERT = (
    "INSERT INTO entries (id, kind, text, topic, speaker, context, when_text, sort_key, name, role, term, "
    "keywords, paragraphs, source, is_context, search_title, search_body, search_keywords, created_at, updated_at) "
    "VALUES (:id, :kind, :text, :topic, :speaker, :context, :when_text, :sort_key, :name, :role, :term, "
    ":keywords, :paragraphs, :source, :is_context, :search_title, :search_body, :search_keywords, :now, :now)"
)

_REV_COLUMNS = "id, entry_id, kind, action, actor_id, actor_name, at, before, after, note"


async def _get_for_write(db: aiosqlite.Connection, entry_id: str) -> Entry | None:
    row = await _first(db, f"SELECT {COLUMNS} FROM entries WHERE id = ?", (entry_id,))
    return None if row is None else entry_from_row(row)


async def _update(db: aiosqlite.Connection, entry: Entry, deleted: bool) -> None:
    values = entry_values(entry)
    sets = ", ".join(f"{k} = :{k}" for k in values if k not in {"id", "kind"})
    await db.execute(
        f"UPDATE entries SET {sets}, version = version + 1, updated_at = :now, "
        f"deleted_at = CASE WHEN :deleted THEN coalesce(deleted_at, :now) ELSE NULL END WHERE id = :id",
        {**values, "now": _now(), "deleted": int(deleted)},
    )


async def _record(
    db: aiosqlite.Connection,
    entry_id: str,
    kind: str,
    action: str,
    actor: Actor,
    before: Entry | None,
    after: Entry | None,
    note: str,
) -> None:
    await db.execute(
        "INSERT INTO revisions (entry_id, kind, action, actor_id, actor_name, at, before, after, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry_id,
            kind,
            action,
            actor.id,
            actor.name,
            _now(),
            None if before is None else json.dumps(before.to_data(), ensure_ascii=False),
            None if after is None else json.dumps(after.to_data(), ensure_ascii=False),
            note,
        ),
    )


def _revision_from_row(row: Any) -> Revision:
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


def _entry_from_data(kind: str, data: dict[str, Any]) -> Entry:
    fields = {k: v for k, v in data.items() if k not in {"keywords", "paragraphs", "sort", "is_context"}}
    return Entry(
        kind=kind,
        keywords=tuple(data.get("keywords", ())),
        paragraphs=tuple(data.get("paragraphs", ())),
        sort=data.get("sort"),
        is_context=bool(data.get("is_context", False)),
        **fields,
    )
