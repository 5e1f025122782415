"""Discord's size limits, and fitting text and embeds inside them (truncate, never fail)."""

from __future__ import annotations

import discord

from bot.handlers import shorten

EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
CHOICES = 25
CHOICE_NAME = 100


def fit(text: str, limit: int) -> str:
    """Non-empty text of at most `limit` characters (Discord rejects empty embed parts)."""
    text = text.strip() or "\u200b"
    return shorten(text, limit)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Shrink an embed until its total fits in EMBED_TOTAL: drop trailing fields, then cut the description."""
    while len(embed) > EMBED_TOTAL and len(embed.fields) > 1:
        embed.remove_field(len(embed.fields) - 1)
    overflow = len(embed) - EMBED_TOTAL
    if overflow > 0 and embed.description:
        embed.description = fit(embed.description, max(1, len(embed.description) - overflow - 1))
    return embed
