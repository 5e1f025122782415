"""The moderator rule on Discord, checked at run time by every /kb command, button and form
(`default_member_permissions` is only the first fence), and small helpers they share."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.discord_app.render import render_embed
from bot.discord_app.views import PagerView, client_of
from bot.handlers import Reply
from bot.handlers.moderation import ModerationHandlers, may_moderate
from bot.models import Actor

# Every refusal and moderation failure on Discord logs under one name, whichever module meets it.
log = logging.getLogger("bot.discord_app.moderation")
REFUSAL = "Only StoryBot moderators can change the story's data here."


class NotModerator(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__(REFUSAL)


def moderation_of(interaction: discord.Interaction) -> ModerationHandlers:
    return client_of(interaction).app.moderation


def is_moderator(interaction: discord.Interaction) -> bool:
    client = client_of(interaction)
    settings = client.settings
    if interaction.guild_id is None or interaction.guild_id not in settings.moderator_guild_ids:
        return False
    # The role ids Discord sent with this interaction: Member.roles would keep only roles already in our
    # guild cache, refusing a moderator whose role was created after we connected.
    roles = [int(r) for r in getattr(interaction.user, "_roles", ())]
    return may_moderate(settings, interaction.user.id, roles)


async def refuse_unless_moderator(interaction: discord.Interaction, what: str) -> bool:
    """True for a moderator; anyone else is told no (privately), and the attempt is logged."""
    if is_moderator(interaction):
        return True
    log.warning("refused %s for user %s in guild %s", what, interaction.user.id, interaction.guild_id)
    if interaction.response.is_done():
        await interaction.followup.send(REFUSAL, ephemeral=True)
    else:
        await interaction.response.send_message(REFUSAL, ephemeral=True)
    return False


def moderator_check(interaction: discord.Interaction) -> bool:
    """The run-time fence of every /kb command: a moderator passes; anyone else is refused (NotModerator) and
    logged, and gets no autocomplete."""
    if interaction.type is discord.InteractionType.autocomplete:
        return is_moderator(interaction)
    command = interaction.command.qualified_name if interaction.command else "kb"
    if not is_moderator(interaction):
        log.warning("refused /%s for user %s in guild %s", command, interaction.user.id, interaction.guild_id)
        raise NotModerator
    return True


def actor_of(interaction: discord.Interaction) -> Actor:
    return Actor(str(interaction.user.id), interaction.user.name)


async def private(interaction: discord.Interaction, reply: Reply, **extra: Any) -> None:
    if interaction.response.is_done():
        await interaction.followup.send(embed=render_embed(reply), ephemeral=True, **extra)
    else:
        await interaction.response.send_message(embed=render_embed(reply), ephemeral=True, **extra)


class ModeratorPager(PagerView):
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if not await refuse_unless_moderator(interaction, "kb pager"):
            return False
        return await super().interaction_check(interaction)


async def paged(interaction: discord.Interaction, reply: Reply, fetch: Any) -> None:
    if reply.error or reply.page is None or reply.page.total <= 1:
        await private(interaction, reply)
        return
    view = ModeratorPager(interaction.user.id, reply, fetch)
    await interaction.response.send_message(embed=render_embed(reply), view=view, ephemeral=True)
    view.interaction = interaction
