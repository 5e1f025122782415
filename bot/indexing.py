"""What the full-text index holds for an entry; shared by the store (writing) and the ranker (reading)."""

from __future__ import annotations

from bot.models import Entry
from bot.text import index_terms

# Bump when what the index holds changes (stemming, stopwords, columns): stores reindex on open.
INDEX_VERSION = 5


def search_columns(entry: Entry) -> tuple[str, str, str]:
    """Title, body and keywords of an entry as stemmed, space-separated words.  The questions taught to it
    (its phrasings) count as keywords: words readers use for it that it need not say."""
    title_parts = [entry.title if entry.title != entry.id else "", entry.role or ""]
    body_parts = [entry.text, entry.context or ""]
    return (
        index_terms(" ".join(title_parts)),
        index_terms(" ".join(body_parts)),
        index_terms(" ".join((*entry.keywords, *entry.phrasings))),
    )


def split_terms(title: str, body: str, keywords: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words an entry says (title and body), and those only its keywords add."""
    said = frozenset(title.split()) | frozenset(body.split())
    return said, frozenset(keywords.split()) - said
