"""The /kb buttons and forms: the entry form, Remove, Cancel and the import's Confirm; each checks the
moderator rule itself."""

from __future__ import annotations

import re
import secrets
from typing import Any

import discord

from bot.discord_app import errors
from bot.discord_app.moderators import actor_of, log, moderation_of, private, refuse_unless_moderator
from bot.discord_app.render import render_embed
from bot.discord_app.views import client_of
from bot.handlers import Reply, error
from bot.handlers.forms import FORMS, typed_back


class EntryModal(discord.ui.Modal):
    """The add/edit form; its custom_id carries kind, id and version, so a stale edit is caught."""

    def __init__(self, kind: str, values: dict[str, str] | None = None, entry_id: str = "", version: int = 0) -> None:
        mode = "edit" if entry_id else "add"
        title = f"Edit {kind} {entry_id}" if entry_id else f"Add a {kind}"
        # The nonce keeps two moderators' forms on one entry apart (discord.py keys open modals by custom_id).
        nonce = secrets.token_hex(3)
        super().__init__(
            title=title[:45], custom_id=f"kb:form:{mode}:{kind}:{entry_id}:{version}:{nonce}", timeout=30 * 60
        )
        self.kind, self.entry_id, self.version = kind, entry_id, version
        self.inputs: dict[str, discord.ui.TextInput[Any]] = {}
        for field in FORMS[kind]:
            text_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=field.label[:45],
                custom_id=f"f:{field.name}",
                style=discord.TextStyle.paragraph if field.long else discord.TextStyle.short,
                required=field.required,
                max_length=min(field.max_length, 4000),
                placeholder=field.placeholder[:100] or None,
                default=(values or {}).get(field.name) or None,
            )
            self.inputs[field.name] = text_input
            self.add_item(text_input)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await refuse_unless_moderator(interaction, f"kb form {self.custom_id}")

    async def saved(self, interaction: discord.Interaction, reply: Reply) -> Reply:
        """What to do once the form was handled (a subclass goes on: the inbox teaches the new entry)."""
        return reply

    async def on_submit(self, interaction: discord.Interaction) -> None:
        # Errors are reported here: discord.py only logs what escapes a modal (the user would see nothing).
        values = {name: str(item.value) for name, item in self.inputs.items()}
        try:
            # Answer Discord at once ("thinking…"): the save may wait behind a large import for a while.
            await interaction.response.defer(ephemeral=True, thinking=True)
            handlers = moderation_of(interaction)
            if self.entry_id:
                reply = await handlers.edit(self.kind, self.entry_id, values, self.version, actor_of(interaction))
            else:
                reply = await handlers.add(self.kind, values, actor_of(interaction))
            reply = await self.saved(interaction, reply)
        except Exception:
            # A bug: the traceback to the log, and the moderator keeps what they typed.
            log.exception("error saving form %s for user %s", self.custom_id, interaction.user.id)
            reply = Reply(title="Not saved", body=errors.GENERIC, fields=typed_back(self.kind, values), error=True)
        try:
            await private(interaction, reply)
        except Exception as exc:
            await client_of(interaction).report_error(interaction, exc)


# ---- buttons whose custom_id carries everything (they work after a restart, and are checked) ---


class ConfirmRemove(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"kb:rm:(?P<kind>[a-z]+):(?P<id>[a-z0-9-]{2,48}):(?P<version>\d{1,9})",
):
    def __init__(self, kind: str, entry_id: str, version: int) -> None:
        self.kind, self.entry_id, self.version = kind, entry_id, version
        super().__init__(
            discord.ui.Button(
                label="Remove", style=discord.ButtonStyle.danger, custom_id=f"kb:rm:{kind}:{entry_id}:{version}"
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ConfirmRemove:
        return cls(match["kind"], match["id"], int(match["version"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await refuse_unless_moderator(interaction, f"kb remove button {self.custom_id}")

    async def callback(self, interaction: discord.Interaction) -> None:
        # The buttons go at once (no second press), and Discord has its answer while the removal waits its turn.
        await interaction.response.edit_message(content=f"Removing {self.kind} `{self.entry_id}`…", view=None)
        reply = await moderation_of(interaction).set_deleted(
            self.kind, self.entry_id, True, actor_of(interaction), expected_version=self.version
        )
        await interaction.edit_original_response(content=None, embed=render_embed(reply))


class CancelButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"kb:cancel:(?P<what>[a-z]{1,10})"):
    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            discord.ui.Button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id=f"kb:cancel:{what}")
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CancelButton:
        return cls(match["what"])

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await refuse_unless_moderator(interaction, f"kb cancel button {self.custom_id}")

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(content="Cancelled; nothing changed.", embed=None, view=None)


class ImportButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"kb:imp:(?P<action>ok|no):(?P<token>[0-9a-f]{16})"
):
    def __init__(self, action: str, token: str) -> None:
        self.action, self.token = action, token
        super().__init__(
            discord.ui.Button(
                label="Confirm import" if action == "ok" else "Cancel",
                style=discord.ButtonStyle.success if action == "ok" else discord.ButtonStyle.secondary,
                custom_id=f"kb:imp:{action}:{token}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ImportButton:
        return cls(match["action"], match["token"])

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await refuse_unless_moderator(interaction, f"kb import button {self.custom_id}")

    async def callback(self, interaction: discord.Interaction) -> None:
        pending = client_of(interaction).pending_imports.take(self.token, interaction.user.id)
        if isinstance(pending, str):
            await interaction.response.send_message(embed=render_embed(error(pending)), ephemeral=True)
            return
        if self.action == "no":
            await interaction.response.edit_message(content="Import cancelled; nothing changed.", embed=None, view=None)
            return
        total = len(pending.plan.added) + len(pending.plan.changed) + len(pending.plan.removed)
        await interaction.response.edit_message(content=f"Importing {total} changes…", embed=None, view=None)
        try:
            reply = await moderation_of(interaction).apply_import(pending.plan, actor_of(interaction))
        except Exception:
            # The transaction rolled back; the message must not stay at "Importing…" for ever.
            log.exception("import %s by user %s failed", self.token, interaction.user.id)
            reply = error(errors.GENERIC + " Nothing was imported: the store is as it was.", title="Import failed")
        await interaction.edit_original_response(content=None, embed=render_embed(reply))


DYNAMIC_ITEMS = (ConfirmRemove, CancelButton, ImportButton)


def import_view(token: str) -> discord.ui.View:
    """Confirm and Cancel for a previewed import waiting under `token`."""
    view = discord.ui.View(timeout=None)
    view.add_item(ImportButton("ok", token))
    view.add_item(ImportButton("no", token))
    return view


def remove_view(kind: str, entry_id: str, version: int) -> discord.ui.View:
    """Remove and Cancel under a removal's preview; Remove carries the version it was shown at."""
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmRemove(kind, entry_id, version))
    view.add_item(CancelButton("remove"))
    return view
