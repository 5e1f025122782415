"""What the full-text index holds for an entry; shared by the store (writing) and the ranker (reading)."""

from __future__ import annotations

from bot.models import Entry
from bot.text import index_terms


def search_columns(entry: Entry) -> tuple[str, str, str]:
    """Title, body and keywords of an entry as stemmed, space-separated words."""
    title_parts = [entry.title if entry.title != entry.id else "", entry.role or "", entry.id.replace("-", " ")]
    body_parts = [entry.text, entry.context or ""]
    return (
        index_terms(" ".join(title_parts)),
        index_terms(" ".join(body_parts)),
        index_terms(" ".join(entry.keywords)),
    )


def entry_terms(entry: Entry) -> set[str]:
    """Every stemmed word an entry can be found by."""
    return {w for column in search_columns(entry) for w in column.split()}
