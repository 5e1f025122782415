"""One error handler for every command and button: a short private message, the traceback to the log."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

log = logging.getLogger("bot.discord_app.errors")

GENERIC = "Something went wrong on my side; it has been logged. Please try again in a moment."


def user_message(error: Exception) -> str | None:
    """What to tell the user for an expected failure, or None for a bug (which gets GENERIC and a traceback)."""
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {max(1, round(error.retry_after))} s."
    if isinstance(error, app_commands.TransformerError | app_commands.CommandSignatureMismatch):
        return "I could not read one of the options; please check it and try again."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, app_commands.MissingPermissions | app_commands.MissingAnyRole | app_commands.MissingRole):
        return "You are not allowed to use that command."
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You are not allowed to use that command."
    return None


async def report(interaction: discord.Interaction, error: Exception) -> None:
    """Tell the user briefly (privately) and log the details."""
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    message = user_message(original)
    command = (
        interaction.command.qualified_name
        if interaction.command
        else interaction.data.get("custom_id", "?")
        if interaction.data
        else "?"
    )
    if message is None:
        log.error("error in %s for user %s", command, interaction.user.id, exc_info=original)
        message = GENERIC
    else:
        log.info("refused %s for user %s: %s", command, interaction.user.id, message)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell user %s about an error in %s", interaction.user.id, command)
