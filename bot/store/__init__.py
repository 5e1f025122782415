"""The SQLite store: connection, migrations, entries, revisions and the full-text index."""

from bot.store.connection import StoreError
from bot.store.store import ConflictError, DuplicateId, NotFound, Store

__all__ = ["ConflictError", "DuplicateId", "NotFound", "Store", "StoreError"]
