"""/kb words: moderators teach the bot words.  A subgroup of /kb with the same run-time fence (discord.py checks
only the subgroup's own interaction_check for its commands, so it repeats /kb's)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.discord_app.limits import CHOICES
from bot.discord_app.moderators import actor_of, is_moderator, moderator_check, paged, private
from bot.discord_app.views import client_of
from bot.handlers import Reply
from bot.handlers.words import MAX_WORDS_TEXT, WordHandlers
from bot.lexicon_additions import WORD_KINDS

WORD_KIND_CHOICES = [
    app_commands.Choice(name=f"{kind} ({example})", value=kind) for kind, (_, example) in WORD_KINDS.items()
]


def _words(interaction: discord.Interaction) -> WordHandlers:
    return client_of(interaction).app.words


class Words(app_commands.Group):
    def __init__(self, parent: app_commands.Group) -> None:
        super().__init__(
            name="words",
            description="Moderators: teach the bot words (synonyms, category members, filler, abbreviations).",
            parent=parent,
        )

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return moderator_check(interaction)

    @app_commands.command(name="add", description="Teach the bot words readers use; questions use them at once.")
    @app_commands.describe(
        kind="What the words are",
        text="e.g. whip, jeep · vehicle: tank, apc · sheesh · pmj = panmunjom · opened up = fired",
    )
    @app_commands.choices(kind=WORD_KIND_CHOICES)
    async def add(
        self,
        interaction: discord.Interaction,
        kind: app_commands.Choice[str],
        text: app_commands.Range[str, 1, MAX_WORDS_TEXT],
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # a write may wait behind an import
        await private(interaction, await _words(interaction).add(kind.value, text, actor_of(interaction)))

    @app_commands.command(name="remove", description="Take back an addition to the lexicon.")
    @app_commands.describe(item="One line of /kb words list (offered as you type)")
    async def remove(self, interaction: discord.Interaction, item: app_commands.Range[str, 1, MAX_WORDS_TEXT]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await private(interaction, await _words(interaction).remove(item, actor_of(interaction)))

    @app_commands.command(name="list", description="The moderators' additions to the lexicon (paged).")
    async def list_(self, interaction: discord.Interaction) -> None:
        handlers = _words(interaction)

        async def fetch(page: int) -> Reply:
            return await handlers.listing(page)

        await paged(interaction, await fetch(1), fetch)

    @remove.autocomplete("item")
    async def _additions(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if not is_moderator(interaction):
            return []
        lines = await _words(interaction).choices(current[:MAX_WORDS_TEXT], CHOICES)
        return [app_commands.Choice(name=line, value=line) for line in lines]
