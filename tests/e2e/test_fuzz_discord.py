"""Random /ask, /search and /who options, autocomplete input, DMs and mentions, through the real client and the
fake Discord: the bot always answers, every message is within Discord's limits, nothing fails, and the bot still
works afterwards.

One bot serves the whole Hypothesis run.  The bot and the fake live on the test's event loop; Hypothesis runs in
a worker thread (``asyncio.to_thread``) and hands each example to that loop with ``run_coroutine_threadsafe``, so
the loop keeps serving the bot between examples and the test can check the bot before and after the whole run.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from bot.discord_app import errors
from tests.fake_discord import FakeDiscord, message_bodies, payloads
from tests.fuzz_strategies import (
    STORY_WORDS,
    any_char,
    boundary_text,
    check_message,
    fuzz_settings,
    mixed_text,
    page_numbers,
    repeat_to,
    unicode_text,
    whitespace_only,
)

READER = payloads.user(1200000000000000404, "fuzzer", global_name="Fuzzer")
DM_CHANNEL = 1400000000000000404

# Option values and messages: as users type them, and longer than Discord lets them (the fake does not enforce
# an option's max_length; the bot must cope either way).
texts = st.one_of(
    mixed_text(),
    st.sampled_from(STORY_WORDS),
    unicode_text,
    st.text(any_char, max_size=300),
    boundary_text,
    st.builds(repeat_to, mixed_text(4), st.integers(301, 6_000)),
    whitespace_only,
    st.just(""),
)
cases = st.one_of(
    st.tuples(st.just("ask"), texts, st.none()),
    st.tuples(st.just("search"), texts, st.none() | page_numbers | st.integers(1, 30)),
    st.tuples(st.just("who"), texts, st.none()),
    st.tuples(st.just("autocomplete"), texts, st.sampled_from(("who", "explain", "quote", "fact"))),
    st.tuples(st.just("dm"), texts, st.none()),
    st.tuples(st.just("mention"), texts, st.none()),
)
OPTION_REFUSED = "I could not read one of the options; please check it and try again."
AUTOCOMPLETED = {"who": "name", "explain": "term", "quote": "speaker", "fact": "topic"}


async def one_case(fake: FakeDiscord, guild: dict[str, Any], case: tuple[str, str, Any]) -> str:
    """Run one case; returns what kind of answer it got."""
    kind, text, extra = case
    start = len(fake.requests)
    if kind in ("ask", "search", "who"):
        options: dict[str, Any] = {{"ask": "question", "search": "query", "who": "name"}[kind]: text}
        if kind == "search" and extra is not None:
            options["page"] = extra
        record = await fake.interact(payloads.slash_command(kind, options, user=READER, guild_id=guild), timeout=10)
        assert record.ok, record
        assert record.json["type"] in (4, 5), record.json
        data = (
            record.json["data"]
            if record.json["type"] == 4
            else (await fake.wait_for_followup(record.params["interaction_id"], timeout=10)).json
        )
        assert data.get("content") != errors.GENERIC, data
        answered = "embed" if data.get("embeds") else "refused option"
        if not data.get("embeds"):  # only a refusal of an option Discord itself would not have sent
            assert data["content"] == OPTION_REFUSED and data["flags"] & 64, data
    elif kind == "autocomplete":
        command = extra
        record = await fake.interact(
            payloads.autocomplete(
                command, {AUTOCOMPLETED[command]: text}, focused=AUTOCOMPLETED[command], user=READER, guild_id=guild
            ),
            timeout=10,
        )
        assert record.ok and record.json["type"] == 8, record
        choices = record.json["data"]["choices"]
        assert len(choices) <= 25
        for choice in choices:
            assert 1 <= len(choice["name"]) <= 100 and 1 <= len(str(choice["value"])) <= 100, choice
        answered = "choices"
    else:
        if kind == "dm":
            message = payloads.message_create(text, author=READER, channel_id=DM_CHANNEL)
        else:
            me = fake.bot_user
            message = payloads.message_create(f"<@{me['id']}> {text}", author=READER, guild_id=guild, mentions=[me])
        sent = await fake.dispatch("MESSAGE_CREATE", message)
        record = await fake.wait_for_message(sent["channel_id"], timeout=10)
        assert record.ok, record
        assert str(record.json["message_reference"]["message_id"]) == sent["id"]
        assert record.json.get("content") != errors.GENERIC and record.json.get("embeds"), record.json
        answered = "message"
    new = fake.requests[start:]
    for request in new:
        assert request.route is not None and request.ok, request
    for _, body in message_bodies(new):
        check_message(body)
    return answered


async def test_random_options_and_messages_are_always_answered(fake, bot, guild):
    loop = asyncio.get_running_loop()
    seen: Counter[str] = Counter()

    @fuzz_settings("discord")
    @given(case=cases)
    @example(case=("ask", "how many times was the soldier shot " * 200, None))
    @example(case=("search", "soldier " * 700, 10**30))
    @example(case=("search", "soldier", -(2**63)))
    @example(case=("who", '"NEAR(" * \u200b\u202e @everyone ' * 100, None))
    @example(case=("autocomplete", "\x00" * 5000, "who"))
    @example(case=("dm", "jeep " * 800, None))
    @example(case=("mention", "", None))
    def run(case: tuple[str, str, Any]) -> None:
        answered = asyncio.run_coroutine_threadsafe(one_case(fake, guild, case), loop).result(timeout=60)
        seen[f"{case[0]}: {answered}"] += 1

    await asyncio.to_thread(run)

    assert fake.unknown_requests == []
    assert [r for r in fake.requests if not r.ok] == []
    assert sum(seen.values()) >= 20, seen
    # ...and the bot still works: a slash command and a DM, answered from the story
    record = await fake.interact(
        payloads.slash_command("ask", {"question": "how many times was the soldier shot"}, user=READER, guild_id=guild)
    )
    assert "five" in record.json["data"]["embeds"][0]["description"]
    sent = await fake.dispatch(
        "MESSAGE_CREATE", payloads.message_create("how many rounds were fired", author=READER, channel_id=DM_CHANNEL)
    )
    reply = await fake.wait_for_message(sent["channel_id"])
    assert "40 rounds" in reply.json["embeds"][0]["description"]
