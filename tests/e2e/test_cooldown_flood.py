"""A flood of questions from DMs and mentions: one answer per cooldown window, told to slow down once, and never
a public "slow down" in a channel (issue 10, item 2)."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.fake_discord import FakeDiscord, Record, payloads

READER = payloads.user(1200000000000000606, "flooder")
QUESTION = "how many rounds were fired"


async def settle(fake: FakeDiscord) -> None:
    """Wait until the bot has handled every message sent so far: the gateway delivers in order, so once a question
    from a fresh reader is answered, the earlier messages were handled; then a moment for a reply in flight."""
    sentinel = payloads.user(payloads.snowflake(), "sentinel")
    message = await fake.dispatch("MESSAGE_CREATE", payloads.message_create(QUESTION, author=sentinel))
    await fake.wait_for_message(message["channel_id"])
    await asyncio.sleep(0.3)


def posts_to(fake: FakeDiscord, channel_id: str) -> list[Record]:
    return [
        r
        for r in fake.requests
        if r.route == "POST /channels/{channel_id}/messages" and r.params["channel_id"] == channel_id
    ]


def answers_and_notices(posts: list[Record]) -> tuple[list[Record], list[Record]]:
    """Posts with an embed (answers) and without (notices); a refusal can overtake the answer being looked up."""
    return [r for r in posts if r.json.get("embeds")], [r for r in posts if not r.json.get("embeds")]


def reactions_in(fake: FakeDiscord, channel_id: str) -> list[Record]:
    return [r for r in fake.requests if r.method == "PUT" and f"/channels/{channel_id}/messages/" in r.path]


def mention(fake: FakeDiscord, text: str, author: dict[str, Any], guild: dict[str, Any]) -> dict[str, Any]:
    me = fake.bot_user
    return payloads.message_create(f"<@{me['id']}> {text}", author=author, guild_id=guild, mentions=[me])


async def test_one_user_sending_many_dms_gets_one_answer_and_one_notice(fake, cooldown_bot):
    first = await fake.dispatch("MESSAGE_CREATE", payloads.message_create(QUESTION, author=READER))
    channel = first["channel_id"]
    for _ in range(39):
        await fake.dispatch("MESSAGE_CREATE", payloads.message_create(QUESTION, author=READER, channel_id=channel))
    await settle(fake)
    answers, notices = answers_and_notices(posts_to(fake, channel))
    assert len(answers) == 1 and len(notices) == 1, (answers, notices)  # 40 DMs: the answer, "slow down" once
    assert "40 rounds" in answers[0].json["embeds"][0]["description"]
    assert notices[0].json["content"].startswith("Slow down a little: try again in ")


async def test_help_in_dms_is_cooled_down_too(fake, cooldown_bot):
    first = await fake.dispatch("MESSAGE_CREATE", payloads.message_create("help", author=READER))
    channel = first["channel_id"]
    for _ in range(19):
        await fake.dispatch("MESSAGE_CREATE", payloads.message_create("help", author=READER, channel_id=channel))
    await settle(fake)
    answers, notices = answers_and_notices(posts_to(fake, channel))
    assert [r.json["embeds"][0]["title"] for r in answers] == ["StoryBot commands"]
    assert len(notices) == 1 and notices[0].json["content"].startswith("Slow down a little")


async def test_mentions_flood_gets_one_answer_and_one_reaction_never_a_public_slow_down(fake, cooldown_bot, guild):
    messages = [await fake.dispatch("MESSAGE_CREATE", mention(fake, QUESTION, READER, guild)) for _ in range(30)]
    channel = messages[0]["channel_id"]
    await settle(fake)
    sent = posts_to(fake, channel)
    assert len(sent) == 1, sent  # the answer; no "slow down" post for anyone to see
    assert "40 rounds" in sent[0].json["embeds"][0]["description"]
    reacted = reactions_in(fake, channel)
    assert len(reacted) == 1, reacted  # told once: an hourglass on the second message
    assert reacted[0].path.startswith(f"/channels/{channel}/messages/{messages[1]['id']}/reactions/")
    assert "\N{HOURGLASS WITH FLOWING SAND}" in reacted[0].path or "%E2%8F%B3" in reacted[0].raw_path


async def test_many_users_mentioning_at_once_get_only_their_answers(fake, cooldown_bot, guild):
    users = [payloads.user(1200000000000001000 + n, f"reader{n}") for n in range(10)]
    channel = None
    for _ in range(5):
        for user in users:
            channel = (await fake.dispatch("MESSAGE_CREATE", mention(fake, QUESTION, user, guild)))["channel_id"]
    await settle(fake)
    assert channel is not None
    sent = posts_to(fake, channel)
    assert len(sent) == 10, [r.json.get("content") for r in sent]  # 50 mentions: 10 answers, nothing else
    assert all("40 rounds" in r.json["embeds"][0]["description"] for r in sent)
    # at most one hourglass each, and no more than the notice budget allows in the time it took
    assert len(reactions_in(fake, channel)) <= len(users)
