"""The lexicon the answer engine uses: the shipped one (data/lexicon.json) merged with the moderators' additions
from the store, reloaded whenever the additions' version moves (a change here at once, another process's within
the store's recheck interval)."""

from __future__ import annotations

import asyncio
import logging

from bot.lexicon import Lexicon, LexiconError, parse_lexicon
from bot.store import Store

log = logging.getLogger("bot.answer")


class LiveLexicon:
    def __init__(self, store: Store, base: Lexicon) -> None:
        self._store = store
        self.base = base
        self._lexicon = base
        self._version: int | None = None
        self._loading = asyncio.Lock()

    async def current(self) -> Lexicon:
        """The effective lexicon: the same object for as long as the additions do not change (questions arriving
        together after a change wait for one merge, and share it)."""
        if await self._store.lexicon_version() == self._version:
            return self._lexicon
        async with self._loading:
            if await self._store.lexicon_version() == self._version:  # merged while this question waited
                return self._lexicon
            state = await self._store.lexicon_additions()
            if state.version != self._version:
                try:
                    additions = parse_lexicon(state.document, "the lexicon additions in the store")
                except LexiconError as exc:  # only a hand-edited database holds such a document: answer on
                    log.error("%s; answering with the shipped lexicon only", exc)
                    additions = Lexicon()
                self._lexicon = self.base.merged(additions) if state.document else self.base
                self._version = state.version
        return self._lexicon
