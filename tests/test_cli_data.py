"""`python -m bot export | import | backup`, run as an operator would: a real subprocess on a database
under tmp_path."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from bot.dataset import dump_dataset
from bot.store import Store
from tests.cli_helpers import cli_env, run_cli, run_measured
from tests.conftest import REPO


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "storybot.db"


def bot(db: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_cli(cli_env(db, os.environ.get("HOME", "/tmp")), *args)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def failed(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") or "\nerror: " in result.stderr, result.stderr
    return result.stderr


def dump(path: Path) -> str:
    """The whole database as SQL (a fresh connection; nothing else has it open)."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def rows(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def live_ids(path: Path) -> set[str]:
    return {r[0] for r in rows(path, "SELECT id FROM entries WHERE deleted_at IS NULL")}


async def store_document(path: Path) -> dict:
    store = await Store.open(path)
    try:
        return dump_dataset(await store.entries())
    finally:
        await store.close()


@pytest.fixture
def exported(db: Path, tmp_path: Path) -> Path:
    """A seeded store and its export."""
    target = tmp_path / "export.json"
    result = ok(bot(db, "export", target))
    assert f"exported 94 entries to {target}" in result.stdout
    return target


# ---- export ------------------------------------------------------------------------------------------


async def test_export_writes_the_store(db, exported):
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document == await store_document(db)
    assert document["format"] == "storybot/1"
    assert {
        e["id"] for plural in ("facts", "quotes", "events", "people", "terms") for e in document[plural]
    } == live_ids(db)
    seed = json.loads((REPO / "data" / "story.json").read_text(encoding="utf-8"))
    for plural in ("facts", "quotes", "events", "people", "terms"):
        assert sorted(e["id"] for e in document[plural]) == sorted(e["id"] for e in seed[plural])


def test_export_refuses_to_overwrite(db, exported):
    before = exported.read_bytes()
    stderr = failed(bot(db, "export", exported))
    assert "already exists" in stderr
    assert exported.read_bytes() == before


def test_export_into_a_missing_folder(db, tmp_path):
    stderr = failed(bot(db, "export", tmp_path / "nope" / "e.json"))
    assert "cannot write" in stderr


# ---- import --------------------------------------------------------------------------------------------


def modify(exported: Path, target: Path) -> tuple[str, str]:
    """The export with one fact's text changed, one fact added and one term left out."""
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["facts"][0]["text"] = "Changed from the command line."
    document["facts"].append(
        {"id": "cli-added-fact", "topic": "zeppelins", "text": "A zeppelin was seen.", "paragraphs": [3]}
    )
    dropped = document["terms"].pop()["id"]
    target.write_text(json.dumps(document), encoding="utf-8")
    return document["facts"][0]["id"], dropped


def test_round_trip_has_nothing_to_import(db, exported):
    before = dump(db)
    result = ok(bot(db, "import", exported))
    assert "Nothing would change. 94 entries are already the same." in result.stdout
    assert "nothing to import" in result.stdout
    assert dump(db) == before


def test_dry_run_previews_and_changes_nothing(db, exported, tmp_path):
    changed_id, _ = modify(exported, tmp_path / "mod.json")
    before = dump(db)
    result = ok(bot(db, "import", tmp_path / "mod.json", "--dry-run"))
    assert "Import preview" in result.stdout
    assert "Dry run (merge)" in result.stdout
    assert "Added (1):" in result.stdout and "\n  cli-added-fact" in result.stdout
    assert "Changed (1):" in result.stdout and f"\n  {changed_id}" in result.stdout
    assert "dry run: nothing changed" in result.stdout
    assert "checking" in result.stderr
    assert dump(db) == before


def test_import_applies_and_records_the_operator(db, exported, tmp_path):
    changed_id, dropped = modify(exported, tmp_path / "mod.json")
    result = ok(bot(db, "import", tmp_path / "mod.json"))
    assert "Import done" in result.stdout
    assert "Added 1, changed 1, removed 0." in result.stdout
    assert "[#" not in result.stderr  # no progress bar when not on a terminal
    texts = dict(rows(db, "SELECT id, text FROM entries"))
    assert texts[changed_id] == "Changed from the command line."
    assert texts["cli-added-fact"] == "A zeppelin was seen."
    assert dropped in live_ids(db)  # merge keeps what the file lacks
    revisions = rows(db, "SELECT entry_id, action, actor_id, actor_name, note FROM revisions ORDER BY id")
    assert sorted(revisions) == sorted(
        [
            ("cli-added-fact", "import", "cli", "operator (command line)", "added by import"),
            (changed_id, "import", "cli", "operator (command line)", "changed by import"),
        ]
    )
    # the same file again: nothing left to do
    assert "nothing to import" in ok(bot(db, "import", tmp_path / "mod.json")).stdout


