"""Builders for realistic Discord API v10 payloads (gateway events and REST objects).

Everything returned is a plain ``dict`` shaped like what Discord actually sends, with
snowflakes as strings.  Builders never talk to the network; :class:`FakeDiscord` uses
them for its own responses, and tests use them to craft gateway events.

Shapes were checked against the discord.py 2.7 parsers (``Interaction._from_data``,
``Message.__init__``, ``Guild._from_data``, ``Member.__init__``, ``Modal._refresh``...).
"""

from __future__ import annotations

import datetime
import itertools
import secrets
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict, Unpack

DISCORD_EPOCH_MS = 1420070400000

# Stable defaults shared by the payload builders and FakeDiscord, so payloads built
# without a FakeDiscord instance at hand still agree with the fake's bot/application.
DEFAULT_APPLICATION_ID = 1234567890123456789  # modern bots: bot user id == application id
DEFAULT_BOT_NAME = "StoryBot"
DEFAULT_USER_ID = 1200000000000000101
DEFAULT_OWNER_ID = 1200000000000000001

# A typical bot permission set (view channel, send messages, embed links, attach files,
# read history, use external emojis, add reactions, send in threads, use app commands...)
DEFAULT_APP_PERMISSIONS = "2251799813685247"
# Permissions Discord reports for a member who is a regular user in a default guild.
DEFAULT_MEMBER_PERMISSIONS = "2248473465835073"
EVERYONE_PERMISSIONS = "2248473465835073"
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

# interaction types
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
# interaction contexts
CONTEXT_GUILD, CONTEXT_BOT_DM, CONTEXT_PRIVATE_CHANNEL = 0, 1, 2

_lock = threading.Lock()
_last_snowflake = 0
_increment = itertools.count()


def snowflake(at: float | None = None) -> str:
    """Return a new, strictly increasing, realistic snowflake (as a string).

    ``at`` is a unix timestamp; defaults to now.  The timestamp bits are real, so
    ``discord.utils.snowflake_time`` works on the result.
    """
    global _last_snowflake
    ms = int((time.time() if at is None else at) * 1000) - DISCORD_EPOCH_MS
    with _lock:
        value = (ms << 22) | (1 << 17) | (1 << 12) | (next(_increment) % 4096)
        if value <= _last_snowflake:
            value = _last_snowflake + 1
        _last_snowflake = value
    return str(value)


def snowflake_time(value: int | str) -> datetime.datetime:
    ms = (int(value) >> 22) + DISCORD_EPOCH_MS
    return datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.UTC)


def iso(value: datetime.datetime | None = None) -> str:
    """Discord style ISO8601 timestamp (``2024-01-01T12:00:00.000000+00:00``)."""
    value = value or datetime.datetime.now(datetime.UTC)
    return value.isoformat(timespec="microseconds")


def shard_for_guild(guild_id: int | str, shard_count: int) -> int:
    return (int(guild_id) >> 22) % shard_count


def guild_id_for_shard(shard_id: int, shard_count: int) -> str:
    """A fresh snowflake that Discord would route to ``shard_id`` of ``shard_count``."""
    while True:
        value = snowflake()
        if shard_for_guild(value, shard_count) == shard_id:
            return value
        time.sleep(0.001)  # the timestamp bits decide the shard; wait for the next ms


