"""The quiz as every front end plays it: questions from the current store, rounds (one open question per
channel, each player's first answer counts), scores per board and the leaderboard.  Plain Python, no discord."""

from __future__ import annotations

import asyncio
import math
import random
import re
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import Enum

from bot.answer import shorten
from bot.handlers.replies import Reply, ReplyField, error
from bot.lexicon import Lexicon
from bot.models import QuizAnswer
from bot.quiz import LETTERS, Question, Quiz
from bot.store import Store
from bot.text import fold

TOP = 10
MAX_NAME = 32
MAX_NAMED = 15  # winners named in the reveal; the rest are counted
TITLES = {
    "number": "how many?",
    "distance": "how far?",
    "duration": "how long?",
    "time": "when?",
    "person": "who?",
    "place": "where?",
    "category": "which one?",
    "speaker": "who said it?",
    "order": "in what order?",
    "term": "which term?",
}
NO_QUESTIONS = "The story has no question to ask right now: it needs facts, events, quotes, people or terms."
NO_OTHER_QUESTION = "I have no other question right now, and I never ask the same one twice in a row here."


@dataclass(frozen=True, slots=True)
class Player:
    id: int
    name: str


class Press(Enum):
    COUNTED = "counted"
    REPEATED = "repeated"
    ENDED = "ended"


@dataclass(slots=True)
class Round:
    """One open question in one channel."""

    id: int
    channel: int
    board: str
    question: Question
    starter: Player
    deadline: float  # on the handlers' clock
    answers: dict[int, tuple[Player, int]] = field(default_factory=dict)
    ended: bool = False

    def seconds_left(self, now: float) -> int:
        return max(0, math.ceil(self.deadline - now))

    @property
    def winners(self) -> list[Player]:
        return [p for p, option in self.answers.values() if option == self.question.answer]


def board_of(guild_id: int | None, group_dm_id: int | None, user_id: int) -> str:
    """Whose scores a question counts toward: the server's, a group DM's, or (in DMs with the bot) the player's
    own."""
    if guild_id is not None:
        return f"guild:{guild_id}"
    if group_dm_id is not None:
        return f"group:{group_dm_id}"
    return f"dm:{user_id}"


def plain_name(name: str) -> str:
    """A display name safe to show in Markdown: one line, short, its formatting characters escaped."""
    name = " ".join(name.split())[:MAX_NAME] or "someone"
    return re.sub(r"([\\*_~`|>#\[\]()<@-])", r"\\\1", name)


def option_line(question: Question, index: int, labels: str = LETTERS) -> str:
    """'**B** · five' (on Discord) or '**2** · five' (in the console, where options are typed as numbers)."""
    return f"**{labels[index]}** · {question.options[index]}"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _points(points: int) -> str:
    return f"{points} point{'s' if points != 1 else ''}"


