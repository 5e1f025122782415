"""Operator commands at the command line: export, import (with a progress bar), backup and restore."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.app import App
from bot.dataset import DataError, decode_json, parse_dataset
from bot.handlers.moderation import PendingImport, describe_plan
from bot.models import OPERATOR
from bot.store.restore import restore
from bot.textrender import render

CLI_MAX_IMPORT_BYTES = 1_000_000_000


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
    counts = await app.store.counts()
    # With the JSON on standard output, the note goes to standard error.
    print(
        f"exported {counts.total} entries to {'standard output' if to_stdout else target}",
        file=sys.stderr if to_stdout else sys.stdout,
    )
    return 0


async def import_file(app: App, source: Path, replace: bool, dry_run: bool) -> int:
    try:
        size = source.stat().st_size
        if size > CLI_MAX_IMPORT_BYTES:
            raise DataError(str(source), [f"the file is {size / 1e9:.1f} GB; the limit is 1 GB"])
        raw = source.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {source}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"checking {source} ({len(raw) / 1e6:.1f} MB)...", file=sys.stderr)
    entries = parse_dataset(decode_json(raw, str(source)), await app.moderation.article(), str(source))
    plan = await app.store.plan_import(entries, replace)
    if dry_run:
        print(render(describe_plan(plan, replace, "Dry run", "nothing is changed")))
    else:
        print(render(describe_plan(plan, replace, "Import", "applying it now, in one transaction")))
    if dry_run or plan.is_noop:
        print("dry run: nothing changed" if dry_run else "nothing to import")
        return 0
    pending = PendingImport("cli", 0, plan, replace, 0.0)
    reply = await app.moderation.apply_import(pending, OPERATOR, ProgressBar("importing"))
    print(render(reply))
    return 1 if reply.error else 0


async def backup_file(app: App, target: Path) -> int:
    if str(target) == "-":
        print("error: a backup is a database file; give a file name, not -", file=sys.stderr)
        return 1
    await app.store.backup(target)
    print(f"backed up {app.store.path} to {target}")
    return 0


async def restore_file(database: Path, source: Path) -> int:
    """Replace the database with a backup (see bot/store/restore.py); say what was kept to undo it."""
    print(f"checking {source}...", file=sys.stderr)
    done = await restore(source, database)
    migrated = (
        f", brought from schema version {done.schema_from} to {done.schema_to}"
        if done.schema_from != done.schema_to
        else ""
    )
    print(f"restored {done.entries} entries from {source} into {database}{migrated}")
    if done.kept is not None:
        print(f"the database as it was is kept in {done.kept} (restore that file to undo)")
    return 0
