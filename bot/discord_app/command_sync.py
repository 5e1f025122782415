"""Syncing the slash commands, one scope at a time, so that Discord refusing one scope stops nothing else."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands

from bot.config import Settings

log = logging.getLogger(__name__)
SUBCOMMAND_TYPES = (discord.AppCommandOptionType.subcommand.value, discord.AppCommandOptionType.subcommand_group.value)
MAX_LINE = 600


@dataclass(slots=True)
class SyncResult:
    """The scopes Discord refused ("global", "guild 123"), and the id Discord gave each synced command's name."""

    failed: list[str] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)


async def sync_commands(tree: app_commands.CommandTree[Any], settings: Settings) -> SyncResult:
    """Sync the global commands, then DEV_GUILD_ID (which also gets the global ones at once: global commands can
    take a while to show), then each moderator guild, each on its own.  Each scope Discord refuses is logged as
    one error line.  The ids are the global commands' (they work everywhere), else the development guild's."""
    guilds: list[discord.Object | None] = [None]
    if settings.dev_guild_id:
        dev_guild = discord.Object(id=settings.dev_guild_id)
        tree.copy_global_to(guild=dev_guild)
        guilds.append(dev_guild)
    guilds += [discord.Object(id=g) for g in settings.moderator_guild_ids if g != settings.dev_guild_id]
    result = SyncResult()
    for guild in guilds:
        is_dev = guild is not None and guild.id == settings.dev_guild_id
        synced = await _sync_scope(tree, guild, is_dev=is_dev)
        if synced is None:
            result.failed.append("global" if guild is None else f"guild {guild.id}")
        elif guild is None or is_dev:
            for command in synced:
                result.ids.setdefault(command.name, command.id)
    return result


async def _sync_scope(
    tree: app_commands.CommandTree[Any], guild: discord.Object | None, *, is_dev: bool
) -> list[app_commands.AppCommand] | None:
    sent = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    try:
        synced = await tree.sync(guild=guild)
    except discord.HTTPException as exc:
        scope = "the global commands" if guild is None else f"the commands for guild {guild.id}"
        log.error("Discord refused %s: %s", scope, describe_refusal(exc, sent))
        return None
    if guild is None:
        log.info("synced %d global commands", len(synced))
    else:
        kind = "development" if is_dev else "moderator"
        log.info("synced %d commands to the %s guild %s", len(synced), kind, guild.id)
    return synced


def describe_refusal(exc: discord.HTTPException, sent: Sequence[dict[str, Any]]) -> str:
    """Discord's refusal in one line, each broken field named from the command it belongs to:
    ``/kb revert: options.0.max_value: int value should be ...`` rather than ``0.options.5.options.0.max_value``."""
    # the nested errors of Discord's 400 body, as discord.py keeps them (its text flattens them less usefully)
    errors = getattr(exc, "_errors", None)
    fields = list(_field_errors(errors)) if isinstance(errors, Mapping) else []
    if exc.status == 400 and fields:
        text = "; ".join(f"{_command_path(path, sent)}: {message}" for path, message in fields)
    else:
        text = f"HTTP {exc.status}" + (f" (error code {exc.code})" if exc.code else "")
        if exc.text:
            text += f": {exc.text}"
        if isinstance(exc, discord.Forbidden):
            text += " (is the bot in that server, invited with the applications.commands scope?)"
    text = " ".join(text.split())  # one line, whatever Discord's messages hold
    return text if len(text) <= MAX_LINE else text[: MAX_LINE - 3] + "..."


def _field_errors(errors: Mapping[str, Any], path: str = "") -> Iterator[tuple[str, str]]:
    """(path, messages) for each field of Discord's nested errors: ``{"0": {"name": {"_errors": [...]}}}`` ->
    ``("0.name", "...")``."""
    for key, value in errors.items():
        if key == "_errors" and isinstance(value, list):
            yield path, " ".join(str(e.get("message", "")) for e in value if isinstance(e, Mapping))
        elif isinstance(value, Mapping):
            yield from _field_errors(value, f"{path}.{key}" if path else str(key))


def _command_path(path: str, sent: Sequence[dict[str, Any]]) -> str:
    """``0.options.5.options.0.max_value`` -> ``/kb revert: options.0.max_value``, through the payload sent."""
    parts = path.split(".") if path else []
    if not parts:
        return "the request"
    if not parts[0].isdigit() or int(parts[0]) >= len(sent):
        return path
    node = sent[int(parts[0])]
    names, rest = [node.get("name", "?")], parts[1:]
    while len(rest) >= 2 and rest[0] == "options" and rest[1].isdigit():
        options = node.get("options") or []
        index = int(rest[1])
        if index >= len(options) or options[index].get("type") not in SUBCOMMAND_TYPES:
            break
        node = options[index]
        names.append(node.get("name", "?"))
        rest = rest[2:]
    where = "/" + " ".join(names)
    return f"{where}: {'.'.join(rest)}" if rest else where
