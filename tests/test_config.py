"""Settings from the environment: defaults, one clear error per bad value, and the token kept secret."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_DATABASE, Secret, Settings, SettingsError, settings_from
from tests.cli_helpers import cli_env, run_cli

TOKEN = "MTA1NzY0.GhXyZq.abcdefghijklmnopqrstuvwxyz0123456789"


def test_defaults_from_an_empty_environment():
    s = settings_from({})
    assert s.discord_token is None
    assert s.has_token is False
    assert s.database_path == DEFAULT_DATABASE
    assert s.log_level == "INFO"
    assert s.dev_guild_id is None
    assert s.shard_count is None
    assert s.shard_ids is None
    assert s.ask_cooldown_seconds == 3.0
    assert s.quiz_seconds == 30.0
    assert s.moderator_role_ids == frozenset()
    assert s.moderator_user_ids == frozenset()
    assert s.moderator_guild_ids == ()


def test_blank_values_count_as_unset():
    s = settings_from({"DISCORD_TOKEN": "  ", "LOG_LEVEL": "", "DEV_GUILD_ID": " ", "SHARD_IDS": ""})
    assert s.discord_token is None
    assert s.log_level == "INFO"
    assert s.dev_guild_id is None
    assert s.shard_ids is None


def test_good_values_are_parsed(tmp_path):
    s = settings_from(
        {
            "DISCORD_TOKEN": f"  {TOKEN}  ",
            "DATABASE_PATH": str(tmp_path / "x.db"),
            "LOG_LEVEL": "debug",
            "DEV_GUILD_ID": "123456789012345678",
            "SHARD_COUNT": "4",
            "SHARD_IDS": "3, 1,1",
            "ASK_COOLDOWN_SECONDS": "0.5",
            "QUIZ_SECONDS": "45",
            "MODERATOR_ROLE_IDS": "111111111111111111, 222222222222222222",
            "MODERATOR_GUILD_IDS": "333333333333333333",
        }
    )
    assert s.has_token and s.discord_token is not None
    assert s.discord_token.reveal() == TOKEN
    assert s.database_path == tmp_path / "x.db"
    assert s.log_level == "DEBUG"
    assert s.dev_guild_id == 123456789012345678
    assert s.shard_count == 4
    assert s.shard_ids == (1, 3)
    assert s.ask_cooldown_seconds == 0.5
    assert s.quiz_seconds == 45.0
    assert s.moderator_role_ids == frozenset({111111111111111111, 222222222222222222})
    assert s.moderator_guild_ids == (333333333333333333,)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"SHARD_IDS": "0,1"}, "SHARD_IDS"),
        ({"SHARD_IDS": "0,2", "SHARD_COUNT": "2"}, "SHARD_IDS"),
        ({"SHARD_IDS": "a,b", "SHARD_COUNT": "2"}, "SHARD_IDS"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT"),
        ({"DEV_GUILD_ID": "abc"}, "DEV_GUILD_ID"),
        ({"MODERATOR_ROLE_IDS": "1,x"}, "MODERATOR_ROLE_IDS"),
        ({"MODERATOR_USER_IDS": "123456789012345678,nope"}, "MODERATOR_USER_IDS"),
        ({"ASK_COOLDOWN_SECONDS": "-1"}, "ASK_COOLDOWN_SECONDS"),
        ({"ASK_COOLDOWN_SECONDS": "soon"}, "ASK_COOLDOWN_SECONDS"),
        ({"ASK_COOLDOWN_SECONDS": "nan"}, "ASK_COOLDOWN_SECONDS"),
        ({"QUIZ_SECONDS": "4"}, "QUIZ_SECONDS"),
        ({"QUIZ_SECONDS": "601"}, "QUIZ_SECONDS"),
        ({"QUIZ_SECONDS": "half a minute"}, "QUIZ_SECONDS"),
        ({"DISCORD_TOKEN": "MTA1NzY0.GhXyZq abcdefghijklmnopqrstuvwxyz"}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "short"}, "DISCORD_TOKEN"),
    ],
)
def test_bad_value_raises_one_line_naming_the_variable(env, variable):
    with pytest.raises(SettingsError) as caught:
        settings_from(env)
    message = str(caught.value)
    assert variable in message
    assert "\n" not in message


def test_database_path_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="DATABASE_PATH"):
        settings_from({"DATABASE_PATH": str(tmp_path)})


def test_bad_token_is_not_echoed_in_the_error():
    bad = "MTA1NzY0.GhXyZq secretpartthatmustnotleak"
    with pytest.raises(SettingsError) as caught:
        settings_from({"DISCORD_TOKEN": bad})
    assert "secretpartthatmustnotleak" not in str(caught.value)


def test_token_never_shows_in_repr_or_str():
    s = settings_from({"DISCORD_TOKEN": TOKEN})
    for shown in (repr(s), str(s), repr(s.discord_token), str(s.discord_token), f"{s.discord_token}"):
        assert TOKEN not in shown
        assert TOKEN[:12] not in shown
    assert s.discord_token == Secret(TOKEN)


def test_settings_are_frozen():
    s = Settings()
    with pytest.raises(AttributeError):
        s.log_level = "DEBUG"  # type: ignore[misc]


def test_cli_with_bad_log_level_exits_2_with_one_line(tmp_path):
    result = run_cli(cli_env(tmp_path / "cfg.db", tmp_path, LOG_LEVEL="LOUD"), "ask", "x")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "LOG_LEVEL" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "cfg.db").exists()
