import asyncio
from bot.discord_app import views
from tests.fake_discord import payloads

async def test_timeout_kills_source(fake, bot, guild, monkeypatch):
    monkeypatch.setattr(views.PagerView.__init__, "__defaults__", (0.2,))
    ask = await fake.dispatch_interaction(payloads.slash_command("ask", {"question": "how many times was he shot"}, guild_id=guild))
    await fake.wait_for_interaction_response(ask)
    tl = await fake.dispatch_interaction(payloads.slash_command("timeline", guild_id=guild))
    await fake.wait_for_interaction_response(tl)
    rec = await fake.wait_for(lambda r: r.method == "PATCH" and r.path.endswith("@original"))
    print(rec.json)
    msg = fake.original_message(ask)
    rec = await fake.interact(payloads.component("sb:src:2", message=msg, guild_id=guild), timeout=2)
    print(rec.json)
