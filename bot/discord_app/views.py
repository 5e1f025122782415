"""Buttons: "Show source" (survives restarts: its custom_id carries the paragraphs), "Wrong answer?" (in
report.py) and Prev/Next pages."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.discord_app import errors
from bot.discord_app.limits import EMBED_TOTAL
from bot.discord_app.render import picture_file, render_embed
from bot.discord_app.report import WrongAnswerButton
from bot.handlers import Reply

if TYPE_CHECKING:
    from bot.discord_app.client import StoryBotClient

log = logging.getLogger(__name__)
MAX_SOURCE_PARAGRAPHS = 8
PAGER_TIMEOUT = 180.0


def client_of(interaction: discord.Interaction) -> StoryBotClient:
    return cast("StoryBotClient", interaction.client)


SOURCE_TEMPLATE = r"sb:src:(?P<paras>\d{1,3}(?:,\d{1,3}){0,7})"


class ShowSourceButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=SOURCE_TEMPLATE):
    """Reveals the cited paragraphs to whoever presses it, privately."""

    def __init__(self, paragraphs: tuple[int, ...]) -> None:
        self.paragraphs = paragraphs[:MAX_SOURCE_PARAGRAPHS]
        super().__init__(
            discord.ui.Button(
                label="Show source",
                emoji="\N{OPEN BOOK}",
                style=discord.ButtonStyle.secondary,
                custom_id="sb:src:" + ",".join(str(p) for p in self.paragraphs),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ShowSourceButton:
        return cls(tuple(int(p) for p in match["paras"].split(",")))

    async def callback(self, interaction: discord.Interaction) -> None:
        # discord.py only logs errors raised here (the user would see "This interaction failed"): report them.
        try:
            story = client_of(interaction).app.story
            replies = [await story.source(p) for p in self.paragraphs]
            await interaction.response.send_message(embeds=source_embeds(replies), ephemeral=True)
        except Exception as exc:
            await errors.report(interaction, exc)


def source_embeds(replies: list[Reply]) -> list[discord.Embed]:
    """The paragraphs' embeds, as many as fit in one message (Discord counts 6000 characters over all embeds)."""
    embeds: list[discord.Embed] = []
    total = 0
    for embed in (render_embed(r) for r in replies[:10]):
        if embeds and total + len(embed) > EMBED_TOTAL:
            break
        embeds.append(embed)
        total += len(embed)
    return embeds


def keep_source_buttons(interaction: discord.Interaction) -> None:
    """Register ShowSourceButton again after a PagerView stops or times out.

    discord.py's ViewStore.remove_view drops every DynamicItem template the removed view held, for every
    message: without this, once one pager finished, no "Show source" button anywhere would answer.
    """
    interaction.client.add_dynamic_items(ShowSourceButton, WrongAnswerButton)


class PagerView(discord.ui.View):
    """Prev/Next for a paged reply; only the person who asked may turn pages."""

    def __init__(
        self,
        owner_id: int,
        reply: Reply,
        fetch: Callable[[int], Awaitable[Reply]],
        timeout: float = PAGER_TIMEOUT,
    ) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.reply = reply
        self.fetch = fetch
        self.interaction: discord.Interaction | None = None
        page = reply.page
        assert page is not None
        self.previous.disabled = page.number <= 1
        self.next.disabled = page.number >= page.total
        if reply.citations:
            self.add_item(ShowSourceButton(reply.citations))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who ran this command can turn its pages; run it yourself to browse.", ephemeral=True
        )
        return False

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        assert self.reply.page is not None
        if self.reply.image is not None:
            # The next page comes with the picture, which may be redrawn (the timeline changed): like the command,
            # acknowledge first, so drawing never runs into Discord's 3 seconds.
            await interaction.response.defer()
        reply = await self.fetch(self.reply.page.number + step)
        if reply.error or reply.page is None:
            if interaction.response.is_done():
                await interaction.followup.send(reply.body, ephemeral=True)
            else:
                await interaction.response.send_message(reply.body, ephemeral=True)
            return
        # type(self): a subclass's checks (e.g. the moderators' pager) hold on every page, not just the first
        view = type(self)(self.owner_id, reply, self.fetch, timeout=self.timeout or PAGER_TIMEOUT)
        view.interaction = self.interaction
        self.stop()
        keep_source_buttons(interaction)
        embed = render_embed(reply)
        if interaction.response.is_done():
            # The picture is sent again with the page: the embed can only show a file of the same message edit.
            files = [picture_file(reply.image)] if reply.image else []
            await interaction.edit_original_response(embed=embed, view=view, attachments=files)
        else:
            await interaction.response.edit_message(embed=embed, view=view)

    @discord.ui.button(label="Prev", emoji="\N{BLACK LEFT-POINTING TRIANGLE}", style=discord.ButtonStyle.primary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", emoji="\N{BLACK RIGHT-POINTING TRIANGLE}", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, 1)

    async def on_timeout(self) -> None:
        self.previous.disabled = True
        self.next.disabled = True
        if self.interaction is None:
            return
        keep_source_buttons(self.interaction)
        try:
            await self.interaction.edit_original_response(view=self)
        except discord.HTTPException as exc:  # the message may be gone; nothing to disable then
            log.debug("could not disable pager buttons: %s", exc)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await client_of(interaction).report_error(interaction, error)


def reply_view(reply: Reply, owner_id: int, fetch: Callable[[int], Awaitable[Reply]] | None) -> discord.ui.View | None:
    """The buttons a reply wants: a pager for paged replies, else Show source when it cites something and Wrong
    answer? when it answers a question."""
    if reply.error:
        return None
    if reply.page is not None and reply.page.total > 1 and fetch is not None:
        return PagerView(owner_id, reply, fetch)
    wrong = WrongAnswerButton.for_reply(reply)
    if not reply.citations and wrong is None:
        return None
    view = discord.ui.View(timeout=None)
    if reply.citations:
        view.add_item(ShowSourceButton(reply.citations))
    if wrong is not None:
        view.add_item(wrong)
    return view
