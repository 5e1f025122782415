"""Numbered schema migrations, each applied in one transaction and recorded in the database."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

import aiosqlite

from bot.store.connection import StoreError

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def available() -> list[Migration]:
    """The migrations shipped with the package, in order."""
    found: list[Migration] = []
    for item in resources.files("bot.store").joinpath("migrations").iterdir():
        match = _NAME.match(item.name)
        if match:
            found.append(Migration(int(match[1]), match[2], item.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    return found


async def applied_versions(db: aiosqlite.Connection) -> set[int]:
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    rows = await db.execute_fetchall("SELECT version FROM schema_migrations")
    return {int(r[0]) for r in rows}


async def migrate(db: aiosqlite.Connection, where: str = "the database") -> list[int]:
    """Apply every pending migration; refuse (changing nothing) a database written by a newer StoryBot."""
    migrations = available()
    done = await applied_versions(db)
    newest_known = migrations[-1].version if migrations else 0
    if done and max(done) > newest_known:
        raise StoreError(
            f"{where} was written by a newer StoryBot (schema version {max(done)}; this one knows up to "
            f"{newest_known}): upgrade StoryBot, or point DATABASE_PATH at another file"
        )
    applied: list[int] = []
    for migration in migrations:
        if migration.version in done:
            continue
        await db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(migration.sql):
                await db.execute(statement)
            await db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            await db.execute("COMMIT")
        except sqlite3.Error as exc:
            await db.execute("ROLLBACK")
            raise StoreError(f"migration {migration.version:04d}_{migration.name} failed: {exc}") from None
        applied.append(migration.version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    out: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out
