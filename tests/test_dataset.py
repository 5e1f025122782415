"""Data-file validation: every kind of mistake is reported with the entry and the reason, all or nothing."""

from __future__ import annotations

import copy
import json
import os
import pickle
import shutil
from collections.abc import Iterator

import pytest

from bot.app import seed_store
from bot.dataset import (
    FORMAT,
    DataError,
    dump_dataset,
    load_article,
    load_dataset,
    parse_article,
    parse_dataset,
    quote_in_text,
    read_dataset,
    read_file,
)
from bot.jsonstream import Limits, ShapeError, members
from tests.conftest import DATA_DIR


def good_doc() -> dict:
    return {
        "format": FORMAT,
        "facts": [
            {
                "id": "shot-five",
                "topic": "shooting",
                "text": "The soldier was shot five times.",
                "paragraphs": [2],
                "keywords": ["bullets"],
            },
        ],
        "quotes": [
            {"id": "crucial", "speaker": "Lee Cook-jong", "text": "ride out some crucial moments", "paragraphs": [10]},
        ],
        "events": [
            {"id": "ev-armistice", "when": "1953", "sort": 10, "text": "The war ended.", "paragraphs": [13]},
        ],
        "people": [
            {"id": "lee", "name": "Lee Cook-jong", "role": "Surgeon", "text": "The surgeon.", "paragraphs": [9]},
        ],
        "terms": [
            {"id": "dmz", "term": "DMZ", "text": "The demilitarized zone.", "paragraphs": [1]},
        ],
    }


def problems_of(doc, article) -> str:
    with pytest.raises(DataError) as caught:
        parse_dataset(doc, article, "test.json")
    message = str(caught.value)
    assert message.startswith("test.json: ")
    return message


def problems_with(article, section: str, **fields) -> str:
    """The problems reported for the good document with `fields` of the first entry of `section` changed."""
    doc = good_doc()
    doc[section][0].update(fields)
    return problems_of(doc, article)


def test_good_document_parses(article):
    entries = parse_dataset(good_doc(), article, "test.json")
    assert [(e.kind, e.id) for e in entries] == [
        ("fact", "shot-five"),
        ("quote", "crucial"),
        ("event", "ev-armistice"),
        ("person", "lee"),
        ("term", "dmz"),
    ]
    fact = entries[0]
    assert fact.topic == "shooting" and fact.keywords == ("bullets",) and fact.paragraphs == (2,)


def test_dump_then_parse_round_trips(article):
    entries = parse_dataset(good_doc(), article, "test.json")
    again = parse_dataset(json.loads(json.dumps(dump_dataset(entries))), article, "again.json")
    assert sorted(again, key=lambda e: e.id) == sorted(entries, key=lambda e: e.id)


def test_unknown_field(article):
    message = problems_with(article, "facts", colour="blue")
    assert "fact 'shot-five'" in message and "unknown field 'colour'" in message


@pytest.mark.parametrize("bad_id", ["Shot Five", "x", "-leading-dash", "a" * 49, "under_score"])
def test_bad_id(article, bad_id):
    message = problems_with(article, "facts", id=bad_id)
    assert f"fact {bad_id!r}" in message
    assert "id must be 2-48 characters" in message


def test_id_not_a_string(article):
    assert "id must be 2-48 characters" in problems_with(article, "facts", id=42)


@pytest.mark.parametrize("text", [None, "", "   ", 7])
def test_missing_text(article, text):
    doc = good_doc()
    if text is None:
        del doc["terms"][0]["text"]
    else:
        doc["terms"][0]["text"] = text
    message = problems_of(doc, article)
    assert "term 'dmz': text is required" in message


def test_text_over_350_characters(article):
    message = problems_with(article, "facts", text="x" * 351)
    assert "fact 'shot-five'" in message and "text is 351 characters, the limit is 350" in message


def test_text_of_exactly_350_characters_is_fine(article):
    doc = good_doc()
    doc["facts"][0]["text"] = "x" * 350
    assert parse_dataset(doc, article, "t")[0].text == "x" * 350


