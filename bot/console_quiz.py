"""`quiz` in the console: one question, answered by typing its number; then the answer and where it comes from.
No clock: a terminal has one player."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TextIO

from bot.app import App
from bot.handlers import error
from bot.handlers.quiz import NO_OTHER_QUESTION, NO_QUESTIONS
from bot.textrender import render

NUMBERS = "1234"
SKIP_WORDS = frozenset({"skip", "s", "pass", "?", "idk"})
LETTER_ANSWERS = {letter: index for index, letter in enumerate("abcd")}
ASK = "Your answer: 1, 2, 3 or 4 (or skip)."
TRIES = 3


class ConsoleQuiz:
    """The questions of one console session: never the same twice in a row, and a running score."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.last: str | None = None
        self.right = 0
        self.asked = 0

    def play(self, runner: asyncio.Runner, read: Callable[[], str], out: TextIO) -> None:
        """Ask one question and read the answer (EOFError from `read` ends it, and is passed on)."""
        quiz = self.app.quiz
        question = runner.run(quiz.question(avoid={self.last} if self.last else ()))
        if question is None:
            empty = runner.run(quiz.quiz())
            print(render(error(NO_OTHER_QUESTION if len(empty) else NO_QUESTIONS)), file=out, flush=True)
            return
        self.last = question.key
        print(render(quiz.question_reply(question, labels=NUMBERS)), file=out)
        print(f"\n{ASK}", file=out, flush=True)
        chosen, ended = None, False
        for _ in range(TRIES):
            try:
                chosen, understood = read_choice(read())
            except EOFError:  # the input ended: show the answer, then let the console end
                ended = True
                break
            if understood:
                break
            print(ASK, file=out, flush=True)
        self.asked += 1
        self.right += chosen == question.answer
        reply = runner.run(quiz.answer_reply(question, chosen, labels=NUMBERS))
        print(render(reply), file=out)
        print(f"\n({self.right} of {self.asked} right this session; type quiz for another.)", file=out, flush=True)
        if ended:
            raise EOFError


def read_choice(line: str) -> tuple[int | None, bool]:
    """(the option chosen, or None to skip; whether the line was an answer at all)."""
    word = line.strip().lower().rstrip(".)")
    if word in SKIP_WORDS or not word:
        return None, bool(word)
    if word in NUMBERS:
        return NUMBERS.index(word), True
    if word in LETTER_ANSWERS:
        return LETTER_ANSWERS[word], True
    return None, False
