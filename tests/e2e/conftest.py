"""End-to-end fixtures: the real StoryBot client connected to a fake Discord on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
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
async def running_bot(app: App, **options: Any) -> AsyncIterator[FastStoryBot]:
    client = FastStoryBot(app, guild_ready_timeout=0.05, **options)
    await client.login(TOKEN)
    task = asyncio.create_task(client.connect())
    try:
        await asyncio.wait_for(client.wait_until_ready(), 10)
        yield client
    finally:
        await client.close()
        await asyncio.wait_for(task, 10)


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
