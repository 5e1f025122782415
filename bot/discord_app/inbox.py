"""/kb inbox and /kb teach: moderators review what readers asked and teach questions to entries.

Every button, menu and form here carries what it needs in its custom_id (they work after a restart) and checks
the moderator rule when it is used: a copied or forged one changes nothing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands

from bot.dataset import MIN_PHRASING
from bot.discord_app import errors
from bot.discord_app.limits import CHOICE_NAME, CHOICES
from bot.discord_app.moderation_views import EntryModal
from bot.discord_app.moderators import actor_of, is_moderator, refuse_unless_moderator
from bot.discord_app.render import render_embed
from bot.handlers import MAX_QUESTION, Reply, shorten
from bot.handlers.inbox import InboxHandlers, InboxPage
from bot.models import KINDS, Entry

if TYPE_CHECKING:
    from bot.discord_app.client import StoryBotClient

SELECT_TEXT = 100


def _inbox(interaction: discord.Interaction) -> InboxHandlers:
    return cast("StoryBotClient", interaction.client).app.inbox


async def _private(interaction: discord.Interaction, reply: Reply, view: discord.ui.View | None = None) -> None:
    extra: dict[str, Any] = {"view": view} if view is not None else {}
    if interaction.response.is_done():
        await interaction.followup.send(embed=render_embed(reply), ephemeral=True, **extra)
    else:
        await interaction.response.send_message(embed=render_embed(reply), ephemeral=True, **extra)


def inbox_view(page: InboxPage) -> discord.ui.View | None:
    """Teach… and Dismiss for each item of a page (one row each), and Prev/Next under them."""
    if page.reply.error or page.reply.page is None:
        return None
    view = discord.ui.View(timeout=None)
    for row, item in enumerate(page.items):
        view.add_item(InboxButton("teach", item.id, row=row))
        view.add_item(InboxButton("dismiss", item.id, page.reply.page.number, row=row))
    number, total = page.reply.page.number, page.reply.page.total
    if total > 1:
        view.add_item(InboxButton("prev", number - 1, row=4, disabled=number <= 1))
        view.add_item(InboxButton("next", number + 1, row=4, disabled=number >= total))
    return view


_LABELS = {"teach": "Teach… #{}", "dismiss": "Dismiss #{}", "prev": "Prev", "next": "Next"}
_STYLES = {
    "teach": discord.ButtonStyle.success,
    "dismiss": discord.ButtonStyle.secondary,
    "prev": discord.ButtonStyle.primary,
    "next": discord.ButtonStyle.primary,
}


class InboxButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"kb:ibx:(?P<action>teach|dismiss|prev|next):(?P<number>\d{1,9})(?::(?P<page>\d{1,9}))?",
):
    """Teach… or Dismiss an item (Dismiss also names the page it is on, to show it again), or turn the page."""

    def __init__(self, action: str, number: int, page: int | None = None, *, row: int | None = None, **kw: Any) -> None:
        self.action, self.number, self.page = action, number, page
        custom_id = f"kb:ibx:{action}:{number}" + (f":{page}" if page is not None else "")
        super().__init__(
            discord.ui.Button(
                label=_LABELS[action].format(number), style=_STYLES[action], custom_id=custom_id, row=row, **kw
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> InboxButton:
        return cls(match["action"], int(match["number"]), int(match["page"]) if match["page"] else None)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await refuse_unless_moderator(interaction, f"kb inbox button {self.custom_id}")

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if self.action == "teach":
                await self._teach(interaction)
                return
            # Answer Discord at once: dismissing and paging write (old questions are purged) and may wait.
            await interaction.response.defer()
            inbox = _inbox(interaction)
            note = None
            number = self.number
            if self.action == "dismiss":
                done = await inbox.dismiss(self.number)
                note = done.title if not done.error else done.body
                number = self.page or 1
            page = await inbox.page(number)
            if page.reply.error and number > 1:  # the last item of the last page went
                page = await inbox.page(number - 1)
            view = inbox_view(page)
            await interaction.edit_original_response(content=note, embed=render_embed(page.reply), view=view)
        except Exception as exc:
            await errors.report(interaction, exc)

    async def _teach(self, interaction: discord.Interaction) -> None:
        inbox = _inbox(interaction)
        found = await inbox.item(self.number)
        if found.item is None:
            await _private(interaction, found)
            return
        item = found.item
        question = item.questions[0] if item.questions else ""
        candidates = await inbox.candidates(question)
        reply = Reply(
            title=f"Teach #{item.id}: {shorten(question, 200)}",
            body="Choose the entry that answers it, or add a new entry for it. Or type "
            "`/kb teach question:... entry:...`: the entry option suggests entries from any words.",
        )
        view = discord.ui.View(timeout=None)
        if candidates:
            view.add_item(InboxMenu("pick", item.id, candidates))
        view.add_item(InboxMenu("new", item.id))
        await _private(interaction, reply, view)


class InboxMenu(
    discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"kb:ibx:(?P<menu>pick|new):(?P<item>\d{1,9})"
):
    """The menus under Teach…: the entries that might answer an item's question (choosing one teaches it
    there), or the kinds of a new entry (choosing one opens the add form; saving it teaches it there)."""

    def __init__(self, menu: str, item_id: int, entries: list[Entry] | None = None) -> None:
        self.menu, self.item_id = menu, item_id
        if menu == "pick":
            placeholder = "Choose the entry that answers it"
            options = [
                discord.SelectOption(
                    label=shorten(f"{e.kind} · {e.title}", SELECT_TEXT),
                    value=e.id,
                    description=shorten(e.text, SELECT_TEXT),
                )
                for e in (entries or [])[:CHOICES]
            ]
        else:
            placeholder = "…or add a new entry for it: choose its kind"
            options = [discord.SelectOption(label=f"New {kind}", value=kind) for kind in KINDS]
        super().__init__(
            discord.ui.Select(
                custom_id=f"kb:ibx:{menu}:{item_id}",
                placeholder=placeholder,
                options=options or [discord.SelectOption(label="none", value="none")],
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> InboxMenu:
        return cls(match["menu"], int(match["item"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await refuse_unless_moderator(interaction, f"kb inbox menu {self.custom_id}")

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if self.menu == "pick":
                await self._pick(interaction, _chosen(interaction))
            else:
                await self._new(interaction, _chosen(interaction))
        except Exception as exc:
            await errors.report(interaction, exc)

    async def _pick(self, interaction: discord.Interaction, chosen: str) -> None:
        await interaction.response.edit_message(content=f"Teaching `{shorten(chosen, 48)}`…", view=None)
        inbox = _inbox(interaction)
        found = await inbox.item(self.item_id)
        if found.item is None:
            reply = found
        else:
            question = found.item.questions[0] if found.item.questions else ""
            reply = await inbox.teach(question, chosen, actor_of(interaction), found.item.id)
        await interaction.edit_original_response(content=None, embed=render_embed(reply))

    async def _new(self, interaction: discord.Interaction, kind: str) -> None:
        if kind not in KINDS:
            await interaction.response.send_message("Choose one of the kinds offered.", ephemeral=True)
            return
        found = await _inbox(interaction).item(self.item_id)
        if found.item is None:
            await _private(interaction, found)
            return
        question = found.item.questions[0] if found.item.questions else ""
        await interaction.response.send_modal(TeachNewModal(kind, found.item.id, question))


def _chosen(interaction: discord.Interaction) -> str:
    """The option a menu's user chose ('' for none)."""
    data: dict[str, Any] = dict(interaction.data or {})
    values = data.get("values")
    return str(values[0]) if isinstance(values, list) and values else ""


