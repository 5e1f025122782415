"""What the store raises when a change cannot be made as asked."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Entry
from bot.store.connection import StoreError


class NotFound(LookupError):
    """No entry (or revision) with that id."""


class NothingToDo(Exception):
    """The change asked for is already so (removed, live, taught, as the revision left it): nothing was written."""


class Refused(Exception):
    """The change cannot be made as asked (a limit reached, the entry changed since); nothing was written."""


class ConflictError(RuntimeError):
    """The entry changed since the editor loaded it."""

    def __init__(self, current: Entry) -> None:
        self.current = current
        super().__init__(f"{current.kind} {current.id!r} changed since you opened it (now version {current.version})")


class StaleImport(RuntimeError):
    """Entries an import plan touches changed since its preview; nothing was imported."""

    def __init__(self, entry_ids: Sequence[str]) -> None:
        self.entry_ids = list(entry_ids)
        super().__init__(f"{len(self.entry_ids)} entries changed since the preview: {', '.join(self.entry_ids[:10])}")


class DuplicateId(ValueError):
    """An entry with that id already exists."""


class StoreBusy(StoreError):
    """Another change held the store longer than a write may wait; nothing was written."""


class StoreMoved(StoreError):
    """The database file was deleted or replaced while StoryBot ran; writes are refused until a restart."""
