"""The SQLite store: connection, migrations, entries, revisions and the full-text index.

`Store` is assembled from one mixin per concern: reads.py (entries, article, metadata), search.py (FTS5),
writes.py (changes and their revisions), revisions.py (history), inbox.py (unanswered and reported questions),
lexicon.py (the moderators' additions to the lexicon), on base.py (connections, transactions)."""

from bot.store.connection import StoreError
from bot.store.errors import (
    ConflictError,
    DuplicateId,
    NotFound,
    NothingToDo,
    Refused,
    StaleImport,
    StoreBusy,
    StoreMoved,
)
from bot.store.store import Store

__all__ = [
    "ConflictError",
    "DuplicateId",
    "NotFound",
    "NothingToDo",
    "Refused",
    "StaleImport",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreMoved",
]
