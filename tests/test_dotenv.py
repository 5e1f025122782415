""".env files, as an operator meets them: read from the current directory; a file that is not UTF-8 or has a
line that is not NAME=value stops the bot with one line naming the file and the line (exit 2); a token in a
file other users can read gets a warning."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bot.config import SettingsError, read_dotenv
from tests.cli_helpers import cli_env, run_cli

TOKEN = "MTA1NzY0.GhXyZq.abcdefghijklmnopqrstuvwxyz0123456789"


def run_in(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` started in `folder`, with .env files on."""
    return run_cli(cli_env(folder / "e.db", folder, PYTHON_DOTENV_DISABLED="", **env), *args, cwd=folder)


def refused(result: subprocess.CompletedProcess[str], dotenv: Path, line: int) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {dotenv}, line {line}:"), lines[0]
    assert result.stdout == ""
    return lines[0]


BAD_FILES = [
    ("utf-16", "LOG_LEVEL=INFO\nASK_COOLDOWN_SECONDS=3\n".encode("utf-16"), 1, "UTF-16"),
    ("utf-16 without a BOM", "LOG_LEVEL=INFO\n".encode("utf-16-le"), 1, "UTF-16"),
    ("a stray byte", b"LOG_LEVEL=INFO\n\n# caf\xe9\nASK_COOLDOWN_SECONDS=3\n", 3, "not UTF-8"),
    ("an unclosed quote", b'LOG_LEVEL=INFO\n\n\n# comment\nDEV_GUILD_ID="123\n', 5, "NAME=value"),
    ("a space in the name", b"LOG_LEVEL=INFO\nASK COOLDOWN=3\n", 2, "NAME=value"),
    ("a name without a value", b"# settings\nLOG_LEVEL=INFO\nMTA1NzY0.GhXyZq.pasted-alone\n", 3, "without `=`"),
    ("crlf line ends", b"LOG_LEVEL=INFO\r\n\r\nDEV_GUILD_ID='123\r\n", 3, "NAME=value"),
]


@pytest.mark.parametrize(("name", "content", "line", "needle"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_env_file_stops_with_one_line_naming_the_file_and_line(tmp_path, name, content, line, needle):
    dotenv = tmp_path / ".env"
    dotenv.write_bytes(content)
    result = run_in(tmp_path, "ask", "what is the DMZ")
    message = refused(result, dotenv, line)
    assert needle in message
    assert not (tmp_path / "e.db").exists()


def test_the_bad_line_is_never_echoed(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"DISCORD_TOKEN {TOKEN}\n", encoding="utf-8")
    result = run_in(tmp_path, "ask", "what is the DMZ")
    refused(result, dotenv, 1)
    assert TOKEN[:10] not in result.stderr + result.stdout


def test_the_env_file_in_the_current_directory_is_read(tmp_path):
    (tmp_path / ".env").write_text("# from the current directory\nLOG_LEVEL=LOUD\n", encoding="utf-8")
    env = cli_env(tmp_path / "e.db", tmp_path, PYTHON_DOTENV_DISABLED="")
    del env["LOG_LEVEL"]  # only the file sets it
    result = run_cli(env, "ask", "what is the DMZ", cwd=tmp_path)
    assert result.returncode == 2
    assert "LOG_LEVEL must be one of" in result.stderr


def test_the_real_environment_wins_over_the_file(tmp_path):
    (tmp_path / ".env").write_text("LOG_LEVEL=LOUD\n", encoding="utf-8")
    result = run_in(tmp_path, "ask", "what is the DMZ", LOG_LEVEL="INFO")
    assert result.returncode == 0, result.stderr


def test_a_good_file_with_a_bom_crlf_comments_and_export_is_read(tmp_path):
    (tmp_path / ".env").write_bytes(
        b"\xef\xbb\xbf# StoryBot\r\nexport LOG_LEVEL=debug\r\nDEV_GUILD_ID=  # none yet\r\nMODERATOR_ROLE_IDS='' \r\n"
    )
    env = cli_env(tmp_path / "e.db", tmp_path, PYTHON_DOTENV_DISABLED="")
    del env["LOG_LEVEL"]
    result = run_cli(env, "ask", "what is the DMZ", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "DMZ" in result.stdout


@pytest.mark.parametrize(
    ("mode", "warned"), [(0o644, True), (0o640, True), (0o604, True), (0o600, False)], ids=["644", "640", "604", "600"]
)
def test_a_token_other_users_can_read_is_warned_about(tmp_path, mode, warned):
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"DISCORD_TOKEN={TOKEN}\n", encoding="utf-8")
    os.chmod(dotenv, mode)
    result = run_in(tmp_path, "ask", "what is the DMZ")  # the environment's empty token wins: no Discord
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    if warned:
        assert warnings == [
            f"warning: {dotenv} holds DISCORD_TOKEN and other users can read it; run: chmod 600 {dotenv}"
        ]
    else:
        assert warnings == []
    assert TOKEN[:10] not in result.stderr + result.stdout


def test_no_warning_for_a_readable_file_without_a_token(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("DISCORD_TOKEN=\nLOG_LEVEL=INFO\n", encoding="utf-8")
    os.chmod(dotenv, 0o644)
    result = run_in(tmp_path, "ask", "what is the DMZ")
    assert result.returncode == 0
    assert "warning" not in result.stderr


def test_an_env_file_that_is_a_folder_is_one_line(tmp_path):
    (tmp_path / ".env").mkdir()
    result = run_in(tmp_path, "ask", "what is the DMZ")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path / ".env") in lines[0], result.stderr


def test_line_numbers_count_blank_lines_and_comments(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("A=1\n\n\n# comment\n\nB='open\nC=3\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r", line 6: "):
        read_dotenv(dotenv)


def test_a_missing_file_is_no_file(tmp_path):
    assert read_dotenv(tmp_path / ".env") is None
