"""`quiz` at the command line and in the console, run as a user would run them (subprocesses)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli

JSON_KEYS = {"question", "options", "answer", "kind", "entry", "paragraphs"}


def run_bot(tmp_path: Path, *args: str, stdin: str | None = None):
    return run_cli(cli_env(tmp_path / "q.db", tmp_path), *args, stdin=stdin)


def test_quiz_json_prints_one_question_a_line(tmp_path):
    result = run_bot(tmp_path, "quiz", "--json", "--count", "12", "--seed", "7")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 12
    for line in lines:
        question = json.loads(line)
        assert set(question) == JSON_KEYS
        assert len(question["options"]) == 4 and all(isinstance(o, str) and o for o in question["options"])
        assert len(set(question["options"])) == 4
        assert question["answer"] in range(4)
        assert question["paragraphs"] and all(isinstance(p, int) for p in question["paragraphs"])
        assert question["entry"] and question["kind"] and question["question"]
    keys = [q["question"] for q in map(json.loads, lines)]
    assert all(a != b for a, b in itertools.pairwise(keys))


def test_the_same_seed_gives_the_same_questions(tmp_path):
    first = run_bot(tmp_path, "quiz", "--json", "--count", "20", "--seed", "3")
    again = run_bot(tmp_path, "quiz", "--json", "--count", "20", "--seed", "3")
    other = run_bot(tmp_path, "quiz", "--json", "--count", "20", "--seed", "4")
    assert first.returncode == again.returncode == other.returncode == 0
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout


def test_quiz_plain_text_shows_the_answer_and_its_source(tmp_path):
    result = run_bot(tmp_path, "quiz", "--count", "3", "--seed", "1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("The answer: ") == 3 and out.count("[Source: paragraph") == 3
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "**" not in out


@pytest.mark.parametrize("count", ["0", "1001", "many", "-2"])
def test_a_bad_count_is_a_usage_error(tmp_path, count):
    result = run_bot(tmp_path, "quiz", "--count", count)
    assert result.returncode == 2
    assert "--count: must be a whole number from 1 to 1000" in result.stderr
    assert "Traceback" not in result.stderr


def test_quiz_help(tmp_path):
    result = run_bot(tmp_path, "quiz", "--help")
    assert result.returncode == 0
    for option in ("--json", "--count N", "--seed S"):
        assert option in result.stdout
    assert "quiz" in run_bot(tmp_path, "--help").stdout


# ---- the console ----------------------------------------------------------------------------------------------


def listing(block: str) -> dict[str, str]:
    """The options a question block lists: {'1': 'five', ...}."""
    return dict(re.findall(r"^([1-4]) · (.+)$", block, re.MULTILINE))


VERDICT = re.compile(
    r"(?P<verdict>Right!|Not quite|Skipped)\n-+\n(?:You chose (?P<chosen>\d); the answer is|It is|The answer): "
    r"(?P<number>[1-4]) · (?P<option>.+)"
)


def test_console_quiz_reads_the_answer_and_shows_the_source(tmp_path):
    result = run_bot(tmp_path, "console", stdin="quiz\n1\nquiz\nC\nquiz\nwhat?\nskip\n")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.split("Your answer: 1, 2, 3 or 4 (or skip).")
    assert len(blocks) == 5  # three questions, and the prompt once more after 'what?'
    typed = ["1", "3", None]
    for (asked, answered), chosen in zip([blocks[0:2], blocks[1:3], blocks[2:5:2]], typed, strict=True):
        options = listing(asked)
        assert set(options) == {"1", "2", "3", "4"}, asked
        verdict = VERDICT.search(answered)
        assert verdict, answered
        # the answer is the option listed under its number (a long option wraps: compare the first line)
        listed, shown = options[verdict["number"]], verdict["option"]
        assert listed.startswith(shown) or shown.startswith(listed), (listed, shown)
        if chosen is None:
            assert verdict["verdict"] == "Skipped"
        elif verdict["verdict"] == "Right!":
            assert verdict["number"] == chosen
        else:
            assert verdict["chosen"] == chosen != verdict["number"]
        assert "[Source: paragraph" in answered
    assert re.search(r"\([0-2] of 3 right this session", result.stdout)


def test_console_quiz_when_the_input_ends(tmp_path):
    result = run_bot(tmp_path, "console", stdin="quiz\n")
    assert result.returncode == 0, result.stderr
    assert "Skipped" in result.stdout and "The answer: " in result.stdout
    assert result.stdout.rstrip().endswith("Bye.")


def test_console_help_mentions_the_quiz(tmp_path):
    result = run_bot(tmp_path, "console", stdin="help\n")
    assert "quiz asks a multiple-choice question" in result.stdout.replace("\n  ", " ")


def test_console_quiz_start_as_help_names_it(tmp_path):
    result = run_bot(tmp_path, "console", stdin="/quiz start\nskip\n/quiz leaderboard\n")
    assert result.returncode == 0, result.stderr
    assert "Skipped" in result.stdout
    assert "Usage: quiz (or quiz start); the leaderboard is on Discord" in result.stdout
