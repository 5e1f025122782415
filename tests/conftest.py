"""Shared fixtures: every database lives under tmp_path; the seed data is read from the repo's data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import open_app, seed_store
from bot.config import Settings
from bot.dataset import load_article
from bot.store import Store

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_path=tmp_path / "t.db", data_dir=DATA_DIR)


@pytest.fixture
async def store(tmp_path: Path):
    opened = await Store.open(tmp_path / "seeded.db")
    try:
        assert await seed_store(opened, DATA_DIR) is True
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def empty_store(tmp_path: Path):
    opened = await Store.open(tmp_path / "empty.db")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def app(settings: Settings):
    opened = await open_app(settings)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture(scope="session")
def article():
    return load_article(DATA_DIR / "article.txt")
