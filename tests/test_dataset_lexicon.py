"""The "lexicon" section of an import file: read and checked as data/lexicon.json is, within the streaming reader's
limits; the seed file (data/story.json) takes no such section."""

from __future__ import annotations

import json

import pytest

from bot.dataset import DataError, DataFile, read_dataset, read_import
from bot.lexicon import load_lexicon
from bot.lexicon_additions import additions_data
from tests.conftest import DATA_DIR

FACT = {"id": "zorp-fact", "topic": "words", "text": "A fact.", "paragraphs": [3]}


def raw(document: dict) -> bytes:
    return json.dumps(document).encode()


def test_an_import_reads_its_lexicon_section_canonically(article):
    data = read_import(
        raw(
            {
                "facts": [FACT],
                "lexicon": {"format": "storybot-lexicon/1", "filler": [], "synonyms": [["Zorp", "JEEP"]]},
            }
        ),
        article,
        "t.json",
    )
    assert isinstance(data, DataFile)
    assert [e.id for e in data.entries] == ["zorp-fact"]
    assert data.lexicon == {"synonyms": [["zorp", "jeep"]]}


def test_a_file_without_the_section_says_nothing_about_the_lexicon(article):
    assert read_import(raw({"facts": [FACT]}), article, "t.json").lexicon is None
    assert read_import(raw({"lexicon": {}}), article, "t.json").lexicon == {}


def test_the_whole_shipped_lexicon_fits_in_a_section(article):
    shipped = additions_data(load_lexicon(DATA_DIR / "lexicon.json"))
    assert read_import(raw({"lexicon": shipped}), article, "t.json").lexicon == shipped


def test_a_section_past_the_readers_limit_is_refused_as_it_streams(article):
    huge = {"lexicon": {"filler": [f"w{n}" for n in range(70_000)]}}
    with pytest.raises(DataError, match="the value of 'lexicon' holds more than 60,000 values"):
        read_import(raw(huge), article, "t.json")


def test_the_seed_file_takes_no_lexicon_section(article):
    with pytest.raises(DataError, match=r"unknown section 'lexicon' \(expected facts, quotes, events, people, terms\)"):
        read_dataset(raw({"facts": [FACT], "lexicon": {}}), article, "story.json")


def test_problems_in_the_section_and_in_entries_are_listed_together(article):
    with pytest.raises(DataError) as caught:
        read_import(
            raw({"facts": [{**FACT, "paragraphs": [99]}], "lexicon": {"phrases": {"x": ""}}}), article, "t.json"
        )
    assert caught.value.problems == [
        "fact 'zorp-fact': cites paragraph 99, but the article has paragraphs 1-20",
        "lexicon: phrases['x']: must be non-empty text",
    ]