def test_import_replace_soft_deletes_missing_entries(db, exported, tmp_path):
    _, dropped = modify(exported, tmp_path / "mod.json")
    result = ok(bot(db, "import", tmp_path / "mod.json", "--replace"))
    assert "Removed (1):" in result.stdout and f"\n  {dropped}" in result.stdout
    assert "Added 1, changed 1, removed 1." in result.stdout
    assert dropped not in live_ids(db)
    assert rows(db, f"SELECT deleted_at IS NOT NULL FROM entries WHERE id = '{dropped}'") == [(1,)]
    assert rows(db, f"SELECT action, note FROM revisions WHERE entry_id = '{dropped}'") == [
        ("import", "removed by import (replace)")
    ]


BAD_FILES = [
    ("truncated.json", b'{"facts": [{"id": "a-b", ', ["not valid JSON"]),
    (
        "types.json",
        json.dumps({"facts": "x", "terms": [{"id": "t-x", "term": "T", "text": "T.", "paragraphs": ["3"]}]}).encode(),
        ["facts must be a list of entries", "paragraphs must be a list of paragraph numbers"],
    ),
    (
        "quote.json",
        json.dumps({"quotes": [{"id": "q-fake", "speaker": "Lee", "text": "Never said", "paragraphs": [10]}]}).encode(),
        ["the quote does not appear word for word"],
    ),
    (
        "dup.json",
        json.dumps({"facts": [{"id": "d-d", "topic": "t", "text": "x", "paragraphs": [3]}] * 2}).encode(),
        ["'d-d': duplicate id"],
    ),
    ("section.json", json.dumps({"gossip": []}).encode(), ["unknown section 'gossip'"]),
    ("latin1.json", '{"facts": ["caf\u00e9"]}'.encode("latin-1"), ["not UTF-8"]),
]


