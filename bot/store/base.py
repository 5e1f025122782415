"""Connections, transactions and the helpers every part of the store shares."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import aiosqlite

from bot.indexing import INDEX_VERSION, search_columns
from bot.models import Entry
from bot.store.connection import StoreError, connect, explain
from bot.store.errors import StoreBusy, StoreMoved
from bot.store.migrations import migrate
from bot.store.rows import COLUMNS, entry_from_row

log = logging.getLogger("bot.store")


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


async def fetch_meta(db: aiosqlite.Connection, key: str) -> str | None:
    row = await _first(db, "SELECT value FROM meta WHERE key = ?", (key,))
    return None if row is None else str(row[0])


async def fetch_entry(db: aiosqlite.Connection, entry_id: str, *, include_deleted: bool = True) -> Entry | None:
    """One entry by id on this connection (inside a transaction, it sees the transaction's own changes)."""
    where = "" if include_deleted else " AND deleted_at IS NULL"
    row = await _first(db, f"SELECT {COLUMNS} FROM entries WHERE id = ?{where}", (entry_id,))
    return None if row is None else entry_from_row(row)


class Pacer:
    """For a long loop on the event loop (an import's 10,000 entries): `await pacer()` once per item lets other
    tasks run whenever the loop has held on for `every` seconds, so a question waits at most that long per
    step, however long the loop."""

    def __init__(self, every: float = 0.002) -> None:
        self.every = every
        self._since = time.perf_counter()

    async def __call__(self) -> None:
        if time.perf_counter() - self._since >= self.every:
            await asyncio.sleep(0)
            self._since = time.perf_counter()


def _store_error(exc: sqlite3.Error, path: Path) -> StoreError:
    message = explain(exc, path)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
        return StoreBusy(message)
    return StoreError(message)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


READERS = 2
# How long a change waits for the one writer (e.g. behind a large import) before it gives up and says so.
WRITE_WAIT_SECONDS = 30.0


def _file_identity(path: Path) -> tuple[int, int] | None:
    """The database file's device and inode (os.stat only: never open() it, see connection.py), or None."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class StoreBase:
    """The connections: one writer (writes serialised by a lock, each in a transaction) and a few readers
    taken in turn (WAL lets them read while the writer writes)."""

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
        self._hits: dict[str, tuple[int, Entry, frozenset[str], frozenset[str]]] = {}
        # The file our connections hold: if the path later names another file (or none), writes are refused.
        self._identity = None if str(path) == ":memory:" else _file_identity(path)
        self._moved = False

    @property
    def _reader(self) -> aiosqlite.Connection:
        self._turn = (self._turn + 1) % len(self._readers)
        return self._readers[self._turn]

    @classmethod
    async def open(cls, path: Path) -> Self:
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
        if await fetch_meta(self._writer, "index_version") == str(INDEX_VERSION):
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
        """One write transaction: after the changes before it (waiting at most WRITE_WAIT_SECONDS), on the file
        the store opened, all or nothing.  What SQLite refuses comes out as StoreError, in words."""
        try:
            async with asyncio.timeout(WRITE_WAIT_SECONDS):
                await self._write_lock.acquire()
        except TimeoutError:
            raise StoreBusy(
                f"the store is busy with another change (a large import?) for over {WRITE_WAIT_SECONDS:g} s"
            ) from None
        try:
            self._check_file()
            try:
                await self._writer.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _store_error(exc, self.path) from exc
            try:
                yield self._writer
                await self._writer.execute("COMMIT")
            except BaseException as exc:
                with suppress(sqlite3.Error, ValueError):  # SQLite may have rolled back already (disk full)
                    await self._writer.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _store_error(exc, self.path) from exc
                if isinstance(exc, OverflowError | UnicodeEncodeError):  # a value SQLite cannot hold
                    raise StoreError(f"the change could not be written to {self.path} ({exc})") from exc
                raise
        finally:
            self._write_lock.release()

    def _check_file(self) -> None:
        """Refuse to write when the database file was deleted or replaced under us: the edits would go into a
        file nobody will open again, and a restart would start from whatever the path now holds."""
        if self._identity is None or _file_identity(self.path) == self._identity:
            return
        if not self._moved:
            self._moved = True
            log.error(
                "the database file %s was deleted or replaced while StoryBot was running: refusing every change "
                "from now on (questions are still answered from the old file). Put the right file back or "
                "restore a backup, then restart StoryBot.",
                self.path,
            )
        raise StoreMoved(
            f"the database file {self.path} was deleted or replaced while the bot was running, so nothing can be "
            "saved until the operator restarts StoryBot (see its log)"
        )

    async def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        return await _all(self._reader, sql, params)

    async def _one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        return await _first(self._reader, sql, params)

    def _touched(self) -> None:
        # Our own changes to entries reach the vocabulary at once, without waiting for its next check.
        self._local_writes += 1