def _sid(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return str(value["id"])
    return str(getattr(value, "id", value))


def interaction_token(interaction_id: str | int | None = None) -> str:
    """A unique, URL-safe interaction token (real ones are long opaque base64 strings)."""
    return f"aW50ZXJhY3Rpb246{interaction_id or ''}x{secrets.token_urlsafe(48)}"


# ---------------------------------------------------------------------------
# users, members, roles, channels, guilds
# ---------------------------------------------------------------------------


def user(
    id: int | str | None = None,
    name: str = "tester",
    bot: bool = False,
    *,
    global_name: str | None = None,
    discriminator: str = "0",
    avatar: str | None = None,
    public_flags: int = 0,
) -> dict[str, Any]:
    """A user object (``/users/{id}`` shape)."""
    data: dict[str, Any] = {
        "id": str(id) if id is not None else snowflake(),
        "username": name,
        "discriminator": discriminator,
        "global_name": global_name,
        "avatar": avatar,
        "avatar_decoration_data": None,
        "banner": None,
        "accent_color": None,
        "public_flags": public_flags,
        "flags": public_flags,
        "collectibles": None,
        "display_name_styles": None,
        "primary_guild": None,
        "clan": None,
    }
    if bot:
        data["bot"] = True
    return data


DEFAULT_USER = user(DEFAULT_USER_ID, "tester", global_name="Tester")


def bot_user(
    id: int | str = DEFAULT_APPLICATION_ID, name: str = DEFAULT_BOT_NAME, *, discriminator: str = "6151"
) -> dict[str, Any]:
    """The bot's own user as returned by ``GET /users/@me``."""
    data = user(id, name, bot=True, discriminator=discriminator)
    data.update({"verified": True, "mfa_enabled": False, "email": None, "locale": "en-US", "premium_type": 0})
    return data


def member(
    user_obj: Mapping[str, Any],
    roles: Iterable[int | str] = (),
    *,
    nick: str | None = None,
    joined_at: str | None = None,
    permissions: str | None = None,
    include_user: bool = True,
) -> dict[str, Any]:
    """A guild member object. ``permissions`` is only present on interaction members."""
    data: dict[str, Any] = {
        "roles": [str(r) for r in roles],
        "nick": nick,
        "avatar": None,
        "banner": None,
        "joined_at": joined_at or "2023-06-01T12:00:00.000000+00:00",
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
        "unusual_dm_activity_until": None,
        "avatar_decoration_data": None,
        "collectibles": None,
    }
    if include_user:
        data["user"] = dict(user_obj)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def role(
    id: int | str | None = None,
    name: str = "role",
    *,
    permissions: str | int = "0",
    position: int = 1,
    color: int = 0,
    hoist: bool = False,
    managed: bool = False,
    mentionable: bool = False,
    tags: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(id) if id is not None else snowflake(),
        "name": name,
        "description": None,
        "permissions": str(permissions),
        "position": position,
        "color": color,
        "colors": {"primary_color": color, "secondary_color": None, "tertiary_color": None},
        "hoist": hoist,
        "managed": managed,
        "mentionable": mentionable,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }
    if tags is not None:
        data["tags"] = dict(tags)
    return data


def text_channel(
    name: str = "general",
    id: int | str | None = None,
    guild_id: int | str | None = None,
    *,
    position: int = 0,
    type: int = 0,
    parent_id: int | str | None = None,
    topic: str | None = None,
    nsfw: bool = False,
    permission_overwrites: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """A guild channel object (type 0 text by default; 2 voice, 4 category, 5 news, 15 forum)."""
    data: dict[str, Any] = {
        "id": str(id) if id is not None else snowflake(),
        "type": type,
        "name": name,
        "position": position,
        "permission_overwrites": [dict(o) for o in permission_overwrites],
        "parent_id": _sid(parent_id),
        "flags": 0,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if type in (0, 5, 15):
        data.update(
            {
                "topic": topic,
                "nsfw": nsfw,
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "default_thread_rate_limit_per_user": 0,
                "default_auto_archive_duration": 1440,
                "last_pin_timestamp": None,
            }
        )
    if type in (2, 13):
        data.update({"bitrate": 64000, "user_limit": 0, "rtc_region": None, "nsfw": nsfw})
    return data


def dm_channel(id: int | str | None = None, recipient: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A DM channel object (type 1) as returned by ``POST /users/@me/channels``."""
    return {
        "id": str(id) if id is not None else snowflake(),
        "type": 1,
        "last_message_id": None,
        "flags": 0,
        "recipients": [dict(recipient or DEFAULT_USER)],
    }


def group_dm_channel(
    id: int | str | None = None, recipients: Sequence[Mapping[str, Any]] = (), owner_id: int | str | None = None
) -> dict[str, Any]:
    recipients = [dict(r) for r in recipients] or [dict(DEFAULT_USER)]
    return {
        "id": str(id) if id is not None else snowflake(),
        "type": 3,
        "name": None,
        "icon": None,
        "owner_id": str(owner_id) if owner_id is not None else recipients[0]["id"],
        "last_message_id": None,
        "flags": 0,
        "recipients": recipients,
    }


def guild_create(
    id: int | str | None = None,
    name: str = "Test Guild",
    *,
    channels: Sequence[str | Mapping[str, Any]] | None = None,
    roles: Sequence[Mapping[str, Any]] | None = None,
    members: Sequence[Mapping[str, Any]] | None = None,
    owner: Mapping[str, Any] | None = None,
    features: Sequence[str] = (),
    preferred_locale: str = "en-US",
    member_count: int | None = None,
    large: bool = False,
) -> dict[str, Any]:
    """A full ``GUILD_CREATE`` payload (guild object + the gateway-only extra fields).

    ``channels`` may be names (text channels are created) or channel dicts.
    ``members`` may be user dicts or member dicts.  The guild owner is added as a
    member.  FakeDiscord adds the bot's own member (and its managed role) at start-up.
    """
    gid = str(id) if id is not None else snowflake()
    owner = dict(owner or user(DEFAULT_OWNER_ID, "guild_owner"))
    chans: list[dict[str, Any]] = []
    for pos, ch in enumerate(channels if channels is not None else ["general"]):
        if isinstance(ch, str):
            chans.append(text_channel(ch, guild_id=gid, position=pos))
        else:
            c = dict(ch)
            c.setdefault("guild_id", gid)
            chans.append(c)
    role_list = [dict(r) for r in roles] if roles is not None else []
    if not any(r["id"] == gid for r in role_list):
        role_list.insert(0, role(gid, "@everyone", permissions=EVERYONE_PERMISSIONS, position=0))
    member_list: list[dict[str, Any]] = []
    seen: set[str] = set()
    for m in [owner, *(members or [])]:
        md = member(m) if "user" not in m else dict(m)
        uid = md["user"]["id"]
        if uid not in seen:
            seen.add(uid)
            member_list.append(md)
    first_text = next((c["id"] for c in chans if c["type"] == 0), None)
    return {
        "id": gid,
        "name": name,
        "icon": None,
        "icon_hash": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": owner["id"],
        "region": "deprecated",
        "afk_channel_id": None,
        "afk_timeout": 300,
        "widget_enabled": False,
        "widget_channel_id": None,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": role_list,
        "emojis": [],
        "stickers": [],
        "features": list(features),
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": first_text,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "max_presences": None,
        "max_members": 500000,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": preferred_locale,
        "public_updates_channel_id": None,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw": False,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "safety_alerts_channel_id": None,
        "incidents_data": None,
        "latest_onboarding_question_id": None,
        "home_header": None,
        "hub_type": None,
        "version": int(time.time() * 1000),
        # GUILD_CREATE-only fields
        "joined_at": iso(),
        "large": large,
        "unavailable": False,
        "member_count": member_count if member_count is not None else len(member_list),
        "voice_states": [],
        "members": member_list,
        "channels": chans,
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "embedded_activities": [],
        "activity_instances": [],
        "application_command_counts": {},
        "lazy": True,
    }


def _guild_parts(guild_id: Any) -> tuple[str | None, Mapping[str, Any] | None]:
    if isinstance(guild_id, Mapping):
        return str(guild_id["id"]), guild_id
    return _sid(guild_id), None


# ---------------------------------------------------------------------------
# messages
# ---------------------------------------------------------------------------


def attachment(
    filename: str = "file.txt",
    size: int = 0,
    *,
    id: int | str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    description: str | None = None,
    ephemeral: bool = False,
) -> dict[str, Any]:
    aid = str(id) if id is not None else snowflake()
    url = url or f"https://cdn.discordapp.com/attachments/0/{aid}/{filename}"
    data: dict[str, Any] = {
        "id": aid,
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
        "content_scan_version": 0,
        "flags": 0,
    }
    if description is not None:
        data["description"] = description
    if ephemeral:
        data["ephemeral"] = True
    return data


def message_object(
    content: str = "",
    *,
    id: int | str | None = None,
    channel_id: int | str | None = None,
    author: Mapping[str, Any] | None = None,
    guild_id: int | str | None = None,
    member: Mapping[str, Any] | None = None,
    embeds: Sequence[Mapping[str, Any]] = (),
    components: Sequence[Mapping[str, Any]] = (),
    attachments: Sequence[Mapping[str, Any]] = (),
    mentions: Sequence[Mapping[str, Any]] = (),
    mention_roles: Sequence[int | str] = (),
    flags: int = 0,
    type: int = 0,
    tts: bool = False,
    timestamp: str | None = None,
    webhook_id: int | str | None = None,
    application_id: int | str | None = None,
    message_reference: Mapping[str, Any] | None = None,
    referenced_message: Mapping[str, Any] | None = None,
    interaction_metadata: Mapping[str, Any] | None = None,
    nonce: str | int | None = None,
) -> dict[str, Any]:
    """A message object (REST/gateway shape). ``guild_id``/``member`` are gateway-only."""
    mid = str(id) if id is not None else snowflake()
    data: dict[str, Any] = {
        "id": mid,
        "type": type,
        "channel_id": str(channel_id) if channel_id is not None else snowflake(),
        "author": dict(author or DEFAULT_USER),
        "content": content,
        "timestamp": timestamp or iso(snowflake_time(mid)),
        "edited_timestamp": None,
        "tts": tts,
        "mention_everyone": False,
        "mentions": [dict(m) for m in mentions],
        "mention_roles": [str(r) for r in mention_roles],
        "attachments": [dict(a) for a in attachments],
        "embeds": [dict(e) for e in embeds],
        "components": [dict(c) for c in components],
        "pinned": False,
        "flags": flags,
        "sticker_items": [],
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if member is not None:
        data["member"] = dict(member)
    if webhook_id is not None:
        data["webhook_id"] = str(webhook_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
    if message_reference is not None:
        data["message_reference"] = dict(message_reference)
        if "referenced_message" not in data:
            data["referenced_message"] = dict(referenced_message) if referenced_message is not None else None
    if interaction_metadata is not None:
        data["interaction_metadata"] = dict(interaction_metadata)
    if nonce is not None:
        data["nonce"] = nonce
    return data


message = message_object


def message_create(
    content: str = "",
    author: Mapping[str, Any] | None = None,
    channel_id: int | str | None = None,
    guild_id: int | str | Mapping[str, Any] | None = None,
    mentions: Sequence[Mapping[str, Any]] = (),
    *,
    member_roles: Sequence[int | str] = (),
    mention_roles: Sequence[int | str] = (),
    embeds: Sequence[Mapping[str, Any]] = (),
    attachments: Sequence[Mapping[str, Any]] = (),
    reference: Mapping[str, Any] | None = None,
    id: int | str | None = None,
    flags: int = 0,
    webhook_id: int | str | None = None,
) -> dict[str, Any]:
    """A ``MESSAGE_CREATE`` dispatch payload.

    Without ``guild_id`` this is a DM (discord.py then builds a ``DMChannel`` from
    ``channel_id``).  ``guild_id`` may be a guild payload: the channel then defaults to
    its first text channel.  ``reference`` is a message dict being replied to.
    """
    author = dict(author or DEFAULT_USER)
    gid, guild = _guild_parts(guild_id)
    if channel_id is None and guild is not None:
        channel_id = next((c["id"] for c in guild.get("channels", []) if c["type"] == 0), None)
    mention_list = []
    for m in mentions:
        md = dict(m)
        if gid is not None and "member" not in md:
            md["member"] = member(m, include_user=False)
        mention_list.append(md)
    ref = None
    if reference is not None:
        ref = {
            "type": 0,
            "message_id": str(reference["id"]),
            "channel_id": str(reference.get("channel_id", channel_id)),
            "fail_if_not_exists": False,
        }
        if gid is not None:
            ref["guild_id"] = gid
    return message_object(
        content,
        id=id,
        channel_id=channel_id,
        author=author,
        guild_id=gid,
        member=member(author, member_roles, include_user=False) if gid is not None else None,
        mentions=mention_list,
        mention_roles=mention_roles,
        embeds=embeds,
        attachments=attachments,
        type=19 if reference is not None else 0,
        message_reference=ref,
        referenced_message=reference,
        flags=flags,
        webhook_id=webhook_id,
        nonce=snowflake(),
    )


# ---------------------------------------------------------------------------
# interactions
# ---------------------------------------------------------------------------


def _infer_option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def options_from(options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """``{"name": value}`` -> option list (types inferred: str 3, int 4, bool 5, float 10).

    A list of raw option dicts is passed through (copied).  FakeDiscord corrects the
    types from the synced command schema when it dispatches the interaction.
    """
    if options is None:
        return []
    if isinstance(options, Mapping):
        return [{"name": k, "type": _infer_option_type(v), "value": v} for k, v in options.items()]
    return [dict(o) for o in options]


def _nest(
    name: str, options: list[dict[str, Any]], subcommand: str | None, group: str | None
) -> tuple[str, list[dict[str, Any]]]:
    parts = name.split()
    if len(parts) == 3:
        name, group, subcommand = parts
    elif len(parts) == 2:
        name, subcommand = parts
    if subcommand:
        options = [{"name": subcommand, "type": 1, "options": options}]
    if group:
        options = [{"name": group, "type": 2, "options": options}]
    return name, options


class Sender(TypedDict, total=False):
    """Who sends an interaction, and from where: the keyword arguments every interaction builder takes.

    ``guild_id`` may be a guild payload (then the channel defaults to its first text channel);
    ``context``: 0 guild, 1 bot DM, 2 private channel, by default 0 with a guild, else 1.  Defaults:
    no guild or channel, :data:`DEFAULT_USER`, no roles, the default member and app permissions,
    locale ``"en-US"`` and :data:`DEFAULT_APPLICATION_ID`."""

    guild_id: int | str | Mapping[str, Any] | None
    channel_id: int | str | None
    user: Mapping[str, Any] | None
    member_roles: Sequence[int | str]
    member_permissions: str | int | None
    app_permissions: str | int | None
    context: int | None
    authorizing_integration_owners: Mapping[str, Any] | None
    entitlements: Sequence[Mapping[str, Any]]
    locale: str
    guild_locale: str | None
    application_id: int | str
    channel: Mapping[str, Any] | None


def _interaction(
    type_: int,
    data: dict[str, Any] | None,
    *,
    message: Mapping[str, Any] | None = None,
    **sender: Unpack[Sender],
) -> dict[str, Any]:
    unknown = sorted(set(sender) - Sender.__optional_keys__)
    if unknown:
        raise TypeError(f"unexpected keyword arguments: {', '.join(unknown)}")
    channel_id = sender.get("channel_id")
    member_permissions = sender.get("member_permissions")
    context = sender.get("context")
    channel = sender.get("channel")
    authorizing_integration_owners = sender.get("authorizing_integration_owners")
    guild_locale = sender.get("guild_locale")
    iid = snowflake()
    u = dict(sender.get("user") or DEFAULT_USER)
    gid, guild = _guild_parts(sender.get("guild_id"))
    if context is None:
        context = CONTEXT_GUILD if gid is not None else CONTEXT_BOT_DM
    if channel_id is None and message is not None:
        channel_id = message.get("channel_id")
    if channel is None:
        if gid is not None:
            chan = None
            if guild is not None:
                chans = [c for c in guild.get("channels", []) if c.get("type") == 0]
                chan = next((c for c in chans if channel_id is None or c["id"] == str(channel_id)), None)
            if chan is None:
                chan = text_channel(id=channel_id, guild_id=gid)
            chan = dict(chan)
            chan["guild_id"] = gid
            chan["permissions"] = str(member_permissions or DEFAULT_MEMBER_PERMISSIONS)
            channel = chan
        elif context == CONTEXT_PRIVATE_CHANNEL:
            channel = group_dm_channel(channel_id, [u])
        else:
            channel = dm_channel(channel_id, u)
    channel = dict(channel)
    if authorizing_integration_owners is None:
        authorizing_integration_owners = {"0": gid} if gid is not None else {"1": u["id"]}
    payload: dict[str, Any] = {
        "id": iid,
        "application_id": str(sender.get("application_id", DEFAULT_APPLICATION_ID)),
        "type": type_,
        "token": interaction_token(iid),
        "version": 1,
        "app_permissions": str(sender.get("app_permissions") or DEFAULT_APP_PERMISSIONS),
        "locale": sender.get("locale", "en-US"),
        "entitlements": [dict(e) for e in sender.get("entitlements", ())],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": {str(k): str(v) for k, v in authorizing_integration_owners.items()},
        "context": context,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        "channel_id": channel["id"],
        "channel": channel,
    }
    if data is not None:
        payload["data"] = data
    if gid is not None:
        payload["guild_id"] = gid
        payload["guild"] = {
            "id": gid,
            "locale": guild_locale or "en-US",
            "features": list(guild.get("features", [])) if guild else [],
        }
        payload["guild_locale"] = guild_locale or "en-US"
        permissions = str(member_permissions or DEFAULT_MEMBER_PERMISSIONS)
        payload["member"] = member(u, sender.get("member_roles", ()), permissions=permissions)
    else:
        payload["user"] = u
    if message is not None:
        payload["message"] = dict(message)
    return payload


def slash_command(
    name: str,
    options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    *,
    subcommand: str | None = None,
    group: str | None = None,
    command_id: int | str | None = None,
    command_guild_id: int | str | None = None,
    resolved: Mapping[str, Any] | None = None,
    command_type: int = 1,
    **sender: Unpack[Sender],
) -> dict[str, Any]:
    """An ``INTERACTION_CREATE`` payload for a chat-input command (type 2).

    ``name`` may be ``"cmd"``, ``"cmd sub"`` or ``"cmd group sub"`` (or use
    ``subcommand=``/``group=``).  ``guild_id`` may be a guild payload (then the channel
    defaults to its first text channel).  ``context``: 0 guild, 1 bot DM, 2 private
    channel; defaults to 0 with a guild, else 1.  ``command_id`` defaults to a fresh
    snowflake; FakeDiscord replaces it (and fills ``data.guild_id`` for guild
    commands) from what the bot synced.
    """
    opts = options_from(options)
    name, opts = _nest(name, opts, subcommand, group)
    data: dict[str, Any] = {"id": _sid(command_id) or snowflake(), "name": name, "type": command_type}
    if opts:
        data["options"] = opts
    if command_guild_id is not None:
        data["guild_id"] = str(command_guild_id)
    if resolved is not None:
        data["resolved"] = dict(resolved)
    return _interaction(APPLICATION_COMMAND, data, **sender)


def autocomplete(
    name: str,
    options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    *,
    focused: str,
    subcommand: str | None = None,
    group: str | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """An autocomplete ``INTERACTION_CREATE`` (type 4). ``focused`` names the option
    being typed; it is added (with value ``""``) if absent from ``options``.
    Other keyword arguments are as for :func:`slash_command`."""
    opts = options_from(options)
    if not any(o["name"] == focused for o in opts):
        opts.append({"name": focused, "type": 3, "value": ""})
    for o in opts:
        if o["name"] == focused:
            o["focused"] = True
    payload = slash_command(name, opts, subcommand=subcommand, group=group, **kwargs)
    payload["type"] = AUTOCOMPLETE
    return payload


def component(
    custom_id: str,
    message: Mapping[str, Any] | None = None,
    *,
    component_type: int = 2,
    values: Sequence[str] | None = None,
    resolved: Mapping[str, Any] | None = None,
    guild_id: int | str | Mapping[str, Any] | None = None,
    channel_id: int | str | None = None,
    application_id: int | str = DEFAULT_APPLICATION_ID,
    **sender: Unpack[Sender],
) -> dict[str, Any]:
    """A message-component ``INTERACTION_CREATE`` (type 3).

    ``message`` is the message carrying the component; pass the one the bot sent (e.g.
    ``fake.original_message(interaction_id)``) so discord.py finds the stored view by
    message id.  Without it a bot-authored message with a single button is made up
    (only persistent views, ``timeout=None`` with fixed custom_ids, match that).
    ``component_type``: 2 button, 3 string select, 5 user, 6 role, 7 mentionable,
    8 channel select.  ``values`` for selects.
    """
    gid = _guild_parts(guild_id)[0]
    if message is None:
        message = message_object(
            "",
            channel_id=channel_id,
            author=bot_user(application_id),
            application_id=application_id,
            webhook_id=application_id,
            components=[
                {
                    "type": 1,
                    "id": 1,
                    "components": [{"type": 2, "id": 2, "style": 1, "label": "button", "custom_id": custom_id}],
                }
            ],
        )
    msg = dict(message)
    if gid is None and msg.get("guild_id"):
        guild_id = gid = msg["guild_id"]
    msg.pop("guild_id", None)
    msg.pop("member", None)
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
    if values is not None or component_type in (3, 5, 6, 7, 8):
        data["values"] = [str(v) for v in (values or [])]
    if resolved is not None:
        data["resolved"] = dict(resolved)
    return _interaction(
        MESSAGE_COMPONENT,
        data,
        guild_id=guild_id,
        channel_id=channel_id or msg.get("channel_id"),
        application_id=application_id,
        message=msg,
        **sender,
    )


def modal_components(fields: Mapping[str, str | Sequence[str]], layout: str = "label") -> list[dict[str, Any]]:
    """Submitted modal components.

    ``layout="label"`` (what Discord sends for modals built from ``discord.ui.Label``
    and what new clients send): ``{"type": 18, "id", "component": {...}}``;
    ``layout="action_row"`` (legacy, discord.py wraps bare TextInputs in rows):
    ``{"type": 1, "components": [{...}]}``.  String values become text inputs (type 4,
    ``value``), lists become string selects (type 3, ``values``).  discord.py 2.7's
    ``Modal._refresh`` accepts both shapes.
    """
    out: list[dict[str, Any]] = []
    ids = itertools.count(1)
    for custom_id, value in fields.items():
        row_id = next(ids)
        if isinstance(value, str):
            inner: dict[str, Any] = {"type": 4, "id": next(ids), "custom_id": custom_id, "value": value}
        else:
            inner = {"type": 3, "id": next(ids), "custom_id": custom_id, "values": [str(v) for v in value]}
        if layout == "label":
            out.append({"type": 18, "id": row_id, "component": inner})
        elif layout == "action_row":
            out.append({"type": 1, "id": row_id, "components": [inner]})
        else:
            raise ValueError(f"unknown modal layout {layout!r}")
    return out


def modal_submit(
    custom_id: str,
    fields: Mapping[str, str | Sequence[str]] | None = None,
    *,
    layout: str = "label",
    message: Mapping[str, Any] | None = None,
    resolved: Mapping[str, Any] | None = None,
    **sender: Unpack[Sender],
) -> dict[str, Any]:
    """A modal-submit ``INTERACTION_CREATE`` (type 5). ``custom_id`` is the modal's
    custom_id (``modal.custom_id``, or read it from the recorded type-9 callback);
    ``fields`` maps each input's custom_id to the submitted value."""
    data: dict[str, Any] = {"custom_id": custom_id, "components": modal_components(fields or {}, layout)}
    if resolved is not None:
        data["resolved"] = dict(resolved)
    msg = None
    if message is not None:
        msg = dict(message)
        msg.pop("guild_id", None)
        msg.pop("member", None)
    return _interaction(MODAL_SUBMIT, data, message=msg, **sender)


def application(
    id: int | str = DEFAULT_APPLICATION_ID,
    name: str = DEFAULT_BOT_NAME,
    *,
    owner: Mapping[str, Any] | None = None,
    bot: Mapping[str, Any] | None = None,
    flags: int = 0,
    bot_public: bool = True,
) -> dict[str, Any]:
    """``GET /oauth2/applications/@me`` application object."""
    return {
        "id": str(id),
        "name": name,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "hook": True,
        "bot_public": bot_public,
        "bot_require_code_grant": False,
        "verify_key": secrets.token_hex(32),
        "flags": flags,
        "owner": dict(owner or user(DEFAULT_OWNER_ID, "owner")),
        "team": None,
        "bot": dict(bot or bot_user(id, name)),
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "event_webhooks_url": None,
        "event_webhooks_status": 1,
        "tags": [],
        "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"},
        "integration_types_config": {
            "0": {"oauth2_install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"}},
            "1": {"oauth2_install_params": {"scopes": ["applications.commands"], "permissions": "0"}},
        },
        "custom_install_url": None,
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "rpc_origins": [],
        "is_monetized": False,
        "is_verified": False,
        "is_discoverable": False,
        "storefront_available": False,
    }
