"""The shipped seed (data/story.json) against the article (data/article.txt): complete and faithful."""

from __future__ import annotations

import itertools
import re

import pytest

from bot.dataset import load_dataset, quote_in_text
from bot.text import fold
from tests.conftest import DATA_DIR

CONTENT_PARAGRAPHS = [*range(1, 6), *range(7, 20)]
# Proper names (and dates) that must never appear in an entry unless its cited paragraphs say them.
PROPER_NAMES = (
    "Lee",
    "Roh",
    "Song",
    "Pence",
    "Trump",
    "Tillerson",
    "Rex",
    "Seoul",
    "Panmunjom",
    "Pyongyang",
    "March",
    "September",
    "Monday",
    "Tuesday",
    "November",
    "Cook-jong",
    "Jae-cheon",
    "Young-moo",
    "United Nations",
    "Joint Chiefs",
    "AK-47",
)


@pytest.fixture(scope="module")
def entries(article):
    return load_dataset(DATA_DIR / "story.json", article)


def by_kind(entries, kind):
    return [e for e in entries if e.kind == kind]


def squash(text: str) -> str:
    return " ".join(fold(text).split())


def test_seed_loads_cleanly(entries):
    assert len(entries) == len({e.id for e in entries})
    assert all(e.text.strip() for e in entries)


def test_counts(entries):
    assert len(by_kind(entries, "fact")) >= 40
    assert len(by_kind(entries, "event")) >= 12
    assert len(by_kind(entries, "term")) >= 8
    assert len(by_kind(entries, "quote")) >= 1
    assert len(by_kind(entries, "person")) >= 6


@pytest.mark.parametrize("name", ["Roh Jae-cheon", "Lee Cook-jong", "Song Young-moo", "Tillerson", "Pence", "Trump"])
def test_people(entries, name):
    names = [e.name for e in by_kind(entries, "person")]
    assert any(name in n for n in names), names


@pytest.mark.parametrize(
    "term",
    [
        "DMZ",
        "Joint Security Area",
        "Panmunjom",
        "demarcation line",
        "Korean People's Army",
        "armistice",
        "United Nations Command",
        "Joint Chiefs of Staff",
    ],
)
def test_glossary(entries, term):
    terms = [fold(e.term) for e in by_kind(entries, "term")]
    assert fold(term) in terms, terms


def test_every_content_paragraph_is_cited_by_a_fact(entries):
    cited = {p for e in by_kind(entries, "fact") for p in e.paragraphs}
    assert [p for p in CONTENT_PARAGRAPHS if p not in cited] == []


def test_every_quote_is_word_for_word_in_its_paragraphs(entries, article):
    quotes = by_kind(entries, "quote")
    assert quotes
    for quote in quotes:
        assert quote.paragraphs, quote.id
        assert quote_in_text(quote.text, article.text_of(quote.paragraphs)), quote.id
        assert quote.speaker


def test_every_direct_quotation_in_the_article_is_a_quote_entry(entries, article):
    raw = (DATA_DIR / "article.txt").read_text(encoding="utf-8")
    quotations = re.findall(r"“([^”]+)”", raw) + re.findall(r'"([^"]+)"', raw)
    assert len(quotations) >= 2
    quoted = {squash(q.text) for q in by_kind(entries, "quote")}
    for quotation in quotations:
        wanted = squash(quotation).rstrip(",.;:!? ")
        assert wanted in quoted, f"no quote entry for {quotation!r}"


def test_quote_speakers_appear_in_the_cited_paragraph_or_before(entries, article):
    for quote in by_kind(entries, "quote"):
        last_name = quote.speaker.split()[-1].split("-")[0]
        first = min(quote.paragraphs)
        context = article.text_of(range(1, first + 1))
        assert last_name in context, quote.id


def test_events_in_true_order(entries):
    events = sorted(by_kind(entries, "event"), key=lambda e: e.sort)
    sorts = [e.sort for e in by_kind(entries, "event")]
    assert len(sorts) == len(set(sorts)), "event sort keys must be unique"
    assert "1953" in events[0].text or "1953" in (events[0].when or "")

    months = ["january", "february", "march", "april", "may", "june", "july", "august", "september"]

    def rank(when: str) -> tuple[int, int] | None:
        w = when.lower()
        if re.fullmatch(r"\d{4}", w):
            return (0, int(w))
        if w in months:
            return (1, months.index(w))
        if w == "last week":
            return (2, 0)
        if "monday" in w:
            return (3, 0)
        if "tuesday" in w:
            return (4, 0)
        return None

    ranked = [(rank(e.when or ""), e.id) for e in events]
    known = [(r, i) for r, i in ranked if r is not None]
    assert len(known) >= 12
    for (earlier, earlier_id), (later, later_id) in itertools.pairwise(known):
        assert earlier <= later, f"{earlier_id} is sorted before {later_id}"
    years = [r[1] for r, _ in known if r[0] == 0]
    assert years == sorted(years) and 1953 in years


def test_numbers_in_entries_appear_in_their_paragraphs(entries, article):
    wrong = []
    for entry in entries:
        if entry.is_context:
            continue
        cited = article.text_of(entry.paragraphs)
        for number in re.findall(r"\d+", entry.text):
            if not re.search(rf"(?<!\d){number}(?!\d)", cited):
                wrong.append((entry.id, number, entry.paragraphs))
    assert wrong == []


def test_proper_names_in_entries_appear_in_their_paragraphs(entries, article):
    wrong = []
    for entry in entries:
        if entry.is_context:
            continue
        cited = fold(article.text_of(entry.paragraphs))
        text = entry.text
        for name in PROPER_NAMES:
            if re.search(rf"\b{re.escape(name)}\b", text) and not re.search(rf"\b{re.escape(fold(name))}\b", cited):
                wrong.append((entry.id, name, entry.paragraphs))
    assert wrong == []


def test_capitalised_words_mid_sentence_appear_in_their_paragraphs(entries, article):
    """Any capitalised word not starting a sentence (a name, a place, a day) must be in the cited text."""
    wrong = []
    for entry in entries:
        if entry.is_context:
            continue
        cited = article.text_of(entry.paragraphs).replace("’", "'")
        text = entry.text.replace("’", "'")
        for match in re.finditer(r"\b[A-Z][A-Za-z'.-]+", text):
            start = match.start()
            if start == 0 or re.search(r"[.;:!?]\s*$", text[:start]) or text[start - 1] == '"':
                continue
            word = match.group().rstrip(".").removesuffix("'s")
            if len(word) > 1 and word not in cited:
                wrong.append((entry.id, word, entry.paragraphs))
    assert wrong == []


def test_context_entries_name_a_source(entries):
    for entry in entries:
        if entry.is_context:
            assert entry.source and entry.source.strip(), entry.id
        if entry.source:
            assert entry.is_context, entry.id
        if not entry.is_context:
            assert entry.paragraphs, entry.id


def test_no_entry_cites_the_heading_or_the_read_more_line(entries):
    assert [e.id for e in entries if {6, 20} & set(e.paragraphs) and not e.is_context] == []


def test_people_and_terms_are_distinct(entries):
    for kind, attr in (("person", "name"), ("term", "term")):
        titles = [fold(getattr(e, attr)) for e in by_kind(entries, kind)]
        assert len(titles) == len(set(titles)), kind
