"""The command line's own help, its version, and `export -` to standard output."""

from __future__ import annotations

import argparse
import json
import re

import pytest

import bot
from bot.__main__ import build_parser
from tests.cli_helpers import cli_env, run_cli

SUBCOMMANDS = ("run", "console", "ask", "timeline", "export", "import", "backup", "restore")


def test_top_level_help_lists_every_subcommand_with_a_summary(tmp_path):
    result = run_cli(cli_env(tmp_path / "h.db", tmp_path), "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: python -m bot ")
    listing = result.stdout.split("positional arguments:")[1]
    for name in SUBCOMMANDS:
        assert re.search(rf"^    {name} +\S", listing, re.MULTILINE), f"{name} has no summary"
    assert "--version" in result.stdout


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_help_has_a_description_and_explains_its_arguments(tmp_path, name):
    result = run_cli(cli_env(tmp_path / "h.db", tmp_path), name, "--help")
    assert result.returncode == 0, result.stderr
    usage, description, *sections = result.stdout.split("\n\n")
    assert usage.startswith(f"usage: python -m bot {name}")
    sentence = " ".join(description.split())
    assert sentence.endswith(".") and ". " not in sentence and len(sentence) <= 120, sentence  # one sentence
    # Every argument and option is listed with words after it, not just its name.
    parser = build_parser()
    subparser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    for action in subparser._actions:
        if action.dest == "help":
            continue
        assert action.help, f"{name} {action.dest} has no help"
        shown = action.option_strings[0] if action.option_strings else action.metavar or action.dest
        assert re.search(rf"^  {re.escape(shown)}\b.*\s\S", "\n".join(sections), re.MULTILINE), shown
    assert not (tmp_path / "h.db").exists()


def test_version(tmp_path):
    result = run_cli(cli_env(tmp_path / "v.db", tmp_path), "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"storybot {bot.__version__}"


def test_export_dash_writes_json_to_standard_output(tmp_path):
    env = cli_env(tmp_path / "x.db", tmp_path)
    result = run_cli(env, "export", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "storybot/1"
    assert not (tmp_path / "-").exists()
    assert result.stderr.strip() == "exported 94 entries to standard output"
    to_file = run_cli(env, "export", tmp_path / "e.json")
    assert to_file.returncode == 0
    assert json.loads((tmp_path / "e.json").read_text(encoding="utf-8")) == document


def test_backup_dash_is_refused(tmp_path):
    result = run_cli(cli_env(tmp_path / "x.db", tmp_path), "backup", "-", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: a backup is a database file")
    assert not (tmp_path / "-").exists()
