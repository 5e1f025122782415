"""Settings: built once from the environment (and `.env`, loaded here and nowhere else)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values, load_dotenv
from dotenv.parser import Binding, parse_stream

PACKAGE_DIR = Path(__file__).resolve().parent
# The seed data inside the package: in a source checkout a symlink to ../data, in a built wheel a copy of it.
SEED_DIR = PACKAGE_DIR / "seed"


def _source_checkout() -> Path | None:
    """The project folder when StoryBot runs from a source checkout (also an editable install), else None."""
    project = PACKAGE_DIR.parent
    if (project / "pyproject.toml").is_file() and (project / "data" / "article.txt").is_file():
        return project
    return None


PROJECT_DIR = _source_checkout()
DATA_DIR = PROJECT_DIR / "data" if PROJECT_DIR else SEED_DIR
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TOKEN_VARIABLE = "DISCORD_TOKEN"


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


def _home(env: Mapping[str, str]) -> Path | None:
    home = env.get("HOME", "").strip()
    if home:
        return Path(home)
    try:
        return Path.home()
    except RuntimeError:  # no HOME and no entry in the password database
        return None


def _xdg_dir(env: Mapping[str, str], variable: str, fallback: str) -> Path | None:
    """An XDG base directory: the variable when it holds an absolute path (the spec ignores others), else
    the fallback under the home folder."""
    value = env.get(variable, "").strip()
    if value and Path(value).is_absolute():
        return Path(value)
    home = _home(env)
    return home / fallback if home else None


def default_database(env: Mapping[str, str]) -> Path | None:
    """Where the database goes without DATABASE_PATH: data/ in a source checkout, else the user's data folder
    ($XDG_DATA_HOME/storybot, by default ~/.local/share/storybot), never inside site-packages."""
    if PROJECT_DIR is not None:
        return PROJECT_DIR / "data" / "storybot.db"
    folder = _xdg_dir(env, "XDG_DATA_HOME", ".local/share")
    return folder / "storybot" / "storybot.db" if folder else None


def console_history_file(env: Mapping[str, str]) -> Path | None:
    """The console's line history: $XDG_STATE_HOME/storybot (by default ~/.local/state/storybot), never the repo."""
    folder = _xdg_dir(env, "XDG_STATE_HOME", ".local/state")
    return folder / "storybot" / "console_history" if folder else None


DEFAULT_DATABASE = default_database(os.environ) or Path("storybot.db")


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
    quiz_seconds: float = 30.0
    moderator_role_ids: frozenset[int] = field(default_factory=frozenset)
    moderator_user_ids: frozenset[int] = field(default_factory=frozenset)
    moderator_guild_ids: tuple[int, ...] = ()
    discord_debug: bool = False
    console_history: Path | None = None

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


