"""End-to-end fixtures: the real StoryBot client connected to a fake Discord on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import pytest

from bot.app import App, open_app
from bot.config import Settings
from bot.discord_app.client import StoryBotClient
from tests.fake_discord import FakeDiscord, payloads

TOKEN = "fake-token-for-tests-0123456789"


class FastStoryBot(StoryBotClient):
    """The real client, minus discord.py's 5 s pause between shard IDENTIFYs."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


@contextlib.asynccontextmanager
async def connected(client: Any, token: str = TOKEN, wait: float = 10) -> AsyncIterator[Any]:
    """Log any discord.py client in to the fake, wait until it is ready, and close it (before the fake) after."""
    await client.login(token)
    task = asyncio.create_task(client.connect())
    try:
        await asyncio.wait_for(client.wait_until_ready(), wait)
        yield client
    finally:
        await client.close()
        await asyncio.wait_for(task, wait)


@contextlib.asynccontextmanager
async def running_bot(app: App, **options: Any) -> AsyncIterator[FastStoryBot]:
    async with connected(FastStoryBot(app, guild_ready_timeout=0.05, **options)) as client:
        yield client


@pytest.fixture
def guild() -> dict[str, Any]:
    return payloads.guild_create(name="Story Guild", channels=["general", "news"])


@pytest.fixture
async def fake(guild: dict[str, Any]) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(guilds=[guild]) as server:
        yield server


@pytest.fixture
def bot_settings(settings: Settings) -> Settings:
    return replace(settings, ask_cooldown_seconds=0.0)


@pytest.fixture
async def bot(fake: FakeDiscord, bot_settings: Settings) -> AsyncIterator[FastStoryBot]:
    app = await open_app(bot_settings)
    try:
        async with running_bot(app) as client:
            yield client
    finally:
        await app.close()


# ---------------------------------------------------------------------------------------------------------------
# Helpers and fixtures shared by the e2e suites (appended; the fixtures above are unchanged).

EPHEMERAL = 64


def flat_components(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every component of a message (or callback ``data``), action rows flattened."""
    return [c for row in message.get("components") or [] for c in row.get("components", [])]


def button(message: dict[str, Any], label: str) -> dict[str, Any]:
    found = [c for c in flat_components(message) if c.get("label") == label]
    assert len(found) == 1, f"expected one {label!r} button, got {flat_components(message)}"
    return found[0]


def labels(message: dict[str, Any]) -> list[str]:
    return [c.get("label") for c in flat_components(message)]


def is_ephemeral(data: dict[str, Any]) -> bool:
    return bool(int(data.get("flags") or 0) & EPHEMERAL)


@pytest.fixture
def other_user() -> dict[str, Any]:
    """Someone other than the default invoker (payloads.DEFAULT_USER)."""
    return payloads.user(1200000000000000202, "someone-else", global_name="Someone Else")


@pytest.fixture
async def cooldown_bot(fake: FakeDiscord, settings: Settings) -> AsyncIterator[FastStoryBot]:
    """The bot with a 30 s per-user cooldown on questions (/ask, DMs, mentions)."""
    app = await open_app(replace(settings, ask_cooldown_seconds=30.0))
    try:
        async with running_bot(app) as client:
            yield client
    finally:
        await app.close()


@contextlib.contextmanager
def logging_restored() -> Iterator[None]:
    """Undo bot.logs.setup_logging (root handlers, discord.py's level, exception hooks) at the end of the block.
    Use it inside the test body: pytest swaps its own capture handlers between setup, call and teardown."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    discord_logger = logging.getLogger("discord")
    discord_level = discord_logger.level
    hooks = sys.excepthook, threading.excepthook
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        discord_logger.setLevel(discord_level)
        sys.excepthook, threading.excepthook = hooks
