"""Settings: built once from the environment (and `.env`, loaded here and nowhere else)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DATABASE = DATA_DIR / "storybot.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


class Secret:
    """A string that never shows itself in repr, str or logs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class Settings:
    discord_token: Secret | None = None
    database_path: Path = DEFAULT_DATABASE
    data_dir: Path = DATA_DIR
    log_level: str = "INFO"
    dev_guild_id: int | None = None
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    ask_cooldown_seconds: float = 3.0
    moderator_role_ids: frozenset[int] = field(default_factory=frozenset)
    moderator_user_ids: frozenset[int] = field(default_factory=frozenset)
    moderator_guild_ids: tuple[int, ...] = ()
    discord_debug: bool = False

    @property
    def has_token(self) -> bool:
        return self.discord_token is not None


def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _snowflake(name: str, raw: str) -> int:
    if not raw.isdigit() or not 15 <= len(raw) <= 20:
        raise SettingsError(f"{name} must hold Discord ids (15-20 digits), got {raw[:30]!r}")
    return int(raw)


def _id_list(env: Mapping[str, str], name: str) -> tuple[int, ...]:
    raw = _text(env, name)
    if raw is None:
        return ()
    return tuple(_snowflake(name, part.strip()) for part in raw.split(",") if part.strip())


def _positive_int(env: Mapping[str, str], name: str) -> int | None:
    raw = _text(env, name)
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a whole number of at least 1, got {raw[:30]!r}")
    return int(raw)


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (_text(env, name) or "0").lower()
    if raw not in ("0", "1", "false", "true", "no", "yes", "off", "on"):
        raise SettingsError(f"{name} must be 1 or 0, got {raw[:30]!r}")
    return raw in ("1", "true", "yes", "on")


def settings_from(env: Mapping[str, str]) -> Settings:
    """Build Settings from a mapping of environment variables; raise SettingsError on a bad value."""
    token = _text(env, "DISCORD_TOKEN")
    if token is not None and (any(c.isspace() for c in token) or len(token) < 20):
        raise SettingsError("DISCORD_TOKEN does not look like a bot token (copy it again from the portal)")

    db_raw = _text(env, "DATABASE_PATH")
    database_path = Path(db_raw).expanduser() if db_raw else DEFAULT_DATABASE
    if database_path.exists() and database_path.is_dir():
        raise SettingsError(f"DATABASE_PATH must be a file, not a folder: {database_path}")

    log_level = (_text(env, "LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level[:30]!r}")

    dev_guild = _text(env, "DEV_GUILD_ID")
    shard_count = _positive_int(env, "SHARD_COUNT")
    shard_ids_raw = _text(env, "SHARD_IDS")
    shard_ids: tuple[int, ...] | None = None
    if shard_ids_raw is not None:
        parts = [p.strip() for p in shard_ids_raw.split(",") if p.strip()]
        if not parts or not all(p.isdigit() for p in parts):
            raise SettingsError(f"SHARD_IDS must be comma-separated shard numbers, got {shard_ids_raw[:30]!r}")
        if shard_count is None:
            raise SettingsError("SHARD_IDS needs SHARD_COUNT to be set too")
        shard_ids = tuple(sorted({int(p) for p in parts}))
        if shard_ids[-1] >= shard_count:
            raise SettingsError(f"SHARD_IDS must be below SHARD_COUNT ({shard_count}), got {shard_ids[-1]}")

    cooldown_raw = _text(env, "ASK_COOLDOWN_SECONDS")
    cooldown = 3.0
    if cooldown_raw is not None:
        try:
            cooldown = float(cooldown_raw)
        except ValueError:
            cooldown = -1.0
        if not 0 <= cooldown <= 3600:
            raise SettingsError(f"ASK_COOLDOWN_SECONDS must be a number from 0 to 3600, got {cooldown_raw[:30]!r}")

    return Settings(
        discord_token=Secret(token) if token else None,
        database_path=database_path,
        log_level=log_level,
        dev_guild_id=_snowflake("DEV_GUILD_ID", dev_guild) if dev_guild else None,
        shard_count=shard_count,
        shard_ids=shard_ids,
        ask_cooldown_seconds=cooldown,
        moderator_role_ids=frozenset(_id_list(env, "MODERATOR_ROLE_IDS")),
        moderator_user_ids=frozenset(_id_list(env, "MODERATOR_USER_IDS")),
        moderator_guild_ids=_id_list(env, "MODERATOR_GUILD_IDS"),
        discord_debug=_flag(env, "DISCORD_DEBUG"),
    )


def load_settings(env_file: Path | None = None) -> Settings:
    """Load `.env` (without overriding the real environment) and build the settings once."""
    load_dotenv(env_file or PROJECT_DIR / ".env", override=False)
    return settings_from(os.environ)