@pytest.mark.parametrize(
    ("section", "index", "field", "label", "reason"),
    [
        ("quotes", 0, "speaker", "quote 'crucial'", "speaker is required"),
        ("events", 0, "sort", "event 'ev-armistice'", "sort is required"),
        ("events", 0, "when", "event 'ev-armistice'", "when is required"),
        ("people", 0, "role", "person 'lee'", "role is required"),
        ("people", 0, "name", "person 'lee'", "name is required"),
        ("facts", 0, "topic", "fact 'shot-five'", "topic is required"),
        ("terms", 0, "term", "term 'dmz'", "term is required"),
    ],
)
def test_missing_kind_specific_field(article, section, index, field, label, reason):
    doc = good_doc()
    del doc[section][index][field]
    message = problems_of(doc, article)
    assert f"{label}: {reason}" in message


@pytest.mark.parametrize("sort", ["10", 1.5, True])
def test_sort_not_a_whole_number(article, sort):
    assert "event 'ev-armistice': sort must be a whole number" in problems_with(article, "events", sort=sort)


@pytest.mark.parametrize("keywords", ["bullets", [1, 2], ["ok", ""], {"a": 1}])
def test_keywords_not_a_list_of_words(article, keywords):
    assert "fact 'shot-five': keywords must be a list of words" in problems_with(article, "facts", keywords=keywords)


def test_paragraph_99_cited(article):
    message = problems_with(article, "facts", paragraphs=[2, 99])
    assert "fact 'shot-five'" in message and "cites paragraph 99" in message and "1-20" in message


@pytest.mark.parametrize("paragraphs", ["2", [True], ["2"]])
def test_paragraphs_not_numbers(article, paragraphs):
    message = problems_with(article, "facts", paragraphs=paragraphs)
    assert "fact 'shot-five': paragraphs must be a list of paragraph numbers" in message


def test_no_paragraphs_and_no_source(article):
    message = problems_with(article, "facts", paragraphs=[])
    assert "fact 'shot-five'" in message and "cite at least one paragraph" in message


def test_source_without_is_context(article):
    message = problems_with(article, "facts", source="Wikipedia")
    assert "fact 'shot-five'" in message and '"is_context": true' in message


def test_is_context_without_source(article):
    assert "fact 'shot-five': a context entry must name its source" in problems_with(article, "facts", is_context=True)


def test_context_entry_with_source_is_fine(article):
    doc = good_doc()
    doc["facts"][0].update({"source": "Wikipedia: Korean Demilitarized Zone", "is_context": True, "paragraphs": []})
    fact = parse_dataset(doc, article, "t")[0]
    assert fact.is_context and fact.source == "Wikipedia: Korean Demilitarized Zone" and fact.paragraphs == ()


def test_quote_not_in_the_article(article):
    message = problems_with(article, "quotes", text="We will surely win this war")
    assert "quote 'crucial'" in message
    assert "does not appear word for word in paragraph(s) 10" in message


def test_quote_in_a_different_paragraph_than_cited(article):
    assert "does not appear word for word in paragraph(s) 9" in problems_with(article, "quotes", paragraphs=[9])


def test_quote_matching_ignores_quote_style_case_and_spacing():
    assert quote_in_text("we will   have to RIDE out", "“We will have to ride out some”")
    assert quote_in_text("Korea’s Joint", "South Korea's Joint Chiefs")
    assert not quote_in_text("we will have to ride", "we will have to walk")


def test_duplicate_ids_across_kinds(article):
    doc = good_doc()
    doc["terms"].append({"id": "shot-five", "term": "Shots", "text": "Five shots.", "paragraphs": [2]})
    message = problems_of(doc, article)
    assert "term 'shot-five': duplicate id (already used by a fact)" in message


def test_unknown_section(article):
    doc = good_doc()
    doc["widgets"] = []
    assert "unknown section 'widgets'" in problems_of(doc, article)


def test_wrong_format(article):
    doc = good_doc()
    doc["format"] = "storybot/99"
    assert "format must be 'storybot/1'" in problems_of(doc, article)


def test_section_not_a_list(article):
    doc = good_doc()
    doc["facts"] = {"id": "x"}
    assert "facts must be a list of entries" in problems_of(doc, article)


