"""How long writing 100,000 entries takes: the benchmark's store builder (seeding), an import through the store
(the path `/kb import` and `python -m bot import` take), and the whole `python -m bot import` of a file.

Run from the repository root after the test install:  .venv/bin/python -m benchmarks.import_speed [--entries N]
Each figure is printed with the machine's load average (`/proc/loadavg`) when it was taken.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.synthetic import build_store, synthetic_entries
from bot.app import SEED_FILE, open_app
from bot.config import DATA_DIR, Settings
from bot.models import OPERATOR, PLURALS
from tests.cli_helpers import cli_env


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    return " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])


async def in_process(folder: Path, total: int, rows: list[tuple[str, str, str]]) -> None:
    """The store builder, and an import through the store."""
    started = time.perf_counter()
    entries = synthetic_entries(total)
    rows.append(("generate synthetic entries (not stored)", f"{time.perf_counter() - started:.1f} s", load()))

    started = time.perf_counter()
    store = await build_store(folder / "built.db", DATA_DIR, total)
    rows.append(("store builder: open, seed + synthetic", f"{time.perf_counter() - started:.1f} s", load()))
    await store.close()

    app = await open_app(Settings(database_path=folder / "imported.db", data_dir=DATA_DIR))
    try:
        started = time.perf_counter()
        plan = await app.store.plan_import(entries, replace=False)
        planned = time.perf_counter() - started
        await app.store.apply_import(plan, OPERATOR)
        took = time.perf_counter() - started
        rows.append((f"store import of {len(plan.added):,} (plan {planned:.1f} s + apply)", f"{took:.1f} s", load()))
    finally:
        await app.close()


def data_file(path: Path, count: int) -> Path:
    """A valid data file of `count` entries: the seed's entries over and over under new ids (synthetic quotes
    would be refused, as they are not in the article)."""
    seed = json.loads((DATA_DIR / SEED_FILE).read_text(encoding="utf-8"))
    pool = [(plural, entry) for plural in PLURALS.values() for entry in seed[plural]]
    document: dict[str, Any] = {"format": "storybot/1", **{plural: [] for plural in PLURALS.values()}}
    for number in range(count):
        plural, entry = pool[number % len(pool)]
        document[plural].append({**entry, "id": f"bulk-{number}"})
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def cli_import(folder: Path, total: int, rows: list[tuple[str, str, str]]) -> None:
    """The whole `python -m bot import` of a file of `total` new entries into a store that holds the seed."""
    export = data_file(folder / "import.json", total)
    env = cli_env(folder / "cli.db", folder)
    # The first run seeds the store: not part of the import's figure.
    subprocess.run([sys.executable, "-m", "bot", "ask", "who"], env=env, capture_output=True, check=True)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "import", str(export)], env=env, capture_output=True, text=True, check=False
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the import failed: {done.stderr[-500:]}")
    size = export.stat().st_size / 1e6
    rows.append((f"`python -m bot import` of {total:,} entries ({size:.0f} MB)", f"{took:.1f} s", load()))
    print(f"  {done.stdout.strip().splitlines()[-1]}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000, help="how many entries (default 100,000)")
    args = parser.parse_args()
    total: int = args.entries
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        asyncio.run(in_process(folder, total, rows))
        cli_import(folder, total, rows)
    width = max(len(r[0]) for r in rows)
    print(f"{total:,} entries; {os.cpu_count()} cores")
    print(f"{'what':<{width}} | {'took':>7} | load average (1, 5, 15 min)")
    for what, took, average in rows:
        print(f"{what:<{width}} | {took:>7} | {average}")


if __name__ == "__main__":
    main()
