"""`python -m bot`, run as a user would run it: a subprocess in the repo with a clean environment.

Every setting is given explicitly, and .env files are off (python-dotenv's PYTHON_DOTENV_DISABLED): a
developer's .env in the repo can neither change what the subprocess tests run nor add a warning to their
output.  Tests of .env files turn them back on."""

from __future__ import annotations

import os
import signal
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


# A small launcher forks and execs the bot and reports its peak RSS.  Measured straight from a big parent
# (pytest), the child's ru_maxrss would start at the parent's size: exec keeps the high-water mark of the
# memory it replaces.
_MEASURE = """
import os, resource, sys
report, limits = sys.argv[1], sys.argv[2]
pid = os.fork()
if pid == 0:
    for pair in filter(None, limits.split(",")):
        name, value = pair.split("=")
        resource.setrlimit(getattr(resource, name), (int(value), int(value)))
    os.execv(sys.executable, [sys.executable, "-m", "bot", *sys.argv[3:]])
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as handle:
    handle.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(
    env: dict[str, str], report: Path, *args: str | Path, limits: dict[str, int] | None = None, timeout: float = 60
) -> tuple[subprocess.CompletedProcess[str], float]:
    """`python -m bot ARGS` with resource limits (e.g. {"RLIMIT_AS": 2 << 30}); the result and its peak RSS
    in MB.  A run past `timeout` is killed (the bot too) and raises subprocess.TimeoutExpired."""
    given = ",".join(f"{name}={value}" for name, value in (limits or {}).items())
    command = [sys.executable, "-c", _MEASURE, str(report), given, *map(str, args)]
    with subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    peak = int(report.read_text()) / 1024 if report.exists() else float("nan")
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), peak
