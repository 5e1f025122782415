"""What the store raises when a change cannot be made as asked."""

from __future__ import annotations

from bot.models import Entry


class NotFound(LookupError):
    """No entry (or revision) with that id."""


class ConflictError(RuntimeError):
    """The entry changed since the editor loaded it."""

    def __init__(self, current: Entry) -> None:
        self.current = current
        super().__init__(f"{current.kind} {current.id!r} changed since you opened it (now version {current.version})")


class DuplicateId(ValueError):
    """An entry with that id already exists."""
