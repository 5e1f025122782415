"""A worker process for tests/test_crash_safety.py, which kills it with SIGKILL at chosen moments.

    python -m tests.crash_worker import FILE   the real `python -m bot import FILE`, printing
                                               "PROGRESS <done> <total>" from the import's progress callback
    python -m tests.crash_worker edit START    moderator edits through ModerationHandlers.edit, one transaction
                                               each, forever; "ACK <n> <id>" once edit n has been committed

The database is DATABASE_PATH, as for the bot.  Every marker line is flushed at once, and only after the
thing it reports has happened, so a test that has read a marker knows how far the worker had got.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot import cli_data
from bot.__main__ import main
from bot.app import open_app
from bot.config import load_settings
from bot.models import Actor

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EDITED = 3  # the first facts (by kind, sort key, id) take the edits in turn
MODERATOR = Actor("100000000000000001", "crash-test moderator")


def edit_text(n: int, entry_id: str) -> str:
    return f"Crash-safety edit number {n} of {entry_id}."


class MarkerBar:
    """Stands in for the CLI's progress bar (silent on a pipe) and reports every call on stdout."""

    def __init__(self, label: str, *args: object, **kwargs: object) -> None:
        self.label = label

    def __call__(self, done: int, total: int) -> None:
        print(f"PROGRESS {done} {total}", flush=True)


async def edit_forever(start: int) -> None:
    app = await open_app(load_settings())
    try:
        ids = [e.id for e in (await app.store.entries("fact"))[:EDITED]]
        n = start
        while True:
            entry_id = ids[n % len(ids)]
            form = await app.moderation.edit_form("fact", entry_id)
            assert not form.error, form
            (current,), values = form.entries, dict(form.form)
            values["text"] = edit_text(n, entry_id)
            reply = await app.moderation.edit("fact", entry_id, values, current.version, MODERATOR)
            assert reply.title.startswith("Saved"), reply
            print(f"ACK {n} {entry_id}", flush=True)  # edit n is committed
            n += 1
    finally:
        await app.close()


def run(argv: list[str]) -> int:
    if argv[:1] == ["import"] and len(argv) == 2:
        cli_data.ProgressBar = MarkerBar  # type: ignore[misc]
        return main(["import", argv[1]])
    if argv[:1] == ["edit"] and len(argv) == 2:
        asyncio.run(edit_forever(int(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
