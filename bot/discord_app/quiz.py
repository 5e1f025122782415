"""/quiz start · leaderboard · stop, and the answer buttons.

A question is posted with four buttons and revealed after QUIZ_SECONDS by editing the message through its
interaction (so it works in DMs and as a user-installed app, where the bot may not see the channel).  The
buttons are dynamic items: a press after a restart, when the round is gone, is told the quiz has ended."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any

import discord
from discord import app_commands

from bot.discord_app import errors
from bot.discord_app.moderators import is_moderator
from bot.discord_app.render import render_embed
from bot.discord_app.views import ShowSourceButton, client_of
from bot.handlers.quiz import Player, Press, QuizHandlers, Round, board_of, option_line
from bot.quiz import LETTERS, Question

log = logging.getLogger(__name__)
QUIZ_TEMPLATE = r"sb:quiz:(?P<round>\d{1,20}):(?P<option>[0-3])"
ENDED = "This quiz has ended (the bot may have restarted); `/quiz start` asks a new question."
TIME_UP = "Time is up for this question; the answer is on its way."
LABEL = 80
LABEL_WITH_TEXT = 60  # options longer than this make letter-only buttons (the options are listed above them)


def _player(interaction: discord.Interaction) -> Player:
    return Player(interaction.user.id, interaction.user.display_name)


def _board(interaction: discord.Interaction) -> str:
    # Context 2 is a group DM, or a DM between two people using the app installed to one of them: they share a
    # board.  A DM with the bot itself (context 1) is the player's own.
    shared = interaction.channel_id if interaction.guild_id is None and interaction.context.private_channel else None
    return board_of(interaction.guild_id, shared, interaction.user.id)


def _quiz(interaction: discord.Interaction) -> QuizHandlers:
    return client_of(interaction).app.quiz


class QuizButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=QUIZ_TEMPLATE):
    """One answer of one round; the round and the option are in the custom id."""

    def __init__(
        self,
        round_id: int,
        option: int,
        label: str | None = None,
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
    ) -> None:
        self.round_id = round_id
        self.option = option
        super().__init__(
            discord.ui.Button(
                label=(label or LETTERS[option])[:LABEL],
                style=style,
                disabled=disabled,
                custom_id=f"sb:quiz:{round_id}:{option}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuizButton:
        return cls(int(match["round"]), int(match["option"]), getattr(item, "label", None))

    async def callback(self, interaction: discord.Interaction) -> None:
        # discord.py only logs errors raised here (the user would see "This interaction failed"): report them.
        try:
            await client_of(interaction).quiz.press(interaction, self.round_id, self.option)
        except Exception as exc:
            await errors.report(interaction, exc)


def _labels(question: Question) -> list[str]:
    """'A · five' while every option fits on a button, else just the letters."""
    if all(len(o) <= LABEL_WITH_TEXT for o in question.options):
        return [f"{LETTERS[i]} · {o}" for i, o in enumerate(question.options)]
    return list(LETTERS[: len(question.options)])


def question_view(opened: Round) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for index, label in enumerate(_labels(opened.question)):
        view.add_item(QuizButton(opened.id, index, label))
    return view


def answer_view(ended: Round) -> discord.ui.View:
    """The buttons again, disabled, the right one green; and Show source."""
    view = discord.ui.View(timeout=None)
    right = ended.question.answer
    for index, label in enumerate(_labels(ended.question)):
        style = discord.ButtonStyle.success if index == right else discord.ButtonStyle.secondary
        view.add_item(QuizButton(ended.id, index, label, style=style, disabled=True))
    question = ended.question
    if question.paragraphs:  # the paragraph that says the answer first
        view.add_item(ShowSourceButton((question.shown, *(p for p in question.paragraphs if p != question.shown))))
    return view


class QuizRunner:
    """The rounds' clocks: each question is revealed `seconds` after it is posted, or when it is stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._open: dict[int, tuple[discord.Interaction, asyncio.Task[None]]] = {}

    async def start(self, interaction: discord.Interaction) -> None:
        quiz = _quiz(interaction)
        channel = interaction.channel_id
        if channel is None:
            await interaction.response.send_message("I can only ask a question in a channel.", ephemeral=True)
            return
        running = quiz.running(channel)
        if running is not None:
            await interaction.response.send_message(quiz.already_open(running), ephemeral=True)
            return
        if not await quiz.is_fresh():
            await interaction.response.defer(thinking=True)  # the store changed: making questions may take a moment
        reply = await quiz.start(interaction.id, channel, _board(interaction), _player(interaction), self.seconds)
        started = reply.quiz_round
        if started is None:
            await self._send(interaction, render_embed(reply), None, ephemeral=True)
            return
        # Discord shows <t:...:R> as a live "in 30 seconds" in each reader's own clock
        embed = render_embed(quiz.question_reply(started.question, f"<t:{round(time.time() + self.seconds)}:R>"))
        try:
            await self._send(interaction, embed, question_view(started))
        except BaseException:
            quiz.forget(started)
            raise
        log.info("quiz %s opened in channel %s: %s", started.id, channel, started.question.key[:80])
        task = asyncio.create_task(self._reveal_later(interaction, started), name=f"quiz-{started.id}")
        self._open[started.id] = (interaction, task)
        task.add_done_callback(lambda _: self._open.pop(started.id, None))

    @staticmethod
    async def _send(
        interaction: discord.Interaction, embed: discord.Embed, view: discord.ui.View | None, *, ephemeral: bool = False
    ) -> None:
        extra: dict[str, Any] = {"view": view} if view is not None else {}
        if interaction.response.is_done():
            await interaction.followup.send(embed=embed, ephemeral=ephemeral, **extra)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=ephemeral, **extra)

    async def _reveal_later(self, interaction: discord.Interaction, opened: Round) -> None:
        await asyncio.sleep(self.seconds)
        # From here /quiz stop no longer finds (and cannot cancel) the round: a cancel halfway through the reveal
        # would leave the question unanswered on screen.
        self._open.pop(opened.id, None)
        await self._reveal(interaction, opened, None)

    async def _reveal(self, interaction: discord.Interaction, ended: Round, stopped_by: Player | None) -> None:
        try:
            reply = await _quiz(interaction).finish(ended, stopped_by)
            if reply.error:  # closed already: the other closer shows the answer
                return
            await interaction.edit_original_response(embed=render_embed(reply), view=answer_view(ended))
            log.info("quiz %s %s: %d answers", ended.id, "stopped" if stopped_by else "revealed", len(ended.answers))
        except discord.HTTPException as exc:  # the message may be gone; the scores are counted anyway
            log.warning("could not reveal quiz %s: %s", ended.id, exc)
        except Exception:
            log.exception("error revealing quiz %s", ended.id)

    async def press(self, interaction: discord.Interaction, round_id: int, option: int) -> None:
        quiz = _quiz(interaction)
        outcome, found = quiz.press(round_id, interaction.channel_id, _player(interaction), option)
        if outcome is Press.ENDED:
            message = TIME_UP if found is not None and not found.ended else ENDED
        elif outcome is Press.REPEATED and found is not None:
            first = found.answers[interaction.user.id][1]
            message = f"You already answered {option_line(found.question, first)}; only your first answer counts."
        else:
            assert found is not None
            message = (
                f"Your answer: {option_line(found.question, option)}. "
                f"The right one is shown in {found.seconds_left(quiz.clock())} s."
            )
        await interaction.response.send_message(message, ephemeral=True)

    async def stop(self, interaction: discord.Interaction) -> None:
        quiz = _quiz(interaction)
        running = quiz.running(interaction.channel_id) if interaction.channel_id else None
        if running is None:
            await interaction.response.send_message("No quiz question is open in this channel.", ephemeral=True)
            return
        moderator = is_moderator(interaction) or (
            interaction.guild_id is not None and interaction.permissions.manage_messages
        )
        if not quiz.may_stop(running, interaction.user.id, moderator):
            await interaction.response.send_message(
                f"Only {running.starter.name}, who started this question, or a moderator can stop it.",
                ephemeral=True,
            )
            return
        opened = self._open.pop(running.id, None)
        if opened is None:  # its clock is revealing it at this moment
            await interaction.response.send_message(TIME_UP, ephemeral=True)
            return
        started, task = opened
        task.cancel()
        await interaction.response.send_message("Stopped: the answer is shown, and nobody scores.", ephemeral=True)
        await self._reveal(started, running, _player(interaction))

    async def leaderboard(self, interaction: discord.Interaction) -> None:
        reply = await _quiz(interaction).leaderboard(_board(interaction), _player(interaction))
        await interaction.response.send_message(embed=render_embed(reply))

    def close(self) -> None:
        """Stop every clock (the bot is shutting down; open rounds end without a reveal)."""
        for _, task in list(self._open.values()):
            task.cancel()
        self._open.clear()


@app_commands.allowed_installs(guilds=True, users=True)
@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
class QuizCommands(app_commands.Group):
    """/quiz: Discord lets a command with subcommands run only through them, hence /quiz start."""

    def __init__(self, runner: QuizRunner) -> None:
        super().__init__(name="quiz", description="A multiple-choice question about the story, with scores.")
        self.runner = runner

    @app_commands.command(name="start", description="Ask a multiple-choice question about the story.")
    async def start(self, interaction: discord.Interaction) -> None:
        await self.runner.start(interaction)

    @app_commands.command(name="leaderboard", description="The top ten here, and your rank.")
    async def leaderboard(self, interaction: discord.Interaction) -> None:
        await self.runner.leaderboard(interaction)

    @app_commands.command(name="stop", description="Stop the open question (whoever started it, or a moderator).")
    async def stop(self, interaction: discord.Interaction) -> None:
        await self.runner.stop(interaction)
