"""A handler's Reply as a Discord embed (within every limit)."""

from __future__ import annotations

import io

import discord

from bot.discord_app.limits import (
    EMBED_DESCRIPTION,
    EMBED_FIELDS,
    EMBED_TITLE,
    FIELD_NAME,
    FIELD_VALUE,
    FOOTER,
    fit,
    fit_embed,
)
from bot.handlers import Reply
from bot.handlers.replies import Picture

FOUND = discord.Colour.blurple()
NOT_FOUND = discord.Colour.light_grey()
ERROR = discord.Colour.red()


def render_embed(reply: Reply) -> discord.Embed:
    colour = ERROR if reply.error else FOUND if reply.found else NOT_FOUND
    embed = discord.Embed(title=fit(reply.title, EMBED_TITLE), colour=colour)
    if reply.body:
        embed.description = fit(reply.body, EMBED_DESCRIPTION)
    for field in reply.fields[:EMBED_FIELDS]:
        embed.add_field(name=fit(field.name, FIELD_NAME), value=fit(field.value, FIELD_VALUE), inline=False)
    footer = reply.citation
    if reply.page and reply.page.total > 1:
        footer = f"Page {reply.page.number}/{reply.page.total}" + (f" · {footer}" if footer else "")
    if footer:
        embed.set_footer(text=fit(footer, FOOTER))
    if reply.image is not None:
        # The picture goes up with the message as a file; the embed shows it by its file name.
        embed.set_image(url=f"attachment://{reply.image.filename}")
    return fit_embed(embed)


def picture_file(picture: Picture) -> discord.File:
    """The file to send with a reply whose embed shows `picture`."""
    return discord.File(io.BytesIO(picture.data), filename=picture.filename, description=picture.description)
