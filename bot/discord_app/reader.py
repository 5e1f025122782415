"""The reader slash commands: /ask /fact /quote /timeline /search /who /explain /source /about /help.

They live in one class, as /kb's commands do; it is a Cog only so that discord.py binds each command to it:
the commands stay top-level (`/ask`, not `/reader ask`), added to the tree one by one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.about import About
from bot.discord_app.limits import CHOICE_NAME, CHOICES
from bot.discord_app.render import picture_file, render_embed
from bot.discord_app.report import asker_of
from bot.discord_app.views import PagerView, client_of, reply_view
from bot.handlers import MAX_QUESTION, Reply, StoryHandlers
from bot.handlers.story import MAX_ARGUMENT

Text = app_commands.Range[str, 1, MAX_ARGUMENT]
Question = app_commands.Range[str, 1, MAX_QUESTION]
PageNumber = app_commands.Range[int, 1, 10_000]
Paragraph = app_commands.Range[int, 1, 999]
Choices = list[app_commands.Choice[str]]


async def send_reply(
    interaction: discord.Interaction,
    reply: Reply,
    fetch: Callable[[int], Awaitable[Reply]] | None = None,
    *,
    with_source: bool = True,
) -> None:
    """Answer an interaction with a reply's embed and buttons; errors are shown only to the asker."""
    view = reply_view(reply, interaction.user.id, fetch) if with_source or reply.page else None
    # discord.py tells "no view" and "no file" by leaving the argument out, not by None
    extra: dict[str, Any] = {}
    if view is not None:
        extra["view"] = view
    if reply.image is not None:
        extra["file"] = picture_file(reply.image)
    embed = render_embed(reply)
    if interaction.response.is_done():
        await interaction.followup.send(embed=embed, ephemeral=reply.error, **extra)
    else:
        await interaction.response.send_message(embed=embed, ephemeral=reply.error, **extra)
    if isinstance(view, PagerView):
        view.interaction = interaction


def _story(interaction: discord.Interaction) -> StoryHandlers:
    return client_of(interaction).app.story


async def titles_choices(interaction: discord.Interaction, kind: str, current: str) -> Choices:
    """Autocomplete: the titles of a kind (topics, speakers, names, terms) nearest to what is typed."""
    names = await _story(interaction).complete(kind, current[:MAX_ARGUMENT], limit=CHOICES)
    return [app_commands.Choice(name=n[:CHOICE_NAME], value=n[:MAX_ARGUMENT]) for n in names]


class ReaderCommands(commands.Cog):
    """Every reader command, usable in servers, DMs, group DMs and as a user-installed app."""

    def __init__(self, about: About) -> None:
        examples = about.examples
        # The examples in the descriptions are the story's own words (data/about.json), not the code's.
        question = examples.question[:1].lower() + examples.question[1:]
        app_commands.describe(question=f"Your question, e.g. {question}"[:100])(self.ask)
        app_commands.describe(topic=f"A topic such as {examples.topics}"[:100])(self.fact)
        app_commands.describe(name=f"A name, e.g. {examples.person}"[:100])(self.who)
        self.explain.description = f"Explain a term: {examples.terms}..."[:100]
        for command in self.get_app_commands():
            app_commands.allowed_installs(guilds=True, users=True)(command)
            app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(command)

    @app_commands.command(name="ask", description="Ask a question about the story.")
    @app_commands.describe(question="Your question")
    async def ask(self, interaction: discord.Interaction, question: Question) -> None:
        client = client_of(interaction)
        wait = client.cooldown.retry_after(interaction.user.id)
        if wait:
            await interaction.response.send_message(f"Slow down a little: try again in {wait} s.", ephemeral=True)
            return
        asker = asker_of(interaction.user, interaction.guild_id)
        await send_reply(interaction, await client.app.inbox.ask(question, asker))

    @app_commands.command(name="fact", description="A fact from the story: at random, on a topic, or by id.")
    @app_commands.describe(topic="A topic", id="The id of a fact")
    async def fact(self, interaction: discord.Interaction, topic: Text | None = None, id: Text | None = None) -> None:
        await send_reply(interaction, await _story(interaction).fact(topic, id))

    @app_commands.command(name="quote", description="A direct quote from the article.")
    @app_commands.describe(speaker="Who said it (leave empty for any)")
    async def quote(self, interaction: discord.Interaction, speaker: Text | None = None) -> None:
        await send_reply(interaction, await _story(interaction).quote(speaker))

    @app_commands.command(name="timeline", description="What happened, in order.")
    @app_commands.describe(
        page="Which page of the timeline (default 1)", image="Also show the whole timeline as a picture"
    )
    async def timeline(self, interaction: discord.Interaction, page: PageNumber = 1, image: bool = False) -> None:
        story = _story(interaction)

        async def fetch(number: int) -> Reply:
            reply = await story.timeline(number)
            return replace(reply, image=await story.timeline_picture()) if image and not reply.error else reply

        reply = await story.timeline(page)
        if image and not reply.error:
            # Drawing takes about 0.2 s and is cached, but a changed timeline on a busy machine is redrawn: answer
            # Discord within its 3 seconds first ("StoryBot is thinking..."), then draw.
            await interaction.response.defer(thinking=True)
            reply = replace(reply, image=await story.timeline_picture())
        await send_reply(interaction, reply, fetch)

    @app_commands.command(name="search", description="Every entry that mentions some words.")
    @app_commands.describe(query="Words to look for", page="Which page of results (default 1)")
    async def search(self, interaction: discord.Interaction, query: Text, page: PageNumber = 1) -> None:
        story = _story(interaction)

        async def fetch(number: int) -> Reply:
            return await story.search(query, number)

        await send_reply(interaction, await fetch(page), fetch)

    @app_commands.command(name="who", description="Who someone in the story is and what they did.")
    @app_commands.describe(name="A name")
    async def who(self, interaction: discord.Interaction, name: Text) -> None:
        await send_reply(interaction, await _story(interaction).who(name))

    @app_commands.command(name="explain", description="Explain a term.")
    @app_commands.describe(term="The term to explain")
    async def explain(self, interaction: discord.Interaction, term: Text) -> None:
        await send_reply(interaction, await _story(interaction).explain(term))

    @app_commands.command(name="source", description="Read one paragraph of the article.")
    @app_commands.describe(paragraph="The paragraph number, from 1")
    async def source(self, interaction: discord.Interaction, paragraph: Paragraph) -> None:
        await send_reply(interaction, await _story(interaction).source(paragraph), with_source=False)

    @app_commands.command(name="about", description="What this bot knows and where it comes from.")
    async def about(self, interaction: discord.Interaction) -> None:
        await send_reply(interaction, await _story(interaction).about(client_of(interaction).mention))

    @app_commands.command(name="help", description="The list of commands.")
    async def help_(self, interaction: discord.Interaction) -> None:
        await send_reply(interaction, _story(interaction).help(client_of(interaction).mention))

    @fact.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction, current: str) -> Choices:
        return await titles_choices(interaction, "fact", current)

    @quote.autocomplete("speaker")
    async def _speakers(self, interaction: discord.Interaction, current: str) -> Choices:
        return await titles_choices(interaction, "quote", current)

    @who.autocomplete("name")
    async def _names(self, interaction: discord.Interaction, current: str) -> Choices:
        return await titles_choices(interaction, "person", current)

    @explain.autocomplete("term")
    async def _terms(self, interaction: discord.Interaction, current: str) -> Choices:
        return await titles_choices(interaction, "term", current)
