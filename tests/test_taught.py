"""Taught questions in the answer engine: the key near-identical questions share, and answering a taught
question (and its near variants) with its entry."""

from __future__ import annotations

import pytest

from bot.answer import taught as taught_module
from bot.models import Actor

ALICE = Actor("1001", "alice")
SURGEON = "operated-on-by-trauma-surgeon"


@pytest.mark.parametrize(
    "variant",
    [
        "how much did the soldiers surgery cost",
        "How much did the soldier's surgery cost?",
        "HOW MUCH DID THE SOLDIERS SURGERY COST!!",
        "how much did the soliders surgrey cost",
        "lol how much did the soldiers surgery cost tbh",
        "can you tell me how much did the soldiers surgery cost",
    ],
)
async def test_near_variants_share_a_key(app, variant):
    assert await app.answerer.normalise(variant) == "how soldier surgeri cost"


@pytest.mark.parametrize(
    "other",
    [
        "why did the soldiers surgery cost so much",  # another question word
        "how much did the soldiers surgery not cost",  # negation
        "how much did the surgery cost the soldier",  # another order: who paid whom
        "how much did his surgery cost",  # him, not the soldier
        "how much will the soldiers surgery cost",  # mood
    ],
)
async def test_questions_that_ask_something_else_have_another_key(app, other):
    assert await app.answerer.normalise(other) != "how soldier surgeri cost"


async def test_a_question_without_words_has_no_key(app):
    assert await app.answerer.normalise("???") == ""
    assert await app.answerer.normalise("what is it?") == "what"


async def test_corrected_writes_in_the_engines_typo_fixes(app):
    assert await app.answerer.corrected("How mny bulets hit the solider?") == "How many bullets hit the soldier?"
    assert await app.answerer.corrected("What is his blood type") == "What is his blood type"


async def test_a_taught_question_and_its_near_variants_get_the_entry(app):
    question = "how much did the soldiers surgery cost"
    before = await app.answerer.ask(question)
    assert not before.found
    await app.store.teach(SURGEON, question, ALICE)
    for variant in (
        question,
        "How much did the soldier's surgrey cost?",
        "so how much did the soldiers surgery cost lol",
    ):
        answer = await app.answerer.ask(variant)
        assert answer.found and answer.best.id == SURGEON, variant
        assert answer.alternatives == ()
    assert (await app.answerer.ask("how much did the soliders surgery cost")).corrections == {"soliders": "soldiers"}


async def test_a_taught_question_wins_over_the_ranking(app):
    ranked = await app.answerer.ask("how many times was he shot")
    assert ranked.best.id == "shot-five-times"
    await app.store.teach("shoulder-stomach-elbow", "how many times was he shot", ALICE)
    assert (await app.answerer.ask("How many times was he shot?")).best.id == "shoulder-stomach-elbow"


async def test_a_removed_entry_answers_its_taught_questions_no_more(app):
    await app.store.teach(SURGEON, "what is his blood type", ALICE)
    assert (await app.answerer.ask("what is his blood type")).found
    await app.store.set_deleted("fact", SURGEON, True, ALICE)
    assert not (await app.answerer.ask("what is his blood type")).found


async def test_nothing_taught_costs_no_key(app, monkeypatch):
    calls: list[str] = []
    real = taught_module.question_key

    def counted(question, *args, **kwargs):
        calls.append(question)
        return real(question, *args, **kwargs)

    monkeypatch.setattr(taught_module, "question_key", counted)
    await app.answerer.ask("how many times was he shot")
    assert calls == []


async def test_keys_of_phrasings_are_worked_out_once_per_entry_version(app, monkeypatch):
    await app.store.teach(SURGEON, "what is his blood type", ALICE)
    calls: list[str] = []
    real = taught_module.question_key

    def counted(question, *args, **kwargs):
        calls.append(question)
        return real(question, *args, **kwargs)

    await app.answerer.ask("what is his blood type")  # the first question after the teach works out its key
    monkeypatch.setattr(taught_module, "question_key", counted)
    for _ in range(3):
        await app.answerer.ask("what is his blood type")
    assert calls == ["what is his blood type"] * 3  # the question each time; the phrasing's key is known
    # Another entry changes: the list is rebuilt, and only the changed entry's phrasings are read again.
    await app.store.teach("dmz", "what does dmz stand for", ALICE)
    calls.clear()
    await app.answerer.ask("what is his blood type")
    assert sorted(calls) == ["what does dmz stand for", "what is his blood type"]
