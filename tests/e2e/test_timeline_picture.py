"""/timeline image:true through the real client and the fake Discord: the picture is uploaded with the page, the
embed shows it, drawing never holds up Discord's 3 seconds, pages keep it, and moderators' edits redraw it."""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import replace

import aiohttp
import pytest
from PIL import Image

from bot import timeline_image
from bot.app import open_app
from bot.models import Actor
from tests.e2e.conftest import button, is_ephemeral, running_bot
from tests.fake_discord import FakeDiscord, payloads

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def timeline_with_picture(fake, options=None, **where):
    """Run /timeline image:true; return the interaction as sent, its first callback, and the followup that
    carries the page and the picture."""
    sent = await fake.dispatch_interaction(
        payloads.slash_command("timeline", {"image": True, **(options or {})}, **where)
    )
    callback = await fake.wait_for_interaction_response(sent)
    followup = await fake.wait_for_followup(sent)
    assert callback.ok and followup.ok, (callback, followup)
    return sent, callback, followup


async def download(url: str) -> bytes:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200
        return await response.read()


async def test_the_picture_is_attached_to_the_timeline_embed(fake, bot, guild):
    sent, callback, followup = await timeline_with_picture(fake, guild_id=guild)
    assert callback.json["type"] == 5  # "StoryBot is thinking...", before any drawing
    assert not is_ephemeral(callback.json.get("data") or {})
    (upload,) = followup.files
    assert upload.filename == "timeline.png" and upload.data.startswith(PNG_SIGNATURE)
    (attachment,) = followup.json["attachments"]
    assert attachment["filename"] == "timeline.png"
    assert attachment["description"].startswith("The story's timeline as a picture: 17 events")

    message = fake.original_message(sent)  # the followup took the place of the "thinking" message
    (embed,) = message["embeds"]
    assert embed["title"] == "Timeline: Background" and embed["fields"][0]["name"] == "1953"
    (shown,) = message["attachments"]
    assert embed["image"]["url"] == shown["url"]  # attachment://timeline.png, resolved by Discord
    png = await download(embed["image"]["url"])
    assert png == upload.data
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG" and picture.width <= 1600
    assert (embed["image"]["width"], embed["image"]["height"]) == picture.size
    assert button(message, "Next")["disabled"] is False and button(message, "Show source")


async def test_the_picture_is_the_stores_timeline_and_follows_a_moderators_edit(fake, bot, guild):
    _, _, first = await timeline_with_picture(fake, guild_id=guild)
    _, _, again = await timeline_with_picture(fake, guild_id=guild)
    assert again.files[0].data == first.files[0].data  # unchanged timeline: the same picture

    store = bot.app.store
    event = next(e for e in await store.entries("event") if e.when == "1953")
    await store.update(
        replace(event, text="The Korean War ended in 1953 with an armistice, not a peace treaty."),
        Actor("1", "mod"),
        event.version,
    )
    _, _, edited = await timeline_with_picture(fake, guild_id=guild)
    assert edited.files[0].data != first.files[0].data


async def test_drawing_never_makes_discord_wait(guild, bot_settings, monkeypatch):
    """Discord forgets an interaction not answered within 3 s: the bot answers first, then draws.  Here Discord's
    limit is 0.3 s and drawing takes 0.8 s."""
    real = timeline_image.render_timeline_cached

    def slow(events, *, title):
        time.sleep(0.8)
        return real(events, title=title)

    monkeypatch.setattr(timeline_image, "render_timeline_cached", slow)
    async with FakeDiscord(guilds=[guild], interaction_ack_deadline=0.3) as fake:
        app = await open_app(bot_settings)
        try:
            async with running_bot(app):
                sent, callback, followup = await timeline_with_picture(fake, guild_id=guild)
                assert callback.json["type"] == 5 and followup.files
                message = fake.original_message(sent)
                assert message["embeds"][0]["image"]["url"] == message["attachments"][0]["url"]
        finally:
            await app.close()


async def test_the_event_loop_keeps_answering_while_a_picture_is_drawn(fake, bot, guild, monkeypatch):
    real = timeline_image.render_timeline_cached
    drawing = asyncio.Event()

    def slow(events, *, title):
        bot.loop.call_soon_threadsafe(drawing.set)
        time.sleep(1.0)
        return real(events, title=title)

    monkeypatch.setattr(timeline_image, "render_timeline_cached", slow)
    sent = await fake.dispatch_interaction(payloads.slash_command("timeline", {"image": True}, guild_id=guild))
    await asyncio.wait_for(drawing.wait(), 5)
    record = await fake.interact(payloads.slash_command("help", guild_id=guild), timeout=0.5)
    assert record.json["data"]["embeds"][0]["title"] == "StoryBot commands"
    assert (await fake.wait_for_followup(sent)).files


async def test_turning_a_page_keeps_the_picture(fake, bot, guild):
    sent, _, _ = await timeline_with_picture(fake, guild_id=guild)
    message = fake.original_message(sent)
    current = fake.message(message["id"])
    record = await fake.interact(
        payloads.component(button(current, "Next")["custom_id"], message=current, guild_id=guild)
    )
    assert record.json["type"] == 6  # acknowledged first: the picture may be redrawn
    edit = await fake.wait_for(lambda r: r.method == "PATCH" and r.path.endswith("/messages/@original") and r.files)
    assert edit.ok and edit.files[0].filename == "timeline.png"
    page = fake.message(message["id"])
    assert page["embeds"][0]["title"] == "Timeline: Monday"
    (shown,) = page["attachments"]  # the new upload replaced the old one, not added to it
    assert page["embeds"][0]["image"]["url"] == shown["url"]
    assert button(page, "Prev")["disabled"] is False


async def test_a_page_out_of_range_is_refused_privately_without_drawing(fake, bot, guild, monkeypatch):
    drawn = []
    monkeypatch.setattr(timeline_image, "render_timeline_cached", lambda *a, **k: drawn.append(1))
    record = await fake.interact(payloads.slash_command("timeline", {"image": True, "page": 50}, guild_id=guild))
    assert record.json["type"] == 4 and is_ephemeral(record.json["data"])
    assert "pick a page from 1 to 3" in record.json["data"]["embeds"][0]["description"]
    assert drawn == [] and not record.files


@pytest.mark.parametrize("where", [{"context": 1}, {"context": 2}])
async def test_the_picture_in_dms(fake, bot, where):
    sent, _, followup = await timeline_with_picture(fake, **where)
    message = fake.original_message(sent)
    assert message["embeds"][0]["image"]["url"] == message["attachments"][0]["url"]
    assert followup.files[0].data.startswith(PNG_SIGNATURE)
