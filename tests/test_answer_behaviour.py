"""What the answer engine does with kinds of question, each behaviour checked over several phrasings written for
these tests (not taken from any evaluation set): the answer type wanted, premises, the timeline, typos and chat
filler, paraphrase, and honest abstention."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.models import Actor
from tests.test_answer import assert_well_formed


async def answered(app, question):
    answer = await app.answerer.ask(question)
    assert_well_formed(answer)
    assert answer.found, f"{question!r} was not answered: {answer.text}"
    return answer


async def refused(app, question):
    answer = await app.answerer.ask(question)
    assert_well_formed(answer)
    assert not answer.found, f"{question!r} got a confident answer: {answer.text}"
    return answer


# ---- the kind of answer wanted wins over shared words ------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "what was he driving",
        "what vehicle did the soldier use",
        "which car did he drive toward the post",
        "wat kind of car was it",
        "what did the defector drive",
    ],
)
async def test_a_vehicle_question_gets_the_vehicle(app, question):
    # "his vehicle got stuck in a ditch" shares more words but never says what the vehicle was
    assert "jeep" in (await answered(app, question)).text.lower()


@pytest.mark.parametrize(
    "question",
    [
        "which weapon were the guards carrying",
        "what gun did the north korean soldiers use",
        "what kind of rifle was fired at him",
        "which firearm did the chasers have",
    ],
)
async def test_a_weapon_question_gets_the_weapon_not_the_unarmed_soldier(app, question):
    answer = await answered(app, question)
    assert "AK-47" in answer.text and "not carrying" not in answer.text


@pytest.mark.parametrize(
    "question",
    ["where was he hit", "where did the bullets hit him", "which body parts were hit", "where was the guy wounded"],
)
async def test_where_with_an_injury_asks_for_body_parts(app, question):
    answer = await answered(app, question)
    assert any(part in answer.text for part in ("shoulder", "stomach", "elbow")), answer.text


@pytest.mark.parametrize(
    ("question", "needle"),
    [
        ("how many rounds did they fire", "40"),
        ("how many bullets struck him", "Five"),
        ("how many soldiers chased him", "Four"),
        ("how many organs were affected", "seven"),
        ("how many yards did he make it", "50 yards"),
    ],
)
async def test_a_count_counts_what_was_asked(app, question, needle):
    assert needle.lower() in (await answered(app, question)).text.lower()


@pytest.mark.parametrize("question", ["who opened fire on him", "who shot at the defector", "who was shooting at him"])
async def test_who_fired_is_not_who_held_fire(app, question):
    answer = await answered(app, question)
    assert "did not return fire" not in answer.text and "lawmakers" not in answer.text
    # the shooters, named either way
    assert "four north korean soldiers" in answer.text.lower() or "countrymen" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "needle"),
    [
        ("what time did he drive toward the guard post", "3 p.m."),
        ("what day was he shot", "Monday"),
        ("in which month did tillerson visit", "March"),
        ("when did the korean war end", "1953"),
    ],
)
async def test_time_questions_get_the_time_asked_for(app, question, needle):
    assert needle in (await answered(app, question)).text


# ---- premises and the timeline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "what happened once he reached the southern side",
        "after he took cover what happened",
        "and then, once he was behind the building?",
    ],
)
async def test_the_premise_is_not_the_answer(app, question):
    answer = await answered(app, question)
    assert "crawl" in answer.text or "drag" in answer.text, answer.text


async def test_the_next_step_can_be_in_the_same_event(app):
    answer = await answered(app, "what happened after he made it across the line")
    assert "took cover" in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        "what happened after the jeep got stuck",
        "ok so after his vehicle got stuck what did he do",
        "what did he do after the car got stuck in the ditch",
    ],
)
async def test_the_step_after_a_premise(app, question):
    answer = await answered(app, question)
    assert "jumped out" in answer.text or "ran toward" in answer.text, answer.text


@pytest.mark.parametrize(
    "question", ["what happened before he was airlifted", "what happened right before they airlifted him"]
)
async def test_the_step_before_a_premise(app, question):
    answer = await answered(app, question)
    assert "crawl" in answer.text or "drag" in answer.text, answer.text


# ---- vocabulary: typos, filler, paraphrase -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "needle"),
    [
        ("how many tims was he shot", "five"),
        ("how many bulets hit him", "five"),
        ("which rifel did they use", "AK-47"),
        ("where is the hosptial", "south of Seoul"),
        ("what was the solider wearing", "uniform"),
        ("yo how many times was he shot lol", "five"),
        ("bro who was the surgeon pls", "Lee Cook-jong"),
        ("how many times was he shot??", "five"),
        ("ngl who pulled him out", "South Korean soldier"),
        ("who dragged the guy to safety fr", "South Korean soldier"),
    ],
)
async def test_typos_filler_and_paraphrase(app, question, needle):
    assert needle.lower() in (await answered(app, question)).text.lower()


# ---- honest abstention --------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["who is kim jong un", "Who is Moon Jae-in?", "who's xi jinping"])
async def test_a_name_the_story_lacks_is_said_to_be_missing(app, question):
    answer = await refused(app, question)
    assert "not in this story" in answer.text
    assert "Lee Cook-jong" in answer.text  # it says who is in it


@pytest.mark.parametrize(
    "question",
    [
        "what's the soldier's name",
        "what is the name of the hospital",
        "which unit did he serve in",
        "how much did his treatment cost",
        "what kind of helicopter flew him out",
        "how old is the defector",
        "does he have family in the north",
    ],
)
async def test_a_detail_the_article_lacks_is_not_made_up(app, question):
    await refused(app, question)


@pytest.mark.parametrize("question", ["how much did his treatment cost", "what is the name of the hospital"])
async def test_a_refusal_says_what_the_article_does_say(app, question):
    answer = await refused(app, question)
    assert answer.closest is not None and "paragraph" in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        "what did the south korean president say about it",
        "did north korea comment on the defection",
        "what did kim jong un say",
    ],
)
async def test_a_statement_needs_its_speaker(app, question):
    await refused(app, question)


@pytest.mark.parametrize("question", ["is he still alive today", "did he recover in the end", "how is he doing now"])
async def test_questions_past_the_article_are_not_answered_from_it(app, question):
    answer = await refused(app, question)
    assert answer.closest is not None  # it says what the article last said


async def test_suggestions_follow_the_question_and_are_answerable(app):
    first = await refused(app, "what did the surgeon eat for breakfast")
    second = await refused(app, "what is the tourist shop selling")
    assert first.suggestions and second.suggestions and first.suggestions != second.suggestions
    for suggestion in (*first.suggestions, *second.suggestions):
        assert (await app.answerer.ask(suggestion)).found, suggestion


async def test_search_goes_through_the_engine(app):
    found = await app.answerer.search("ak 47")
    assert found and found[0].id in {"ak-47-assault-rifle", "ak-47"} | {e.id for e in found[:3]}
    assert any("AK-47" in e.text for e in found[:3])


async def test_every_entry_is_read_when_the_store_changes(app):
    await app.answerer.ask("how many times was he shot")
    total = (await app.store.counts()).total
    assert app.answerer.indexed == total
    entry = (await app.store.entries("fact"))[0]
    await app.store.update(replace(entry, text=entry.text + " Twice."), Actor("1", "m"), entry.version)
    await app.answerer.ask("anything at all")
    assert app.answerer.indexed == total + 1  # the new version is read before any question finds it
