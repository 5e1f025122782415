"""The quiz generator over the shipped story: every question checkable, exactly one right option, distractors of
the answer's type, the same questions for the same seed, and the store's changes in the next question."""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dataset import load_dataset
from bot.lexicon import load_lexicon
from bot.models import Entry
from bot.quiz import OPTIONS, Quiz
from bot.quiz.values import near_numbers, number_value, write_number
from bot.spans import WEEKDAYS, annotate
from bot.text import fold
from tests.conftest import DATA_DIR
from tests.fuzz_strategies import mixed_text

SEEDS = 500
KINDS = {"number", "distance", "duration", "time", "person", "place", "category", "speaker", "order", "term"}


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(DATA_DIR / "lexicon.json")


@pytest.fixture(scope="module")
def entries(article):
    return load_dataset(DATA_DIR / "story.json", article)


@pytest.fixture(scope="module")
def quiz(entries, article, lexicon):
    return Quiz(entries, article.paragraphs, lexicon)


@pytest.fixture(scope="module")
def drawn(quiz):
    return [quiz.question(random.Random(seed)) for seed in range(SEEDS)]


def squash(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


def has_words(text: str, words: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(squash(words)) + r"(?!\w)", squash(text)) is not None


def cited(article, question) -> str:
    """The paragraph the question shows with its answer: one of those its entry cites, and in the article."""
    paragraphs = {p.number: p.text for p in article.paragraphs}
    assert question.paragraphs and all(p in paragraphs for p in question.paragraphs), question
    assert question.shown in question.paragraphs, question
    return paragraphs[question.shown]


def value_of(text: str) -> int | None:
    """'five' -> 5, '50 yards' -> 50, 'a decade' -> 1."""
    first = text.split()[0]
    return number_value(first)


def people_of(entries) -> set[str]:
    names = {e.name for e in entries if e.kind == "person"} | {e.speaker for e in entries if e.kind == "quote"}
    return {n for n in names if n}


# ---- over many seeds ----------------------------------------------------------------------------------------


def test_every_question_has_four_distinct_options_and_one_answer(drawn):
    for question in drawn:
        assert question is not None
        assert len(question.options) == OPTIONS
        assert len({squash(o) for o in question.options}) == OPTIONS, question
        assert 0 <= question.answer < OPTIONS
        assert all(o.strip() for o in question.options)
        assert question.question.strip() and question.explanation.strip()


def test_every_kind_is_asked(drawn):
    assert {q.kind for q in drawn} == KINDS


def test_the_right_option_is_in_its_entry(drawn, entries):
    by_id = {e.id: e for e in entries}
    for question in drawn:
        entry = by_id[question.entry]
        said = " ".join(filter(None, (entry.text, entry.speaker, entry.name, entry.term, entry.when)))
        assert has_words(said, question.right), (question, said)
        assert question.paragraphs == entry.paragraphs


def test_the_right_option_is_supported_by_the_cited_paragraphs(drawn, entries, article):
    by_id = {e.id: e for e in entries}
    for question in drawn:
        text = cited(article, question)
        right = question.right
        if question.kind == "order":
            when = by_id[question.entry].when
            anchors = [s.text for s in annotate(when, load_lexicon(DATA_DIR / "lexicon.json")) if s.kind == "time"]
            assert anchors and has_words(text, anchors[0]), (question, when)
        elif question.kind in ("number", "distance", "duration"):
            value = value_of(right)
            words = {str(value), write_number(value, "five"), "a" if value == 1 else str(value)}
            assert any(has_words(text, w) for w in words if w), (question, text)
        elif question.kind in ("person", "speaker"):
            surname = right.split()[-1] if " " not in right or "-" in right.split()[-1] else right.split()[0]
            assert has_words(text, right) or has_words(text, surname) or has_words(text, right.split()[0]), question
        else:
            assert has_words(text, re.sub(r"^(?:an?|the) ", "", right, flags=re.IGNORECASE)), (question, text)


def test_distractors_have_the_answers_type(drawn, entries, lexicon):
    people = {squash(n) for n in people_of(entries)}
    terms = {e.term for e in entries if e.kind == "term"}
    events = {e.text for e in entries if e.kind == "event"}
    categories = {c.name: set(c.members) for c in lexicon.categories}
    for question in drawn:
        options = question.options
        if question.kind == "number":
            assert all(number_value(o) is not None for o in options), question
        elif question.kind in ("distance", "duration"):
            assert all(any(s.kind == question.kind for s in annotate(o, lexicon)) for o in options), question
            units = {o.split()[-1].rstrip("s") for o in options}
            assert len(units) == 1, question
        elif question.kind == "time":
            kinds = [{s.kind for s in annotate(o, lexicon)} & {"clock", "weekday", "month", "year"} for o in options]
            assert all(k and k == kinds[0] for k in kinds), question
        elif question.kind in ("person", "speaker"):
            for option in options:
                assert any(squash(option) in n for n in people), (question, option)
        elif question.kind in ("place", "category"):
            plain = [squash(re.sub(r"^(?:an?|the) ", "", o, flags=re.IGNORECASE)) for o in options]
            owners = [{c for c, members in categories.items() if p in {squash(m) for m in members}} for p in plain]
            assert set.intersection(*owners), (question, owners)
        elif question.kind == "term":
            assert set(options) <= terms, question
        elif question.kind == "order":
            assert set(options) <= events, question


def test_no_other_option_is_right_too(drawn, entries, lexicon):
    by_id = {e.id: e for e in entries}
    events = {e.text: e for e in entries if e.kind == "event"}
    story_weekdays = {w for e in entries for w in WEEKDAYS if has_words(e.text, w) or has_words(e.when or "", w)}
    for question in drawn:
        wrong = [o for i, o in enumerate(question.options) if i != question.answer]
        if question.kind in ("number", "distance", "duration"):
            assert value_of(question.right) not in {value_of(o) for o in wrong}, question
        if question.kind == "time" and squash(question.right) in WEEKDAYS:
            assert not {squash(o) for o in wrong} & story_weekdays, question
        if question.kind in ("person", "speaker"):
            right_words = set(squash(question.right).split())
            for option in wrong:
                assert not set(squash(option).split()) & right_words, question
        if question.kind == "speaker":
            quote = by_id[question.entry]
            same_words = [e for e in entries if e.kind == "quote" and squash(e.text) == squash(quote.text)]
            assert {e.speaker for e in same_words} == {quote.speaker}
        if question.kind == "order":
            answer = events[question.right]
            others = [events[o] for o in wrong]
            first = question.question.endswith("first?")
            for other in others:
                assert squash(other.when or "") != squash(answer.when or ""), question
                assert (other.sort > answer.sort) if first else (other.sort < answer.sort), question


def test_a_question_never_gives_its_answer_away(drawn):
    for question in drawn:
        if question.kind in ("order", "speaker"):
            continue
        shown = question.question
        right = re.sub(r"^(?:an?|the) ", "", question.right, flags=re.IGNORECASE)
        assert not has_words(shown, right), question


# ---- rules --------------------------------------------------------------------------------------------------


def test_same_seed_same_questions(quiz):
    first = quiz.questions(30, random.Random(42))
    again = quiz.questions(30, random.Random(42))
    assert first == again
    assert first != quiz.questions(30, random.Random(43))


def test_no_question_twice_in_a_row_and_none_twice_until_all_are_asked(quiz):
    asked = quiz.questions(len(quiz) + 10, random.Random(1))
    keys = [q.key for q in asked]
    assert all(a != b for a, b in itertools.pairwise(keys))
    assert len(set(keys[: len(quiz)])) == len(quiz)


def test_avoid_is_honoured(quiz):
    question = quiz.question(random.Random(0))
    for seed in range(50):
        assert quiz.question(random.Random(seed), {question.key}).key != question.key


def test_how_many_times_was_the_soldier_shot(quiz):
    found = [t for t in quiz.templates if t.entry == "shot-five-times" and t.kind == "number"]
    assert [t.question for t in found] == [
        "How many times was the soldier shot by his countrymen as he ran south Monday?"
    ]
    assert found[0].answer == "five"


def test_sentences_that_cannot_be_turned_safely_are_gaps(quiz):
    found = [t for t in quiz.templates if t.entry == "seven-internal-organs" and t.kind == "number"]
    assert [t.question for t in found] == [
        "Complete the sentence: “The soldier suffered a serious gunshot wound to his stomach that affected ___ "
        "internal organs.”"
    ]


def test_lower_bounds_and_negations_are_not_asked(quiz):
    """'at least 40 rounds' is true of 30 too; 'was not carrying a ___' is true of any wrong option."""
    asked = {(t.entry, t.answer) for t in quiz.templates}
    assert ("at-least-40-rounds", "40") not in asked
    assert not [t for t in quiz.templates if t.entry in ("not-carrying-a-weapon", "trump-unclear-if-jsa")]


def test_a_place_after_south_of_is_not_asked(quiz):
    assert not [t for t in quiz.templates if t.entry == "airlifted-south-of-seoul"]


def test_people_and_places_keep_their_kind(quiz):
    (seoul,) = [t for t in quiz.templates if t.entry == "song-told-lawmakers" and t.kind == "place"]
    assert seoul.answer == "Seoul" and {c.text for c in seoul.candidates} <= {
        "Pyongyang",
        "Busan",
        "Incheon",
        "Tokyo",
        "Beijing",
        "Washington",
    }


# ---- the store's changes ----------------------------------------------------------------------------------


def edit(entries, entry_id, text):
    return [replace(e, text=text) if e.id == entry_id else e for e in entries]


def test_an_edit_changes_the_questions(entries, article, lexicon):
    edited = edit(entries, "shot-five-times", "The soldier was shot five times as he ran south Monday.")
    quiz = Quiz(edited, article.paragraphs, lexicon)
    (question,) = [t for t in quiz.templates if t.entry == "shot-five-times" and t.kind == "number"]
    assert question.question == "How many times was the soldier shot as he ran south Monday?"


def test_a_number_the_cited_paragraph_does_not_give_is_not_asked(entries, article, lexicon):
    """A moderator writes 'nine' where paragraph 2 says five: the number cannot be checked there, so it is not asked
    (the rest of the entry still can be)."""
    edited = edit(
        entries, "shot-five-times", "The soldier was shot nine times by his countrymen as he ran south Monday."
    )
    quiz = Quiz(edited, article.paragraphs, lexicon)
    asked = [t for t in quiz.templates if t.entry == "shot-five-times"]
    assert [t.kind for t in asked] == ["time"]
    assert "nine" in asked[0].question


def test_a_removed_entry_is_never_asked(entries, article, lexicon):
    removed = [replace(e, deleted=True) if e.id == "shot-five-times" else e for e in entries]
    quiz = Quiz(removed, article.paragraphs, lexicon)
    assert not [t for t in quiz.templates if t.entry == "shot-five-times"]


def test_a_count_the_story_gives_for_the_same_thing_is_no_distractor(entries, article, lexicon):
    extra = Entry(kind="fact", id="hit-four-times", topic="x", text="Another report said four times.", paragraphs=(2,))
    quiz = Quiz([*entries, extra], article.paragraphs, lexicon)
    (question,) = [t for t in quiz.templates if t.entry == "shot-five-times" and t.kind == "number"]
    assert "four" not in {c.text for c in question.candidates}
    plain = Quiz(entries, article.paragraphs, lexicon)
    (before,) = [t for t in plain.templates if t.entry == "shot-five-times" and t.kind == "number"]
    assert "four" in {c.text for c in before.candidates}


def test_a_quote_said_by_two_speakers_is_not_asked(entries, article, lexicon):
    quote = next(e for e in entries if e.id == "quote-crucial-moments")
    twin = replace(quote, id="twin-quote", speaker="Roh Jae-cheon")
    quiz = Quiz([*entries, twin], article.paragraphs, lexicon)
    speakers = {t.entry for t in quiz.templates if t.kind == "speaker"}
    assert "quote-crucial-moments" not in speakers and "twin-quote" not in speakers
    assert "quote-crucial-moments" in {t.entry for t in Quiz(entries, article.paragraphs, lexicon).templates}


def test_events_of_the_same_time_never_compete(entries, article, lexicon):
    # A moderator dates an event "Monday" but sorts it after the Tuesday events: Monday and Tuesday now overlap,
    # so no question may set a Monday event against a Tuesday one (each still stands against 1953 or March).
    late = Entry(kind="event", id="late-monday", when="Monday", sort=155, text="A late Monday event.", paragraphs=(2,))
    quiz = Quiz([*entries, late], article.paragraphs, lexicon)
    assert any(
        t.kind == "order" and t.entry == "ev-fighting-for-life"
        for t in Quiz(entries, article.paragraphs, lexicon).templates
    )
    by_text = {e.text: e for e in [*entries, late] if e.kind == "event"}
    for template in quiz.templates:
        if template.kind != "order":
            continue
        times = {fold(by_text[c.text].when or "").split()[-1] for c in template.candidates}
        answer_time = fold(by_text[template.answer].when or "").split()[-1]
        if answer_time in ("monday", "tuesday"):
            assert not {"monday", "tuesday"} & times, template


def test_context_entries_and_bad_citations_are_not_asked(entries, article, lexicon):
    context = Entry(
        kind="fact",
        id="from-elsewhere",
        topic="x",
        text="The soldier was shot 99 times.",
        source="a blog",
        is_context=True,
    )
    phantom = Entry(kind="fact", id="phantom", topic="x", text="The soldier ate 12 apples.", paragraphs=(99,))
    quiz = Quiz([*entries, context, phantom], article.paragraphs, lexicon)
    assert not {"from-elsewhere", "phantom"} & {t.entry for t in quiz.templates}


def test_an_empty_store_has_no_questions(article, lexicon):
    quiz = Quiz([], article.paragraphs, lexicon)
    assert len(quiz) == 0 and quiz.question(random.Random(1)) is None


# ---- values -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"), [("five", 5), ("Forty", 40), ("1,000", 1000), ("12", 12), ("handful", None), ("2.5", None)]
)
def test_number_value(text, value):
    assert number_value(text) == value


