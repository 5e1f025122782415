"""Opening the SQLite file: pragmas and the checks that refuse a database we must not touch."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from pathlib import Path

import aiosqlite

BUSY_TIMEOUT_MS = 10_000
_MEMORY = Path(":memory:")


class StoreError(RuntimeError):
    """The database cannot be used as it is; the message says why in one line."""


def explain(exc: sqlite3.Error, path: Path) -> str:
    """What an SQLite error means for the database at `path`, in one line for an operator."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    lowered = message.lower()
    if any(sign in lowered for sign in ("not a database", "malformed", "corrupt", "vtable constructor failed")):
        return (
            f"the database {path} is damaged or not a SQLite file ({message}); restore it from a backup or move it away"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return (
            f"the database {path} is read-only for this user ({message}); StoryBot must be able to write it "
            f"and to create {path.name}-wal and {path.name}-shm in {path.parent}"
        )
    if "locked" in lowered or "busy" in lowered:
        return (
            f"the database {path} stayed locked by another process for over {BUSY_TIMEOUT_MS // 1000} s "
            f"({message}); try again when that process has finished"
        )
    if "unable to open" in lowered:
        return f"cannot open the database {path} ({message}); check the path and that its folder is writable"
    if "disk i/o" in lowered or "full" in lowered:
        return f"cannot read or write the database {path} ({message}); check the disk"
    return f"the database {path} cannot be used ({message})"


async def connect(path: Path) -> aiosqlite.Connection:
    """Open (creating if needed) the database with WAL, foreign keys and a busy timeout."""
    if path != _MEMORY:
        _check_access(path)
    db = await _open(path)
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
    except sqlite3.Error as exc:
        await db.close()
        raise StoreError(explain(exc, path)) from None
    if path != _MEMORY and mode is not None and str(mode[0]).lower() != "wal":
        await db.close()
        raise StoreError(f"the database {path} could not switch to WAL mode (is its folder read-only?)")
    return db


class InUse(StoreError):
    """Another process has the database open."""


class Unreadable(StoreError):
    """SQLite cannot read the file as a database at all."""


async def connect_exclusive(path: Path, wait_seconds: float = 2.0) -> aiosqlite.Connection:
    """Open the database with SQLite's exclusive locking mode and take the lock at once, so that no other
    connection can read or write it until this one closes.  In WAL mode every open connection holds a shared
    lock for as long as it is open, so this fails (InUse) while another process has the database open, even
    idle.  A file SQLite cannot read as a database raises Unreadable."""
    _check_access(path)
    db = await _open(path, wait_seconds)
    try:
        await db.execute_fetchall("PRAGMA locking_mode = EXCLUSIVE")
        # WAL before any write: in exclusive mode a rollback journal would be left behind, zeroed, after close.
        await db.execute_fetchall("PRAGMA journal_mode = WAL")
        await db.execute_fetchall("BEGIN EXCLUSIVE")
        await db.execute_fetchall("COMMIT")  # the lock stays: exclusive mode keeps it until the connection closes
    except sqlite3.Error as exc:
        await db.close()
        message = str(exc).lower()
        if "locked" in message or "busy" in message:
            raise InUse(
                f"the database {path} is open in another process (is the bot running?); stop it and try again"
            ) from None
        if "not a database" in message or "malformed" in message:
            raise Unreadable(explain(exc, path)) from None
        raise StoreError(explain(exc, path)) from None
    return db


def _check_access(path: Path) -> None:
    """Refuse, before SQLite touches anything, a database this user could only half use.

    Only stat() and access(), never open(): closing any descriptor of the database file drops every POSIX
    lock this process holds on it, the locks SQLite's open connections rely on.  Another process closing
    the database would then take itself for the last user and delete the -wal file under our feet."""
    folder = path.parent
    if not _exists(folder):
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise StoreError(f"cannot create the database folder {folder}: {exc.strerror}") from None
    if not folder.is_dir():
        raise StoreError(f"cannot create the database {path}: {folder} is not a folder")
    if _exists(path):
        if not os.access(path, os.R_OK):
            raise StoreError(f"the database {path} is not readable by this user (check its owner and permissions)")
        if not os.access(path, os.W_OK):
            raise StoreError(
                f"the database {path} is read-only for this user; StoryBot needs to write to it "
                "(check its owner and permissions)"
            )
        sides = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
        if not os.access(folder, os.W_OK | os.X_OK) and not all(os.access(s, os.R_OK | os.W_OK) for s in sides):
            raise StoreError(
                f"cannot use the database {path}: its folder is read-only for this user, and SQLite "
                f"needs to create {path.name}-wal and {path.name}-shm there (check the folder's "
                "owner and permissions)"
            )
    elif not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"cannot create the database {path}: its folder is read-only for this user "
            "(check its owner and permissions)"
        )


def _exists(path: Path) -> bool:
    try:
        os.stat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(f"cannot reach {path}: {exc.strerror} (check the permissions of its folders)") from None
    return True


async def _open(path: Path, busy_seconds: float = 5.0) -> aiosqlite.Connection:
    """An aiosqlite connection in autocommit mode (transactions are explicit); StoreError if it cannot open."""
    connection = aiosqlite.connect(path, isolation_level=None, timeout=busy_seconds)
    try:
        return await connection
    except sqlite3.Error as exc:
        await _worker_stopped(connection)
        raise StoreError(explain(exc, path)) from None


async def _worker_stopped(connection: aiosqlite.Connection) -> None:
    """After a failed open aiosqlite stops its worker thread without waiting for it; wait here, or the thread
    may report to an event loop that has already closed and print a stray traceback."""
    thread = getattr(connection, "_thread", connection)
    if isinstance(thread, threading.Thread) and thread.is_alive():
        await asyncio.to_thread(thread.join, 5)
