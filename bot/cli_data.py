"""Operator commands at the command line: export, import (with a progress bar), backup and restore."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from bot.app import App, restore_database
from bot.dataset import DataError, decode_text, read_file, read_import
from bot.models import OPERATOR
from bot.textrender import render

# Twice an export of a 100,000-entry store; reading, decoding and checking take about three times this in memory.
CLI_MAX_IMPORT_BYTES = 100_000_000


class ProgressBar:
    """A one-line progress bar on a terminal; silent when output is not a terminal."""

    def __init__(self, label: str, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.label = label
        self.stream = stream
        self.width = width
        self.enabled = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        filled = int(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done >= total else ""
        print(f"\r{self.label} [{bar}] {done}/{total}", end=end, file=self.stream, flush=True)


async def export_file(app: App, target: Path) -> int:
    """Write the store as JSON to a new file, or to standard output when `target` is `-`."""
    to_stdout = str(target) == "-"
    if not to_stdout and target.exists():
        print(f"error: {target} already exists; choose a new file name", file=sys.stderr)
        return 1
    data = await app.moderation.export_bytes()
    try:
        if to_stdout:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            target.write_bytes(data)
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 1
    total = await app.moderation.entry_count()
    # With the JSON on standard output, the note goes to standard error.
    print(
        f"exported {total} entries to {'standard output' if to_stdout else target}",
        file=sys.stderr if to_stdout else sys.stdout,
    )
    return 0


async def import_file(app: App, source: Path, replace: bool, dry_run: bool) -> int:
    """Check FILE, print the preview, apply it; 0 when done (or nothing to do), 1 when refused or failed."""
    where = str(source)
    if _is_the_database(source, app.settings.database_path):
        # Reading it would open (and then close) the database file outside SQLite, dropping its locks.
        raise DataError(where, ["that is StoryBot's own database; import an export (python -m bot export FILE)"])
    raw = read_file(source, CLI_MAX_IMPORT_BYTES)
    print(f"checking {source} ({len(raw) / 1e6:.1f} MB)...", file=sys.stderr)
    text = decode_text(raw, where)
    del raw  # memory: the text, then the entries, never the file three times over
    data = read_import(text, await app.moderation.article(), where)
    del text
    lead, hint = ("Dry run", "nothing is changed") if dry_run else ("Import", "applying it now, in one transaction")
    preview = await app.moderation.preview_import(data, replace, where, lead=lead, hint=hint)
    del data
    print(render(preview))
    if preview.plan is None:  # refused
        return 1
    if dry_run or preview.plan.is_noop:
        print("dry run: nothing changed" if dry_run else "nothing to import")
        return 0
    reply = await app.moderation.apply_import(preview.plan, OPERATOR, ProgressBar("importing"))
    if reply.error:
        print(f"error: {reply.title.lower()}: {reply.body}", file=sys.stderr)
        return 1
    print(render(reply))
    return 0


def _is_the_database(source: Path, database: Path) -> bool:
    """True when `source` is the database file or one of its -wal and -shm files (by os.stat only)."""
    try:
        wanted = os.stat(source)
    except OSError:
        return False  # reading it will say why
    for path in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        try:
            found = os.stat(path)
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (wanted.st_dev, wanted.st_ino):
            return True
    return False


async def backup_file(app: App, target: Path) -> int:
    if str(target) == "-":
        print("error: a backup is a database file; give a file name, not -", file=sys.stderr)
        return 1
    await app.moderation.backup(target)
    print(f"backed up {app.settings.database_path} to {target}")
    return 0


async def restore_file(database: Path, source: Path) -> int:
    """Replace the database with a backup (see bot/store/restore.py); say what was kept to undo it."""
    print(f"checking {source}...", file=sys.stderr)
    done = await restore_database(source, database)
    migrated = (
        f", brought from schema version {done.schema_from} to {done.schema_to}"
        if done.schema_from != done.schema_to
        else ""
    )
    print(f"restored {done.entries} entries from {source} into {database}{migrated}")
    if done.kept is not None:
        print(f"the database as it was is kept in {done.kept} (restore that file to undo)")
    return 0
