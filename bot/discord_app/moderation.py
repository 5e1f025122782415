"""/kb: moderators edit the store from Discord.  Every command, button and modal checks the moderator
rule itself at run time; `default_member_permissions` is only the first fence."""

from __future__ import annotations

import io
import logging
import re
import secrets
from typing import Any

import discord
from discord import app_commands

from bot.discord_app import errors
from bot.discord_app.limits import CHOICES
from bot.discord_app.render import render_embed
from bot.discord_app.views import PagerView, client_of
from bot.handlers import Reply, error
from bot.handlers.forms import FORMS, typed_back
from bot.handlers.moderation import MAX_IMPORT_BYTES, ModerationHandlers, PendingImport, may_moderate
from bot.models import KINDS, Actor

log = logging.getLogger("bot.discord_app.moderation")
REFUSAL = "Only StoryBot moderators can change the story's data here."
MAX_EXPORT_BYTES = 10_000_000
KIND_CHOICES = [app_commands.Choice(name=k, value=k) for k in KINDS]
MODE_CHOICES = [
    app_commands.Choice(name="merge: add and change, keep the rest", value="merge"),
    app_commands.Choice(name="replace: also remove what the file lacks", value="replace"),
]
EntryId = app_commands.Range[str, 1, 48]


class NotModerator(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__(REFUSAL)


def _moderation(interaction: discord.Interaction) -> ModerationHandlers:
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


async def _private(interaction: discord.Interaction, reply: Reply, **extra: Any) -> None:
    if interaction.response.is_done():
        await interaction.followup.send(embed=render_embed(reply), ephemeral=True, **extra)
    else:
        await interaction.response.send_message(embed=render_embed(reply), ephemeral=True, **extra)


# ---- the entry form ----------------------------------------------------------------------------


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
            handlers = _moderation(interaction)
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
            await _private(interaction, reply)
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
        reply = await _moderation(interaction).set_deleted(
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
        handlers = _moderation(interaction)
        pending = handlers.take_import(self.token, interaction.user.id)
        if isinstance(pending, Reply):
            await interaction.response.send_message(embed=render_embed(pending), ephemeral=True)
            return
        if self.action == "no":
            await interaction.response.edit_message(content="Import cancelled; nothing changed.", embed=None, view=None)
            return
        total = len(pending.plan.added) + len(pending.plan.changed) + len(pending.plan.removed)
        await interaction.response.edit_message(content=f"Importing {total} changes…", embed=None, view=None)
        try:
            reply = await handlers.apply_import(pending, actor_of(interaction))
        except Exception:
            # The transaction rolled back; the message must not stay at "Importing…" for ever.
            log.exception("import %s by user %s failed", self.token, interaction.user.id)
            reply = error(errors.GENERIC + " Nothing was imported: the store is as it was.", title="Import failed")
        await interaction.edit_original_response(content=None, embed=render_embed(reply))


DYNAMIC_ITEMS = (ConfirmRemove, CancelButton, ImportButton)


class ModeratorPager(PagerView):
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if not await refuse_unless_moderator(interaction, "kb pager"):
            return False
        return await super().interaction_check(interaction)


async def _paged(interaction: discord.Interaction, reply: Reply, fetch: Any) -> None:
    if reply.error or reply.page is None or reply.page.total <= 1:
        await _private(interaction, reply)
        return
    view = ModeratorPager(interaction.user.id, reply, fetch)
    await interaction.response.send_message(embed=render_embed(reply), view=view, ephemeral=True)
    view.interaction = interaction


# ---- the /kb group -----------------------------------------------------------------------------


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
        ids = await _moderation(interaction).entry_ids(
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
        entry, values, problem = await _moderation(interaction).edit_form(kind.value, id)
        if problem or entry is None:
            await _private(interaction, problem or Reply(title="Not found"))
            return
        await interaction.response.send_modal(EntryModal(kind.value, values, entry.id, entry.version))

    @app_commands.command(name="remove", description="Remove an entry (asks to confirm; /kb restore undoes it).")
    @app_commands.describe(kind="The entry's kind", id="The entry's id")
    @app_commands.choices(kind=KIND_CHOICES)
    async def remove(self, interaction: discord.Interaction, kind: app_commands.Choice[str], id: EntryId) -> None:
        entry, reply = await _moderation(interaction).removal_preview(kind.value, id)
        if entry is None:
            await _private(interaction, reply)
            return
        view = discord.ui.View(timeout=None)
        view.add_item(ConfirmRemove(entry.kind, entry.id, entry.version))
        view.add_item(CancelButton("remove"))
        await interaction.response.send_message(embed=render_embed(reply), view=view, ephemeral=True)

    @app_commands.command(name="restore", description="Bring back a removed entry.")
    @app_commands.describe(kind="The entry's kind", id="The entry's id")
    @app_commands.choices(kind=KIND_CHOICES)
    async def restore(self, interaction: discord.Interaction, kind: app_commands.Choice[str], id: EntryId) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # a write may wait behind an import
        reply = await _moderation(interaction).set_deleted(kind.value, id, False, actor_of(interaction))
        await _private(interaction, reply)

    @app_commands.command(name="history", description="Every change to an entry: who, when, what.")
    @app_commands.describe(kind="The entry's kind", id="The entry's id")
    @app_commands.choices(kind=KIND_CHOICES)
    async def history(self, interaction: discord.Interaction, kind: app_commands.Choice[str], id: EntryId) -> None:
        handlers = _moderation(interaction)

        async def fetch(page: int) -> Reply:
            return await handlers.history(kind.value, id, page)

        await _paged(interaction, await fetch(1), fetch)

    @app_commands.command(
        name="revert", description="Put an entry (or the lexicon additions) back as a revision left it."
    )
    @app_commands.describe(revision="The revision number from /kb history or /kb log")
    async def revert(self, interaction: discord.Interaction, revision: app_commands.Range[int, 1, 2**53 - 1]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # a write may wait behind an import
        await _private(interaction, await _moderation(interaction).revert(revision, actor_of(interaction)))

    @app_commands.command(name="log", description="Recent changes across the store.")
    async def log_(self, interaction: discord.Interaction) -> None:
        handlers = _moderation(interaction)
        await _paged(interaction, await handlers.log(1), handlers.log)

    @app_commands.command(name="export", description="Download the whole store as a JSON file (the data/ format).")
    async def export(self, interaction: discord.Interaction) -> None:
        data = await _moderation(interaction).export_bytes()
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
        pending, reply = await _moderation(interaction).prepare_import(raw, replace, interaction.user.id, file.filename)
        view = _import_view(pending) if pending is not None and not pending.plan.is_noop else None
        if view is None:
            await interaction.followup.send(embed=render_embed(reply), ephemeral=True)
        else:
            await interaction.followup.send(embed=render_embed(reply), view=view, ephemeral=True)

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


def _import_view(pending: PendingImport) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ImportButton("ok", pending.token))
    view.add_item(ImportButton("no", pending.token))
    return view
