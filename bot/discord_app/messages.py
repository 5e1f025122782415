"""Plain messages: a DM to the bot, or a server message that mentions it, is answered like /ask."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord

from bot.discord_app.render import render_embed
from bot.discord_app.report import asker_of
from bot.discord_app.views import reply_view

if TYPE_CHECKING:
    from bot.discord_app.client import StoryBotClient

log = logging.getLogger(__name__)
HELP_WORDS = frozenset({"help", "/help", "!help", "?", "commands"})


def question_in(message: discord.Message, me: discord.ClientUser) -> str | None:
    """The question a message asks the bot, or None when the message is not for the bot."""
    if message.author.bot or message.webhook_id is not None:
        return None
    is_dm = message.guild is None and isinstance(message.channel, discord.DMChannel)
    mentioned = any(user.id == me.id for user in message.mentions)
    if not is_dm and not mentioned:
        return None
    text = re.sub(rf"<@!?{me.id}>", " ", message.content)
    return " ".join(text.split())


async def answer_message(client: StoryBotClient, message: discord.Message) -> None:
    me = client.user
    if me is None:
        return
    question = question_in(message, me)
    if question is None:
        return
    story = client.app.story
    # "help" too: two hundred of them would be two hundred embeds.
    turn = client.cooldown.take(message.author.id)
    if turn.wait:
        if turn.tell:
            await _slow_down(message, turn.wait)
        return
    if not question or question.lower() in HELP_WORDS:
        reply = story.help(client.mention)
    else:
        asker = asker_of(message.author, message.guild.id if message.guild else None)
        reply = await client.app.inbox.ask(question, asker)
    view = reply_view(reply, message.author.id, None)
    if view is None:
        await message.reply(embed=render_embed(reply), mention_author=False)
    else:
        await message.reply(embed=render_embed(reply), mention_author=False, view=view)


SLOW_DOWN_REACTION = "\N{HOURGLASS WITH FLOWING SAND}"


async def _slow_down(message: discord.Message, wait: int) -> None:
    """Say it once: privately in a DM; elsewhere, an hourglass on the message (never a post others see)."""
    try:
        if isinstance(message.channel, discord.DMChannel):
            await message.reply(f"Slow down a little: try again in {wait} s.", mention_author=False)
        else:
            await message.add_reaction(SLOW_DOWN_REACTION)
    except discord.HTTPException as exc:  # e.g. no permission to add reactions there: silence is fine
        log.debug("could not tell user %s to slow down: %s", message.author.id, exc)
