"""The inbox at the command line, run as an operator runs it: console questions land in `inbox`, `teach` makes
`ask` answer them, `dismiss` drops an item, and `ask` records nothing unless told to."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.cli_helpers import cli_env, run_cli

REFUSED = "How much did the soldier's surgery cost?"
VARIANT = "how much did the soliders surgrey cost lol"
SURGEON = "operated-on-by-trauma-surgeon"


def run_bot(tmp_path: Path, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return run_cli(cli_env(tmp_path / "c.db", tmp_path, **env), *args, stdin=stdin)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def inbox(tmp_path: Path) -> list[dict]:
    return [json.loads(line) for line in ok(run_bot(tmp_path, "inbox", "--json")).stdout.splitlines()]


def asked(tmp_path: Path, *questions: str) -> list[dict]:
    return [json.loads(line) for line in ok(run_bot(tmp_path, "ask", "--json", *questions)).stdout.splitlines()]


def test_a_refused_console_question_is_taught_and_then_answered(tmp_path):
    console = ok(run_bot(tmp_path, "console", stdin=f"{REFUSED}\nhow much did the soldiers surgery cost\n"))
    assert "The article doesn't say" in console.stdout
    [item] = inbox(tmp_path)
    assert set(item) == {"id", "kind", "questions", "count", "askers", "comments", "places", "last_seen"}
    assert item["kind"] == "unanswered" and item["count"] == 2 and item["askers"] == 1
    assert item["questions"] == ["how much did the soldiers surgery cost", REFUSED]
    assert item["comments"] == [] and item["places"] == ["console"] and item["last_seen"].endswith("+00:00")

    taught = ok(run_bot(tmp_path, "teach", REFUSED, SURGEON))
    assert f"Taught fact {SURGEON}" in taught.stdout
    assert "Closed 1 inbox item." in " ".join(taught.stdout.split())
    assert inbox(tmp_path) == []
    for answer in asked(tmp_path, REFUSED, VARIANT):
        assert answer["found"] is True
        assert [e["id"] for e in answer["entries"]] == [SURGEON]


def test_ask_records_nothing_unless_told_to(tmp_path):
    ok(run_bot(tmp_path, "ask", REFUSED))
    ok(run_bot(tmp_path, "ask", "--json", REFUSED, "how many times was he shot"))
    assert inbox(tmp_path) == []
    ok(run_bot(tmp_path, "ask", "--record", "--json", REFUSED, "how many times was he shot"))
    [item] = inbox(tmp_path)
    assert item["questions"] == [REFUSED] and item["places"] == ["command line"]


def test_record_questions_false_keeps_the_console_from_recording(tmp_path):
    ok(run_bot(tmp_path, "console", stdin=f"{REFUSED}\n", RECORD_QUESTIONS="false"))
    ok(run_bot(tmp_path, "ask", "--record", REFUSED, RECORD_QUESTIONS="0"))
    assert inbox(tmp_path) == []
    listing = ok(run_bot(tmp_path, "inbox", RECORD_QUESTIONS="false")).stdout
    assert "recording questions is turned off (RECORD_QUESTIONS)" in " ".join(listing.split())


def test_inbox_as_text_and_dismiss(tmp_path):
    ok(run_bot(tmp_path, "ask", "--record", REFUSED, "what is his blood type"))
    listing = ok(run_bot(tmp_path, "inbox")).stdout
    assert "2 items." in listing and "not answered · asked once by 1 person" in listing
    assert REFUSED in listing and "command line" in listing
    first = inbox(tmp_path)[0]["id"]
    done = ok(run_bot(tmp_path, "dismiss", str(first)))
    assert f"Dismissed inbox item #{first}" in done.stdout
    assert [i["id"] for i in inbox(tmp_path)] != [first] and len(inbox(tmp_path)) == 1
    again = run_bot(tmp_path, "dismiss", str(first))
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr.startswith("error: ") and f"no inbox item #{first}" in again.stderr


def test_teach_refusals_say_why_and_change_nothing(tmp_path):
    for args, needle in [
        ((REFUSED, "no-such-entry"), "error: There is no live entry no-such-entry.\n"),
        (("ab", SURGEON), "3 to 600 characters"),
    ]:
        result = run_bot(tmp_path, "teach", *args)
        assert result.returncode == 1 and result.stdout == "", result
        assert needle in result.stderr and result.stderr.count("\n") == 1
    assert asked(tmp_path, REFUSED)[0]["found"] is False
    usage = run_bot(tmp_path, "dismiss", "first")
    assert usage.returncode == 2 and "invalid int value" in usage.stderr


def test_help_names_the_inbox_commands(tmp_path):
    result = ok(run_bot(tmp_path, "--help"))
    for command in ("inbox", "teach", "dismiss"):
        assert command in result.stdout
    assert "--record" in ok(run_bot(tmp_path, "ask", "--help")).stdout
