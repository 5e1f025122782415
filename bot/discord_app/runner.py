"""Running on Discord: open the store first, log in, stop cleanly on Ctrl-C or SIGTERM; a start Discord refuses
or cannot be reached for ends with one `error:` line and exit status 1."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import sys

import aiohttp
import discord

from bot.app import open_app
from bot.config import Settings
from bot.discord_app.client import StoryBotClient
from bot.logs import scrub, setup_logging

log = logging.getLogger(__name__)
MAX_DETAIL = 300
# What stops the start: Discord refusing us, or Discord out of reach (DNS, refused connection, TLS, timeout).
# Once connected, discord.py reconnects by itself; these only end the run before that.
START_FAILURES = (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError)


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
    except START_FAILURES as exc:
        print(f"error: {scrub(why_not_started(exc), [token])}", file=sys.stderr)
        return 1
    finally:
        await app.close()
    log.info("stopped")
    return 0


def why_not_started(exc: BaseException) -> str:
    """One line for the operator: what went wrong and what to check.  Never a response body, which a broken
    proxy may fill with our own request headers (the token among them)."""
    if isinstance(exc, discord.LoginFailure):
        return "Discord rejected the token: check DISCORD_TOKEN (Developer Portal > Bot > Reset Token)"
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return "Discord refused the intents this bot asked for"
    if isinstance(exc, discord.HTTPException):
        status = f"HTTP {exc.status}" + (f", error code {exc.code}" if exc.code else "")
        if exc.status == 429:
            return f"Discord is rate-limiting this machine ({status}): wait a few minutes before starting again"
        if exc.status >= 500:
            return f"Discord is having trouble ({status}): try again in a few minutes (discordstatus.com)"
        return (
            f"Discord refused to let the bot log in ({status}): check DISCORD_TOKEN, "
            "and any proxy or firewall between this machine and Discord"
        )
    if isinstance(exc, discord.ConnectionClosed):
        return f"Discord closed the gateway connection (code {exc.code}: {_detail(exc.reason)})"
    if isinstance(exc, aiohttp.ClientError | OSError | TimeoutError):
        return f"cannot reach Discord ({_detail(str(exc) or type(exc).__name__)}): {_network_hint(exc)}"
    return f"Discord: {_detail(str(exc) or type(exc).__name__)}"


def _network_hint(exc: BaseException) -> str:
    if isinstance(exc, aiohttp.ClientSSLError):
        return "TLS failed; check the system clock, the CA certificates and any proxy that intercepts TLS"
    if isinstance(exc, aiohttp.ClientConnectorError) and isinstance(exc.os_error, socket.gaierror):
        return "the name does not resolve; check DNS and this machine's network connection"
    return "check this machine's network connection, and any proxy or firewall"


def _detail(text: str) -> str:
    """Text on one line, not too long."""
    text = " ".join(text.split()) or "no reason given"
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 3] + "..."


_closing: set[asyncio.Task[None]] = set()


def _stop(client: StoryBotClient, sig: signal.Signals) -> None:
    log.info("received %s, closing", sig.name)
    task = asyncio.ensure_future(client.close())
    _closing.add(task)  # keep a reference until it finishes
    task.add_done_callback(_closing.discard)
