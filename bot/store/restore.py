"""Restoring the database from a backup: the file is checked on a copy first, the database is replaced only
while no other process has it open, and the database as it was is kept beside it so a restore can be undone."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from bot.store.connection import StoreError, Unreadable, connect_exclusive, explain
from bot.store.migrations import available
from bot.store.store import Store

STAGING_PREFIX = ".storybot-restore-"


@dataclass(frozen=True, slots=True)
class Restored:
    source: Path
    target: Path
    entries: int
    kept: Path | None  # the database as it was before the restore; None when there was none
    schema_from: int  # the backup's schema version, before it was brought up to date
    schema_to: int


async def restore(source: Path, target: Path) -> Restored:
    """Replace the database at `target` with the backup at `source`; raise StoreError (changing nothing)
    for a file that is damaged, not a StoryBot database, from a newer StoryBot or the database itself, and
    while another process has the database open."""
    source, target = Path(source), Path(target)
    _check_source(source, target)
    try:
        return await _restore(source, target)
    except OSError as exc:  # the database's folder cannot be created or written, the disk is full...
        raise StoreError(f"cannot restore into {target}: {exc.strerror or exc}; nothing changed") from None


async def _restore(source: Path, target: Path) -> Restored:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=target.parent) as staging:
        staged = Path(staging) / "restore.db"
        schema_from = await _stage(source, staged)
        store = await Store.open(staged)  # applies the migrations a backup from an older StoryBot lacks
        try:
            entries = (await store.counts()).total
            problem = await store.integrity_check()
        finally:
            await store.close()
        if problem != "ok":
            problem = " ".join(problem.split())[:120]
            raise StoreError(f"{source} did not check out after its migrations ({problem}); nothing changed")
        kept = await _replace(staged, target)
    return Restored(source, target, entries, kept, schema_from, available()[-1].version)


def _check_source(source: Path, target: Path) -> None:
    if not source.is_file():
        raise StoreError(f"cannot restore from {source}: no such file")
    if not os.access(source, os.R_OK):
        raise StoreError(f"cannot restore from {source}: it is not readable by this user")
    if target.exists() and os.path.samefile(source, target):
        raise StoreError(f"{source} is the database itself; restore from a backup file instead")


async def _stage(source: Path, staged: Path) -> int:
    """Copy the backup (read-only, through SQLite, so a hot WAL is included) and check the copy: its
    integrity, that it is a StoryBot database, and a schema this StoryBot knows.  Return its schema version."""
    newest = available()[-1].version
    try:
        # Read-only, and with no -wal beside it also immutable: SQLite then creates no -wal or -shm next to
        # the backup.  A -wal beside it (a copy of a live database, or one in use) is read, as it must be.
        has_wal = source.with_name(source.name + "-wal").exists()
        read_only = f"{source.resolve().as_uri()}?mode=ro{'' if has_wal else '&immutable=1'}"
        async with aiosqlite.connect(read_only, uri=True) as backup, aiosqlite.connect(staged) as copy:
            await backup.backup(copy)
        async with aiosqlite.connect(staged) as copy:
            problem = str((await _rows(copy, "PRAGMA integrity_check"))[0][0])
            tables = {str(r[0]) for r in await _rows(copy, "SELECT name FROM sqlite_master WHERE type = 'table'")}
            versions = (
                [int(r[0]) for r in await _rows(copy, "SELECT version FROM schema_migrations")]
                if "schema_migrations" in tables
                else []
            )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot restore from {source}: {explain(exc, source)}; nothing changed") from None
    if problem != "ok":
        problem = " ".join(problem.split())[:120]
        raise StoreError(f"cannot restore from {source}: it is damaged (integrity check: {problem}); nothing changed")
    if not versions or "entries" not in tables:
        raise StoreError(f"cannot restore from {source}: it is not a StoryBot database; nothing changed")
    if max(versions) > newest:
        raise StoreError(
            f"cannot restore from {source}: it was written by a newer StoryBot (schema version {max(versions)}; "
            f"this one knows up to {newest}); upgrade StoryBot first; nothing changed"
        )
    return max(versions)


async def _rows(db: aiosqlite.Connection, sql: str) -> list[sqlite3.Row]:
    return list(await db.execute_fetchall(sql))


async def _replace(staged: Path, target: Path) -> Path | None:
    """Copy `staged` over `target` holding SQLite's exclusive lock (refused while another process has the
    database open), after keeping a copy of `target`.  Return where that copy is."""
    kept: Path | None = None
    had_data = target.exists() and target.stat().st_size > 0
    try:
        live = await connect_exclusive(target)
    except Unreadable:
        # Not a database at all: no StoryBot can have it open (none starts on one), and SQLite cannot lock
        # it either.  Set it aside and restore into a new file.
        kept = _set_aside(target)
        live = await connect_exclusive(target)
    try:
        if kept is None and had_data:
            kept = _kept_name(target)
            await _copy(live, kept)
        page_size = int((await _rows(live, "PRAGMA page_size"))[0][0])
        async with aiosqlite.connect(staged, isolation_level=None) as source:
            await _resize_pages(source, page_size)
            await source.backup(live)
    except sqlite3.Error as exc:
        raise StoreError(explain(exc, target)) from None
    finally:
        await live.close()
    return kept


async def _resize_pages(staged: aiosqlite.Connection, page_size: int) -> None:
    """Give the staged copy the database's page size: SQLite cannot change the page size of a WAL database,
    so a backup into one must match it."""
    if int((await _rows(staged, "PRAGMA page_size"))[0][0]) == page_size:
        return
    await staged.execute_fetchall("PRAGMA journal_mode = DELETE")
    await staged.execute_fetchall(f"PRAGMA page_size = {page_size}")
    await staged.execute_fetchall("VACUUM")


async def _copy(live: aiosqlite.Connection, kept: Path) -> None:
    """The database as it is, copied to `kept` (nothing left behind if that fails)."""
    try:
        async with aiosqlite.connect(kept) as copy:
            await live.backup(copy)
    except sqlite3.Error as exc:
        kept.unlink(missing_ok=True)
        raise StoreError(f"cannot keep a copy of the database in {kept} ({exc}); nothing changed") from None


def _set_aside(target: Path) -> Path:
    """Move a database SQLite cannot read (and its -wal and -shm) to the kept name; the restore then makes a
    new file."""
    kept = _kept_name(target)
    try:
        for suffix in ("", "-wal", "-shm"):
            side = target.with_name(target.name + suffix)
            if side.exists():
                side.replace(kept.with_name(kept.name + suffix))
    except OSError as exc:
        raise StoreError(f"cannot move {target} aside to {kept}: {exc.strerror}") from None
    return kept


def _kept_name(target: Path) -> Path:
    """`storybot.db` -> `storybot.before-restore-20261126-101500.db` beside it (a new name every time)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 1000):
        tail = f"-{attempt}" if attempt > 1 else ""
        kept = target.with_name(f"{target.stem}.before-restore-{stamp}{tail}{target.suffix}")
        if not any(kept.with_name(kept.name + s).exists() for s in ("", "-wal", "-shm")):
            return kept
    raise StoreError(f"cannot find a free name to keep {target} under; clear out old before-restore copies")
