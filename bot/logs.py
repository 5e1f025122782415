"""Logging in discord.py's format.  Everything written goes through one handler whose filter blots out the bot
token and interaction tokens, whichever logger the record comes from, exception text included; uncaught
exceptions are written through it too."""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Sequence
from types import TracebackType

FORMAT = "[{asctime}] [{levelname:<8}] {name}: {message}"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
HIDDEN = "**********"
# An interaction token is a credential for 15 minutes: it lets anyone answer as the bot.  It shows up as a
# "token" field of gateway payloads and in the paths of interaction callbacks and webhook calls.
TOKEN_FIELD = re.compile(r"""(['"]token['"]\s*:\s*['"])[^'"]+""")
TOKEN_IN_PATH = re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/\s?'\"]+")

log = logging.getLogger("bot")


def scrub(text: str, secrets: Sequence[str] = ()) -> str:
    """``text`` with every secret and every interaction token replaced by asterisks."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, HIDDEN)
    text = TOKEN_FIELD.sub(rf"\g<1>{HIDDEN}", text)
    return TOKEN_IN_PATH.sub(rf"\g<1>{HIDDEN}", text)


class RedactSecrets(logging.Filter):
    """Scrub a record's message, exception text and stack before any handler formats it."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
            malformed = False
        except Exception:  # logging would print the arguments of a malformed call raw: show them scrubbed here
            message, malformed = f"{record.msg} (bad logging arguments: {record.args!r})", True
        scrubbed = scrub(message, self._secrets)
        if scrubbed != message or malformed:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, self._secrets)
        return True


def setup_logging(level: str, secrets: Sequence[str] = (), *, discord_debug: bool = False) -> None:
    """Log to stderr at ``level``; discord.py's own loggers stay at INFO or above unless ``discord_debug``
    (their DEBUG output holds message text and every gateway payload)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, DATE_FORMAT, style="{"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    numeric = logging.getLevelName(level)
    logging.getLogger("discord").setLevel(numeric if discord_debug else max(logging.INFO, numeric))
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    """Uncaught exceptions go through the log handler (and its filter) rather than straight to stderr."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    log.critical("uncaught exception", exc_info=(kind, error, trace))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):  # as the default hook does
        return
    name = args.thread.name if args.thread else "?"
    log.critical("uncaught exception in thread %s", name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
