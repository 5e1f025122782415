"""`python -m bot` with a token, as an operator runs it (a subprocess through tests/discord_at.py, which points
discord.py at a fake Discord, a closed port, a name that does not resolve or a server without TLS):

* Discord out of reach, or refusing the login: one `error:` line, exit status 1, no traceback, no token;
* Discord refusing the commands of one scope: one error line naming the command, the bot keeps running and
  answering, and its start-up line says which scope failed; no noise about voice support."""

# ruff: noqa: ASYNC109 (the helpers take timeout=, like the fake's)

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env
from tests.conftest import REPO
from tests.e2e.conftest import TOKEN
from tests.fake_discord import FakeDiscord, payloads

VOICE_WARNING = "voice will NOT be supported"


@dataclass
class Bot:
    """A running `python -m bot`, its stderr read line by line as it comes."""

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    async def wait_for_line(self, needle: str, timeout: float = 30) -> str:
        async def find() -> str:
            while True:
                found = [line for line in self.lines if needle in line]
                if found:
                    return found[0]
                if self.process.returncode is not None:
                    raise AssertionError(
                        f"the bot exited ({self.process.returncode}) before {needle!r}:\n{self.stderr}"
                    )
                await asyncio.sleep(0.05)

        try:
            return await asyncio.wait_for(find(), timeout)
        except TimeoutError:
            raise AssertionError(f"no {needle!r} in the bot's stderr:\n{self.stderr}") from None

    async def finish(self, timeout: float = 30) -> tuple[int, str, str]:
        """Wait for the exit; (status, stdout, stderr)."""
        assert self.process.stdout is not None and self._reader is not None
        stdout = await asyncio.wait_for(self.process.stdout.read(), timeout)
        status = await asyncio.wait_for(self.process.wait(), timeout)
        await asyncio.wait_for(self._reader, timeout)
        return status, stdout.decode("utf-8", "replace"), self.stderr


@contextlib.asynccontextmanager
async def bot_at(base_url: str, tmp_path: Path, **env: str) -> AsyncIterator[Bot]:
    """`python -m bot` against ``base_url`` with the test token; killed at the end if still running."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.discord_at",
        base_url,
        cwd=REPO,
        env=cli_env(tmp_path / "storybot.db", tmp_path, DISCORD_TOKEN=TOKEN, **env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    bot = Bot(process)
    bot._reader = asyncio.create_task(bot._read())
    try:
        yield bot
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        bot._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await bot._reader


async def failed_start(base_url: str, tmp_path: Path) -> str:
    """Run the bot against ``base_url``; check it stopped as an operator error should; its one line."""
    async with bot_at(base_url, tmp_path) as bot:
        status, stdout, stderr = await bot.finish()
    assert status == 1, stderr
    assert "Traceback" not in stderr, stderr
    assert TOKEN not in stdout + stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    assert len(errors[0]) < 500, errors[0]
    assert not [line for line in stderr.splitlines() if "ERROR" in line or "CRITICAL" in line], stderr
    return errors[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_connection_refused(tmp_path):
    port = closed_port()
    line = await failed_start(f"http://127.0.0.1:{port}", tmp_path)
    assert line.startswith("error: cannot reach Discord (")
    assert f"127.0.0.1:{port}" in line and "network connection" in line


async def test_name_that_does_not_resolve(tmp_path):
    line = await failed_start("https://storybot-test.invalid", tmp_path)
    assert line.startswith("error: cannot reach Discord (")
    assert "storybot-test.invalid" in line and "DNS" in line


async def test_server_without_tls(tmp_path):
    async with FakeDiscord(patch=False) as fake:  # plain HTTP, asked for TLS
        line = await failed_start(f"https://127.0.0.1:{fake.port}", tmp_path)
    assert line.startswith("error: cannot reach Discord (")
    assert "TLS" in line


@pytest.mark.parametrize(
    "body",
    [
        f"403 Forbidden: the proxy refused a request with Authorization: Bot {TOKEN}",
        {"message": f"Forbidden (Authorization: Bot {TOKEN})", "code": 0},
    ],
    ids=["text", "json"],
)
async def test_login_refused_by_something_echoing_the_token(tmp_path, body):
    async with FakeDiscord(patch=False) as fake:
        fake.inject_error("GET", "/users/@me", 403, body)
        line = await failed_start(fake.base_url, tmp_path)
        assert [(r.path, r.status) for r in fake.requests] == [("/users/@me", 403)]
    assert line.startswith("error: Discord refused to let the bot log in (HTTP 403)")
    assert "DISCORD_TOKEN" in line and "proxy" in line


async def test_commands_refused_for_one_guild_the_bot_keeps_serving(tmp_path):
    guild = payloads.guild_create(name="Story Guild", channels=["general"])
    refusal = {
        "code": 50035,
        "message": "Invalid Form Body",
        "errors": {
            "0": {
                "options": {
                    "5": {
                        "options": {
                            "0": {
                                "max_value": {
                                    "_errors": [
                                        {
                                            "code": "NUMBER_TYPE_MAX",
                                            "message": "int value should be less than or equal to 9007199254740991.",
                                        }
                                    ]
                                }
                            }
                        }
                    }
                }
            }
        },
    }
    async with FakeDiscord(guilds=[guild], patch=False) as fake:
        fake.inject_error("PUT", rf"/applications/\d+/guilds/{guild['id']}/commands", 400, refusal)
        async with bot_at(fake.base_url, tmp_path, MODERATOR_GUILD_IDS=guild["id"]) as bot:
            ready = await bot.wait_for_line("ready as")
            record = await fake.interact(
                payloads.slash_command("ask", {"question": "how many times was he shot"}, guild_id=guild)
            )
            assert "five times" in record.json["data"]["embeds"][0]["description"]
            assert bot.process.returncode is None  # still running
            bot.process.send_signal(signal.SIGTERM)
            status, _, stderr = await bot.finish()
        assert {c["name"] for c in fake.synced_commands()} >= {"ask", "fact", "help", "quiz"}
        assert fake.synced_commands(guild["id"]) == []
        synced = len(fake.synced_commands())
    assert status == 0, stderr
    refused = [line for line in stderr.splitlines() if "Discord refused the commands" in line]
    assert len(refused) == 1, stderr
    assert "[ERROR   ]" in refused[0]
    assert refused[0].endswith(
        f"Discord refused the commands for guild {guild['id']}: "
        "/kb revert: options.0.max_value: int value should be less than or equal to 9007199254740991."
    )
    assert "[WARNING ]" in ready and f"commands NOT synced for guild {guild['id']}" in ready
    assert f"synced {synced} global commands" in stderr
    assert "Traceback" not in stderr and TOKEN not in stderr
    assert VOICE_WARNING not in stderr  # a bot without voice is not told at every start that voice is missing


async def test_a_normal_start_is_quiet(tmp_path):
    guild = payloads.guild_create(name="Story Guild", channels=["general"])
    async with (
        FakeDiscord(guilds=[guild], patch=False) as fake,
        bot_at(fake.base_url, tmp_path, MODERATOR_GUILD_IDS=guild["id"]) as bot,
    ):
        ready = await bot.wait_for_line("ready as")
        bot.process.send_signal(signal.SIGTERM)
        status, stdout, stderr = await bot.finish()
    assert status == 0 and stdout == "", stderr
    assert "[INFO    ]" in ready and "NOT synced" not in ready
    assert not [line for line in stderr.splitlines() if "WARNING" in line or "ERROR" in line], stderr
