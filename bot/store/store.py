"""The Store: every SQL statement StoryBot runs, behind async methods that return dataclasses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite

from bot.store.connection import StoreError
from bot.store.inbox import InboxStore
from bot.store.lexicon import LexiconAdditions
from bot.store.quiz import QuizScores
from bot.store.reads import EntryReads
from bot.store.revisions import RevisionReads
from bot.store.search import SearchIndex
from bot.store.writes import EntryWrites


class Store(EntryReads, SearchIndex, EntryWrites, RevisionReads, QuizScores, InboxStore, LexiconAdditions):
    """One writer connection (writes serialised) and a few reader connections to one SQLite file (WAL):
    readers never wait for a write and never see half of one, and queries on them run in parallel.
    Every SQL statement StoryBot runs lives in this package; callers get dataclasses back."""

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
