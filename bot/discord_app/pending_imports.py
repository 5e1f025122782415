"""Imports previewed on Discord and waiting for their Confirm button: Discord-only state, kept by the front end.

A preview's plan waits here under a random token (the buttons' custom_id carries it) until its uploader
confirms or cancels it, it expires, or newer previews push it out."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic

from bot.models import ImportPlan

PENDING_IMPORT_SECONDS = 15 * 60
MAX_PENDING_IMPORTS = 20
EXPIRED = "This import has expired or was already handled; upload the file again."
NOT_YOURS = "Only the moderator who uploaded this file can confirm or cancel it."


@dataclass(frozen=True, slots=True)
class PendingImport:
    token: str
    owner_id: int
    plan: ImportPlan
    created: float


@dataclass(slots=True)
class PendingImports:
    # Tests move the clock; patching time.monotonic itself would stop asyncio's and the worker's own timers.
    clock: Callable[[], float] = monotonic
    _waiting: dict[str, PendingImport] = field(default_factory=dict)

    def hold(self, plan: ImportPlan, owner_id: int) -> str:
        """Keep a previewed plan for its uploader to confirm; the token its buttons carry."""
        self._expire()
        token = secrets.token_hex(8)
        self._waiting[token] = PendingImport(token, owner_id, plan, self.clock())
        self._expire()
        return token

    def take(self, token: str, user_id: int) -> PendingImport | str:
        """The plan behind a Confirm or Cancel button, removed (a second press finds nothing); or why not."""
        self._expire()
        pending = self._waiting.get(token)
        if pending is None:
            return EXPIRED
        if pending.owner_id != user_id:
            return NOT_YOURS
        del self._waiting[token]
        return pending

    def __len__(self) -> int:
        return len(self._waiting)

    def _expire(self) -> None:
        now = self.clock()
        for token, pending in list(self._waiting.items()):
            if now - pending.created > PENDING_IMPORT_SECONDS:
                del self._waiting[token]
        while len(self._waiting) > MAX_PENDING_IMPORTS:
            del self._waiting[next(iter(self._waiting))]
