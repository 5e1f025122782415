"""The moderators' additions to the lexicon as plain data: what `/kb words add` and `remove` take, what the bot knows
already, and how a change is summed up (no store, no Discord)."""

from __future__ import annotations

import pytest

from bot.lexicon import Lexicon, LexiconError, load_lexicon
from bot.lexicon_additions import (
    Item,
    WordsError,
    added,
    additions_data,
    canonical,
    change_lines,
    changes,
    find_item,
    items,
    merged_additions,
    parse_additions,
    parse_words,
    summary,
    without,
)
from tests.conftest import DATA_DIR

BASE = load_lexicon(DATA_DIR / "lexicon.json")
CATEGORIES = [c.name for c in BASE.categories]


def add(current: Lexicon, kind: str, text: str) -> tuple[Lexicon, list[str], list[str]]:
    lexicon, new, known = added(BASE, current, parse_words(kind, text, CATEGORIES))
    return lexicon, [i.line for i in new], [i.line for i in known]


def refused(kind: str, text: str, current: Lexicon | None = None) -> str:
    with pytest.raises(WordsError) as caught:
        added(BASE, current or Lexicon(), parse_words(kind, text, CATEGORIES))
    message = str(caught.value)
    assert "\n" not in message and len(message) < 400, message
    return message


@pytest.mark.parametrize(
    ("kind", "text", "document", "line"),
    [
        ("synonyms", "Zorp,  JEEP", {"synonyms": [["zorp", "jeep"]]}, "synonyms: zorp, jeep"),
        (
            "synonyms",
            "pull, drag out, haul",
            {"synonyms": [["pull", "drag out", "haul"]]},
            "synonyms: pull, drag out, haul",
        ),
        ("category", "vehicle: Tank", {"categories": {"vehicle": {"members": ["tank"]}}}, "category: vehicle: tank"),
        ("category", "pet : dog", {"categories": {"pet": {"members": ["dog"]}}}, "category: pet: dog"),
        ("filler", "sheesh", {"filler": ["sheesh"]}, "filler: sheesh"),
        ("abbreviation", "tbqh = to be quite honest", {"abbreviations": {"tbqh": "to be quite honest"}}, None),
        ("phrase", "let rip = fired", {"phrases": {"let rip": "fired"}}, "phrase: let rip = fired"),
    ],
)
def test_each_kind_is_added_as_the_lexicon_file_writes_it(kind, text, document, line):
    lexicon, new, known = add(Lexicon(), kind, text)
    assert additions_data(lexicon) == document
    assert new == [i.line for i in items(lexicon)] and not known
    if line:
        assert new == [line]


def test_category_members_are_one_line_each():
    lexicon, new, _known = add(Lexicon(), "category", "vehicle: tank, apc")
    assert new == ["category: vehicle: tank", "category: vehicle: apc"]
    assert additions_data(lexicon) == {"categories": {"vehicle": {"members": ["tank", "apc"]}}}


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            "synonyms",
            "jeep",
            "Synonyms: two or more words or phrases that mean the same, separated by commas, e.g. `whip, jeep`.",
        ),
        ("synonyms", "jeep, Jeep", "Synonyms: two or more"),
        ("synonyms", "tbh = to be honest", "(that looks like an abbreviation or a phrase: choose that kind)"),
        ("filler", "vehicle: tank", "(that looks like a category: choose that kind)"),
        ("category", "tank, apc", "e.g. `vehicle: tank, apc` (categories: vehicle, weapon, body part"),
        ("category", "vehicle:", "Category: a category, a colon"),
        ("category", ": tank", "Category: a category, a colon"),
        ("abbreviation", "tbh", "Abbreviation: a short form, =, then what it stands for, e.g. `pmj = panmunjom`."),
        ("abbreviation", "a = b = c", "Abbreviation: a short form"),
        ("phrase", "= fired", "Phrase: a reader's phrase, =, then the story's word for it, e.g. `opened up = fired`."),
        ("filler", "   ", "Filler: chat words"),
        ("filler", "x" * 61, "is 61 characters; a word or phrase has at most 60."),
        ("sound", "moo", "Unknown kind “sound”; use one of synonyms, category, filler, abbreviation, phrase."),
    ],
)
def test_a_bad_text_gets_one_line_with_the_format_and_an_example(kind, text, expected):
    assert expected in refused(kind, text)


def test_what_the_shipped_lexicon_says_is_not_added_again():
    # "gun" and "weapon" are synonyms in data/lexicon.json, "lol" is filler, "jeep" a vehicle
    assert refused("synonyms", "weapon, gun") == (
        "The bot knows that already (the shipped lexicon): synonyms: weapon, gun."
    )
    assert "(the shipped lexicon): filler: lol" in refused("filler", "LOL")
    assert "category: vehicle: jeep" in refused("category", "vehicle: jeep")
    # only what is new goes in; the rest is named as known
    lexicon, new, known = add(Lexicon(), "filler", "lol, sheesh")
    assert (new, known) == (["filler: sheesh"], ["filler: lol"])
    assert additions_data(lexicon) == {"filler": ["sheesh"]}


