"""The full-text index: matching entries and the vocabulary the answer engine corrects typos against."""

from __future__ import annotations

import asyncio
import time
from functools import cache
from typing import Any

from bot.indexing import split_terms
from bot.models import Hit
from bot.store.base import StoreBase, _all, _first, fetch_meta
from bot.store.rows import COLUMNS, entry_from_row

# Another process's commit (a CLI import while the bot runs) reaches the answer engine's vocabulary
# within this many seconds; our own writes reach it at once.
VOCAB_RECHECK_SECONDS = 0.5
# Hits decoded and kept (entries and the words they were found by); past this many the cache starts again.
HIT_CACHE = 5_000


class SearchIndex(StoreBase):
    _vocab_lock: asyncio.Lock | None = None  # made on first use, in the store's event loop

    # ---- full-text search -------------------------------------------------------------------

    async def match(self, fts_query: str, *, kind: str | None = None, limit: int = 20) -> list[Hit]:
        """Entries matching an FTS5 query built by the answer engine, best first (bm25, title and
        keywords weighted above body)."""
        params: list[Any] = [fts_query, *([kind] if kind else []), limit]
        rows = await self._rows(match_sql(by_kind=bool(kind)), params)
        return [self._hit(r) for r in rows]

    def _hit(self, row: Any) -> Hit:
        """A row as a hit.  The entry and its words are decoded once per version of the entry: every write to an
        entry moves its version (a removal too; entries are never erased), and the same few hundred entries
        come back question after question."""
        entry_id, version = row["id"], row["version"]
        known = self._hits.get(entry_id)
        if known is None or known[0] != version:
            said, keywords = split_terms(row["search_title"], row["search_body"], row["search_keywords"])
            known = (version, entry_from_row(row), said, keywords)
            if len(self._hits) >= HIT_CACHE:
                self._hits.clear()
            self._hits[entry_id] = known
        return Hit(known[1], float(row["rank"]), known[2], known[3])

    async def vocabulary(self) -> tuple[dict[str, int], int]:
        """Every indexed word with the number of entries holding it, and the number of entries.

        Cached until the entries change: our changes are counted, anyone's move the entries' generation (a
        number SQL triggers keep in the meta table), and other writes (the inbox's, the lexicon's) leave it
        alone."""
        if self._vocab_fresh():
            return self._vocab, self._vocab_docs
        if self._vocab_lock is None:
            self._vocab_lock = asyncio.Lock()
        # One question looks (and reloads); those arriving meanwhile wait and take what it found: each reloading
        # on its own gave every question in flight its own vocabulary, and the engine rebuilt for each.
        async with self._vocab_lock:
            if self._vocab_fresh():
                return self._vocab, self._vocab_docs
            first = self._readers[0]
            version = (int(await fetch_meta(first, "entries_generation") or 0), self._local_writes)
            self._vocab_checked = time.monotonic()
            if version != self._vocab_version:
                rows = await _all(first, "SELECT term, doc FROM entries_vocab")
                docs = await _first(first, "SELECT count(*) FROM entries_fts")
                self._vocab = {r[0]: int(r[1]) for r in rows}
                self._vocab_docs = int(docs[0])
                self._vocab_version = version
        return self._vocab, self._vocab_docs

    def _vocab_fresh(self) -> bool:
        own = self._vocab_version is not None and self._vocab_version[1] == self._local_writes
        return own and time.monotonic() - self._vocab_checked < VOCAB_RECHECK_SECONDS


@cache  # (two statements, built once rather than at every question)
def match_sql(*, by_kind: bool) -> str:
    """The statement behind `match` (parameters: the FTS5 query, the kind if `by_kind`, the limit).

    Without a kind, the best rows are picked inside the index before anything is joined: joining first read the
    entry row of every match (tens of thousands for a common word in 100,000 entries) to keep 40 of them."""
    columns = ", ".join("e." + c.strip() for c in COLUMNS.split(","))
    select = f"SELECT {columns}, e.search_title, e.search_body, e.search_keywords"
    if by_kind:
        return (
            f"{select}, bm25(entries_fts, 3.0, 1.0, 2.0) AS rank FROM entries_fts JOIN entries e "
            "ON e.pk = entries_fts.rowid WHERE entries_fts MATCH ? AND e.kind = ? ORDER BY rank, e.pk LIMIT ?"
        )
    return (
        f"{select}, best.rank FROM (SELECT rowid, bm25(entries_fts, 3.0, 1.0, 2.0) AS rank FROM entries_fts "
        "WHERE entries_fts MATCH ? ORDER BY rank, rowid LIMIT ?) AS best JOIN entries e ON e.pk = best.rowid "
        "ORDER BY best.rank, best.rowid"
    )
