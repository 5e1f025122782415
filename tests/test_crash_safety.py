"""Crash safety: SIGKILL in the middle of a big import or of moderator edits loses nothing committed and
keeps nothing half-done, and questions keep being answered while a big import runs, in this process or
in another.  Real processes on real files under tmp_path; the big data file is built from data/story.json."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.app import open_app
from bot.config import Settings
from bot.dataset import parse_dataset
from bot.models import OPERATOR, PLURALS
from bot.textrender import render
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import DATA_DIR, REPO
from tests.crash_worker import MODERATOR, edit_text

pytestmark = pytest.mark.slow

BULK = 20_000  # a multiple of 500: the import reports progress (BULK, BULK) once inside its transaction
HUGE = 100_000
SEED = json.loads((DATA_DIR / "story.json").read_text(encoding="utf-8"))
SEED_ENTRIES = sum(len(SEED[plural]) for plural in PLURALS.values())
QUESTIONS = [
    "how many times was the soldier shot",
    "who is lee cook-jong",
    "what is the DMZ",
    "what did the surgeon say",
    "where did the soldier cross",
    "what happened to the jeep",
    "what is the capital of france",
    "when did he run across the line",
    "what is the joint security area",
    "did north korean soldiers cross the line",
]
HUNDRED = [QUESTIONS[i % len(QUESTIONS)] for i in range(100)]


def bot_env(db: Path) -> dict[str, str]:
    return cli_env(db, db.parent)


def run_bot(db: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_cli(bot_env(db), *args)


def start(db: Path, *args: str | Path) -> subprocess.Popen[str]:
    """A subprocess with its stdout read line by line; killed after 90 s whatever happens."""
    proc = subprocess.Popen(
        [sys.executable, *map(str, args)],
        cwd=REPO,
        env=bot_env(db),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    watchdog = threading.Timer(90, proc.kill)
    watchdog.daemon = True
    watchdog.start()
    return proc


def sigkill(proc: subprocess.Popen[str]) -> str:
    """SIGKILL (a zombie takes it silently); the rest of its stdout, buffered lines included."""
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.stdout is not None and proc.stderr is not None
    rest = proc.stdout.read()  # not communicate(): it would skip what the line iterator has buffered
    proc.stderr.read()
    proc.wait(timeout=30)
    return rest


def assert_answers(db: Path) -> None:
    """The bot starts on the database and answers, without a word about locks or damage."""
    result = run_bot(db, "ask", "how many times was the soldier shot")
    assert result.returncode == 0, result.stderr
    assert "five" in result.stdout
    assert "Traceback" not in result.stderr and "error" not in result.stderr


def check_database(db: Path) -> tuple[int, int]:
    """SQLite's integrity check, the full-text index's own check, and the index holding exactly the live
    entries; returns the number of entries and of revisions."""
    con = sqlite3.connect(db, isolation_level=None)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        con.execute("INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')")  # raises if inconsistent
        live = con.execute("SELECT count(*) FROM entries WHERE deleted_at IS NULL").fetchone()[0]
        assert con.execute("SELECT count(*) FROM entries_fts").fetchone()[0] == live
        entries = con.execute("SELECT count(*) FROM entries").fetchone()[0]
        revisions = con.execute("SELECT count(*) FROM revisions").fetchone()[0]
    finally:
        con.close()
    return entries, revisions


def data_file(folder: Path, count: int) -> Path:
    """A valid data file of `count` entries: the seed's entries over and over under new ids (quotes stay word
    for word, citations stay real)."""
    pool = [(plural, entry) for plural in PLURALS.values() for entry in SEED[plural]]
    assert len(pool) == SEED_ENTRIES
    document: dict = {"format": "storybot/1", **{plural: [] for plural in PLURALS.values()}}
    for i in range(count):
        plural, entry = pool[i % len(pool)]
        document[plural].append({**entry, "id": f"bulk-{i:06d}"})
    path = folder / f"big-{count}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return data_file(tmp_path_factory.mktemp("big"), BULK)


@pytest.fixture(scope="module")
def huge_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """HUGE entries: imported at SQLite speed, BULK would be done before another bot process has started."""
    return data_file(tmp_path_factory.mktemp("huge"), HUGE)


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database the bot seeded on its first start, closed (no -wal beside it)."""
    db = tmp_path_factory.mktemp("seeded") / "storybot.db"
    assert run_bot(db, "ask", "what is the DMZ").returncode == 0
    assert not db.with_name(db.name + "-wal").exists()
    assert check_database(db) == (SEED_ENTRIES, 0)
    return db