def test_entry_not_an_object(article):
    doc = good_doc()
    doc["people"].append("Roh Jae-cheon")
    assert "person entry must be an object, got str" in problems_of(doc, article)


def test_not_json(article):
    with pytest.raises(DataError, match="not valid JSON") as caught:
        read_dataset(b'{"facts": [', article, "broken.json")
    assert str(caught.value).startswith("broken.json: ")
    assert "line 1" in str(caught.value)


def test_not_utf8(article):
    with pytest.raises(DataError, match="not UTF-8"):
        read_dataset(b"\xff\xfe{}", article, "latin.json")


@pytest.mark.parametrize(("value", "name"), [([], "list"), ("facts", "str"), (None, "NoneType"), (3, "int")])
def test_not_an_object(article, value, name):
    message = problems_of(value, article)
    assert f"must hold a JSON object, got {name}" in message


def test_many_problems_are_capped_with_a_count(article):
    doc = good_doc()
    doc["facts"] = [{"id": f"f{i}", "topic": "t", "paragraphs": [1]} for i in range(15)]
    with pytest.raises(DataError) as caught:
        parse_dataset(doc, article, "many.json")
    assert len(caught.value.problems) == 10
    assert caught.value.total == 15
    assert "(and 5 more)" in str(caught.value)


def test_one_bad_entry_among_good_ones_loads_nothing(article, tmp_path):
    doc = good_doc()
    doc["facts"].append({"id": "bad-one", "topic": "shooting", "text": "Cites nowhere.", "paragraphs": [99]})
    path = tmp_path / "story.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_dataset(path, article)
    assert caught.value.problems == ["fact 'bad-one': cites paragraph 99, but the article has paragraphs 1-20"]


def test_missing_file(article, tmp_path):
    with pytest.raises(DataError, match="cannot read the file"):
        load_dataset(tmp_path / "nope.json", article)


def test_file_over_the_size_limit(article, tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(good_doc()) + " " * 2_000_000, encoding="utf-8")
    with pytest.raises(DataError, match="larger than 1 MB"):
        load_dataset(path, article, max_bytes=1_000_000)


