"""The log handler: whatever logger a record comes from, whatever it carries (arguments, exception text, stack),
and any exception nobody caught, what reaches stderr holds neither the bot token nor an interaction token; and
discord.py's own chatter stays at INFO unless DISCORD_DEBUG asks for it."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading

import pytest

from bot.config import SettingsError, settings_from
from bot.logs import setup_logging
from tests.e2e.conftest import logging_restored
from tests.fake_discord import payloads

SECRET = "MTA1NzY0.GhXyZq.abcdefghijklmnopqrstuvwxyz0123456789"
INTERACTION_TOKEN = payloads.interaction_token(1300000000000000001)


@contextlib.contextmanager
def production_logging(capsys):
    """setup_logging as in production (with SECRET); yields a function returning what reached stderr.  Entered in
    the test body: pytest gives each phase of a test its own stderr."""
    with logging_restored():
        setup_logging("DEBUG", [SECRET])
        yield lambda: capsys.readouterr().err


def raise_with(message):
    try:
        raise RuntimeError(message)
    except RuntimeError:
        return sys.exc_info()


def test_every_logger_and_every_part_of_a_record_is_scrubbed(capsys):
    with production_logging(capsys) as stderr:
        logging.getLogger("aiohttp.client").warning("sent Authorization: Bot %s", SECRET)
        logging.getLogger("bot.anything").error("failed", exc_info=raise_with(f"401 for token {SECRET}"))
        stack = f"Stack (most recent call last):\n  File 'x.py', line 1, in <module>\n    login({SECRET!r})"
        logging.getLogger("discord.http").handle(
            logging.LogRecord("discord.http", logging.INFO, __file__, 1, "with a stack", None, None, sinfo=stack)
        )
        logging.getLogger("asyncio").error("Task exception was never retrieved", exc_info=raise_with(SECRET))
        logging.getLogger("somewhere").warning("%s and %d", SECRET)  # a malformed call, shown rather than raised
        out = stderr()
    assert SECRET not in out
    assert "sent Authorization: Bot **********" in out
    assert "RuntimeError: 401 for token **********" in out
    assert "login('**********')" in out
    assert "Task exception was never retrieved" in out and "RuntimeError: **********" in out
    assert "bad logging arguments: ('**********',)" in out


def test_interaction_tokens_are_scrubbed(capsys):
    with production_logging(capsys) as stderr:
        event = {"t": "INTERACTION_CREATE", "d": {"id": "1300000000000000001", "token": INTERACTION_TOKEN}}
        logging.getLogger("discord.gateway").info("For Shard ID %s: WebSocket Event: %s", 0, event)
        url = f"https://discord.com/api/v10/interactions/1300000000000000001/{INTERACTION_TOKEN}/callback"
        logging.getLogger("discord.http").info("POST %s with %s has returned %s", url, "{}", 204)
        followup = f"/webhooks/1234567890123456789/{INTERACTION_TOKEN}/messages/@original"
        logging.getLogger("discord.webhook.async_").info("PATCH %s", followup)
        logging.getLogger("discord.http").info("json: %s", f'{{"token": "{INTERACTION_TOKEN}"}}')
        out = stderr()
    assert INTERACTION_TOKEN not in out
    assert "'token': '**********'" in out and '"token": "**********"' in out
    assert "/interactions/1300000000000000001/**********/callback" in out
    assert "/webhooks/1234567890123456789/**********/messages/@original" in out


def test_an_uncaught_exception_goes_through_the_filter(capsys):
    with production_logging(capsys) as stderr:
        sys.excepthook(*raise_with(f"crashed holding {SECRET}"))
        out = stderr()
    assert "[CRITICAL] bot: uncaught exception" in out
    assert "RuntimeError: crashed holding **********" in out
    assert SECRET not in out


def test_an_uncaught_exception_in_a_thread_goes_through_the_filter(capsys):
    with production_logging(capsys) as stderr:

        def crash():
            raise RuntimeError(f"thread holding {SECRET}")

        thread = threading.Thread(target=crash, name="worker")
        thread.start()
        thread.join()
        out = stderr()
    assert "uncaught exception in thread worker" in out
    assert "RuntimeError: thread holding **********" in out
    assert SECRET not in out


@pytest.mark.parametrize(
    ("level", "discord_debug", "expected"),
    [
        ("DEBUG", False, logging.INFO),
        ("DEBUG", True, logging.DEBUG),
        ("INFO", False, logging.INFO),
        ("WARNING", False, logging.WARNING),
        ("WARNING", True, logging.WARNING),
    ],
)
def test_discord_py_logs_at_info_unless_asked(level, discord_debug, expected):
    with logging_restored():
        setup_logging(level, [SECRET], discord_debug=discord_debug)
        assert logging.getLogger().level == logging.getLevelName(level)
        for name in ("discord", "discord.gateway", "discord.http", "discord.client"):
            assert logging.getLogger(name).getEffectiveLevel() == expected, name
        assert logging.getLogger("bot.discord_app").getEffectiveLevel() == logging.getLevelName(level)


@pytest.mark.parametrize(
    ("raw", "expected"), [("", False), ("0", False), ("1", True), ("true", True), (" YES ", True), ("off", False)]
)
def test_discord_debug_setting(raw, expected):
    assert settings_from({"DISCORD_DEBUG": raw}).discord_debug is expected


def test_a_bad_discord_debug_names_the_variable():
    with pytest.raises(SettingsError, match=r"^DISCORD_DEBUG must be 1 or 0, got 'maybe'$"):
        settings_from({"DISCORD_DEBUG": "maybe"})