@pytest.mark.parametrize(("name", "data", "needles"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_and_changes_nothing(db, exported, tmp_path, name, data, needles):
    bad = tmp_path / name
    bad.write_bytes(data)
    before, before_bytes = dump(db), db.read_bytes()
    stderr = failed(bot(db, "import", bad))
    assert str(bad) in stderr
    for needle in needles:
        assert needle in stderr, stderr
    assert dump(db) == before
    assert db.read_bytes() == before_bytes


def test_missing_file(db, exported, tmp_path):
    stderr = failed(bot(db, "import", tmp_path / "absent.json"))
    assert "cannot read" in stderr


def test_file_over_the_limit_is_refused_unread(db, exported, tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # sparse: takes no disk space
        handle.truncate(100_000_001)
    before = dump(db)
    stderr = failed(bot(db, "import", huge))
    assert "the file is larger than 100 MB" in stderr
    assert dump(db) == before


# ---- backup ------------------------------------------------------------------------------------------


async def test_backup_opens_and_holds_the_same_entries(db, exported, tmp_path):
    ok(bot(db, "import", exported))  # opens the store; nothing to import
    target = tmp_path / "backup.db"
    result = ok(bot(db, "backup", target))
    assert f"to {target}" in result.stdout
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    assert await store_document(target) == await store_document(db)
    assert rows(target, "SELECT count(*) FROM revisions") == rows(db, "SELECT count(*) FROM revisions")
    # and the bot can run on it
    again = tmp_path / "again.json"
    ok(bot(target, "export", again))
    assert json.loads(again.read_text(encoding="utf-8")) == json.loads(exported.read_text(encoding="utf-8"))


def test_backup_refuses_an_existing_target(db, exported, tmp_path):
    target = tmp_path / "taken.db"
    target.write_bytes(b"keep me")
    stderr = failed(bot(db, "backup", target))
    assert "already exists" in stderr
    assert target.read_bytes() == b"keep me"


# ---- import: what cannot be read, junk, values SQLite cannot hold, a failing disk (issue 10, items 7 and 10) ------


def measured(db: Path, tmp_path: Path, *args: str | Path, file_size: int | None = None) -> tuple[int, str, float]:
    """`python -m bot ARGS` with at most 2 GB of address space (so a runaway read fails instead of eating the
    machine) and optionally a largest file size (a full disk); its exit status, stderr and peak RSS in MB."""
    limits = {"RLIMIT_AS": 2 << 30, **({"RLIMIT_FSIZE": file_size} if file_size is not None else {})}
    env = cli_env(db, os.environ.get("HOME", "/tmp"))
    try:
        result, peak = run_measured(env, tmp_path / "peak.txt", *args, limits=limits)
    except subprocess.TimeoutExpired:
        pytest.fail(f"python -m bot {' '.join(map(str, args))} still running after 60 s")
    return result.returncode, result.stderr, peak


def refused(status: int, stderr: str) -> str:
    assert status == 1, stderr
    assert "Traceback" not in stderr, stderr
    assert stderr.startswith("error: ") or "\nerror: " in stderr, stderr
    return stderr


@pytest.mark.parametrize("source", ["/dev/zero", "fifo", "folder"])
def test_import_refuses_a_device_a_pipe_or_a_folder_unread(db, exported, tmp_path, source):
    if source == "fifo":
        path = tmp_path / "pipe.json"
        os.mkfifo(path)  # no writer: opening it the usual way would wait for ever
    elif source == "folder":
        path = tmp_path
    else:
        path = Path(source)  # size 0 by stat, endless when read
    before = dump(db)
    status, stderr, _ = measured(db, tmp_path, "import", path)
    assert "not a regular file" in refused(status, stderr)
    assert dump(db) == before


@pytest.mark.parametrize(
    ("name", "junk", "problem"),
    [
        ("empty-objects", b'{"facts": [' + b",".join([b"{}"] * 4_000_000) + b"]}", "checking stopped after 1,000"),
        ("numbers", b'{"facts": [' + b",".join([b"1"] * 6_000_000) + b"]}", "fact entry must be an object"),
        ("long-list", b'{"facts": [{"keywords": [' + b",".join([b'"a"'] * 3_000_000) + b"]}]}", "more than 500"),
        ("deep", b'{"facts": ' + b"[" * 6_000_000 + b"]" * 6_000_000 + b"}", "nests lists or objects deeper"),
    ],
)
def test_a_junk_file_is_refused_in_bounded_memory(db, exported, tmp_path, name, junk, problem):
    path = tmp_path / f"{name}.json"
    path.write_bytes(junk)
    assert len(junk) >= 12_000_000
    status, stderr, peak = measured(db, tmp_path, "import", path)
    assert problem in refused(status, stderr)
    _, _, baseline = measured(db, tmp_path, "import", exported, "--dry-run")  # the interpreter, the store
    # the file is read once and decoded once (at most 3 bytes a byte), never parsed whole into objects
    assert baseline < 100 and peak < baseline + 3 * len(junk) / 1e6, f"peak {peak:.0f} MB, small file {baseline:.0f}"


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("sort", 10**30, "sort must be a whole number from -999999999 to 999999999"),
        ("text", "Stuck in a \ud800 ditch", "text holds a character that cannot be stored"),
        ("keywords", ["jeep", "\udc00"], "a keyword holds a character that cannot be stored"),
    ],
)
def test_a_value_the_store_cannot_hold_is_refused_before_anything_is_written(
    db, exported, tmp_path, field, value, problem
):
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["events"][0][field] = value
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(document), encoding="utf-8")  # the surrogate as the escape \ud800
    before = dump(db)
    result = bot(db, "import", path)
    stderr = failed(result)
    assert problem in stderr and document["events"][0]["id"] in stderr
    assert "Import preview" not in result.stdout
    assert dump(db) == before


def test_the_database_itself_is_not_imported(db, exported):
    stderr = failed(bot(db, "import", db))
    assert "that is StoryBot's own database" in stderr


def test_an_import_the_disk_cannot_hold_fails_with_a_message_and_changes_nothing(db, exported, tmp_path):
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["facts"] += [
        {"id": f"filler-{n}", "topic": "filler", "text": f"Filler fact {n} about the jeep " * 8, "paragraphs": [4]}
        for n in range(3_000)
    ]
    path = tmp_path / "large.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = dump(db)
    # No file may grow past 1.5 MB: the database's write-ahead log fills "the disk" long before 3,000 entries.
    status, stderr, _ = measured(db, tmp_path, "import", path, file_size=1_500_000)
    assert status == 1 and "Traceback" not in stderr, stderr
    assert "error: import failed: " in stderr and "Nothing was imported" in stderr
    assert dump(db) == before
