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


async def not_found(app, question):
    answer = await app.answerer.ask(question)
    assert_well_formed(answer)
    assert not answer.found, answer.text
    return answer


# ---- typos ------------------------------------------------------------------------------------------


async def test_typo_in_a_place_name(app):
    answer = await found(app, "panmunjon")
    assert "Panmunjom" in answer.text
    assert 3 in answer.paragraphs
    assert answer.corrections == {"panmunjon": "panmunjom"}


async def test_typo_in_a_role(app):
    answer = await found(app, "surgen")
    assert "surgeon" in answer.text.lower()
    assert set(answer.paragraphs) & {9, 10}
    assert answer.corrections.get("surgen") == "surgeon"


async def test_typo_the_for_teh(app):
    answer = await found(app, "what is teh DMZ")
    assert "DMZ" in answer.text
    assert answer.best.kind == "term"


# ---- paraphrase, and typos that need no more checks -------------------------------------------------


@pytest.mark.parametrize(
    ("question", "needles", "paragraphs"),
    [
        # typos
        pytest.param("how mny times was he shot", ["five"], {2}, id="typo_in_a_question_word"),
        pytest.param(
            "how mnay bulets hit him", ["Five bullets", "five times"], None, id="transposed_letters_in_two_words"
        ),
        pytest.param("what happend to the jeep", ["jeep", "vehicle"], {4, 5}, id="misspelt_long_stopword"),
        # paraphrase.  The article says he was not carrying a weapon (¶5); the rounds fired at him are not his gun.
        pytest.param("did the defector have a gun", ["not carrying a weapon"], {5}, id="did_the_defector_have_a_gun"),
        pytest.param("was the defector armed", ["not carrying a weapon"], None, id="was_he_armed"),
        pytest.param("who was the doctor", ["Lee Cook-jong"], {9, 10}, id="who_was_the_doctor"),
        pytest.param("what car did he drive", ["jeep"], {4}, id="what_car_did_he_drive"),
        pytest.param("how far did he run", ["50 yards"], {8}, id="how_far_did_he_run"),
        pytest.param(
            "who shot the soldier",
            ["Four North Korean soldiers", "four North Korean soldiers", "by his countrymen"],
            {2, 7},
            id="who_shot_the_soldier",
        ),
        pytest.param("when did the korean war end", ["1953"], {13}, id="when_did_the_war_end"),
        pytest.param("why were there no tourists", ["tours do not run"], {16}, id="why_no_tourists"),
        pytest.param("how many organs were damaged", ["seven internal organs"], {11}, id="how_many_organs"),
        pytest.param("did south korea shoot back", ["did not return fire"], None, id="did_the_south_shoot_back"),
    ],
)
async def test_question_is_answered_from_the_right_paragraph(app, question, needles, paragraphs):
    """The answer shows one of `needles`, and cites one of `paragraphs` (when given)."""
    answer = await found(app, question)
    assert any(needle in answer.text for needle in needles), answer.text
    if paragraphs is not None:
        assert set(answer.paragraphs) & paragraphs, answer.paragraphs


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
    answer = await not_found(app, question)
    assert answer.closest is None, answer.text  # nothing in the story comes close: no "what it does say"


async def test_question_the_story_does_not_answer_about_its_people(app):
    # The article never gives the soldier's height; South Korean soldiers holding their fire is not an answer.
    answer = await app.answerer.ask("how tall is the soldier")
    assert not answer.found, answer.text


# ---- hostile and odd input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        '"',
        '""',
        "NEAR(",
        "NEAR(a b",
        "*",
        "-",
        "^",
        "AND",
        "OR",
        "NOT",
        "a AND",
        "(",
        ")",
        ":",
        "col:foo",
        "'",
        "title:jeep",
        "jeep*",
        '"jeep" OR "soldier"',
        "{title body}:jeep",
        "\x00",
        "jeep\x00soldier",
        "\u200b",
        "🙂",
        "ジープ",
        "DROP TABLE entries;--",
    ],
)
async def test_query_syntax_never_raises(app, question):
    answer = await app.answerer.ask(question)
    assert_well_formed(answer)


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
async def test_empty_question_gets_a_prompt(app, question):
    answer = await not_found(app, question)
    assert "Ask me a question" in answer.text


async def test_very_long_question_mentions_the_limit(app):
    answer = await not_found(app, "how many times was he shot " * 15 + "x" * 400)
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
        Entry(
            kind="fact", id="zeppelin", topic="sky", text="A red zeppelin flew over the truce village.", paragraphs=(3,)
        ),
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

STORY_WORDS = [
    "jeep",
    "soldier",
    "shot",
    "five",
    "DMZ",
    "Lee",
    "surgeon",
    "Panmunjom",
    "armistice",
    "how",
    "many",
    "who",
    "when",
    "NEAR",
    "AND",
    "OR",
    "NOT",
    '"',
    "*",
    "(",
    ")",
    ":",
    "^",
    "-",
    "'",
]


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
