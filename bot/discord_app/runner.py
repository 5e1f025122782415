"""Running on Discord: open the store first, log in, stop cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

import discord

from bot.app import open_app
from bot.config import Settings
from bot.discord_app.client import StoryBotClient
from bot.logs import setup_logging

log = logging.getLogger(__name__)


async def run_discord(settings: Settings) -> int:
    assert settings.discord_token is not None
    token = settings.discord_token.reveal()
    setup_logging(settings.log_level, [token], discord_debug=settings.discord_debug)
    app = await open_app(settings)  # a broken store stops us before we ever contact Discord
    client = StoryBotClient(app)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, _stop, client, sig)
    try:
        async with client:
            await client.start(token)
    except discord.LoginFailure:
        print(
            "error: Discord rejected the token: check DISCORD_TOKEN (Developer Portal > Bot > Reset Token)",
            file=sys.stderr,
        )
        return 1
    except discord.PrivilegedIntentsRequired:
        print("error: Discord refused the intents this bot asked for", file=sys.stderr)
        return 1
    finally:
        await app.close()
    log.info("stopped")
    return 0


_closing: set[asyncio.Task[None]] = set()


def _stop(client: StoryBotClient, sig: signal.Signals) -> None:
    log.info("received %s, closing", sig.name)
    task = asyncio.ensure_future(client.close())
    _closing.add(task)  # keep a reference until it finishes
    task.add_done_callback(_closing.discard)
