"""The discord.py client: no privileged intents, no pings, minimal caches, sharded automatically."""

from __future__ import annotations

import contextlib
import gc
import logging
from typing import Any

import discord
from discord import app_commands

from bot.app import App
from bot.discord_app import command_sync, errors, expired, inbox, moderation_views
from bot.discord_app.cooldown import Cooldown
from bot.discord_app.messages import answer_message
from bot.discord_app.moderation import KnowledgeBase
from bot.discord_app.pending_imports import PendingImports
from bot.discord_app.quiz import QuizButton, QuizCommands, QuizRunner
from bot.discord_app.reader import ReaderCommands
from bot.discord_app.report import WrongAnswerButton
from bot.discord_app.views import ShowSourceButton
from bot.discord_app.words import Words
from bot.handlers.story import slash

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Only what the bot uses: guilds (for commands), and messages in DMs and servers (for mentions).
    Message content is privileged, but bots receive it anyway for DMs and messages that mention them."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_messages = True
    chosen.dm_messages = True
    return chosen


class StoryTree(app_commands.CommandTree[discord.Client]):
    """The command tree, with the one error handler for every slash command."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        await errors.report(interaction, error)


class StoryBotClient(discord.AutoShardedClient):
    def __init__(self, app: App, **options: Any) -> None:
        settings = app.settings
        options.setdefault("shard_count", settings.shard_count)
        if settings.shard_ids is not None:
            options.setdefault("shard_ids", list(settings.shard_ids))
        # StoryBot has no voice: discord.py's warnings at every start that PyNaCl and davey are missing are noise
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            chunk_guilds_at_startup=False,
            member_cache_flags=discord.MemberCacheFlags.none(),
            max_messages=None,
            **options,
        )
        self.app = app
        self.settings = settings
        self.tree = StoryTree(self)
        self.cooldown = Cooldown(settings.ask_cooldown_seconds)
        self.quiz = QuizRunner(settings.quiz_seconds)
        self.pending_imports = PendingImports()  # previewed /kb imports waiting for their Confirm button
        self.sync_failures: list[str] = []
        # Command name -> the id Discord gave it at sync: `</ask:ID>` in a message is a command users can click.
        self.command_ids: dict[str, int] = {}

    async def setup_hook(self) -> None:
        reader = ReaderCommands(self.app.story.story_words)
        for command in reader.get_app_commands():  # each top-level: /ask, not /reader ask
            self.tree.add_command(command)
        self.tree.add_command(QuizCommands(self.quiz))
        moderator_guilds = [discord.Object(id=g) for g in self.settings.moderator_guild_ids]
        if moderator_guilds:
            knowledge_base = inbox.add_commands(KnowledgeBase())
            Words(parent=knowledge_base)  # /kb words: joins its parent
            self.tree.add_command(knowledge_base, guilds=moderator_guilds)
        self.add_dynamic_items(
            ShowSourceButton, WrongAnswerButton, QuizButton, *moderation_views.DYNAMIC_ITEMS, *inbox.DYNAMIC_ITEMS
        )
        await self.sync_commands()
        # What exists by now (the modules, discord.py's state, the lexicon, the store) lives as long as the
        # process: frozen, Python's collector stops walking it at every full collection (~60 ms each on a
        # 100,000-entry store, a few times a second under a burst of /ask).  Unfrozen again by close().
        gc.freeze()

    async def sync_commands(self) -> None:
        """Sync every scope on its own; one Discord refuses is logged and kept in `sync_failures`, and the bot
        starts anyway (raising here would abort the login)."""
        synced = await command_sync.sync_commands(self.tree, self.settings)
        self.sync_failures, self.command_ids = synced.failed, synced.ids

    def mention(self, name: str) -> str:
        """A command as Discord's clickable mention, or as text while its id is unknown (before or without sync).
        A subcommand ('quiz start') is mentioned with its command's id."""
        command_id = self.command_ids.get(name.split()[0])
        return f"</{name}:{command_id}>" if command_id else slash(name)

    async def close(self) -> None:
        self.quiz.close()
        await super().close()
        gc.unfreeze()  # (what was frozen may now be garbage: a process that goes on can collect it)

    async def on_ready(self) -> None:
        ready = f"ready as {self.user} ({getattr(self.user, 'id', '?')}) in {len(self.guilds)} guilds, "
        ready += f"{self.shard_count or 1} shards"
        if self.sync_failures:
            failed = ", ".join(self.sync_failures)
            log.warning("%s; commands NOT synced for %s (Discord refused them: see the error above)", ready, failed)
        else:
            log.info("%s", ready)

    async def on_message(self, message: discord.Message) -> None:
        try:
            await answer_message(self, message)
        except Exception:
            log.exception("error answering message %s from user %s", message.id, message.author.id)
            with contextlib.suppress(discord.HTTPException):
                await message.reply(errors.GENERIC, mention_author=False)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer presses of buttons and forms nobody handles any more (a Prev/Next or an edit form from before
        a restart), instead of leaving the user with "This interaction failed"; live ones answer themselves."""
        if interaction.type in (discord.InteractionType.component, discord.InteractionType.modal_submit):
            await expired.answer_if_unowned(interaction)

    async def report_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await errors.report(interaction, error)
