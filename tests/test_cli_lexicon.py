"""The lexicon section of import files at the command line (`python -m bot import | export`, real subprocesses), and
the answer engine of a running process picking up what the command line changed."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from bot.app import open_app
from bot.config import Settings
from bot.store.lexicon import LEXICON_RECHECK_SECONDS
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import DATA_DIR

STUCK = "what was the zorp stuck in"
ZORP = {"synonyms": [["zorp", "jeep"]], "categories": {"vehicle": {"members": ["tank"]}}}


def bot(db: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    result = run_cli(cli_env(db, os.environ.get("HOME", "/tmp")), *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def ask_json(db: Path, question: str) -> dict:
    result = bot(db, "ask", "--json", question)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "storybot.db"


@pytest.fixture
def with_lexicon(db: Path, tmp_path: Path) -> Path:
    """An export of a freshly seeded store, with a lexicon section added."""
    exported = tmp_path / "export.json"
    assert bot(db, "export", exported).returncode == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert "lexicon" not in document  # nothing added yet: exactly the shape of data/story.json
    document["lexicon"] = ZORP
    target = tmp_path / "with-lexicon.json"
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


def test_dry_run_previews_the_lexicon_and_changes_nothing(db, with_lexicon):
    result = bot(db, "import", with_lexicon, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Lexicon:\n  +1 synonym group, +1 category member\n  + synonyms: zorp, jeep\n" in result.stdout
    assert "dry run: nothing changed" in result.stdout
    assert ask_json(db, STUCK)["found"] is False


def test_import_applies_the_lexicon_and_export_round_trips(db, with_lexicon, tmp_path):
    result = bot(db, "import", with_lexicon)
    assert result.returncode == 0, result.stderr
    assert "Lexicon: +1 synonym group, +1 category member." in result.stdout
    answer = ask_json(db, STUCK)
    assert answer["found"] and answer["entries"][0]["id"] == "ev-jeep-stuck"
    again = tmp_path / "again.json"
    assert bot(db, "export", again).returncode == 0
    assert json.loads(again.read_text(encoding="utf-8"))["lexicon"] == ZORP
    for mode in ([], ["--replace"]):
        result = bot(db, "import", again, *mode)
        assert "nothing to import" in result.stdout, (mode, result.stdout)


def test_a_bad_lexicon_section_is_refused(db, with_lexicon):
    document = json.loads(with_lexicon.read_text(encoding="utf-8"))
    document["lexicon"] = {"synonyms": "zorp, jeep", "filler": ["x" * 70]}
    with_lexicon.write_text(json.dumps(document), encoding="utf-8")
    result = bot(db, "import", with_lexicon)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: {with_lexicon}: lexicon: filler[0]: 70 characters, the limit is 60; "
        "lexicon: synonyms must be a list of lists"
    )
    assert ask_json(db, STUCK)["found"] is False


async def test_a_running_engine_sees_what_another_process_changed_within_a_second(tmp_path, with_lexicon, db):
    app = await open_app(Settings(database_path=db, data_dir=DATA_DIR))
    try:
        assert not (await app.answerer.ask(STUCK)).found
        result = await asyncio.to_thread(bot, db, "import", with_lexicon)
        assert result.returncode == 0, result.stderr
        done = time.monotonic()
        while not (await app.answerer.ask(STUCK)).found:
            assert time.monotonic() - done < 1.0, "the engine did not see the other process's lexicon within 1 s"
            await asyncio.sleep(0.05)
        assert time.monotonic() - done <= LEXICON_RECHECK_SECONDS + 0.2
        assert (await app.answerer.ask(STUCK)).best.id == "ev-jeep-stuck"
    finally:
        await app.close()