@pytest.fixture
def db(tmp_path: Path, seeded_file: Path) -> Path:
    target = tmp_path / "store" / "storybot.db"
    target.parent.mkdir()
    shutil.copyfile(seeded_file, target)
    return target


# ---- SIGKILL in the middle of a big import -------------------------------------------------------


def kill_at_progress(db: Path, big_file: Path, done: int, nth: int) -> subprocess.Popen[str]:
    """Run the CLI import and SIGKILL it right after its `nth` progress report of `done` entries."""
    proc = start(db, "-m", "tests.crash_worker", "import", big_file)
    assert proc.stdout is not None
    seen = 0
    for line in proc.stdout:
        if line.split() == ["PROGRESS", str(done), str(BULK)]:
            seen += 1
            if seen == nth:
                sigkill(proc)
                return proc
    raise AssertionError(f"the import ended before reporting {done} (rc {proc.wait()}): {proc.stderr.read()}")


def kill_when_wal_grows(db: Path, big_file: Path, size: int) -> subprocess.Popen[str]:
    """Run `python -m bot import` itself and SIGKILL it once its uncommitted pages fill `size` bytes of -wal."""
    proc = start(db, "-m", "bot", "import", big_file)
    wal = db.with_name(db.name + "-wal")
    while proc.poll() is None:
        if wal.exists() and wal.stat().st_size >= size:
            sigkill(proc)
            return proc
        time.sleep(0.005)
    raise AssertionError(f"the import ended before its -wal reached {size} bytes: {proc.communicate()}")


# (label, how to kill, what must be left: "none", "all" or "either")
KILLS = [
    ("early", lambda db, big: kill_at_progress(db, big, 1_000, 1), "none"),
    ("mid-wal", lambda db, big: kill_when_wal_grows(db, big, 6_000_000), "either"),
    ("after-commit", lambda db, big: kill_at_progress(db, big, BULK, 2), "all"),
]


@pytest.mark.parametrize(("moment", "kill", "expected"), KILLS, ids=[k[0] for k in KILLS])
def test_sigkill_during_a_big_import_leaves_all_or_nothing(db, big_file, moment, kill, expected):
    proc = kill(db, big_file)
    if moment == "after-commit":
        assert proc.returncode in (-signal.SIGKILL, 0)  # it may have exited before the signal
    else:
        assert proc.returncode == -signal.SIGKILL
    entries, revisions = check_database(db)
    nothing, everything = (SEED_ENTRIES, 0), (SEED_ENTRIES + BULK, BULK)
    assert (entries, revisions) in (nothing, everything)
    if expected == "none":
        assert (entries, revisions) == nothing
    elif expected == "all":
        assert (entries, revisions) == everything
    assert_answers(db)
    assert check_database(db) == (entries, revisions)  # starting again changed nothing


# ---- SIGKILL in the middle of moderator edits ----------------------------------------------------


def acked_edits(db: Path, start_at: int, stop_after: int) -> dict[int, str]:
    """Run the edit worker from edit `start_at`, start the bot in another process meanwhile, and SIGKILL the
    worker after `stop_after` acknowledgements, edits still flowing.  Returns every acknowledged edit."""
    proc = start(db, "-m", "tests.crash_worker", "edit", str(start_at))
    assert proc.stdout is not None
    acked: dict[int, str] = {}
    other_started = False
    for line in proc.stdout:
        _, n, entry_id = line.split()
        acked[int(n)] = entry_id
        if len(acked) == 5 and not other_started:
            # Another process opening and closing the database while the worker writes must not take
            # itself for the last user of the -wal file.
            assert_answers(db)
            other_started = True
        if len(acked) >= stop_after:
            break
    else:
        raise AssertionError(f"the edit worker stopped (rc {proc.wait()}): {proc.stderr.read()}")
    out = sigkill(proc)
    assert proc.returncode == -signal.SIGKILL
    for line in out.splitlines():  # acknowledged before the kill, still in the pipe
        parts = line.split()
        if len(parts) == 3 and parts[0] == "ACK":
            acked[int(parts[1])] = parts[2]
    return acked


