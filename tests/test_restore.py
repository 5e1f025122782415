"""`python -m bot restore FILE`, as an operator runs it: the backup is checked before anything changes, the
database is replaced only while no other process has it open, and the database as it was is kept beside it."""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import restore as restore_module
from bot.store.migrations import Migration, available
from bot.store.restore import STAGING_PREFIX, restore
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import REPO


def bot(db: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_cli(cli_env(db, db.parent), *args)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def refused(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


def query(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def texts(path: Path) -> dict[str, str]:
    return dict(query(path, "SELECT id, text FROM entries"))


def state(folder: Path) -> dict[str, bytes]:
    """Every file in the folder and its bytes: a changed database, a new kept copy or a leftover all show."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def edit(db: Path, entry_id: str, text: str) -> None:
    """Change one entry with the bot stopped (a plain SQL update: the FTS triggers follow it)."""
    con = sqlite3.connect(db)
    try:
        with con:
            con.execute("UPDATE entries SET text = ? WHERE id = ?", (text, entry_id))
    finally:
        con.close()


@pytest.fixture
def live(tmp_path: Path) -> Path:
    """A seeded database in its own folder."""
    db = tmp_path / "live" / "storybot.db"
    ok(bot(db, "ask", "what is the DMZ"))
    return db


@pytest.fixture
def backup(live: Path, tmp_path: Path) -> Path:
    target = tmp_path / "backups" / "monday.db"
    target.parent.mkdir()
    ok(bot(live, "backup", target))
    return target


def left_behind(folder: Path) -> list[str]:
    """Side files or staging folders a finished restore must not leave (nothing has the database open)."""
    return [
        p.name for p in folder.iterdir() if p.name.endswith(("-journal", "-wal", "-shm")) or STAGING_PREFIX in p.name
    ]


def kept_copies(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".before-restore-" in p.name)


def test_restore_puts_the_backup_back_and_keeps_the_database_it_replaced(live, backup):
    before = texts(live)
    edit(live, "shot-five-times", "Edited after the backup.")
    result = ok(bot(live, "restore", backup))
    assert f"restored 94 entries from {backup} into {live}" in result.stdout
    assert texts(live) == before
    assert query(live, "PRAGMA integrity_check") == [("ok",)]
    assert query(live, "PRAGMA journal_mode") == [("wal",)]
    [kept] = kept_copies(live.parent)
    assert sorted(p.name for p in live.parent.iterdir()) == sorted([live.name, kept.name])  # nothing else left
    assert f"the database as it was is kept in {kept}" in result.stdout
    assert kept.name.startswith("storybot.before-restore-") and kept.suffix == ".db"
    assert texts(kept)["shot-five-times"] == "Edited after the backup."
    assert left_behind(live.parent) == []
    # The bot runs on the restored database, and full-text search follows the restored text.
    answer = ok(bot(live, "ask", "how many times was he shot"))
    assert "five times" in answer.stdout and "Edited" not in answer.stdout
    # Nothing was written beside the backup (no -wal or -shm), and it still checks out.
    assert [p.name for p in backup.parent.iterdir()] == ["monday.db"]
    assert query(backup, "PRAGMA integrity_check") == [("ok",)]


def test_a_restore_can_be_undone_with_the_kept_copy(live, backup):
    edit(live, "shot-five-times", "Edited after the backup.")
    ok(bot(live, "restore", backup))
    [kept] = kept_copies(live.parent)
    ok(bot(live, "restore", kept))
    assert texts(live)["shot-five-times"] == "Edited after the backup."
    assert len(kept_copies(live.parent)) == 2


def damage(source: Path, target: Path) -> Path:
    """A copy of `source` with a page from the middle on overwritten: SQLite opens it, the integrity check fails.
    (The first page past the middle whose damage the check reports: a page of an empty table may take junk
    unnoticed, and the table's root page makes the check itself fail.)"""
    original = source.read_bytes()
    page = 4096
    for number in range(len(original) // page // 2, len(original) // page):
        data = bytearray(original)
        data[number * page + 8 : (number + 1) * page] = random.Random(8).randbytes(page - 8)  # the same every run
        target.write_bytes(bytes(data))
        with contextlib.suppress(sqlite3.DatabaseError):
            if query(target, "PRAGMA integrity_check") != [("ok",)]:
                return target
    raise AssertionError("no page to damage")


def test_a_damaged_backup_is_refused_and_nothing_changes(live, backup, tmp_path):
    bad = damage(backup, tmp_path / "damaged.db")
    assert query(bad, "PRAGMA integrity_check") != [("ok",)]
    before = state(live.parent)
    refused(bot(live, "restore", bad), str(bad), "nothing changed")
    assert state(live.parent) == before


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("random.db", os.urandom(8192), "damaged or not a SQLite file"),
        ("empty.db", b"", "not a StoryBot database"),
        ("text.db", b"not a database at all\n" * 100, "damaged or not a SQLite file"),
    ],
)
def test_a_file_that_is_not_a_database_is_refused(live, tmp_path, name, content, needle):
    bad = tmp_path / name
    bad.write_bytes(content)
    before = state(live.parent)
    refused(bot(live, "restore", bad), str(bad), needle)
    assert state(live.parent) == before


def test_another_sqlite_database_is_refused(live, tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE notes (text TEXT)")
    before = state(live.parent)
    refused(bot(live, "restore", other), "not a StoryBot database")
    assert state(live.parent) == before


def test_a_backup_from_a_newer_storybot_is_refused(live, backup):
    newest = available()[-1].version
    with sqlite3.connect(backup) as con:
        con.execute("INSERT INTO schema_migrations VALUES (?, 'from_the_future', '2030-01-01')", (newest + 1,))
    before = state(live.parent)
    refused(bot(live, "restore", backup), "newer StoryBot", f"schema version {newest + 1}")
    assert state(live.parent) == before


async def test_a_backup_from_an_older_storybot_is_migrated(live, backup, monkeypatch):
    """A StoryBot with one more migration than the backup has: the restore applies it."""
    extra = Migration(available()[-1].version + 1, "add_notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY);")
    monkeypatch.setattr("bot.store.migrations.available", lambda: [*available(), extra])
    monkeypatch.setattr(restore_module, "available", lambda: [*available(), extra])
    done = await restore(backup, live)
    assert (done.schema_from, done.schema_to) == (extra.version - 1, extra.version)
    assert (extra.version, "add_notes") in query(live, "SELECT version, name FROM schema_migrations")
    assert query(live, "SELECT name FROM sqlite_master WHERE name = 'notes'") == [("notes",)]
    # the backup itself is left as it was
    assert (extra.version,) not in query(backup, "SELECT version FROM schema_migrations")


def test_restoring_the_database_onto_itself_is_refused(live, tmp_path):
    before = state(live.parent)
    refused(bot(live, "restore", live), "is the database itself")
    link = tmp_path / "link.db"
    link.symlink_to(live)
    refused(bot(live, "restore", link), "is the database itself")
    assert state(live.parent) == before


def test_restore_is_refused_while_the_bot_has_the_database_open(live, backup):
    edit(live, "shot-five-times", "Edited after the backup.")
    console = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        cwd=REPO,
        env=cli_env(live, live.parent),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert console.stdout is not None and console.stdin is not None
        assert "StoryBot console" in console.stdout.readline()  # the store is open
        before = texts(live)
        refused(bot(live, "restore", backup), "open in another process", "stop it")
        assert texts(live) == before
        assert kept_copies(live.parent) == []
        console.stdin.close()  # end of input: the console closes the store and exits
        assert console.wait(timeout=30) == 0
    finally:
        if console.poll() is None:
            console.kill()
            console.wait()
    ok(bot(live, "restore", backup))
    assert texts(live)["shot-five-times"] != "Edited after the backup."


def test_restore_into_a_new_place_keeps_nothing(backup, tmp_path):
    fresh = tmp_path / "new" / "storybot.db"
    result = ok(bot(fresh, "restore", backup))
    assert "kept in" not in result.stdout
    assert left_behind(fresh.parent) == []
    assert texts(fresh) == texts(backup)
    assert kept_copies(fresh.parent) == []


def test_restore_over_a_database_sqlite_cannot_read_sets_it_aside(live, backup):
    live.write_bytes(b"garbage" * 1000)
    assert bot(live, "ask", "what is the DMZ").returncode == 1  # the bot refuses to start on it
    result = ok(bot(live, "restore", backup))
    [kept] = kept_copies(live.parent)
    assert kept.read_bytes() == b"garbage" * 1000
    assert f"kept in {kept}" in result.stdout
    assert left_behind(live.parent) == []
    assert texts(live) == texts(backup)


def test_a_backup_with_another_page_size_is_restored(live, backup, tmp_path):
    small = tmp_path / "small-pages.db"
    con = sqlite3.connect(backup)
    try:
        con.execute("VACUUM INTO ?", (str(small),))
    finally:
        con.close()
    con = sqlite3.connect(small, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("PRAGMA page_size = 1024")
        con.execute("VACUUM")
        assert con.execute("PRAGMA page_size").fetchone() == (1024,)
    finally:
        con.close()
    edit(live, "shot-five-times", "Edited after the backup.")
    ok(bot(live, "restore", small))
    assert left_behind(live.parent) == []
    assert texts(live) == texts(backup)
    assert query(live, "PRAGMA integrity_check") == [("ok",)]


def test_a_missing_backup_file(live, tmp_path):
    refused(bot(live, "restore", tmp_path / "absent.db"), "no such file")