async def test_bad_seed_file_leaves_an_empty_store_empty(empty_store, tmp_path, article):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(DATA_DIR / "article.txt", data_dir / "article.txt")
    seed = json.loads((DATA_DIR / "story.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(seed)
    broken["facts"][-1]["paragraphs"] = [99]
    (data_dir / "story.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(DataError, match="cites paragraph 99"):
        await seed_store(empty_store, data_dir)
    counts = await empty_store.counts()
    assert counts.total == 0
    assert counts.paragraphs == 0
    assert not await empty_store.is_seeded()
    # Fixing the file lets the next start seed normally.
    (data_dir / "story.json").write_text(json.dumps(seed), encoding="utf-8")
    assert await seed_store(empty_store, data_dir) is True
    assert (await empty_store.counts()).total == len(load_dataset(data_dir / "story.json", article))


def test_article_paragraphs(article):
    assert len(article.paragraphs) == 20
    assert [p.number for p in article.paragraphs] == list(range(1, 21))
    assert article.paragraphs[0].text.startswith("A North Korean soldier was fighting for his life")


def test_parse_article_splits_on_blank_lines_and_joins_lines():
    parsed = parse_article("One\nline.\r\n\r\n\n  \nTwo.\n\n")
    assert [(p.number, p.text) for p in parsed.paragraphs] == [(1, "One line."), (2, "Two.")]


def test_empty_article_is_refused(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("\n\n   \n", encoding="utf-8")
    with pytest.raises(DataError, match="the article is empty"):
        load_article(path)


# ---- streaming, limits and values SQLite cannot hold (issue 10) -------------------------------------------------


def test_reading_bytes_gives_what_parsing_the_decoded_document_gives(article):
    doc = good_doc()
    raw = json.dumps(doc, ensure_ascii=False, indent=2).encode()
    assert read_dataset(raw, article, "t.json") == parse_dataset(doc, article, "t.json")


@pytest.mark.parametrize(
    ("limits", "text", "reason"),
    [
        (Limits(entries=3), '{"facts": [{}, {}], "terms": [{}, {}]}', "more than 3 entries"),
        (Limits(items=5), '{"facts": [{"keywords": [1, 2, 3, 4, 5, 6]}]}', "holds more than 5 values"),
        (Limits(depth=2), '{"facts": [{"paragraphs": [[3]]}]}', "nests lists or objects deeper"),
        (Limits(members=2), '{"a": 1, "b": 2, "c": 3}', "more than 2 sections"),
    ],
)
def test_limits_are_checked_as_the_file_streams(limits, text, reason):
    with pytest.raises(ShapeError, match=reason) as caught:
        for _key, value in members(text, limits):
            if isinstance(value, Iterator):  # a list's elements, decoded as they are asked for
                list(value)
    assert "at line 1 column " in str(caught.value)


def test_a_limit_is_met_before_what_follows_is_read(article):
    # the first problem stops the reading: the garbage after it is never decoded
    raw = b'{"facts": ' + b"[" * 100 + b"@" * 1_000_000
    with pytest.raises(DataError, match="nests lists or objects deeper") as caught:
        read_dataset(raw, article, "deep.json")
    assert len(caught.value.problems) == 1


def test_checking_stops_after_a_thousand_problems(article):
    raw = b'{"facts": [' + b",".join([b"{}"] * 1_000_000) + b"]}"
    with pytest.raises(DataError) as caught:
        read_dataset(raw, article, "junk.json")
    assert len(caught.value.problems) == 10 and caught.value.stopped
    assert str(caught.value).endswith("(and more; checking stopped after 1,000 problems)")


def test_a_sort_key_sqlite_could_not_hold_is_refused(article):
    message = problems_with(article, "events", sort=10**30)
    assert "event 'ev-armistice': sort must be a whole number from -999999999 to 999999999" in message


@pytest.mark.parametrize("field", ["text", "when", "source"])
def test_a_lone_surrogate_is_refused(article, field):
    extra = {"is_context": True, "paragraphs": []} if field == "source" else {}
    message = problems_with(article, "events", **{field: "Monday \ud800", **extra})
    assert f"{field} holds a character that cannot be stored" in message


def test_a_data_error_survives_the_trip_back_from_the_worker_process():
    error = DataError("x.json", ["a", "b"], total=1_000, stopped=True)
    again = pickle.loads(pickle.dumps(error))
    assert (again.where, again.problems, again.total, again.stopped, str(again)) == (
        "x.json",
        ["a", "b"],
        1_000,
        True,
        str(error),
    )


def test_read_file_refuses_a_pipe_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(DataError, match="not a regular file"):
        read_file(tmp_path / "pipe", 1_000)


# ---- phrasings: questions taught to an entry ------------------------------------------------------------------


def test_phrasings_are_read_written_and_round_trip(article):
    doc = good_doc()
    doc["facts"][0]["phrasings"] = ["what is his blood type", "  how  many\nbullets  "]
    entries = parse_dataset(doc, article, "test.json")
    assert entries[0].phrasings == ("what is his blood type", "how many bullets")
    assert entries[1].phrasings == ()
    dumped = dump_dataset(entries)
    assert dumped["facts"][0]["phrasings"] == ["what is his blood type", "how many bullets"]
    assert "phrasings" not in dumped["quotes"][0]  # none: not written
    assert parse_dataset(json.loads(json.dumps(dumped)), article, "again.json") == entries


@pytest.mark.parametrize(
    ("phrasings", "reason"),
    [
        ("how many bullets", "phrasings must be a list of questions"),
        ([1, 2], "phrasings must be a list of questions"),
        (["ok"], "phrasing 'ok' must be 3-600 characters, got 2"),
        (["x" * 601], "must be 3-600 characters, got 601"),
        (["why\x00 not"], "must be plain text (no control characters)"),
        (["why \ud800"], "must be plain text"),
        (["How many bullets?", "how many BULLETS?"], "phrasing 'how many BULLETS?' is there twice"),
        ([f"question number {n}" for n in range(21)], "at most 20 phrasings, got 21"),
    ],
)
def test_bad_phrasings_are_refused_with_the_reason(article, phrasings, reason):
    message = problems_with(article, "facts", phrasings=phrasings)
    assert "fact 'shot-five'" in message and reason in message