def test_sigkill_during_edits_keeps_every_acknowledged_edit(db):
    start_at, acked = 1, 0
    known: dict[int, str] = {}  # edit number -> entry, for every edit known to be committed
    for stop_after in (8, 40, 120):  # three workers in turn on the same database, each killed
        round_acked = acked_edits(db, start_at, stop_after)
        acked += len(round_acked)
        known.update(round_acked)
        assert sorted(known) == list(range(1, len(known) + 1))
        check_database(db)
        con = sqlite3.connect(db)
        try:
            rows = con.execute("SELECT entry_id, actor_id, after FROM revisions WHERE action = 'edit' ORDER BY id")
            recorded = [(entry_id, actor, json.loads(after)["text"]) for entry_id, actor, after in rows]
            texts = dict(con.execute("SELECT id, text FROM entries"))
        finally:
            con.close()
        # Edits 1..M are recorded, in order, M being the last acknowledged one or, when the kill came between a
        # commit and its acknowledgement, the one after it.
        newest = max(known)
        assert len(recorded) in (newest, newest + 1)
        if len(recorded) > newest:
            known[newest + 1] = recorded[-1][0]
        assert recorded == [(known[n], MODERATOR.id, edit_text(n, known[n])) for n in range(1, len(recorded) + 1)]
        # Each edited entry says what its last recorded edit said (so at least its last acknowledged one).
        for entry_id in set(known.values()):
            last = max(n for n, e in known.items() if e == entry_id)
            assert texts[entry_id] == edit_text(last, entry_id)
        start_at = len(recorded) + 1
    assert acked >= 8 + 40 + 120
    assert_answers(db)


# ---- a hundred questions while a big import runs -------------------------------------------------


def answer_texts(results: list) -> list[str]:
    out = []
    for result in results:
        if isinstance(result, BaseException):
            raise AssertionError(f"an ask raised {result!r}")
        out.append(result.text if hasattr(result, "text") and not hasattr(result, "title") else render(result))
    return out


async def ask_hundred(app) -> list[str]:
    """100 questions at once, half through the reader handlers and half straight to the answer engine."""
    calls = [app.story.ask(q) if i % 2 else app.answerer.ask(q) for i, q in enumerate(HUNDRED)]
    texts = answer_texts(await asyncio.gather(*calls, return_exceptions=True))
    assert not [t for t in texts if "locked" in t.lower() or "busy" in t.lower()]
    return texts


async def test_hundred_asks_during_an_import_in_this_process(db, big_file):
    app = await open_app(Settings(database_path=db, data_dir=DATA_DIR))
    try:
        before = await ask_hundred(app)
        entries = parse_dataset(json.loads(big_file.read_bytes()), await app.moderation.article(), "big")
        plan = await app.store.plan_import(entries, replace=False)
        reported: list[int] = []
        inside = asyncio.Event()

        def progress(done: int, total: int) -> None:
            reported.append(done)
            inside.set()

        importing = asyncio.create_task(app.store.apply_import(plan, OPERATOR, progress))
        await asyncio.wait_for(inside.wait(), 60)
        during = await ask_hundred(app)
        finished_inside = not importing.done() and reported[-1] < BULK
        await importing
        assert finished_inside, "the import ended before the questions did; make it bigger"
        # Readers saw the store as it was before the import: nothing half-imported.
        assert during == before
        assert (await app.store.counts()).total == SEED_ENTRIES + BULK
        assert "five" in (await app.answerer.ask("how many times was the soldier shot")).text
    finally:
        await app.close()
    assert check_database(db) == (SEED_ENTRIES + BULK, BULK)


async def test_hundred_asks_while_a_cli_import_runs_in_another_process(db, huge_file):
    app = await open_app(Settings(database_path=db, data_dir=DATA_DIR))
    try:
        before = await ask_hundred(app)
        proc = start(db, "-m", "bot", "import", huge_file)
        wal = db.with_name(db.name + "-wal")
        while not (wal.exists() and wal.stat().st_size > 2_000_000):  # inside its transaction
            assert proc.poll() is None, proc.communicate()
            await asyncio.sleep(0.01)
        during = await ask_hundred(app)
        # A whole new bot process starts and answers too, without waiting for the import's lock.
        started = time.monotonic()
        await asyncio.to_thread(assert_answers, db)
        assert time.monotonic() - started < 5
        still_running = proc.poll() is None
        if still_running:  # that process, closing, did not take itself for the last user of the -wal
            assert wal.exists()
        out, err = await asyncio.to_thread(proc.communicate, None, 60)
        assert proc.returncode == 0, (out, err)
        assert f"Added {HUGE}, changed 0, removed 0." in out
        assert still_running, "the import ended before the questions did; make it bigger"
        assert during == before
        # The other process's commit reaches this one.
        assert (await app.store.counts()).total == SEED_ENTRIES + HUGE
    finally:
        await app.close()
    assert check_database(db) == (SEED_ENTRIES + HUGE, HUGE)