def test_what_an_earlier_addition_says_is_not_added_again():
    lexicon, _new, _known = add(Lexicon(), "synonyms", "zorp, jeep")
    assert (
        refused("synonyms", "jeep, zorp", lexicon)
        == "The bot knows that already (the additions): synonyms: jeep, zorp."
    )
    grown, new, _known = add(lexicon, "synonyms", "zorp, buggy")
    assert new == ["synonyms: zorp, buggy"]
    assert additions_data(grown) == {"synonyms": [["zorp", "jeep"], ["zorp", "buggy"]]}


def test_an_abbreviation_may_replace_the_shipped_meaning():
    assert BASE.abbreviations["sk"] == "south korean"
    lexicon, new, _known = add(Lexicon(), "abbreviation", "sk = south korea")
    assert new == ["abbreviation: sk = south korea"]
    assert BASE.merged(lexicon).abbreviations["sk"] == "south korea"


def test_a_line_finds_its_item_however_it_is_typed():
    lexicon = Lexicon()
    for kind, text in [
        ("synonyms", "zorp, jeep"),
        ("abbreviation", "tbqh = to be quite honest"),
        ("category", "vehicle: tank"),
    ]:
        lexicon, _new, _known = add(lexicon, kind, text)
    group = Item("synonyms", ("jeep", "zorp"))
    assert find_item(lexicon, "synonyms: zorp, jeep") == group
    assert find_item(lexicon, "Synonyms:jeep,zorp") == group
    assert find_item(lexicon, "abbreviation: TBQH").value == "to be quite honest"
    assert find_item(lexicon, "category: vehicle: tank") == Item("category", ("vehicle", "tank"))
    with pytest.raises(WordsError, match="No addition “synonyms: zorp”: pick one that `/kb words list` shows"):
        find_item(lexicon, "synonyms: zorp")
    with pytest.raises(WordsError, match="No addition"):
        find_item(lexicon, "category: vehicle: jeep")  # the shipped lexicon's, not an addition


def test_removing_an_item_leaves_the_rest_and_drops_what_is_empty():
    lexicon = parse_additions(
        {"synonyms": [["zorp", "jeep"]], "categories": {"vehicle": {"members": ["tank"]}}, "filler": ["sheesh"]}
    )
    lexicon = without(without(lexicon, Item("category", ("vehicle", "tank"))), Item("filler", ("sheesh",)))
    assert additions_data(lexicon) == {"synonyms": [["zorp", "jeep"]]}
    assert additions_data(without(lexicon, Item("synonyms", ("jeep", "zorp")))) == {}


def test_changes_are_summed_up_and_listed():
    before = {"synonyms": [["zorp", "jeep"]], "filler": ["sheesh"]}
    after = {"synonyms": [["zorp", "jeep"], ["buggy", "jeep"]], "categories": {"vehicle": {"members": ["tank", "apc"]}}}
    new, gone = changes(before, after)
    assert summary(new, gone) == "+1 synonym group, +2 category members, -1 filler"
    assert change_lines(new, gone, limit=3) == [
        "+ synonyms: buggy, jeep",
        "+ category: vehicle: tank",
        "+ category: vehicle: apc",
        "…and 1 more",
    ]
    assert summary(*changes(after, after)) == "no change"
    assert summary(*changes(None, {"abbreviations": {"a": "b"}})) == "+1 abbreviation"


def test_merge_mode_adds_the_files_items_to_the_current_ones():
    current = {"synonyms": [["zorp", "jeep"]], "categories": {"vehicle": {"members": ["tank"]}}}
    incoming = {"synonyms": [["zorp", "jeep"]], "categories": {"vehicle": {"members": ["apc"], "heads": ["ride"]}}}
    assert merged_additions(current, incoming) == {
        "synonyms": [["zorp", "jeep"]],
        "categories": {"vehicle": {"heads": ["ride"], "members": ["tank", "apc"]}},
    }
    assert merged_additions(current, current) == current


def test_the_canonical_document_is_folded_and_has_no_empty_section():
    assert canonical(
        {"format": "storybot-lexicon/1", "filler": ["Sheesh", "sheesh"], "phrases": {}, "categories": {"x": {}}}
    ) == {"filler": ["sheesh"]}


def test_a_lexicon_file_that_gives_a_key_twice_is_refused(tmp_path):
    # JSON keeps only the last of two equal keys: a second "pulled him out" would silently drop the first
    text = (DATA_DIR / "lexicon.json").read_text(encoding="utf-8")
    doubled = text.replace('"phrases": {', '"phrases": {\n    "pulled him out": "dragged him",', 1)
    path = tmp_path / "lexicon.json"
    path.write_text(doubled, encoding="utf-8")
    with pytest.raises(LexiconError, match="pulled him out"):
        load_lexicon(path)
