"""Presses of buttons and forms that no handler owns any more (a pager or a form from before a restart): a short
note instead of Discord's "This interaction failed", and for a form, what was typed, so nothing is lost."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import discord

from bot.discord_app.render import render_embed
from bot.handlers import Reply
from bot.handlers.forms import typed_back

log = logging.getLogger("bot.discord_app.expired")


def owned(interaction: discord.Interaction) -> bool:
    """Whether discord.py handed this press or submit to a live view, form or dynamic item.

    The same lookup as discord.py's ViewStore.dispatch_view and dispatch_modal (which ran just before, when
    the interaction arrived): there is no public way to ask it."""
    store = interaction.client._connection._view_store
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    if interaction.type is discord.InteractionType.modal_submit:
        return custom_id in store._modals
    if any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
        return True
    key = (data.get("component_type"), custom_id)
    message_id = interaction.message.id if interaction.message is not None else None
    return key in store._views.get(message_id, {}) or key in store._views.get(None, {})


async def answer_if_unowned(interaction: discord.Interaction) -> None:
    """Tell the user privately that the menu or form expired, unless a live handler owns it (those answer at
    once themselves, even when their work waits behind a large import)."""
    if interaction.response.is_done() or owned(interaction):
        return
    form = interaction.type is discord.InteractionType.modal_submit
    what = "form" if form else "menu"
    log.info("answered an expired %s for user %s", what, interaction.user.id)
    note = f"This {what} has expired (the bot may have restarted); please run the command again."
    typed = _typed(interaction) if form else ()
    with contextlib.suppress(discord.HTTPException):
        if typed:
            reply = Reply(title="Nothing was saved", body="What you typed, to paste into a new form:", fields=typed)
            await interaction.response.send_message(note, embed=render_embed(reply), ephemeral=True)
        else:
            await interaction.response.send_message(note, ephemeral=True)


def _typed(interaction: discord.Interaction) -> tuple[Any, ...]:
    data: dict[str, Any] = dict(interaction.data or {})
    # A form's custom_id is kb:form:<add|edit>:<kind>:...: the kind names its boxes.
    parts = str(data.get("custom_id", "")).split(":")
    kind = parts[3] if len(parts) > 3 and parts[:2] == ["kb", "form"] else ""
    values = {
        str(c["custom_id"]).removeprefix("f:"): str(c["value"])
        for c in _inputs(data.get("components", []))
        if isinstance(c.get("value"), str)
    }
    return typed_back(kind, values)


def _inputs(components: Any) -> Iterator[dict[str, Any]]:
    """Every text input of a submitted form, whatever rows or labels wrap them."""
    for component in components if isinstance(components, list) else []:
        if not isinstance(component, dict):
            continue
        if "custom_id" in component and "value" in component:
            yield component
        yield from _inputs(component.get("components"))
        if isinstance(component.get("component"), dict):
            yield from _inputs([component["component"]])
