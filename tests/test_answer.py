"""The answer engine, through app.answerer.ask, with questions written for these tests."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.answer import MAX_ANSWER, MAX_QUESTION, answer_text, shorten
from bot.app import open_app
from bot.config import Settings
from bot.models import Actor, Entry
from tests.conftest import DATA_DIR


def assert_well_formed(answer):
    assert isinstance(answer.text, str) and answer.text.strip()
    assert len(answer.text) <= MAX_ANSWER
    if answer.found:
        assert answer.best is not None
        for entry in (answer.best, *answer.alternatives):
            assert entry.paragraphs or entry.source, entry.id
            assert all(1 <= p <= 20 for p in entry.paragraphs)
        assert answer.paragraphs == answer.best.paragraphs
    else:
        assert answer.best is None
        assert answer.paragraphs == ()


async def found(app, question):
    answer = await app.answerer.ask(question)
    assert_well_formed(answer)
    assert answer.found, f"{question!r} was not answered: {answer.text}"
    return answer


# ---- typos ------------------------------------------------------------------------------------------


async def test_typo_in_a_place_name(app):
    answer = await found(app, "panmunjon")
    assert "Panmunjom" in answer.text
    assert 3 in answer.paragraphs
    assert answer.corrections == {"panmunjon": "panmunjom"}


async def test_typo_in_a_question_word(app):
    answer = await found(app, "how mny times was he shot")
    assert "five" in answer.text
    assert 2 in answer.paragraphs


async def test_typo_in_a_role(app):
    answer = await found(app, "surgen")
    assert "surgeon" in answer.text.lower()
    assert set(answer.paragraphs) & {9, 10}
    assert answer.corrections.get("surgen") == "surgeon"


async def test_typo_the_for_teh(app):
    answer = await found(app, "what is teh DMZ")
    assert "DMZ" in answer.text
    assert answer.best.kind == "term"


async def test_transposed_letters_in_two_words(app):
    answer = await found(app, "how mnay bulets hit him")
    assert "Five bullets" in answer.text or "five times" in answer.text


async def test_misspelt_long_stopword(app):
    answer = await found(app, "what happend to the jeep")
    assert "jeep" in answer.text or "vehicle" in answer.text
    assert set(answer.paragraphs) & {4, 5}


# ---- paraphrase -------------------------------------------------------------------------------------


async def test_did_the_defector_have_a_gun(app):
    answer = await found(app, "did the defector have a gun")
    # The article says he was not carrying a weapon (¶5); the rounds fired at him are not his gun.
    assert "not carrying a weapon" in answer.text
    assert 5 in answer.paragraphs


async def test_was_he_armed(app):
    answer = await found(app, "was the defector armed")
    assert "not carrying a weapon" in answer.text


async def test_who_was_the_doctor(app):
    answer = await found(app, "who was the doctor")
    assert "Lee Cook-jong" in answer.text
    assert set(answer.paragraphs) & {9, 10}


async def test_what_car_did_he_drive(app):
    answer = await found(app, "what car did he drive")
    assert "jeep" in answer.text
    assert 4 in answer.paragraphs


async def test_how_far_did_he_run(app):
    answer = await found(app, "how far did he run")
    assert "50 yards" in answer.text
    assert 8 in answer.paragraphs


async def test_who_shot_the_soldier(app):
    answer = await found(app, "who shot the soldier")
    assert "Four North Korean soldiers" in answer.text or "four North Korean soldiers" in answer.text
    assert 7 in answer.paragraphs


async def test_when_did_the_war_end(app):
    answer = await found(app, "when did the korean war end")
    assert "1953" in answer.text
    assert 13 in answer.paragraphs


async def test_why_no_tourists(app):
    answer = await found(app, "why were there no tourists")
    assert "tours do not run" in answer.text
    assert 16 in answer.paragraphs


async def test_how_many_organs(app):
    answer = await found(app, "how many organs were damaged")
    assert "seven internal organs" in answer.text
    assert 11 in answer.paragraphs


async def test_did_the_south_shoot_back(app):
    answer = await found(app, "did south korea shoot back")
    assert "did not return fire" in answer.text


async def test_answers_offer_alternatives_that_differ(app):
    answer = await found(app, "how many times was he shot")
    texts = [answer.best.text, *(e.text for e in answer.alternatives)]
    assert len(texts) == len(set(texts))
    assert len(answer.alternatives) <= 3


# ---- abstention -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "who is the president of France",
        "what is the capital of Japan",
        "recipe for pancakes",
        "asdf qwerty zxcv",
        "who won the 2018 world cup",
        "what is the population of Seoul",
        "who is Kim Jong Un",
        "how do I bake bread",
        "what is bitcoin",
    ],
)
async def test_off_topic_questions_are_not_answered(app, question):
    answer = await app.answerer.ask(question)
    assert_well_formed(answer)
    assert not answer.found
    assert "I don't know" in answer.text


async def test_question_the_story_does_not_answer_about_its_people(app):
    # The article never gives the soldier's height; South Korean soldiers holding their fire is not an answer.
    answer = await app.answerer.ask("how tall is the soldier")
    assert not answer.found, answer.text


# ---- hostile and odd input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ['"', '""', "NEAR(", "NEAR(a b", "*", "-", "^", "AND", "OR", "NOT", "a AND", "(", ")", ":", "col:foo",
     "'", "title:jeep", "jeep*", '"jeep" OR "soldier"', "{title body}:jeep", "\x00", "jeep\x00soldier",
     "\u200b", "🙂", "ジープ", "DROP TABLE entries;--"],
)
async def test_query_syntax_never_raises(app, question):
    answer = await app.answerer.ask(question)
    assert_well_formed(answer)


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
async def test_empty_question_gets_a_prompt(app, question):
    answer = await app.answerer.ask(question)
    assert_well_formed(answer)
    assert not answer.found
    assert "Ask me a question" in answer.text


async def test_very_long_question_mentions_the_limit(app):
    answer = await app.answerer.ask("how many times was he shot " * 15 + "x" * 400)
    assert_well_formed(answer)
    assert not answer.found
    assert str(MAX_QUESTION) in answer.text


async def test_question_of_exactly_the_limit_is_accepted(app):
    question = ("how many times was he shot " * 20)[:MAX_QUESTION]
    answer = await app.answerer.ask(question)
    assert_well_formed(answer)
    assert str(MAX_QUESTION) not in answer.text


async def test_answers_see_a_new_entry(app):
    before = await app.answerer.ask("what colour was the zeppelin")
    assert not before.found
    await app.store.add(
        Entry(kind="fact", id="zeppelin", topic="sky", text="A red zeppelin flew over the truce village.",
              paragraphs=(3,)),
        Actor("1", "tester"),
    )
    after = await app.answerer.ask("what colour was the zeppelin")
    assert after.found and after.best.id == "zeppelin"


async def test_every_entry_renders_within_the_limit(app):
    for entry in await app.store.entries():
        assert len(answer_text(entry)) <= MAX_ANSWER, entry.id


def test_answer_text_shapes():
    quote = Entry(kind="quote", id="q1", text="Hello there", speaker="Lee", context="Said to reporters.")
    assert answer_text(quote) == "“Hello there” — Lee (Said to reporters)"
    event = Entry(kind="event", id="e1", text="Something happened.", when="Monday", sort=1)
    assert answer_text(event) == "Monday: Something happened."
    term = Entry(kind="term", id="t1", text="A zone.", term="DMZ")
    assert answer_text(term) == "DMZ: A zone."
    long_fact = Entry(kind="fact", id="f1", text="word " * 100, topic="x")
    assert len(answer_text(long_fact)) <= MAX_ANSWER
    assert answer_text(long_fact).endswith("…")


def test_shorten():
    assert shorten("short", 10) == "short"
    cut = shorten("alpha beta gamma delta epsilon", 20)
    assert len(cut) <= 20 and cut.endswith("…") and cut.startswith("alpha beta")


# ---- property: random text --------------------------------------------------------------------------

STORY_WORDS = ["jeep", "soldier", "shot", "five", "DMZ", "Lee", "surgeon", "Panmunjom", "armistice", "how",
               "many", "who", "when", "NEAR", "AND", "OR", "NOT", '"', "*", "(", ")", ":", "^", "-", "'"]


def test_random_text_never_raises_and_stays_short(tmp_path):
    loop = asyncio.new_event_loop()
    app = loop.run_until_complete(open_app(Settings(database_path=tmp_path / "h.db", data_dir=DATA_DIR)))
    try:
        questions = st.one_of(
            st.text(max_size=400),
            st.lists(st.sampled_from(STORY_WORDS), max_size=30).map(" ".join),
        )

        @given(questions)
        @hsettings(max_examples=150, deadline=None)
        def check(question):
            answer = loop.run_until_complete(app.answerer.ask(question))
            assert len(answer.text) <= MAX_ANSWER
            assert answer.text
            if answer.found:
                assert answer.best is not None and (answer.best.paragraphs or answer.best.source)

        check()
    finally:
        loop.run_until_complete(app.close())
        loop.close()
