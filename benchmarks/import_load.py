"""/ask while a moderator imports a big file, and the memory of `python -m bot import` on junk (issue 10).

Run from the repository root after the test install:  .venv/bin/python -m benchmarks.import_load [--quick]

Through the real client and the fake Discord (tests/fake_discord), a reader asks /ask every 20 ms from another
thread, on its own clock, while a moderator's file is checked (preview) and applied (Confirm).  Printed: /ask
latency p50 / p99 / max and how many missed Discord's 3 s, for a valid 10,000-entry file (4.5 MB) and for
4.8 MB of empty entries, with the check run in the worker process (as shipped), in a thread, and inline on
the event loop (as before issue 10); then peak RSS of the CLI importing 12 MB of junk and the valid file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.app import open_app
from bot.config import DATA_DIR, Settings
from bot.discord_app.client import StoryBotClient
from bot.handlers import moderation
from bot.worker import in_worker
from tests.cli_helpers import cli_env, run_measured
from tests.fake_discord import FakeDiscord, payloads
from tests.import_files import bulk_quotes

MODERATOR = payloads.user(1300000000000000001, "moderator")
READER = payloads.user(1300000000000000002, "reader")
DEADLINE = 3.0


def big_document(quotes: int = 10_000) -> Any:
    """The seed plus `quotes` quotes taken word for word from the article."""
    document = json.loads((DATA_DIR / "story.json").read_text(encoding="utf-8"))
    document["quotes"] += bulk_quotes(quotes)
    return document


async def inline(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


async def threaded(function: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(function, *args)


CHECKERS: dict[str, Callable[..., Awaitable[Any]]] = {"process": in_worker, "thread": threaded, "inline": inline}


async def asked_while(fake: FakeDiscord, work: Awaitable[Any]) -> tuple[list[float], Any]:
    """Seconds each /ask took (asked every 20 ms from another thread) while `work` ran; and its result."""
    loop = asyncio.get_running_loop()
    stop = threading.Event()
    asked: list[Any] = []

    async def ask(asked_at: float) -> float:
        sent = await fake.dispatch_interaction(
            payloads.slash_command("ask", {"question": "how many times was he shot"}, user=READER)
        )
        record = await fake.wait_for_interaction_response(sent, timeout=60)
        return time.monotonic() - asked_at if record.ok else float("inf")

    def reader() -> None:
        while True:
            asked.append(asyncio.run_coroutine_threadsafe(ask(time.monotonic()), loop))
            if stop.wait(0.02):
                return

    thread = threading.Thread(target=reader)
    started = time.monotonic()
    thread.start()
    try:
        result = await work
    finally:
        took = time.monotonic() - started
        stop.set()
        await asyncio.to_thread(thread.join)
    return [took, *[await asyncio.wrap_future(one) for one in asked]], result


def figures(seconds: list[float]) -> str:
    took, ordered = seconds[0], sorted(seconds[1:])
    answered = [s for s in ordered if s != float("inf")]
    p50 = answered[len(answered) // 2] * 1000
    p99 = answered[min(len(answered) - 1, int(len(answered) * 0.99))] * 1000
    late = sum(1 for s in ordered if s >= DEADLINE)
    return (
        f"{took:5.1f} s | {p50:6.1f} / {p99:7.1f} / {ordered[-1] * 1000:7.1f} ms, "
        f"{late:3d} of {len(ordered):3d} over 3 s"
    )


async def import_once(folder: Path, raw: bytes, checker: str, rows: list[tuple[str, str, str]], label: str) -> None:
    guild = payloads.guild_create(name="bench", channels=["general"])
    settings = Settings(
        database_path=folder / f"{label}-{checker}.db",
        data_dir=DATA_DIR,
        ask_cooldown_seconds=0,
        moderator_guild_ids=(int(guild["id"]),),
        moderator_user_ids=frozenset({int(MODERATOR["id"])}),
    )
    original = moderation.in_worker
    moderation.in_worker = CHECKERS[checker]  # type: ignore[assignment]
    try:
        async with FakeDiscord(guilds=[guild]) as fake:
            app = await open_app(settings)
            client = StoryBotClient(app, guild_ready_timeout=0.05)
            await client.login("x" * 40)
            task = asyncio.create_task(client.connect())
            await client.wait_until_ready()
            try:
                await in_worker(len, b"")  # the worker process is started once, before anyone imports
                attachment = fake.attachment(f"{label}.json", raw, content_type="application/json")
                sent = await fake.dispatch_interaction(
                    payloads.slash_command(
                        "kb import",
                        {"file": attachment["id"]},
                        user=MODERATOR,
                        guild_id=guild,
                        resolved={"attachments": {attachment["id"]: attachment}},
                    )
                )
                seconds, followup = await asked_while(fake, fake.wait_for_followup(sent, timeout=120))
                rows.append((label, f"/ask while checking ({checker})", figures(seconds)))
                components = [c for row in followup.json.get("components") or [] for c in row["components"]]
                confirm = next((c["custom_id"] for c in components if c.get("label") == "Confirm import"), None)
                if confirm is None:
                    return
                message = fake.original_message(sent["id"])  # the followup replaced the "thinking…" message
                pressed = await fake.interact(
                    payloads.component(confirm, message=message, user=MODERATOR, guild_id=guild)
                )
                token = fake.interaction(pressed.params["interaction_id"]).token
                done = fake.wait_for(
                    lambda r: r.method == "PATCH" and r.path.endswith("/@original") and r.params.get("token") == token,
                    timeout=120,
                )
                seconds, _ = await asked_while(fake, done)
                rows.append((label, f"/ask while applying ({checker})", figures(seconds)))
            finally:
                await client.close()
                await task
                await app.close()
    finally:
        moderation.in_worker = original


def cli_peak(folder: Path, path: Path) -> str:
    """Peak RSS (MB) and seconds of `python -m bot import --dry-run FILE` in a fresh process."""
    start = time.perf_counter()
    result, peak = run_measured(cli_env(folder / "cli.db", folder), folder / "peak.txt", "import", "--dry-run", path)
    return f"{peak:6.0f} MB, {time.perf_counter() - start:4.1f} s, exit {result.returncode}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the worker process, not thread and inline")
    args = parser.parse_args()
    checkers = ["process"] if args.quick else ["process", "thread", "inline"]
    valid = json.dumps(big_document(), ensure_ascii=False).encode()
    junk = b'{"facts": [' + b",".join([b"{}"] * 1_600_000) + b"]}"
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for checker in checkers:
            await import_once(folder, valid, checker, rows, f"valid {len(valid) / 1e6:.1f} MB")
            await import_once(folder, junk, checker, rows, f"junk {len(junk) / 1e6:.1f} MB")
            print(f"... {checker} done", file=sys.stderr, flush=True)
        (folder / "junk.json").write_bytes(b'{"facts": [' + b",".join([b"{}"] * 4_000_000) + b"]}")
        (folder / "valid.json").write_bytes(valid)
        rows.append(("CLI", "import --dry-run, 12 MB of empty entries", cli_peak(folder, folder / "junk.json")))
        rows.append(
            ("CLI", f"import --dry-run, valid {len(valid) / 1e6:.1f} MB", cli_peak(folder, folder / "valid.json"))
        )
    header = f"{'file':>14} | {'metric':<32} | {'took':>7} | /ask p50 / p99 / max, missed"
    print(header)
    print("-" * len(header))
    for label, metric, value in rows:
        print(f"{label:>14} | {metric:<32} | {value}")


if __name__ == "__main__":
    asyncio.run(main())