def _seconds(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = _text(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:  # NaN fails this too
        raise SettingsError(f"{name} must be a number from {low:g} to {high:g}, got {raw[:30]!r}")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (_text(env, name) or "0").lower()
    if raw not in ("0", "1", "false", "true", "no", "yes", "off", "on"):
        raise SettingsError(f"{name} must be 1 or 0, got {raw[:30]!r}")
    return raw in ("1", "true", "yes", "on")


def settings_from(env: Mapping[str, str]) -> Settings:
    """Build Settings from a mapping of environment variables; raise SettingsError on a bad value."""
    token = _text(env, TOKEN_VARIABLE)
    if token is not None and (any(c.isspace() for c in token) or len(token) < 20):
        raise SettingsError("DISCORD_TOKEN does not look like a bot token (copy it again from the portal)")

    db_raw = _text(env, "DATABASE_PATH")
    database_path = Path(db_raw).expanduser() if db_raw else default_database(env)
    if database_path is None:
        raise SettingsError("DATABASE_PATH must be set: there is no home folder to keep the database in")
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

    cooldown = _seconds(env, "ASK_COOLDOWN_SECONDS", 3.0, 0, 3600)
    # A quiz question is revealed through its interaction, whose token Discord honours for 15 minutes.
    quiz_seconds = _seconds(env, "QUIZ_SECONDS", 30.0, 5, 600)

    return Settings(
        discord_token=Secret(token) if token else None,
        database_path=database_path,
        log_level=log_level,
        dev_guild_id=_snowflake("DEV_GUILD_ID", dev_guild) if dev_guild else None,
        shard_count=shard_count,
        shard_ids=shard_ids,
        ask_cooldown_seconds=cooldown,
        quiz_seconds=quiz_seconds,
        moderator_role_ids=frozenset(_id_list(env, "MODERATOR_ROLE_IDS")),
        moderator_user_ids=frozenset(_id_list(env, "MODERATOR_USER_IDS")),
        moderator_guild_ids=_id_list(env, "MODERATOR_GUILD_IDS"),
        discord_debug=_flag(env, "DISCORD_DEBUG"),
        console_history=console_history_file(env),
    )


def dotenv_files() -> list[Path]:
    """The `.env` files StoryBot reads, the first one winning: the current directory's, then (in a source
    checkout) the project folder's.  The real environment wins over both."""
    files: list[Path] = []
    with contextlib.suppress(OSError):  # the current directory may have been removed
        files.append(Path.cwd() / ".env")
    if PROJECT_DIR is not None and not any(_same_file(f, PROJECT_DIR / ".env") for f in files):
        files.append(PROJECT_DIR / ".env")
    return files


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _dotenv_disabled(env: Mapping[str, str]) -> bool:
    """python-dotenv's own switch, honoured here too."""
    return env.get("PYTHON_DOTENV_DISABLED", "").casefold() in {"1", "true", "t", "yes", "y"}


def _line_of(binding: Binding) -> int:
    """The line a binding's text starts on (python-dotenv counts from the blank lines before it)."""
    text = binding.original.string
    return binding.original.line + text[: len(text) - len(text.lstrip())].count("\n")


def read_dotenv(path: Path) -> str | None:
    """The text of a `.env` file, or None when there is none.  A file that is not UTF-8, or has a line that is
    not NAME=value, raises SettingsError naming the file and the line (never the line's text: it may hold
    the token)."""
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror or exc}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SettingsError(f"{path}, line 1: the file is saved as UTF-16; save it as UTF-8")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise SettingsError(f"{path}, line {line}: a NUL byte (is the file UTF-16?); save it as UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SettingsError(
            f"{path}, line {line}: byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8"
        ) from None
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise SettingsError(
                f"{path}, line {_line_of(binding)}: python-dotenv cannot read it (an unclosed quote, or a space "
                "in the name?); write NAME=value"
            )
        if binding.key is not None and binding.value is None:
            raise SettingsError(f"{path}, line {_line_of(binding)}: a name without `=`; write NAME=value")
    return text


def _warn_stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def load_settings(env_files: Sequence[Path] | None = None, warn: Callable[[str], None] = _warn_stderr) -> Settings:
    """Load the `.env` files (without overriding the real environment) and build the settings once.

    Raises SettingsError for a bad file or value; `warn` hears of a token that other users can read."""
    if not _dotenv_disabled(os.environ):
        for path in dotenv_files() if env_files is None else env_files:
            text = read_dotenv(path)
            if text is None:
                continue
            if dotenv_values(stream=io.StringIO(text), interpolate=False).get(TOKEN_VARIABLE):
                _check_private(path, warn)
            load_dotenv(stream=io.StringIO(text), override=False)
    return settings_from(os.environ)


def _check_private(path: Path, warn: Callable[[str], None]) -> None:
    """A token in a file that other users can read is theirs too: say so (the bot still starts)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & 0o044:
        warn(f"{path} holds {TOKEN_VARIABLE} and other users can read it; run: chmod 600 {path}")
