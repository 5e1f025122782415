"""Wiring shared by every front end: settings -> store (seeded on first start) -> answer engine -> handlers."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.about import load_about
from bot.answer import Answerer
from bot.config import Settings
from bot.dataset import DataError, load_article, load_dataset
from bot.handlers import StoryHandlers
from bot.handlers.inbox import InboxHandlers
from bot.handlers.moderation import ModerationHandlers
from bot.handlers.quiz import QuizHandlers
from bot.handlers.words import WordHandlers
from bot.lexicon import LexiconError, load_lexicon
from bot.store import Store, StoreError
from bot.store.connection import explain
from bot.store.restore import restore as restore_database

__all__ = ["App", "failure_message", "open_app", "restore_database", "seed_store"]

ARTICLE_FILE = "article.txt"
SEED_FILE = "story.json"
LEXICON_FILE = "lexicon.json"
ABOUT_FILE = "about.json"


@dataclass(slots=True)
class App:
    settings: Settings
    store: Store
    answerer: Answerer
    story: StoryHandlers
    moderation: ModerationHandlers
    quiz: QuizHandlers
    inbox: InboxHandlers
    words: WordHandlers

    async def close(self) -> None:
        await self.inbox.flush()  # questions asked just before are recorded, not lost
        await self.store.close()


def failure_message(exc: BaseException, database: Path) -> str | None:
    """What a failure that stops a command means, in one line for the operator; None for a bug (it propagates).
    The store's, the data files' and SQLite's own errors are expected: a full disk, a damaged file."""
    if isinstance(exc, StoreError | DataError | LexiconError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):  # met after start-up, e.g. a damaged page that only a query reaches
        return explain(exc, database)
    return None


async def seed_store(store: Store, data_dir: Path) -> bool:
    """Seed an empty store from data/; True if it seeded.  A store that holds anything is left alone."""
    if await store.is_seeded():
        return False
    article = load_article(data_dir / ARTICLE_FILE)
    entries = load_dataset(data_dir / SEED_FILE, article)
    return await store.seed(article.paragraphs, entries, source=SEED_FILE)


async def open_app(settings: Settings) -> App:
    """Open the store, seed it if it is new, and build the handlers.  Raises StoreError or DataError."""
    store = await Store.open(settings.database_path)
    try:
        await seed_store(store, settings.data_dir)
    except BaseException:
        await store.close()
        raise
    try:
        lexicon = load_lexicon(settings.data_dir / LEXICON_FILE)
        about = load_about(settings.data_dir / ABOUT_FILE)
    except BaseException:
        await store.close()
        raise
    answerer = Answerer(store, lexicon)
    story = StoryHandlers(store, answerer, about)
    inbox = InboxHandlers(store, answerer, story, settings)
    moderation = ModerationHandlers(store, settings)
    quiz, words = QuizHandlers(store, lexicon), WordHandlers(store, lexicon)
    return App(settings, store, answerer, story, moderation, quiz, inbox, words)
