"""`python -m bot`, run as a user would run it: a subprocess in the repo with a clean environment.

Every setting is given explicitly, and .env files are off (python-dotenv's PYTHON_DOTENV_DISABLED): a
developer's .env in the repo can neither change what the subprocess tests run nor add a warning to their
output.  Tests of .env files turn them back on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

BLANK_SETTINGS = (
    "DISCORD_TOKEN",
    "DEV_GUILD_ID",
    "SHARD_COUNT",
    "SHARD_IDS",
    "ASK_COOLDOWN_SECONDS",
    "QUIZ_SECONDS",
    "MODERATOR_ROLE_IDS",
    "MODERATOR_USER_IDS",
    "MODERATOR_GUILD_IDS",
    "DISCORD_DEBUG",
)


def cli_env(db: Path | str, home: Path | str, **extra: str) -> dict[str, str]:
    """The environment of a bot subprocess on the database `db`; `extra` overrides any variable."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "DATABASE_PATH": str(db),
        **dict.fromkeys(BLANK_SETTINGS, ""),
        "LOG_LEVEL": "INFO",
        "PYTHON_DOTENV_DISABLED": "1",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        **({"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}),
    }
    env.update(extra)
    return env


def run_cli(
    env: dict[str, str],
    *args: str | Path,
    stdin: str | None = None,
    user: list[str] | None = None,
    cwd: Path = REPO,
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in the repo (or `cwd`), optionally as another user (a command prefix); `stdin` is
    its whole input, and with none stdin is closed (end of input at once)."""
    return subprocess.run(
        [*(user or []), sys.executable, "-m", "bot", *map(str, args)],
        cwd=cwd,
        env=env,
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
