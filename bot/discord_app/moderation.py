"""/kb: moderators edit the store from Discord (the command group; its buttons and forms are in
moderation_views.py, the moderator rule in moderators.py)."""

from __future__ import annotations

import io

import discord
from discord import app_commands

from bot.discord_app.limits import CHOICES
from bot.discord_app.moderation_views import EntryModal, import_view, remove_view
from bot.discord_app.moderators import (
    REFUSAL,
    actor_of,
    is_moderator,
    moderation_of,
    moderator_check,
    paged,
    private,
)
from bot.discord_app.render import render_embed
from bot.discord_app.views import client_of
from bot.handlers import Reply
from bot.handlers.moderation import MAX_IMPORT_BYTES
from bot.models import KINDS

__all__ = ["REFUSAL", "KnowledgeBase"]

MAX_EXPORT_BYTES = 10_000_000
KIND_CHOICES = [app_commands.Choice(name=k, value=k) for k in KINDS]
MODE_CHOICES = [
    app_commands.Choice(name="merge: add and change, keep the rest", value="merge"),
    app_commands.Choice(name="replace: also remove what the file lacks", value="replace"),
]
EntryId = app_commands.Range[str, 1, 48]


class KnowledgeBase(app_commands.Group):
    def __init__(self) -> None:
        super().__init__(
            name="kb",
            description="Moderators: add, edit, remove and restore the story's entries.",
            guild_only=True,
            default_permissions=discord.Permissions(manage_messages=True),
        )

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return moderator_check(interaction)

    async def _ids(
        self, interaction: discord.Interaction, current: str, deleted: bool | None
    ) -> list[app_commands.Choice[str]]:
        if not is_moderator(interaction):
            return []
        kind = getattr(interaction.namespace, "kind", None)
        ids = await moderation_of(interaction).entry_ids(
            kind if kind in KINDS else None, current[:48], CHOICES, deleted=deleted
        )
        return [app_commands.Choice(name=i, value=i) for i in ids]

    @app_commands.command(name="add", description="Add an entry: opens a form for that kind.")
    @app_commands.describe(kind="What to add")
    @app_commands.choices(kind=KIND_CHOICES)
    async def add(self, interaction: discord.Interaction, kind: app_commands.Choice[str]) -> None:
        await interaction.response.send_modal(EntryModal(kind.value))

    @app_commands.command(name="edit", description="Edit an entry: opens its form, filled in.")
    @app_commands.describe(kind="The entry's kind", id="The entry's id")
    @app_commands.choices(kind=KIND_CHOICES)
    async def edit(self, interaction: discord.Interaction, kind: app_commands.Choice[str], id: EntryId) -> None:
        form = await moderation_of(interaction).edit_form(kind.value, id)
        if form.error:
            await private(interaction, form)
            return
        entry = form.entries[0]
        await interaction.response.send_modal(EntryModal(kind.value, dict(form.form), entry.id, entry.version))

    @app_commands.command(name="remove", description="Remove an entry (asks to confirm; /kb restore undoes it).")
    @app_commands.describe(kind="The entry's kind", id="The entry's id")
    @app_commands.choices(kind=KIND_CHOICES)
    async def remove(self, interaction: discord.Interaction, kind: app_commands.Choice[str], id: EntryId) -> None:
        reply = await moderation_of(interaction).removal_preview(kind.value, id)
        if reply.error:
            await private(interaction, reply)
            return
        entry = reply.entries[0]
        view = remove_view(entry.kind, entry.id, entry.version)
        await interaction.response.send_message(embed=render_embed(reply), view=view, ephemeral=True)

    @app_commands.command(name="restore", description="Bring back a removed entry.")
    @app_commands.describe(kind="The entry's kind", id="The entry's id")
    @app_commands.choices(kind=KIND_CHOICES)
    async def restore(self, interaction: discord.Interaction, kind: app_commands.Choice[str], id: EntryId) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # a write may wait behind an import
        reply = await moderation_of(interaction).set_deleted(kind.value, id, False, actor_of(interaction))
        await private(interaction, reply)

    @app_commands.command(name="history", description="Every change to an entry: who, when, what.")
    @app_commands.describe(kind="The entry's kind", id="The entry's id")
    @app_commands.choices(kind=KIND_CHOICES)
    async def history(self, interaction: discord.Interaction, kind: app_commands.Choice[str], id: EntryId) -> None:
        handlers = moderation_of(interaction)

        async def fetch(page: int) -> Reply:
            return await handlers.history(kind.value, id, page)

        await paged(interaction, await fetch(1), fetch)

    @app_commands.command(
        name="revert", description="Put an entry (or the lexicon additions) back as a revision left it."
    )
    @app_commands.describe(revision="The revision number from /kb history or /kb log")
    async def revert(self, interaction: discord.Interaction, revision: app_commands.Range[int, 1, 2**53 - 1]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # a write may wait behind an import
        await private(interaction, await moderation_of(interaction).revert(revision, actor_of(interaction)))

    @app_commands.command(name="log", description="Recent changes across the store.")
    async def log_(self, interaction: discord.Interaction) -> None:
        handlers = moderation_of(interaction)
        await paged(interaction, await handlers.log(1), handlers.log)

    @app_commands.command(name="export", description="Download the whole store as a JSON file (the data/ format).")
    async def export(self, interaction: discord.Interaction) -> None:
        data = await moderation_of(interaction).export_bytes()
        if len(data) > MAX_EXPORT_BYTES:
            await interaction.response.send_message(
                f"The export is {len(data) / 1e6:.1f} MB, over Discord's upload limit; "
                "run `python -m bot export FILE` on the server instead.",
                ephemeral=True,
            )
            return
        await interaction.response.send_message(
            "The whole store, in the format of data/story.json.",
            ephemeral=True,
            file=discord.File(io.BytesIO(data), filename="storybot-export.json"),
        )

    @app_commands.command(name="import", description="Import a JSON file: checked, previewed, then confirmed.")
    @app_commands.describe(file="A JSON file in the data/ format", mode="merge (default) or replace")
    @app_commands.choices(mode=MODE_CHOICES)
    async def import_(
        self, interaction: discord.Interaction, file: discord.Attachment, mode: app_commands.Choice[str] | None = None
    ) -> None:
        replace = mode is not None and mode.value == "replace"
        if file.size > MAX_IMPORT_BYTES:
            await interaction.response.send_message(
                f"{file.filename} is {file.size / 1e6:.1f} MB; imports from Discord are limited to "
                f"{MAX_IMPORT_BYTES // 1_000_000} MB (use `python -m bot import` for larger files).",
                ephemeral=True,
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        raw = await file.read()
        reply = await moderation_of(interaction).preview_import(raw, replace, file.filename)
        if reply.plan is None or reply.plan.is_noop:
            await interaction.followup.send(embed=render_embed(reply), ephemeral=True)
        else:
            token = client_of(interaction).pending_imports.hold(reply.plan, interaction.user.id)
            await interaction.followup.send(embed=render_embed(reply), view=import_view(token), ephemeral=True)

    @remove.autocomplete("id")
    async def _live_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self._ids(interaction, current, deleted=False)

    @restore.autocomplete("id")
    async def _removed_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self._ids(interaction, current, deleted=True)

    @edit.autocomplete("id")
    @history.autocomplete("id")
    async def _any_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self._ids(interaction, current, deleted=None)
