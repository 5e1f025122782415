"""The command line and the offline console, run as a user would run them (subprocesses)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from bot.dataset import load_article
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import DATA_DIR


def run_bot(tmp_path: Path, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return run_cli(cli_env(tmp_path / "c.db", tmp_path, **env), *args, stdin=stdin)


def entry_count(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as db:
        return (
            db.execute("SELECT count(*) FROM entries").fetchone()[0],
            db.execute("SELECT count(DISTINCT id) FROM entries").fetchone()[0],
        )


def test_help_lists_the_commands(tmp_path):
    result = run_bot(tmp_path, "--help")
    assert result.returncode == 0
    for command in ("run", "console", "ask"):
        assert command in result.stdout
    assert not (tmp_path / "c.db").exists()


def test_ask_json_prints_one_line_per_question_in_order(tmp_path):
    questions = ["how many times was the soldier shot", "who is lee cook-jong", "what is the capital of france"]
    result = run_bot(tmp_path, "ask", "--json", *questions)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    answers = [json.loads(line) for line in lines]
    assert [a["question"] for a in answers] == questions
    for answer in answers:
        assert {"question", "found", "answer", "entries"} <= set(answer)
        assert len(answer["answer"]) <= 350
        for entry in answer["entries"]:
            assert set(entry) >= {"kind", "id", "text", "paragraphs"}
            assert entry["paragraphs"] and all(isinstance(p, int) for p in entry["paragraphs"])
    assert answers[0]["found"] is True and "five" in answers[0]["answer"]
    assert answers[0]["entries"][0]["paragraphs"] == [2]
    assert answers[1]["found"] is True and "Lee Cook-jong" in answers[1]["answer"]
    assert answers[2]["found"] is False
    assert answers[2]["entries"] == []
    assert "I don't know" in answers[2]["answer"]


def test_ask_plain_text(tmp_path):
    result = run_bot(tmp_path, "ask", "what is the DMZ")
    assert result.returncode == 0, result.stderr
    assert "DMZ" in result.stdout
    assert "[Source: paragraph" in result.stdout and "of the article]" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


CONSOLE_INPUT = "help\n/timeline 2\n/who lee\n/source 8\nhow many times was he shot\n/bogus\nquit\n"


def test_console_session(tmp_path):
    result = run_bot(tmp_path, "console", stdin=CONSOLE_INPUT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for command in (
        "/ask",
        "/fact",
        "/quote",
        "/timeline",
        "/search",
        "/who",
        "/explain",
        "/source",
        "/about",
        "/help",
    ):
        assert command in out
    assert "page 2" in out
    assert "Lee Cook-jong" in out
    paragraph_8 = load_article(DATA_DIR / "article.txt").paragraphs[7].text
    assert " ".join(out.split()).count(paragraph_8) == 1
    assert "five" in out
    assert "Unknown command" in out
    assert out.rstrip().endswith("Bye.")
    # The help comes first, then the answers in the order asked.
    order = [
        out.index(s)
        for s in (
            "StoryBot commands",
            "(page 2 of",
            "Lee Cook-jong\n",
            "Paragraph 8\n--",
            "shot five times",
            "Unknown command",
            "Bye.",
        )
    ]
    assert order == sorted(order)
    too_wide = [line for line in out.splitlines() if len(line) > 80]
    assert too_wide == []


def test_console_lines_stay_within_80_columns_for_long_input(tmp_path):
    long_question = (
        "how many times was the north korean soldier shot by his own countrymen as he ran south "
        "across the line on that monday"
    )
    long_search = "/search soldier jeep ditch weapon rifle bullets rounds fired chased guard post area"
    result = run_bot(tmp_path, "console", stdin=f"{long_question}\n{long_search}\n")
    assert result.returncode == 0, result.stderr
    assert "five" in result.stdout
    too_wide = [line for line in result.stdout.splitlines() if len(line) > 80]
    assert too_wide == []


def test_console_ends_at_end_of_input_without_quit(tmp_path):
    result = run_bot(tmp_path, "console", stdin="/about\n")
    assert result.returncode == 0
    assert "20 paragraphs · " in result.stdout
    assert result.stdout.rstrip().endswith("Bye.")


def test_no_token_starts_the_console_with_a_notice(tmp_path):
    result = run_bot(tmp_path)
    assert result.returncode == 0, result.stderr
    notice = result.stderr.strip().splitlines()
    assert len(notice) == 1
    assert "No DISCORD_TOKEN set" in notice[0]
    assert result.stdout.rstrip().endswith("Bye.")


def test_first_start_seeds_and_second_does_not_duplicate(tmp_path):
    db = tmp_path / "c.db"
    assert not db.exists()
    first = run_bot(tmp_path, "ask", "what is the DMZ")
    assert first.returncode == 0, first.stderr
    assert db.exists()
    total, distinct = entry_count(db)
    assert total == distinct > 0
    second = run_bot(tmp_path)
    assert second.returncode == 0, second.stderr
    assert entry_count(db) == (total, distinct)


@pytest.mark.parametrize(
    ("contents", "needle"),
    [(b"not a database" * 100, "damaged or not a SQLite file")],
)
def test_damaged_database_exits_1_with_one_line(tmp_path, contents, needle):
    (tmp_path / "c.db").write_bytes(contents)
    result = run_bot(tmp_path, "ask", "what is the DMZ")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [("ask", "how many times was he shot"), ("console",), ("export", "x.json")])
def test_offline_commands_never_load_discord_py(tmp_path, args):
    # -X importtime lists every module the process imports, on stderr.
    env = cli_env(tmp_path / "i.db", tmp_path, PYTHONPROFILEIMPORTTIME="1")
    args = tuple(str(tmp_path / a) if a.endswith(".json") else a for a in args)
    result = run_cli(env, *args)
    assert result.returncode == 0, result.stderr[-500:]
    lines = result.stderr.splitlines()
    imported = [line.rsplit("|", 1)[-1].strip() for line in lines if line.startswith("import time")]
    assert any(name.startswith("bot.") for name in imported)  # the listing works
    assert not [name for name in imported if name == "discord" or name.startswith("discord.")]