class QuizHandlers:
    """Questions are made from the store as it is now: a moderator's change reaches the next question.  They
    are remade only when the store's stamp moves (a large store takes a few seconds, off the event loop)."""

    def __init__(self, store: Store, lexicon: Lexicon, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.lexicon = lexicon
        self.clock = clock
        self._made: tuple[tuple[int, ...], Quiz] | None = None
        self._making = asyncio.Lock()
        self._rounds: dict[int, Round] = {}  # by channel
        self._by_id: dict[int, Round] = {}
        self._last: dict[int, str] = {}  # the last question asked in each channel

    # ---- questions --------------------------------------------------------------------------------------

    async def is_fresh(self) -> bool:
        """Whether the questions are made for the store as it is (else the next question takes a moment)."""
        return self._made is not None and self._made[0] == await self.store.quiz_stamp()

    async def quiz(self) -> Quiz:
        async with self._making:
            stamp = await self.store.quiz_stamp()
            if self._made is None or self._made[0] != stamp:
                entries = await self.store.entries()
                paragraphs = await self.store.paragraphs()
                made = await asyncio.to_thread(Quiz, entries, paragraphs, self.lexicon)
                self._made = (stamp, made)
            return self._made[1]

    async def question(self, seed: int | None = None, avoid: Collection[str] = ()) -> Question | None:
        quiz = await self.quiz()
        return quiz.question(random.Random(seed), avoid)

    async def questions(self, count: int, seed: int | None = None) -> list[Question]:
        return (await self.quiz()).questions(count, random.Random(seed))

    # ---- rounds -----------------------------------------------------------------------------------------

    def running(self, channel: int) -> Round | None:
        found = self._rounds.get(channel)
        return found if found is not None and not found.ended else None

    async def start(self, round_id: int, channel: int, board: str, starter: Player, seconds: float) -> Reply:
        """Open a question in a channel (the round in `quiz_round`), or say why not (one runs already; there is
        no new question)."""
        running = self.running(channel)
        if running is not None:
            return error(self.already_open(running))
        quiz = await self.quiz()
        if self.running(channel) is not None:  # another start got in while the questions were made
            return error("A quiz question was just opened in this channel: answer that one.")
        if not len(quiz):
            return error(NO_QUESTIONS)
        last = self._last.get(channel)
        question = quiz.question(random.Random(round_id), {last} if last else ())
        if question is None:
            return error(NO_OTHER_QUESTION)
        opened = Round(round_id, channel, board, question, starter, self.clock() + seconds)
        self._rounds[channel] = self._by_id[round_id] = opened
        self._last[channel] = question.key
        return Reply(title="Quiz question", body=question.question, quiz_round=opened)

    def already_open(self, running: Round) -> str:
        left = running.seconds_left(self.clock())
        return f"A quiz question is already open in this channel: answer it, or wait {left} s for the answer."

    def press(self, round_id: int, channel: int | None, player: Player, option: int) -> tuple[Press, Round | None]:
        """A button press: the player's first answer counts; a later one, or one after time is up, does not."""
        found = self._by_id.get(round_id)
        if found is None or found.ended or found.channel != channel or self.clock() >= found.deadline:
            return Press.ENDED, found
        if player.id in found.answers:
            return Press.REPEATED, found
        found.answers[player.id] = (player, option)
        return Press.COUNTED, found

    async def finish(self, ended: Round, stopped_by: Player | None = None) -> Reply:
        """Close a round: count its answers (none when it was stopped) and return the reveal; a refusal when it
        was closed already (time ran out as someone stopped it), which nobody needs to be shown."""
        if ended.ended:
            return error("This quiz question was closed already.")
        self.forget(ended)
        if stopped_by is None:
            answers = [
                QuizAnswer(str(p.id), " ".join(p.name.split())[:MAX_NAME], option == ended.question.answer)
                for p, option in ended.answers.values()
            ]
            await self.store.record_quiz_answers(ended.board, answers)
        return await self.reveal(ended, stopped_by)

    def forget(self, dropped: Round) -> None:
        """Close a round without counting it (also one whose question could not be posted)."""
        dropped.ended = True
        self._by_id.pop(dropped.id, None)
        if self._rounds.get(dropped.channel) is dropped:
            del self._rounds[dropped.channel]

    @staticmethod
    def may_stop(running: Round, user_id: int, is_moderator: bool) -> bool:
        return is_moderator or running.starter.id == user_id

    # ---- replies ----------------------------------------------------------------------------------------

    @staticmethod
    def question_reply(question: Question, closes: str | None = None, labels: str = LETTERS) -> Reply:
        """The question and its options; `closes` says when the answer is shown ('in 30 s')."""
        options = "\n".join(option_line(question, i, labels) for i in range(len(question.options)))
        body = f"**{question.question}**\n\n{options}"
        if closes is not None:
            body += f"\n\nThe answer is shown {closes}; only your first press counts."
        return Reply(title=f"Quiz: {TITLES.get(question.kind, 'which one?')}", body=body)

    async def reveal(self, ended: Round, stopped_by: Player | None = None) -> Reply:
        question = ended.question
        if stopped_by is not None:
            outcome = f"Stopped by {plain_name(stopped_by.name)}; no points this time."
        elif not ended.answers:
            outcome = "Nobody answered."
        else:
            winners = [plain_name(p.name) for p in ended.winners]
            count = f"{len(ended.answers)} answer{'s' if len(ended.answers) != 1 else ''}"
            if not winners:
                outcome = f"Nobody got it ({count})."
            else:
                named = ", ".join(winners[:MAX_NAMED])
                if len(winners) > MAX_NAMED:
                    named += f" and {len(winners) - MAX_NAMED} more"
                outcome = f"Got it: {named} ({len(winners)} of {count})."
        body = f"{question.question}\n\nThe answer: {option_line(question, question.answer)}\n{outcome}"
        return Reply(
            title="Quiz: stopped" if stopped_by else "Quiz: the answer",
            body=body,
            fields=await self._sources(question),
            citations=question.paragraphs,
        )

    async def answer_reply(self, question: Question, chosen: int | None, labels: str = LETTERS) -> Reply:
        """The answer to one question asked outside a round (the console): right or not, and the source."""
        if chosen is None:
            title, lead = "Skipped", "The answer"
        elif chosen == question.answer:
            title, lead = "Right!", "It is"
        else:
            title, lead = "Not quite", f"You chose {labels[chosen]}; the answer is"
        body = f"{lead}: {option_line(question, question.answer, labels)}"
        return Reply(title=title, body=body, fields=await self._sources(question), citations=question.paragraphs)

    async def solved_reply(self, question: Question, labels: str = LETTERS) -> Reply:
        """The question, its options and its answer at once (the command line)."""
        asked = self.question_reply(question, labels=labels)
        body = f"{asked.body}\n\nThe answer: {option_line(question, question.answer, labels)}"
        return Reply(asked.title, body, await self._sources(question), question.paragraphs)

    async def _sources(self, question: Question) -> tuple[ReplyField, ...]:
        """What the story says, and the paragraph that says the answer (the entry's words alone when they are
        the paragraph's own)."""
        story = ReplyField("From the story", shorten(question.explanation, 1000))
        shown = await self.store.paragraph(question.shown or question.paragraphs[0]) if question.paragraphs else None
        if shown is None:
            return (story,)
        paragraph = ReplyField(f"Paragraph {shown.number} of the article", shorten(shown.text, 1000))
        if fold(question.explanation).rstrip(".") in fold(shown.text):
            return (paragraph,)
        return (story, paragraph)

    async def leaderboard(self, board: str, player: Player) -> Reply:
        top = await self.store.quiz_leaderboard(board, TOP)
        mine, players = await self.store.quiz_standing(board, str(player.id))
        where = {"guild": "this server", "group": "this group", "dm": "your DMs with the bot"}[board.split(":")[0]]
        if not top:
            return Reply(
                title="Quiz leaderboard",
                body=f"No scores in {where} yet: `/quiz start` asks a question.",
                found=False,
            )
        lines = [f"**{s.rank}.** {plain_name(s.name)} · {_points(s.points)} ({s.answered} answered)" for s in top]
        if mine is None:
            you = "You have not answered a question here yet: `/quiz start` asks one."
        else:
            you = (
                f"You: {_ordinal(mine.rank)} of {players} player{'s' if players != 1 else ''}, "
                f"{_points(mine.points)} ({mine.answered} answered)."
            )
        return Reply(title=f"Quiz leaderboard: {where}", body="\n".join(lines) + "\n\n" + you)
