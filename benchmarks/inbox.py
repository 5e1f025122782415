"""Benchmark of the inbox and taught questions: ask latency with nothing taught and with 1,000 entries taught, a taught
question, the first question after a teach (the taught keys rebuilt), recording refused questions, the inbox at its
10,000-item cap.

Run from the repository root after the test install:  .venv/bin/python -m benchmarks.inbox [--quick]
(--quick: the story and 10k stores only)."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.bench import QUESTIONS, ms, timed
from benchmarks.synthetic import build_store
from bot.about import load_about
from bot.answer import Answerer
from bot.app import ABOUT_FILE, LEXICON_FILE
from bot.config import Settings
from bot.handlers import StoryHandlers
from bot.handlers.inbox import MAX_ITEMS, Asker, InboxHandlers
from bot.lexicon import load_lexicon
from bot.models import Actor
from tests.conftest import DATA_DIR

TAUGHT = 1_000
ACTOR = Actor("bench", "benchmark")
REFUSED = "how much did the soldiers surgery cost"
HEADER = f"{'store':>8} | {'metric':<52} | {'value':>14}"


async def bench_size(
    label: str, total: int | None, folder: Path, rounds: int, rows: list[tuple[str, str, str]]
) -> None:
    path = folder / f"inbox-{label}.db"
    store = await build_store(path, DATA_DIR, total or 0)
    try:
        answerer = Answerer(store, load_lexicon(DATA_DIR / LEXICON_FILE))
        settings = replace(Settings(database_path=path, data_dir=DATA_DIR), question_retention_days=3650)
        story = StoryHandlers(store, answerer, load_about(DATA_DIR / ABOUT_FILE))
        inbox = InboxHandlers(store, answerer, story, settings)

        async def ask_all() -> None:
            for question in QUESTIONS:
                await answerer.ask(question)

        await ask_all()  # warm: vocabulary, readings, dictionary
        samples = [s / len(QUESTIONS) for s in await timed(ask_all, rounds * 10)]
        rows.append((label, "ask, nothing taught: p50 / p99 (ms)", ms(samples)))

        entries = await store.entries()
        edited = entries[-1]
        await store.update(replace(edited, text=edited.text + " Edited."), ACTOR, edited.version)
        start = time.perf_counter()
        await answerer.ask(QUESTIONS[0])
        rows.append((label, "first ask after an edit, nothing taught (ms)", _ms(start)))

        ids = [e.id for e in entries][:TAUGHT]
        for number, entry_id in enumerate(ids):
            await store.teach(entry_id, f"what did the synthetic entry number {number} say", ACTOR)
        start = time.perf_counter()
        await answerer.ask(QUESTIONS[0])
        rows.append((label, f"first ask after {len(ids):,} teaches: all keys made (ms)", _ms(start)))
        samples = [s / len(QUESTIONS) for s in await timed(ask_all, rounds * 10)]
        rows.append((label, f"ask, {len(ids):,} entries taught: p50 / p99 (ms)", ms(samples)))
        taught = f"What did the synthetic entry number {len(ids) // 2} say?"
        assert (await answerer.ask(taught)).best is not None
        hits = await timed(lambda: answerer.ask(taught), rounds * 100)
        rows.append((label, "a taught question: p50 / p99 (ms)", ms(hits)))

        await store.teach(ids[-1], "one more question for the last entry", ACTOR)
        start = time.perf_counter()
        await answerer.ask(QUESTIONS[0])
        rows.append((label, "first ask after one more teach: keys reused (ms)", _ms(start)))

        asker = Asker("1", "DM")
        recorded = await timed(lambda: inbox.record_unanswered(REFUSED, asker), rounds * 20)
        rows.append((label, "recording a refused question: p50 / p99 (ms)", ms(recorded)))

        async def record_then_ask() -> float:
            await inbox.record_unanswered(REFUSED, asker)
            began = time.perf_counter()
            for question in QUESTIONS:
                await answerer.ask(question)
            return (time.perf_counter() - began) / len(QUESTIONS)

        interleaved = [await record_then_ask() for _ in range(rounds * 10)]
        rows.append((label, "ask, a question recorded before each round: p50/p99", ms(interleaved)))
    finally:
        await store.close()


async def bench_cap(folder: Path, rounds: int, rows: list[tuple[str, str, str]]) -> None:
    """The inbox full: 10,000 items, then what recording, paging and purging cost."""
    path = folder / "inbox-cap.db"
    store = await build_store(path, DATA_DIR, 0)
    try:
        with sqlite3.connect(path) as db:
            db.executemany(
                "INSERT INTO inbox_items (kind, key, count, first_seen, last_seen) "
                "VALUES ('unanswered', ?, ?, '2026-01-01T00:00:00+00:00', '2026-06-01T00:00:00+00:00')",
                [(f"key {n}", n % 50 + 1) for n in range(MAX_ITEMS)],
            )
        counter = iter(range(10**9))
        recorded = await timed(
            lambda: store.record_question(f"new {next(counter)}", "a new question", "DM", "1", max_items=MAX_ITEMS),
            rounds * 20,
        )
        rows.append(("10k inbox", "record a new item past the cap: p50 / p99 (ms)", ms(recorded)))
        pages = await timed(lambda: store.inbox_page(0, 4), rounds * 20)
        rows.append(("10k inbox", "a page of the inbox: p50 / p99 (ms)", ms(pages)))
        listing = await timed(lambda: store.inbox_page(0, MAX_ITEMS), max(2, rounds))
        rows.append(("10k inbox", "every item (inbox --json): p50 / p99 (ms)", ms(listing)))
        purge = await timed(lambda: store.purge_inbox(90), rounds * 20)
        rows.append(("10k inbox", "purge with nothing to purge: p50 / p99 (ms)", ms(purge)))
    finally:
        await store.close()


def _ms(start: float) -> str:
    return f"{(time.perf_counter() - start) * 1000:.1f}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="story size and 10k only, fewer rounds")
    args = parser.parse_args()
    sizes: list[tuple[str, int | None]] = [("story", None), ("10k", 10_000)]
    if not args.quick:
        sizes.append(("100k", 100_000))
    rounds = 2 if args.quick else 5
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, total in sizes:
            await bench_size(label, total, Path(tmp), rounds, rows)
            print(f"... {label} done", file=sys.stderr, flush=True)
        await bench_cap(Path(tmp), rounds, rows)
    print(HEADER)
    print("-" * len(HEADER))
    for label, metric, value in rows:
        print(f"{label:>8} | {metric:<52} | {value:>14}")


if __name__ == "__main__":
    asyncio.run(main())