class TeachNewModal(EntryModal):
    """The add form, for an inbox item's question: once the entry is saved, the question is taught to it."""

    def __init__(self, kind: str, item_id: int, question: str) -> None:
        super().__init__(kind)
        self.item_id, self.question = item_id, question
        # kb:form:<mode>:<kind>:... like every entry form (the expired-form note reads the kind from it)
        self.custom_id = self.custom_id.replace("kb:form:add:", "kb:form:teach:", 1)
        self.title = shorten(f"New {kind} for #{item_id}", 45)

    async def saved(self, interaction: discord.Interaction, reply: Reply) -> Reply:
        if reply.error or not reply.entries:
            return reply
        taught = await _inbox(interaction).teach(
            self.question, reply.entries[0].id, actor_of(interaction), self.item_id
        )
        return Reply(
            title=reply.title,
            body=reply.body + "\n\n" + (taught.body if not taught.error else f"Not taught: {taught.body}"),
            fields=reply.fields,
            citations=reply.citations,
            entries=reply.entries,
        )


# ---- the commands -----------------------------------------------------------------------------------


@app_commands.command(name="inbox", description="Questions the bot could not answer, and answers reported wrong.")
@app_commands.describe(page="Which page (default 1)")
async def inbox_command(interaction: discord.Interaction, page: app_commands.Range[int, 1, 10_000] = 1) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)  # it purges old questions: a write
    shown = await _inbox(interaction).page(page)
    await _private(interaction, shown.reply, inbox_view(shown))


@app_commands.command(name="teach", description="Teach a question to the entry that answers it.")
@app_commands.describe(question="The question, as readers ask it", entry="The entry that answers it")
async def teach_command(
    interaction: discord.Interaction,
    question: app_commands.Range[str, MIN_PHRASING, MAX_QUESTION],
    entry: app_commands.Range[str, 1, 48],
) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)  # a write may wait behind an import
    await _private(interaction, await _inbox(interaction).teach(question, entry, actor_of(interaction)))


@teach_command.autocomplete("entry")
async def _entries(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Entries whose id holds what is typed; with nothing typed yet, those that might answer the question."""
    if not is_moderator(interaction):
        return []
    question = str(getattr(interaction.namespace, "question", "") or "")[:MAX_QUESTION]
    entries = await _inbox(interaction).entry_choices(current[:48], question, CHOICES)
    return [app_commands.Choice(name=shorten(f"{e.id} · {e.title}", CHOICE_NAME), value=e.id) for e in entries]


def add_commands(group: app_commands.Group) -> app_commands.Group:
    """/kb inbox and /kb teach, in the /kb group (whose check every subcommand passes first)."""
    group.add_command(inbox_command)
    group.add_command(teach_command)
    return group


DYNAMIC_ITEMS = (InboxButton, InboxMenu)
