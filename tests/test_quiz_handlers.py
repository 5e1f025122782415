"""The quiz handlers without Discord: rounds on a fake clock, presses, the reveal, scores, the leaderboard, and
questions that follow the store."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import replace

import pytest

from bot.handlers.quiz import NO_OTHER_QUESTION, Player, Press, QuizHandlers, Round, board_of, plain_name
from bot.lexicon import load_lexicon
from bot.models import OPERATOR
from tests.conftest import DATA_DIR

ANN, BOB = Player(1, "Ann"), Player(2, "Bob")
CHANNEL = 500


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def quiz(store, clock):
    return QuizHandlers(store, load_lexicon(DATA_DIR / "lexicon.json"), clock)


async def opened(quiz, round_id=1, channel=CHANNEL, board="guild:9", starter=ANN, seconds=30.0) -> Round:
    reply = await quiz.start(round_id, channel, board, starter, seconds)
    assert not reply.error and reply.quiz_round is not None, reply
    return reply.quiz_round


async def test_first_press_counts(quiz):
    started = await opened(quiz)
    right, wrong = started.question.answer, (started.question.answer + 1) % 4
    assert quiz.press(1, CHANNEL, BOB, wrong) == (Press.COUNTED, started)
    assert quiz.press(1, CHANNEL, BOB, right) == (Press.REPEATED, started)
    assert started.answers[BOB.id] == (BOB, wrong)


async def test_presses_after_time_or_elsewhere_or_unknown_do_not_count(quiz, clock):
    started = await opened(quiz)
    assert quiz.press(1, CHANNEL + 1, ANN, 0)[0] is Press.ENDED  # a custom id replayed in another channel
    assert quiz.press(99, CHANNEL, ANN, 0) == (Press.ENDED, None)  # a round this process never opened
    clock.now += 30
    assert quiz.press(1, CHANNEL, ANN, 0)[0] is Press.ENDED
    assert started.answers == {}


async def test_one_round_per_channel(quiz, clock):
    await opened(quiz)
    clock.now += 12.2
    refused = await quiz.start(2, CHANNEL, "guild:9", BOB, 30.0)
    assert refused.error and "wait 18 s" in refused.body
    await opened(quiz, round_id=3, channel=CHANNEL + 1)


async def test_two_starts_at_once_open_one_round(quiz):
    results = await asyncio.gather(*(quiz.start(i, CHANNEL, "guild:9", ANN, 30.0) for i in range(5)))
    assert sum(r.quiz_round is not None for r in results) == 1


async def test_finish_counts_scores_once_and_reveals(quiz, store):
    started = await opened(quiz)
    right = started.question.answer
    quiz.press(1, CHANNEL, ANN, right)
    quiz.press(1, CHANNEL, BOB, (right + 1) % 4)
    reveal = await quiz.finish(started)
    assert reveal.title == "Quiz: the answer"
    assert f"The answer: **{'ABCD'[right]}** · {started.question.right}" in reveal.body
    assert "Got it: Ann (1 of 2 answers)." in reveal.body
    assert reveal.citations == started.question.paragraphs
    shown = await store.paragraph(started.question.shown)
    assert reveal.fields[-1].name == f"Paragraph {shown.number} of the article"
    assert reveal.fields[-1].value == shown.text[:1000]
    if len(reveal.fields) == 2:  # the entry's own words, unless they are the paragraph's
        assert reveal.fields[0].name == "From the story"
    assert (await quiz.finish(started)).error  # the clock and /quiz stop may both try: counted once
    scores = {s.name: (s.points, s.answered) for s in await store.quiz_leaderboard("guild:9")}
    assert scores == {"Ann": (1, 1), "Bob": (0, 1)}
    assert quiz.running(CHANNEL) is None


async def test_a_stopped_round_scores_nothing(quiz, store):
    started = await opened(quiz)
    quiz.press(1, CHANNEL, BOB, started.question.answer)
    reveal = await quiz.finish(started, stopped_by=ANN)
    assert reveal.title == "Quiz: stopped" and "Stopped by Ann; no points this time." in reveal.body
    assert await store.quiz_leaderboard("guild:9") == []


async def test_nobody_answered(quiz):
    reveal = await quiz.finish(await opened(quiz))
    assert "Nobody answered." in reveal.body


async def test_never_the_same_question_twice_in_a_row_in_a_channel(quiz):
    keys = []
    for round_id in range(1, 40):
        started = await opened(quiz, round_id=round_id)
        keys.append(started.question.key)
        await quiz.finish(started, stopped_by=ANN)
    assert all(a != b for a, b in itertools.pairwise(keys))


async def test_with_one_question_left_the_second_start_says_so(quiz, store):
    for entry in await store.entries():
        if entry.id != "made-it-50-yards":
            await store.set_deleted(entry.kind, entry.id, True, OPERATOR)
    assert len(await quiz.quiz()) == 1
    first = await opened(quiz)
    await quiz.finish(first)
    again = await quiz.start(2, CHANNEL, "guild:9", ANN, 30.0)
    assert again.error and again.body == NO_OTHER_QUESTION
    await opened(quiz, round_id=3, channel=CHANNEL + 1)  # another channel may have it


async def test_questions_follow_the_store(quiz, store):
    assert not await quiz.is_fresh()
    await quiz.quiz()
    assert await quiz.is_fresh()
    entry = await store.get("four-soldiers-chased")
    await store.update(replace(entry, text="Four North Korean soldiers chased him."), OPERATOR, entry.version)
    assert not await quiz.is_fresh()
    asked = {q.question for q in await quiz.questions(200, seed=1) if q.entry == "four-soldiers-chased"}
    assert "How many North Korean soldiers chased him?" in asked
    assert not [q for q in asked if "escaping" in q]


async def test_answer_reply_for_the_console(quiz):
    question = await quiz.question(seed=3)
    right = await quiz.answer_reply(question, question.answer)
    wrong = await quiz.answer_reply(question, (question.answer + 1) % 4)
    skipped = await quiz.answer_reply(question, None)
    assert right.title == "Right!" and wrong.title == "Not quite" and skipped.title == "Skipped"
    assert f"You chose {'ABCD'[(question.answer + 1) % 4]}" in wrong.body
    assert all(question.right in r.body and r.citations == question.paragraphs for r in (right, wrong, skipped))


async def test_leaderboard(quiz, store):
    empty = await quiz.leaderboard("dm:1", ANN)
    assert empty.body == "No scores in your DMs with the bot yet: `/quiz start` asks a question."
    for round_id in (1, 2, 3):
        started = await opened(quiz, round_id=round_id)
        quiz.press(round_id, CHANNEL, ANN, started.question.answer)
        if round_id == 3:
            quiz.press(round_id, CHANNEL, BOB, started.question.answer)
        await quiz.finish(started)
    board = await quiz.leaderboard("guild:9", BOB)
    assert board.title == "Quiz leaderboard: this server"
    assert board.body.splitlines() == [
        "**1.** Ann · 3 points (3 answered)",
        "**2.** Bob · 1 point (1 answered)",
        "",
        "You: 2nd of 2 players, 1 point (1 answered).",
    ]


def test_boards():
    assert board_of(7, None, 1) == "guild:7"
    assert board_of(None, 8, 1) == "group:8"
    assert board_of(None, None, 1) == "dm:1"


def test_names_are_shown_as_text():
    assert plain_name("**bold** @everyone <@123>") == "\\*\\*bold\\*\\* \\@everyone \\<\\@123\\>"
    assert plain_name("  \n ") == "someone"
    assert len(plain_name("x" * 100)) == 32
