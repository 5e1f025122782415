""" "Wrong answer?": a button on every answer (its custom_id carries the entry and a fingerprint of the question,
so it works after a restart) and the short form it opens.  The inbox handlers decide; this renders."""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.discord_app import errors
from bot.discord_app.render import render_embed
from bot.handlers import Reply
from bot.handlers.inbox import MAX_COMMENT, Asker, InboxHandlers, answer_key

if TYPE_CHECKING:
    from bot.discord_app.client import StoryBotClient

WRONG_TEMPLATE = r"sb:wrong:(?P<entry>[a-z0-9][a-z0-9-]{1,47}):(?P<key>[0-9a-f]{10})"


def asker_of(user: discord.abc.User, guild_id: int | None) -> Asker:
    """Who asked, for the inbox: their id (stored only as a salted hash) and the server, or "DM"."""
    return Asker(str(user.id), str(guild_id) if guild_id else "DM")


def _inbox(interaction: discord.Interaction) -> InboxHandlers:
    return cast("StoryBotClient", interaction.client).app.inbox


async def _tell(interaction: discord.Interaction, reply: Reply) -> None:
    if interaction.response.is_done():
        await interaction.followup.send(embed=render_embed(reply), ephemeral=True)
    else:
        await interaction.response.send_message(embed=render_embed(reply), ephemeral=True)


class WrongAnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=WRONG_TEMPLATE):
    """Opens the report form for the answer it sits on; anyone who sees the answer may press it."""

    def __init__(self, entry_id: str, key: str) -> None:
        self.entry_id, self.key = entry_id, key
        super().__init__(
            discord.ui.Button(
                label="Wrong answer?",
                emoji="\N{WHITE QUESTION MARK ORNAMENT}",
                style=discord.ButtonStyle.secondary,
                custom_id=f"sb:wrong:{entry_id}:{key}",
            )
        )

    @classmethod
    def for_reply(cls, reply: Reply) -> WrongAnswerButton | None:
        """The button for an answer readers may report (one that names its question and gives an entry)."""
        if not reply.asked or not reply.found or reply.error or not reply.entries:
            return None
        return cls(reply.entries[0].id, answer_key(reply.asked))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> WrongAnswerButton:
        return cls(match["entry"], match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            inbox = _inbox(interaction)
            shown = interaction.message.embeds[0].title if interaction.message and interaction.message.embeds else None
            question = inbox.reported_question(self.key, shown)
            if question is None:
                await interaction.response.send_message("This answer can no longer be reported.", ephemeral=True)
                return
            asker = asker_of(interaction.user, interaction.guild_id)
            refused = await inbox.may_report(question, self.entry_id, asker)
            if refused is not None:
                await _tell(interaction, refused)
                return
            await interaction.response.send_modal(ReportModal(question, self.entry_id, self.key))
        except Exception as exc:
            await errors.report(interaction, exc)


class ReportModal(discord.ui.Modal):
    """What were you looking for?  Optional, plain text; the reader is thanked privately."""

    def __init__(self, question: str, entry_id: str, key: str) -> None:
        super().__init__(
            title="Report a wrong answer", custom_id=f"sb:report:{key}:{secrets.token_hex(3)}", timeout=15 * 60
        )
        self.question, self.entry_id = question, entry_id
        self.comment: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="What were you looking for?",
            custom_id="f:comment",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=MAX_COMMENT,
            placeholder="Optional: the answer you expected, or what was wrong with this one",
        )
        self.add_item(self.comment)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        try:
            # At once: the report waits its turn behind other writes (a large import).
            await interaction.response.defer(ephemeral=True, thinking=True)
            asker = asker_of(interaction.user, interaction.guild_id)
            reply = await _inbox(interaction).report(self.question, self.entry_id, str(self.comment.value), asker)
            await _tell(interaction, reply)
        except Exception as exc:
            await errors.report(interaction, exc)
