"""Start-up checks, through the real command line: a database StoryBot must not use stops it with exactly one
`error:` line on stderr and a non-zero exit, no traceback, and the file left exactly as it was.

The permission cases need a user the permissions apply to.  Tests run as root in CI, and root ignores them,
so there the bot runs as `nobody` (setpriv, else runuser), on files under a world-traversable temporary folder;
run as anyone else, the bot runs as that user."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import Store, StoreError
from bot.store.migrations import available
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import REPO

COMMANDS = {"ask": ("ask", "how many times was the soldier shot"), "console": ("console",)}
NOBODY = 65534
PAGE = 4096


def run_bot(db: Path | str, *args: str, home: Path, user: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS`, stdin closed (end of input at once), optionally as another user."""
    return run_cli(cli_env(db, home), *args, user=user)


def refused(result: subprocess.CompletedProcess[str], *needles: str, code: int = 1) -> str:
    """Exactly one line on stderr, starting with `error:`, the exit code, nothing on stdout; the line."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("error: "), line
    assert result.returncode == code, (result.returncode, line)
    assert result.stdout == ""
    for needle in needles:
        assert needle in line, line
    assert len(line) < 400, line  # a sentence, not a dump
    return line


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Every file in a folder: mode, modification time and bytes (a new -wal or -shm, a reseed, a chmod all show).
    A file this test cannot read itself (run as an ordinary user) is compared by mode and time."""

    def state(p: Path) -> tuple[int, int, bytes | None]:
        info = p.stat()
        return info.st_mode, info.st_mtime_ns, p.read_bytes() if os.access(p, os.R_OK) else None

    return {p.name: state(p) for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeded") / "storybot.db"
    result = run_bot(db, "ask", "what is the DMZ", home=db.parent)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in db.parent.iterdir()) == ["storybot.db"]
    return db


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


# ---- damaged files ---------------------------------------------------------------------------------


def random_bytes(folder: Path, seeded: Path) -> Path:
    db = folder / "storybot.db"
    db.write_bytes(random.Random(7).randbytes(64 * 1024))
    return db


def truncated(folder: Path, seeded: Path) -> Path:
    db = folder / "storybot.db"
    data = seeded.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    return db


def damaged_pages(folder: Path, seeded: Path) -> Path:
    """The header and the schema page intact, every other page overwritten."""
    db = folder / "storybot.db"
    data = bytearray(seeded.read_bytes())
    noise = random.Random(11)
    for start in range(PAGE, len(data), PAGE):
        data[start : start + PAGE] = noise.randbytes(PAGE)
    db.write_bytes(bytes(data))
    return db


DAMAGED = {"random-bytes": random_bytes, "truncated": truncated, "damaged-pages": damaged_pages}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("make", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_database_is_refused_and_left_alone(folder, seeded_file, make, command):
    db = make(folder, seeded_file)
    before = snapshot(folder)
    line = refused(
        run_bot(db, *COMMANDS[command], home=folder),
        str(db),
        "damaged or not a SQLite file",
        "restore it from a backup",
    )
    assert "Traceback" not in line
    assert snapshot(folder) == before


def test_damage_only_a_question_reaches_is_one_line_too(folder, seeded_file):
    """The full-text index's root page overwritten: start-up reads nothing there, the first question does."""
    db = folder / "storybot.db"
    shutil.copyfile(seeded_file, db)
    con = sqlite3.connect(db)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries_fts_data'").fetchone()[0]
    con.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * PAGE : root * PAGE] = random.Random(5).randbytes(PAGE)
    db.write_bytes(bytes(data))
    before = snapshot(folder)
    assert run_bot(db, *COMMANDS["console"], home=folder).returncode == 0  # start-up alone does not notice
    refused(run_bot(db, *COMMANDS["ask"], home=folder), str(db), "damaged or not a SQLite file")
    console = run_cli(cli_env(db, folder), "console", stdin="what is the DMZ\n")
    assert console.returncode == 1 and "Traceback" not in console.stderr
    assert console.stderr.splitlines() == [refused(run_bot(db, *COMMANDS["ask"], home=folder))]
    assert snapshot(folder) == before


# ---- a database from a newer StoryBot; a folder for a database -------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_from_a_newer_storybot_is_refused_unchanged(folder, seeded_file, command):
    db = folder / "storybot.db"
    shutil.copyfile(seeded_file, db)
    con = sqlite3.connect(db)
    with con:
        con.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'later')")
    con.close()
    before = snapshot(folder)
    refused(
        run_bot(db, *COMMANDS[command], home=folder),
        str(db),
        "newer StoryBot",
        "schema version 999",
        f"knows up to {available()[-1].version}",
        "upgrade StoryBot",
    )
    assert snapshot(folder) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_database_path_naming_a_folder_exits_2(folder, command):
    before = snapshot(folder)
    refused(run_bot(folder, *COMMANDS[command], home=folder), "DATABASE_PATH", str(folder), code=2)
    assert snapshot(folder) == before


