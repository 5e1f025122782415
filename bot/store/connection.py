"""Opening the SQLite file: pragmas and the checks that refuse a database we must not touch."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite

BUSY_TIMEOUT_MS = 10_000


class StoreError(RuntimeError):
    """The database cannot be used as it is; the message says why in one line."""


async def connect(path: Path) -> aiosqlite.Connection:
    """Open (creating if needed) the database with WAL, foreign keys and a busy timeout."""
    if path != Path(":memory:"):
        folder = path.parent
        if not folder.exists():
            try:
                folder.mkdir(parents=True)
            except OSError as exc:
                raise StoreError(f"cannot create the database folder {folder}: {exc.strerror}") from None
        if path.exists() and not _readable(path):
            raise StoreError(f"the database {path} is not readable (check its permissions)")
    try:
        db = await aiosqlite.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from None
    db.row_factory = aiosqlite.Row
    try:
        # execute_fetchall finishes each statement: one left open would pin this connection to an old snapshot.
        await db.execute_fetchall(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        rows = list(await db.execute_fetchall("PRAGMA journal_mode = WAL"))
        mode = rows[0] if rows else None
        await db.execute_fetchall("PRAGMA foreign_keys = ON")
        await db.execute_fetchall("PRAGMA synchronous = NORMAL")
        # Reading the schema proves the file is a database and not something else.
        await db.execute_fetchall("SELECT count(*) FROM sqlite_master")
    except sqlite3.DatabaseError as exc:
        await db.close()
        raise StoreError(f"the database {path} is damaged or not a SQLite file ({exc}); "
                         "restore it from a backup or move it away") from None
    if path != Path(":memory:") and mode is not None and str(mode[0]).lower() != "wal":
        await db.close()
        raise StoreError(f"the database {path} could not switch to WAL mode (is its folder read-only?)")
    return db


def _readable(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError:
        return False
    return True
