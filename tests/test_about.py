"""The story's own words come from data/about.json: what /about and /help show, and a broken file refused."""

from __future__ import annotations

import json

import pytest

from bot.about import load_about
from bot.app import ABOUT_FILE
from bot.config import DATA_DIR
from bot.dataset import DataError


async def test_about_and_help_show_the_words_from_the_data_file(app):
    about = load_about(DATA_DIR / ABOUT_FILE)
    shown = await app.story.about()
    assert shown.title == about.title == "The North Korean soldier's dash across the DMZ"
    assert shown.body.startswith(about.summary)
    assert f"e.g. “{about.examples.question}”" in app.story.help().body
    assert f"`who {about.examples.person}`" in (await app.story.who("")).body


def test_a_broken_file_names_each_problem(tmp_path):
    path = tmp_path / ABOUT_FILE
    path.write_text(json.dumps({"format": "storybot-about/1", "title": "", "summary": "x" * 1001}), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_about(path)
    assert caught.value.problems == [
        "examples must be an object",
        "title must be text of 1 to 1000 characters",
        "summary must be text of 1 to 1000 characters",
        "picture_title must be text of 1 to 200 characters",
        "examples.question must be text of 1 to 1000 characters",
        "examples.search must be text of 1 to 1000 characters",
        "examples.person must be text of 1 to 1000 characters",
        "examples.term must be text of 1 to 1000 characters",
        "examples.terms must be text of 1 to 1000 characters",
        "examples.topics must be text of 1 to 1000 characters",
    ]
