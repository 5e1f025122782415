"""StoryBot benchmark: latency, throughput, memory and start-up, for stores of story size, 10k and 100k entries.

Run from the repository root after the test install:  .venv/bin/python -m benchmarks.bench [--quick]
Prints a table; nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import discord
import discord.webhook.async_
import psutil

from benchmarks.synthetic import build_store
from bot.answer.engine import CANDIDATES
from bot.answer.question import analyse
from bot.app import open_app
from bot.config import DATA_DIR, Settings
from bot.discord_app.client import StoryBotClient
from bot.models import Actor
from bot.store.search import match_sql
from tests.fake_discord import FakeDiscord, payloads

QUESTIONS = [
    "How many times was the soldier shot?",
    "what did he drive",
    "where did the jeep get stuck",
    "who is the surgeon",
    "how many rounds were fired",
    "what gun did they use",
    "how far did he run",
    "was he armed",
    "where was he taken",
    "what is the DMZ",
    "who is Roh Jae-cheon",
    "panmunjon",
    "when did the korean war end",
    "why were there no tourists",
    "what did pence say",
    "did the south fire back",
    "how mny organs were hurt",
    "who runs the UN command",
    "what colour are the buildings",
    "what time was it",
    "what is the capital of France",
    "recipe for sourdough bread",
    "who won the world cup",
    "tell me about the helicopter",
    "what happened on tuesday",
    "was there a breach of the armistice",
    "karirimo suten baldor",
    "vikmun jeogal trisen",
    "ashpe rolan",
    "how many times was kariten shot",
]
HEADER = f"{'store':>8} | {'metric':<48} | {'value':>14}"


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def ms(samples: list[float]) -> str:
    return f"{percentile(samples, 50) * 1000:6.2f} / {percentile(samples, 99) * 1000:6.2f}"


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 1e6


async def timed(fn: Callable[[], Awaitable[Any]], rounds: int) -> list[float]:
    out: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - start)
    return out


def bare_query(db: sqlite3.Connection, fts: str, rounds: int) -> list[float]:
    """The floor: the store's own statement for a question, through the stdlib sqlite3 module on this thread
    (no aiosqlite, no row decoding)."""
    statement = match_sql(by_kind=False)
    out: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        db.execute(statement, (fts, CANDIDATES)).fetchall()
        out.append(time.perf_counter() - start)
    return out


class InProcessDiscord:
    """discord.py's HTTP layer answered in-process: the real client and dispatch, no sockets."""

    def __init__(self, client: StoryBotClient) -> None:
        self.client = client
        self.waiters: dict[str, asyncio.Future[float]] = {}
        self.app_info = payloads.application()
        self.me = self.app_info["bot"]
        client.http.request = self.request  # type: ignore[method-assign]
        # Interaction callbacks go through discord.py's webhook adapter, not client.http.
        fake = self

        async def webhook_request(adapter: Any, route: Any, session: Any, **kwargs: Any) -> Any:
            return await fake.request(route, **kwargs)

        self._original = discord.webhook.async_.AsyncWebhookAdapter.request
        discord.webhook.async_.AsyncWebhookAdapter.request = webhook_request  # type: ignore[method-assign]

    def restore(self) -> None:
        discord.webhook.async_.AsyncWebhookAdapter.request = self._original  # type: ignore[method-assign]

    async def request(self, route: Any, **kwargs: Any) -> Any:
        path = route.path
        if path == "/users/@me":
            return self.me
        if path == "/oauth2/applications/@me":
            return self.app_info
        if path.endswith("/commands"):
            return []
        if path.endswith("/callback"):
            interaction_id = str(route.url).split("/interactions/")[1].split("/")[0]
            waiter = self.waiters.pop(interaction_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(time.perf_counter())
            return {
                "interaction": {
                    "id": interaction_id,
                    "type": 2,
                    "response_message_id": payloads.snowflake(),
                    "response_message_loading": False,
                    "response_message_ephemeral": False,
                }
            }
        return {}

    async def ask(self, question: str) -> float:
        payload = payloads.slash_command("ask", {"question": question}, application_id=self.app_info["id"])
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[payload["id"]] = future
        start = time.perf_counter()
        self.client._connection.parse_interaction_create(payload)  # the gateway's own dispatch entry point
        return await future - start


async def bench_size(
    label: str, total: int | None, folder: Path, rounds: int, rows: list[tuple[str, str, str]]
) -> None:
    path = folder / f"{label}.db"
    started = time.perf_counter()
    if total is not None:
        store = await build_store(path, DATA_DIR, total)
        await store.close()
    settings = Settings(database_path=path, data_dir=DATA_DIR, ask_cooldown_seconds=0)
    app = await open_app(settings)
    build = time.perf_counter() - started
    counts = await app.store.counts()
    rows.append((label, "entries (build+open s)", f"{counts.total} ({build:.1f})"))
    try:
        for q in QUESTIONS:  # warm caches (vocabulary, stemmer)
            await app.story.ask(q)
        handler: list[float] = []
        raw: list[float] = []
        bare: list[float] = []
        wider: list[float] = []
        vocab = await app.answerer.vocabulary()
        floor = sqlite3.connect(path)
        try:
            for q in QUESTIONS:
                handler += await timed(lambda q=q: app.story.ask(q), rounds)
                query = analyse(q, vocab, app.answerer.lexicon)
                if not query.index_words:
                    continue
                # The match every ask runs: the question's own words (the engine adds their synonyms in a second
                # match only when the first finds no answer).
                fts = query.fts(exact=True)
                raw += await timed(lambda fts=fts: app.store.match(fts, limit=CANDIDATES), rounds)
                bare += bare_query(floor, fts, rounds)
                synonyms = query.fts()
                wider += await timed(lambda fts=synonyms: app.store.match(fts, limit=CANDIDATES), rounds)
        finally:
            floor.close()
        rows.append((label, "ask handler p50 / p99 (ms)", ms(handler)))
        rows.append((label, "raw FTS query (the ask's match) p50 / p99 (ms)", ms(raw)))
        rows.append((label, "bare sqlite3 FTS5 query p50 / p99 (ms)", ms(bare)))
        rows.append((label, "raw FTS query with synonyms p50 / p99 (ms)", ms(wider)))

        client = StoryBotClient(app)
        fake = InProcessDiscord(client)
        await client.login("x" * 40)
        try:
            for q in QUESTIONS:
                await fake.ask(q)
            dispatch = [await fake.ask(q) for q in QUESTIONS for _ in range(rounds)]
            rows.append((label, "/ask via discord.py dispatch p50 / p99 (ms)", ms(dispatch)))
            middle = percentile(dispatch, 50)
            rows.append((label, "dispatch / raw query (p50)", f"{middle / percentile(raw, 50):.1f}x"))
            rows.append((label, "dispatch / bare sqlite3 query (p50)", f"{middle / percentile(bare, 50):.1f}x"))
            concurrent = 2000
            start = time.perf_counter()
            await asyncio.gather(*(fake.ask(QUESTIONS[i % len(QUESTIONS)]) for i in range(concurrent)))
            rows.append(
                (
                    label,
                    f"throughput, {concurrent} concurrent /ask (per s)",
                    f"{concurrent / (time.perf_counter() - start):.0f}",
                )
            )
        finally:
            fake.restore()
            await client.close()
        # Last: a change to the lexicon makes the engine read every entry again, which the figures above must not see.
        rows.append((label, "first ask after /kb words add, median (ms)", await after_words_added(app)))
    finally:
        await app.close()


async def after_words_added(app: Any, rounds: int = 5) -> str:
    """The question right after a moderator adds a word: the engine merges the lexicon again and drops what it
    had read with the old one.  (The additions are taken back afterwards.)"""
    actor = Actor("bench", "benchmark")
    samples: list[float] = []
    for n in range(rounds):
        await app.words.add("filler", f"benchword{n}", actor)
        start = time.perf_counter()
        await app.story.ask(QUESTIONS[n])
        samples.append(time.perf_counter() - start)
    await app.store.change_lexicon(lambda document: {}, actor, "remove")
    return f"{statistics.median(samples) * 1000:.1f}"


async def memory(folder: Path) -> None:
    """RSS in a fresh process: after load, then with 1,000 and 10,000 guilds delivered by GUILD_CREATE."""
    settings = Settings(database_path=folder / "memory.db", data_dir=DATA_DIR, ask_cooldown_seconds=0)
    app = await open_app(settings)
    client = StoryBotClient(app)
    fake = InProcessDiscord(client)
    await client.login("x" * 40)
    await fake.ask("how many times was he shot")
    figures = {"RSS after load (MB)": rss_mb()}
    state = client._connection
    for guilds in (1_000, 10_000):
        for _ in range(guilds - len(client.guilds)):
            state.parse_guild_create(payloads.guild_create(channels=["general", "news"]))
        figures[f"RSS with {len(client.guilds):,} guilds (MB)"] = rss_mb()
    fake.restore()
    await client.close()
    await app.close()
    for metric, value in figures.items():
        print(f"{metric}\t{value:.1f}")


async def startup(folder: Path, rows: list[tuple[str, str, str]]) -> None:
    settings = Settings(database_path=folder / "startup.db", data_dir=DATA_DIR, ask_cooldown_seconds=0)
    guild = payloads.guild_create(name="bench", channels=["general"])
    async with FakeDiscord(guilds=[guild]):
        start = time.perf_counter()
        app = await open_app(settings)
        client = StoryBotClient(app, guild_ready_timeout=0.05)
        await client.login("x" * 40)
        task = asyncio.create_task(client.connect())
        await client.wait_until_ready()
        rows.append(("story", "start-up to READY, first start incl. seeding (s)", f"{time.perf_counter() - start:.2f}"))
        await client.close()
        await task
        await app.close()
    env = {**os.environ, "DATABASE_PATH": str(folder / "startup.db"), "DISCORD_TOKEN": ""}
    times = []
    for _ in range(5):
        start = time.perf_counter()
        await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot", "ask", "How many times was he shot?"],
            env=env,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    rows.append(("story", "`python -m bot ask` whole process, median (s)", f"{statistics.median(times):.2f}"))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="story size and 10k only, fewer rounds")
    parser.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_only:
        with tempfile.TemporaryDirectory() as tmp:
            await memory(Path(tmp))
        return
    rows: list[tuple[str, str, str]] = []
    sizes: list[tuple[str, int | None]] = [("story", None), ("10k", 10_000)]
    if not args.quick:
        sizes.append(("100k", 100_000))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        await startup(folder, rows)
        measured = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "benchmarks.bench", "--memory-only"],
            capture_output=True,
            text=True,
            check=True,
        )
        for line in measured.stdout.splitlines():
            metric, value = line.split("\t")
            rows.append(("story", metric, value))
        for label, total in sizes:
            await bench_size(label, total, folder, 2 if args.quick else 5, rows)
            print(f"... {label} done", file=sys.stderr, flush=True)
    print(f"load average (1, 5, 15 min): {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(
        f"StoryBot benchmark on {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}"
    )
    print(HEADER)
    print("-" * len(HEADER))
    for label, metric, value in rows:
        print(f"{label:>8} | {metric:<48} | {value:>14}")


if __name__ == "__main__":
    asyncio.run(main())
