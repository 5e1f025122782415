"""Timeline picture benchmark: time to draw the story's events and 500 synthetic ones, PNG size and dimensions,
and what the handlers take from a store (a text timeline page; the picture drawn, then cached).

Run from the repository root after the test install:  .venv/bin/python -m benchmarks.timeline_image [--runs N]
Prints a table; writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from pathlib import Path

import PIL
from PIL import Image

from benchmarks.synthetic import synthetic_entries
from bot.about import load_about
from bot.answer import Answerer
from bot.app import ABOUT_FILE, ARTICLE_FILE, LEXICON_FILE, SEED_FILE
from bot.config import DATA_DIR
from bot.dataset import load_article, load_dataset
from bot.handlers import StoryHandlers
from bot.lexicon import load_lexicon
from bot.models import Entry
from bot.store import Store
from bot.timeline_image import layout_timeline, render_timeline, render_timeline_cached

TITLE = "Timeline: the soldier's dash across the DMZ"
TARGET_SECONDS = 1.0
# Labels of every kind the period rule meets, so the synthetic timeline has many sections.
LABELS = ["1998", "in March", "last week", "just after 3 p.m. Monday", "almost 20 minutes later", "Tuesday"]


def story_events() -> list[Entry]:
    article = load_article(DATA_DIR / ARTICLE_FILE)
    entries = load_dataset(DATA_DIR / SEED_FILE, article)
    return sorted((e for e in entries if e.kind == "event"), key=lambda e: (e.sort or 0, e.id))


def synthetic_events(count: int) -> list[Entry]:
    """`count` events with the benchmark's generated texts (12-30 words) and realistic labels."""
    events = [e for e in synthetic_entries(count * 5) if e.kind == "event"][:count]
    return [replace(e, when=LABELS[i % len(LABELS)], sort=i) for i, e in enumerate(events)]


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(name: str, events: Sequence[Entry], runs: int) -> list[tuple[str, str, str]]:
    start = time.perf_counter()
    png = render_timeline(events, title=TITLE)
    first = time.perf_counter() - start
    layout = layout_timeline(events, title=TITLE)
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    render = median_seconds(lambda: render_timeline(events, title=TITLE), runs)
    layout_only = median_seconds(lambda: layout_timeline(events, title=TITLE), runs)
    rows = [
        (name, "first render (fonts loaded on first use)", f"{first * 1000:.0f} ms"),
        (name, f"render, median of {runs}", f"{render * 1000:.0f} ms"),
        (name, f"layout only, median of {runs}", f"{layout_only * 1000:.0f} ms"),
        (name, "PNG size", f"{len(png) / 1024:.0f} KiB"),
        (name, "dimensions", f"{width} x {height} px"),
        (name, "events drawn / left out", f"{layout.drawn} / {layout.omitted}"),
    ]
    key = tuple(events)
    render_timeline_cached(key, title=TITLE)
    hit = median_seconds(lambda: render_timeline_cached(tuple(events), title=TITLE), runs)
    rows.append((name, "cached picture, same events", f"{hit * 1e6:.0f} us"))
    if len(events) >= 500:
        verdict = "met" if render < TARGET_SECONDS else "MISSED"
        rows.append((name, f"target: {len(events)} events under {TARGET_SECONDS:.0f} s", verdict))
    return rows


async def median_awaited(work: Callable[[], Awaitable[object]], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def measure_handlers(name: str, events: Sequence[Entry] | None, runs: int) -> list[tuple[str, str, str]]:
    """The handlers on a store holding the story (its own events, or `events` instead of them)."""
    article = load_article(DATA_DIR / ARTICLE_FILE)
    seed = load_dataset(DATA_DIR / SEED_FILE, article)
    entries = seed if events is None else [e for e in seed if e.kind != "event"] + list(events)
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(Path(folder) / "timeline.db")
        try:
            await store.seed(article.paragraphs, entries, "benchmark")
            lexicon, about = load_lexicon(DATA_DIR / LEXICON_FILE), load_about(DATA_DIR / ABOUT_FILE)
            story = StoryHandlers(store, Answerer(store, lexicon), about)
            page = await median_awaited(lambda: story.timeline(1), runs)

            async def redrawn() -> object:
                render_timeline_cached.cache_clear()  # as after a moderator's edit
                return await story.timeline_picture()

            drawn = await median_awaited(redrawn, runs)
            cached = await median_awaited(story.timeline_picture, runs)
        finally:
            await store.close()
    return [
        (name, f"handler: text timeline page, median of {runs}", f"{page * 1000:.1f} ms"),
        (name, f"handler: picture redrawn (store read + thread), median of {runs}", f"{drawn * 1000:.0f} ms"),
        (name, f"handler: picture, cached, median of {runs}", f"{cached * 1000:.1f} ms"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is shown (default 5)")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    print(f"Python {platform.python_version()}, Pillow {PIL.__version__}, {platform.machine()}")
    rows = measure("story (17)", story_events(), runs) + measure("synthetic (500)", synthetic_events(500), runs)
    rows += asyncio.run(measure_handlers("story (17)", None, runs))
    rows += asyncio.run(measure_handlers("synthetic (500)", synthetic_events(500), runs))
    rows.append(("process", "peak RSS", f"{peak_rss_mb():.0f} MB"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