# ---- permissions ------------------------------------------------------------------------------------


def _as_other_user() -> list[str]:
    """The command prefix that runs the bot as a user permissions apply to; skips when there is none."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv"):
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    elif shutil.which("runuser"):
        prefix = ["runuser", "-u", "nobody", "--"]
    else:
        pytest.skip(
            "running as root, and neither setpriv nor runuser exists to drop to an unprivileged user "
            "(root ignores file permissions, so these checks would be meaningless)"
        )
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import aiosqlite, bot.__main__"],
        cwd=REPO,
        env=cli_env("/nonexistent", "/tmp"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    if probe.returncode != 0:
        pytest.skip(
            f"the unprivileged user cannot run {sys.executable} with StoryBot and its packages (is the "
            f"venv readable by others?): {probe.stderr.strip()[-300:]}"
        )
    return prefix


@pytest.fixture(scope="module")
def other_user() -> list[str]:
    return _as_other_user()


@pytest.fixture
def shared(other_user: list[str]) -> Iterator[Path]:
    """A folder the other user can enter (pytest's tmp_path parents are 0700)."""
    path = Path(tempfile.mkdtemp(prefix="storybot-perm-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for sub in path.rglob("*"):
            if sub.is_dir():
                sub.chmod(0o755)
        shutil.rmtree(path)


READ_ONLY = 0o644 if os.geteuid() == 0 else 0o444  # root's 644: others may read, not write
# each case: the data folder's mode, the database's (None: no database), what the refusal names
PERMISSIONS = {
    "unreadable-file": (0o777, 0o000, ("is not readable by this user",)),
    "read-only-folder-no-db": (0o555, None, ("cannot create the database", "read-only for this user")),
    "read-only-folder-and-db": (0o555, READ_ONLY, ("is read-only for this user",)),
    "read-only-db": (0o777, READ_ONLY, ("is read-only for this user",)),
    "read-only-folder-only": (0o555, 0o666, ("folder", "read-only for this user", "storybot.db-wal")),
}


def data_folder(shared: Path, seeded: Path, folder_mode: int, db_mode: int | None) -> tuple[Path, Path]:
    """`shared`/data holding a copy of the seeded database (none if `db_mode` is None), then given those modes;
    the folder and the database path."""
    folder = shared / "data"
    folder.mkdir()
    db = folder / "storybot.db"
    if db_mode is not None:
        shutil.copyfile(seeded, db)
        db.chmod(db_mode)
    folder.chmod(folder_mode)
    return folder, db


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("folder_mode", "db_mode", "needles"), PERMISSIONS.values(), ids=PERMISSIONS.keys())
def test_a_database_this_user_cannot_use_is_refused_and_left_alone(
    shared, other_user, seeded_file, folder_mode, db_mode, needles, command
):
    folder, db = data_folder(shared, seeded_file, folder_mode, db_mode)
    before = snapshot(folder)
    mode = stat.S_IMODE(folder.stat().st_mode)
    refused(run_bot(db, *COMMANDS[command], home=shared, user=other_user), str(db), *needles)
    assert snapshot(folder) == before
    assert stat.S_IMODE(folder.stat().st_mode) == mode


def test_a_database_beyond_a_folder_this_user_cannot_enter(shared, other_user):
    private = shared / "private"
    private.mkdir(mode=0o700)
    private.chmod(0o700 if os.geteuid() == 0 else 0o000)  # root owns it: nobody may not enter
    db = private / "storybot.db"
    line = refused(run_bot(db, *COMMANDS["ask"], home=shared, user=other_user), str(db), "DATABASE_PATH", code=2)
    assert "Permission denied" in line
    private.chmod(0o700)
    assert list(private.iterdir()) == []


def test_the_same_files_work_for_their_owner(shared, other_user, seeded_file):
    """The control: what the other user was refused, its owner may use (so the refusals were about permissions)."""
    _, db = data_folder(shared, seeded_file, *PERMISSIONS["read-only-db"][:2])
    if os.geteuid() != 0:
        db.chmod(0o644)
    result = run_bot(db, *COMMANDS["ask"], home=shared)
    assert result.returncode == 0, result.stderr
    assert "five" in result.stdout


# ---- a failed open cleans up after itself -------------------------------------------------------------


async def test_a_failed_open_leaves_no_worker_thread_behind(tmp_path):
    """aiosqlite's worker thread must be gone when the error is raised: a thread still finishing would report
    to an event loop the command line has closed by then, and print a stray traceback after the error line."""
    db = tmp_path / "storybot.db"
    db.symlink_to(tmp_path / "missing" / "target.db")  # SQLite follows it and cannot create the file
    before = set(threading.enumerate())
    with pytest.raises(StoreError, match="cannot open the database") as caught:
        await Store.open(db)
    assert "\n" not in str(caught.value)
    workers = [t for t in threading.enumerate() if t not in before and "_connection_worker_thread" in t.name]
    assert workers == []
    assert not (tmp_path / "missing").exists()
