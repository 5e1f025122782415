"""First end-to-end checks of the reader commands."""

from __future__ import annotations

from tests.fake_discord import payloads


async def test_ask_answers_with_embed_citation_and_source_button(fake, bot, guild):
    record = await fake.interact(
        payloads.slash_command("ask", {"question": "how many times was he shot"}, guild_id=guild)
    )
    data = record.json["data"]
    embed = data["embeds"][0]
    assert "five" in embed["description"]
    assert embed["footer"]["text"] == "Source: paragraph 2 of the article"
    buttons = [c for row in data["components"] for c in row["components"]]
    assert any(b["custom_id"].startswith("sb:src:") for b in buttons)
