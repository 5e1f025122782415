"""Quiz benchmark: making every question a store supports, drawing one, and opening a round through the handlers.

Run from the repository root after the test install:  .venv/bin/python -m benchmarks.quiz [--runs N] [--quick]
Prints a table; writes only temporary databases.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.bench import percentile
from benchmarks.synthetic import build_store, synthetic_entries
from benchmarks.timeline_image import median_seconds
from bot.app import ARTICLE_FILE, LEXICON_FILE, SEED_FILE
from bot.config import DATA_DIR
from bot.dataset import load_article, load_dataset
from bot.handlers.quiz import Player, QuizHandlers
from bot.lexicon import load_lexicon
from bot.models import Entry, Paragraph
from bot.quiz import Quiz

DRAWS = 2000


def making(name: str, entries: list[Entry], paragraphs: Sequence[Paragraph], runs: int) -> list[tuple[str, ...]]:
    lexicon = load_lexicon(DATA_DIR / LEXICON_FILE)
    quiz = Quiz(entries, paragraphs, lexicon)
    made = median_seconds(lambda: Quiz(entries, paragraphs, lexicon), runs)
    rng = random.Random(1)
    draws = []
    for _ in range(DRAWS):
        start = time.perf_counter()
        quiz.question(rng)
        draws.append(time.perf_counter() - start)
    kinds = ", ".join(f"{k} {len(t)}" for k, t in sorted(quiz.by_kind.items()))
    return [
        (name, "entries / questions", f"{len(entries):,} / {len(quiz):,}"),
        (name, "questions by kind", kinds),
        (name, "making every question (median)", f"{made:.2f} s"),
        (
            name,
            "drawing one question p50 / p99",
            f"{percentile(draws, 50) * 1e6:.0f} / {percentile(draws, 99) * 1e6:.0f} µs",
        ),
    ]


async def opening(folder: Path, total: int, name: str) -> list[tuple[str, ...]]:
    """A round opened and revealed through the handlers on a real store, its questions already made."""
    store = await build_store(folder / f"quiz-{total}.db", DATA_DIR, total)
    try:
        quiz = QuizHandlers(store, load_lexicon(DATA_DIR / LEXICON_FILE))
        first = time.perf_counter()
        await quiz.quiz()
        made = time.perf_counter() - first
        opened, revealed = [], []
        for round_id in range(200):
            start = time.perf_counter()
            started = (await quiz.start(round_id, 1, "guild:1", Player(1, "bench"), 30.0)).quiz_round
            opened.append(time.perf_counter() - start)
            assert started is not None
            quiz.press(round_id, 1, Player(2, "other"), started.question.answer)
            start = time.perf_counter()
            await quiz.finish(started)
            revealed.append(time.perf_counter() - start)
        ms = 1000
        return [
            (name, "first question after a change (questions made off the loop)", f"{made:.2f} s"),
            (
                name,
                "opening a round p50 / p99 (stamp query, draw)",
                f"{percentile(opened, 50) * ms:.2f} / {percentile(opened, 99) * ms:.2f} ms",
            ),
            (
                name,
                "revealing p50 / p99 (scores written, paragraph read)",
                f"{percentile(revealed, 50) * ms:.2f} / {percentile(revealed, 99) * ms:.2f} ms",
            ),
        ]
    finally:
        await store.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (median)")
    parser.add_argument("--quick", action="store_true", help="skip the 10,000-entry store")
    args = parser.parse_args(argv)
    article = load_article(DATA_DIR / ARTICLE_FILE)
    seed = load_dataset(DATA_DIR / SEED_FILE, article)
    sizes = [("story", 0), ("1k", 1000)] + ([] if args.quick else [("10k", 10_000)])
    rows: list[tuple[str, ...]] = []
    for name, extra in sizes:
        runs = args.runs if extra < 10_000 else max(1, args.runs // 3)
        rows += making(name, seed + synthetic_entries(extra), article.paragraphs, runs)
    with tempfile.TemporaryDirectory() as folder:
        for name, extra in sizes:
            rows += asyncio.run(opening(Path(folder), len(seed) + extra, name))
    print(f"Python {sys.version.split()[0]} on {platform.machine()}, {platform.system()}")
    print(f"| {'store':<6} | {'metric':<62} | value")
    print(f"| {'-' * 6} | {'-' * 62} | -----")
    for row in rows:
        print(f"| {row[0]:<6} | {row[1]:<62} | {row[2]}")


if __name__ == "__main__":
    main()