def test_numbers_are_written_like_the_answer():
    assert write_number(4, "Five") == "Four"
    assert write_number(40, "50") == "40"
    assert write_number(2, "a") == "two"
    assert write_number(250, "five") is None


def test_qualifiers_keep_distractors_plainly_wrong():
    assert all(n > 40 for n in near_numbers(40, "at least"))
    assert all(abs(n - 20) >= 5 for n in near_numbers(20, "almost"))
    assert 20 not in near_numbers(20) and 0 not in near_numbers(1)


# ---- any store ----------------------------------------------------------------------------------------------

KINDS_FIELDS = {
    "fact": {"topic": "fuzz"},
    "quote": {"speaker": "Lee Cook-jong"},
    "event": {"when": "Monday", "sort": 95},
    "person": {"name": "Kim Jong Un", "role": "leader"},
    "term": {"term": "DMZ"},
}


@st.composite
def stores(draw, entries):
    """Some of the seed entries, and a few a moderator might add: any text, citing any paragraph."""
    kept = draw(st.lists(st.sampled_from(entries), unique_by=lambda e: e.id, max_size=len(entries)))
    added = []
    for number in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(sorted(KINDS_FIELDS)))
        text = draw(st.one_of(mixed_text(), st.sampled_from([e.text for e in entries])))
        paragraphs = tuple(draw(st.lists(st.integers(1, 22), min_size=1, max_size=3, unique=True)))
        added.append(
            Entry(kind=kind, id=f"fuzz-{number}", text=text or "x", paragraphs=paragraphs, **KINDS_FIELDS[kind])
        )
    return kept + added


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_store_gives_well_formed_questions(data, entries, article, lexicon):
    store = data.draw(stores(entries))
    by_id = {e.id: e for e in store}
    numbers = {p.number for p in article.paragraphs}
    quiz = Quiz(store, article.paragraphs, lexicon)
    for seed in range(5):
        question = quiz.question(random.Random(seed))
        if question is None:
            assert len(quiz) == 0
            break
        assert len({squash(o) for o in question.options}) == OPTIONS and 0 <= question.answer < OPTIONS
        entry = by_id[question.entry]
        assert set(question.paragraphs) <= numbers and question.shown in question.paragraphs
        said = " ".join(filter(None, (entry.text, entry.speaker, entry.name, entry.term)))
        assert has_words(said, re.sub(r"^(?:an?|the) ", "", question.right, flags=re.IGNORECASE)), question


def test_a_place_keeps_its_the(quiz):
    (visit,) = [t for t in quiz.templates if t.entry == "trump-south-korea-visit" and t.kind == "place"]
    assert visit.answer == "South Korea"
    assert "the United States" in {c.text for c in visit.candidates} and "Japan" in {c.text for c in visit.candidates}
