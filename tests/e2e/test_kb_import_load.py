"""Readers keep being answered while a moderator imports a big file (issue 10, item 1): every /ask asked while a
5 MB file is checked, and while it is applied, gets its answer within Discord's 3 s (the fake refuses a later
answer with 404 Unknown interaction, as Discord does)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import threading
import time
from typing import Any

from tests.e2e.kb_harness import (
    KB,
    buttons,
    kb_client,  # noqa: F401  (the `kb` fixture)
    kb_guild,  # noqa: F401  (the `guild` fixture)
)
from tests.fake_discord import Record, payloads
from tests.import_files import bulk_quotes

READER = payloads.user(1200000000000000707, "reader")
DEADLINE = 3.0  # Discord's: an interaction answered later has failed ("This interaction failed")


async def big_file(kb: KB) -> bytes:
    """The store's export plus 10,000 valid quotes: about 4.5 MB."""
    document = json.loads(await kb.app.moderation.export_bytes())
    document["quotes"] += bulk_quotes(10_000)
    return json.dumps(document, ensure_ascii=False).encode()


async def upload(kb: KB, raw: bytes, filename: str) -> tuple[Record, Record]:
    """/kb import with a file: the deferral and the followup (waited for long enough to see slow checks)."""
    attachment = kb.fake.attachment(filename, raw, content_type="application/json")
    sent = await kb.fake.dispatch_interaction(
        payloads.slash_command(
            "kb import",
            {"file": attachment["id"]},
            user=kb.moderator,
            guild_id=kb.guild,
            resolved={"attachments": {attachment["id"]: attachment}},
        )
    )
    first = await kb.fake.wait_for_interaction_response(sent, timeout=30)
    return first, await kb.fake.wait_for_followup(sent, timeout=30)


async def asking_until(kb: KB, done: asyncio.Future[Any], every: float = 0.02) -> list[float]:
    """Ask /ask every `every` seconds until `done`; how long each took, from asking to its answer.

    The questions come from another thread, as Discord's would, on a clock of their own: if the bot's event
    loop stalls, the questions asked meanwhile wait for it, and their time counts from when they were asked."""
    loop = asyncio.get_running_loop()
    stop = threading.Event()
    asked: list[concurrent.futures.Future[float]] = []

    async def ask(asked_at: float) -> float:
        payload = payloads.slash_command("ask", {"question": "how many times was he shot"}, user=READER)
        sent = await kb.fake.dispatch_interaction(payload)
        record = await kb.fake.wait_for_interaction_response(sent, timeout=30)
        if not record.ok:  # 404 Unknown interaction: the fake, like Discord, no longer takes the answer
            return float("inf")
        assert "five times" in record.json["data"]["embeds"][0]["description"]
        return time.monotonic() - asked_at

    def reader() -> None:
        while True:  # the first at once: a quick refusal still has a question asked during it
            asked.append(asyncio.run_coroutine_threadsafe(ask(time.monotonic()), loop))
            if stop.wait(every):
                return

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        await asyncio.wait_for(asyncio.shield(done), 60)
    finally:
        stop.set()
        await asyncio.to_thread(thread.join)
    return [await asyncio.wrap_future(one) for one in asked]


def assert_all_answered_in_time(seconds: list[float]) -> None:
    assert seconds, "no question was asked"
    late = [s for s in seconds if s >= DEADLINE]
    assert not late, f"{len(late)} of {len(seconds)} /ask were not answered within Discord's {DEADLINE:g} s"


async def test_every_ask_is_answered_while_a_big_file_is_checked_and_applied(kb):
    raw = await big_file(kb)
    assert len(raw) > 4_000_000
    checking = asyncio.ensure_future(upload(kb, raw, "big.json"))
    asked = await asking_until(kb, checking)
    first, followup = await checking
    assert_all_answered_in_time(asked)
    assert followup.json["embeds"][0]["title"] == "Import preview", followup.json

    preview = kb.message_of(first)
    confirm = asyncio.ensure_future(kb.press(buttons(preview)["Confirm import"], preview))
    pressed = await confirm
    result = asyncio.ensure_future(kb.edit_of(pressed))
    asked = await asking_until(kb, result)
    assert_all_answered_in_time(asked)
    assert (await result).json["embeds"][0]["title"] == "Import done"
    assert (await kb.app.store.counts()).by_kind["quote"] == 10_002


async def test_every_ask_is_answered_while_a_file_of_junk_is_refused(kb):
    raw = b'{"facts": [' + b",".join([b"{}"] * 1_600_000) + b"]}"  # 4.8 MB of empty entries
    checking = asyncio.ensure_future(upload(kb, raw, "junk.json"))
    asked = await asking_until(kb, checking)
    _, followup = await checking
    assert_all_answered_in_time(asked)
    embed = followup.json["embeds"][0]
    assert embed["title"] == "junk.json was not imported"
    assert "fact: text is required" in embed["description"]
    assert "checking stopped after 1,000 problems" in embed["description"]
