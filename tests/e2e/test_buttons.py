"""Buttons: "Show source" (private, survives restarts) and the Prev/Next pager (owner only, times out)."""

from __future__ import annotations

import pytest

from bot.app import open_app
from bot.discord_app import views
from tests.e2e.conftest import button, is_ephemeral, running_bot
from tests.fake_discord import payloads

QUESTION = {"question": "how many times was he shot"}


async def command(fake, name, options=None, **where):
    """Run a slash command; return the interaction payload as sent and the message it created."""
    sent = await fake.dispatch_interaction(payloads.slash_command(name, options, **where))
    record = await fake.wait_for_interaction_response(sent)
    assert record.ok and record.json["type"] == 4, record
    return sent, fake.original_message(sent)


async def press(fake, message, label, **where):
    """Press the button labelled ``label`` on ``message`` (as Discord has it now); return the callback record."""
    current = fake.message(message["id"])
    record = await fake.interact(payloads.component(button(current, label)["custom_id"], message=current, **where))
    assert record.ok, record
    return record


def callbacks_for_message(fake, message_id):
    """Component interactions on that message that were answered by editing it (callback type 7)."""
    edits = []
    for it in fake.interactions.values():
        msg = it.payload.get("message")
        if msg and msg["id"] == str(message_id) and it.response_type == 7:
            edits.append(it)
    return edits


# --- Show source -------------------------------------------------------------------------------------------------


async def test_show_source_is_private_and_shows_the_paragraph(fake, bot, guild):
    _, message = await command(fake, "ask", QUESTION, guild_id=guild)
    record = await press(fake, message, "Show source", guild_id=guild)
    assert record.json["type"] == 4
    data = record.json["data"]
    assert is_ephemeral(data)
    (embed,) = data["embeds"]
    assert embed["title"] == "Paragraph 2"
    assert embed["description"] == (await bot.app.store.paragraph(2)).text
    assert "components" not in data or data["components"] == []
    # the public answer is left as it was
    assert fake.message(message["id"])["embeds"] == message["embeds"]


async def test_show_source_with_several_paragraphs(fake, bot, guild):
    _, message = await command(fake, "explain", {"term": "DMZ"}, guild_id=guild)
    record = await press(fake, message, "Show source", guild_id=guild)
    data = record.json["data"]
    assert is_ephemeral(data)
    cited = (await bot.app.store.get("dmz")).paragraphs
    assert len(cited) >= 2
    assert [e["title"] for e in data["embeds"]] == [f"Paragraph {p}" for p in cited]
    assert data["embeds"][-1]["description"] == (await bot.app.store.paragraph(cited[-1])).text


async def test_anyone_may_press_show_source(fake, bot, guild, other_user):
    _, message = await command(fake, "who", {"name": "Lee Cook-jong"}, guild_id=guild)
    record = await press(fake, message, "Show source", guild_id=guild, user=other_user)
    assert is_ephemeral(record.json["data"])
    assert [e["title"] for e in record.json["data"]["embeds"]] == ["Paragraph 9", "Paragraph 10"]


async def test_show_source_in_a_dm(fake, bot):
    _, message = await command(fake, "fact", {"id": "shot-five-times"}, context=1)
    record = await press(fake, message, "Show source", context=1)
    assert is_ephemeral(record.json["data"]) and record.json["data"]["embeds"][0]["title"] == "Paragraph 2"


async def test_show_source_on_a_pager_message_works_for_everyone(fake, bot, guild, other_user):
    _, message = await command(fake, "timeline", guild_id=guild)
    record = await press(fake, message, "Show source", guild_id=guild, user=other_user)
    assert is_ephemeral(record.json["data"])
    assert record.json["data"]["embeds"][0]["title"] == "Paragraph 12"


async def test_forged_source_button_gets_a_clear_private_answer(fake, bot, guild):
    """custom_ids come from the client: one naming a paragraph that does not exist is answered, not crashed on."""
    record = await fake.interact(payloads.component("sb:src:999", guild_id=guild))
    assert record.json["type"] == 4 and is_ephemeral(record.json["data"])
    assert "not one of them" in record.json["data"]["embeds"][0]["description"]


async def test_show_source_keeps_working_after_a_restart(fake, bot_settings, guild):
    app = await open_app(bot_settings)
    try:
        async with running_bot(app):
            first_sessions = {c.session_id for c in fake.connections}
            _, message = await command(fake, "ask", QUESTION, guild_id=guild)
    finally:
        await app.close()
    assert all(c.closed for c in fake.connections)

    app = await open_app(bot_settings)  # a new process: same database, same Discord, no memory of the message
    try:
        async with running_bot(app):
            live = [c for c in fake.connections if not c.closed]
            assert live and not {c.session_id for c in live} & first_sessions
            record = await fake.interact(
                payloads.component(button(message, "Show source")["custom_id"], message=message, guild_id=guild)
            )
            assert record.ok and record.json["type"] == 4
            assert is_ephemeral(record.json["data"])
            assert record.json["data"]["embeds"][0]["description"] == (await app.store.paragraph(2)).text
    finally:
        await app.close()


# --- Prev / Next -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "options"), [("timeline", None), ("search", {"query": "soldier"})])
async def test_owner_turns_pages(fake, bot, guild, name, options):
    _, message = await command(fake, name, options, guild_id=guild)
    total = int(message["embeds"][0]["footer"]["text"].split("/")[1].split()[0])
    assert total >= 3
    first_page = message["embeds"][0]

    record = await press(fake, message, "Next", guild_id=guild)
    assert record.json["type"] == 7  # the message itself is edited
    data = record.json["data"]
    embed = data["embeds"][0]
    assert embed["footer"]["text"].startswith(f"Page 2/{total}")
    assert embed["fields"] != first_page["fields"]
    assert button(data, "Prev")["disabled"] is False
    assert button(data, "Next")["disabled"] is False
    assert button(data, "Show source")["custom_id"].startswith("sb:src:")
    assert fake.message(message["id"])["embeds"][0]["footer"]["text"].startswith(f"Page 2/{total}")

    record = await press(fake, message, "Prev", guild_id=guild)
    assert record.json["type"] == 7
    assert record.json["data"]["embeds"][0]["fields"] == first_page["fields"]
    assert button(record.json["data"], "Prev")["disabled"] is True


async def test_last_page_disables_next(fake, bot, guild):
    pages = (await bot.app.story.timeline(1)).page.total
    _, message = await command(fake, "timeline", {"page": pages - 1}, guild_id=guild)
    record = await press(fake, message, "Next", guild_id=guild)
    data = record.json["data"]
    assert data["embeds"][0]["footer"]["text"].startswith(f"Page {pages}/{pages}")
    assert button(data, "Next")["disabled"] is True
    assert button(data, "Prev")["disabled"] is False


async def test_pages_turn_in_a_dm(fake, bot):
    _, message = await command(fake, "timeline", context=1)
    record = await press(fake, message, "Next", context=1)
    assert record.json["type"] == 7
    assert record.json["data"]["embeds"][0]["footer"]["text"].startswith("Page 2/")


@pytest.mark.parametrize(("name", "options"), [("timeline", None), ("search", {"query": "soldier"})])
async def test_someone_else_cannot_turn_pages(fake, bot, guild, other_user, name, options):
    _, message = await command(fake, name, options, guild_id=guild)
    before = fake.message(message["id"])

    record = await press(fake, message, "Next", guild_id=guild, user=other_user)
    assert record.json["type"] == 4
    assert is_ephemeral(record.json["data"])
    assert "Only the person who ran this command" in record.json["data"]["content"]
    assert fake.message(message["id"]) == before
    assert callbacks_for_message(fake, message["id"]) == []

    # the owner still can
    record = await press(fake, message, "Next", guild_id=guild)
    assert record.json["type"] == 7


@pytest.fixture
def short_pager(monkeypatch):
    """Pagers that time out after 0.2 s (the default argument is bound at import, so patch it too)."""
    monkeypatch.setattr(views, "PAGER_TIMEOUT", 0.2)
    monkeypatch.setattr(views.PagerView.__init__, "__defaults__", (0.2,))


def original_edits(fake, sent):
    token = fake.interaction(sent).token
    return lambda r: r.method == "PATCH" and r.path == f"/webhooks/{fake.application_id}/{token}/messages/@original"


async def test_pager_times_out_and_disables_prev_next(fake, bot, guild, short_pager):
    sent, message = await command(fake, "timeline", guild_id=guild)
    edit = await fake.wait_for(original_edits(fake, sent), timeout=3)
    assert edit.ok
    assert button(edit.json, "Prev")["disabled"] is True
    assert button(edit.json, "Next")["disabled"] is True
    assert button(edit.json, "Show source")["disabled"] is False
    assert "embeds" not in edit.json  # only the buttons change
    stored = fake.message(message["id"])
    assert stored["embeds"] == message["embeds"]
    assert button(stored, "Next")["disabled"] is True

    # Show source still answers, on this message and on any other (regression: the pager's end used to
    # unregister the Show source handler for every message)
    record = await press(fake, message, "Show source", guild_id=guild)
    assert is_ephemeral(record.json["data"]) and record.json["data"]["embeds"][0]["title"] == "Paragraph 12"
    _, answer = await command(fake, "ask", QUESTION, guild_id=guild)
    record = await press(fake, answer, "Show source", guild_id=guild)
    assert record.json["data"]["embeds"][0]["title"] == "Paragraph 2"


async def test_pager_times_out_after_turning_a_page(fake, bot, guild, short_pager):
    sent, message = await command(fake, "search", {"query": "soldier"}, guild_id=guild)
    record = await press(fake, message, "Next", guild_id=guild)
    assert record.json["type"] == 7
    edit = await fake.wait_for(original_edits(fake, sent), timeout=3)
    assert button(edit.json, "Prev")["disabled"] is True and button(edit.json, "Next")["disabled"] is True
    stored = fake.message(message["id"])
    assert stored["embeds"][0]["footer"]["text"].startswith("Page 2/")  # the page shown stays
    assert button(stored, "Show source")["disabled"] is False
    record = await press(fake, message, "Show source", guild_id=guild)
    assert is_ephemeral(record.json["data"])


async def test_single_page_search_has_no_pager(fake, bot, guild):
    _, message = await command(fake, "search", {"query": "Tillerson"}, guild_id=guild)
    embed = message["embeds"][0]
    assert not embed["footer"]["text"].startswith("Page")
    assert [c["label"] for row in message["components"] for c in row["components"]] == ["Show source"]


async def test_a_pager_subclass_keeps_its_checks_on_every_page(fake, bot, guild, monkeypatch):
    """The moderators' pager subclasses PagerView; turning a page must not swap it for a plain PagerView."""
    from bot.discord_app import reader

    checked = []

    class CheckedPager(views.PagerView):
        async def interaction_check(self, interaction):
            checked.append(type(self).__name__)
            return await super().interaction_check(interaction)

    def reply_view(reply, owner_id, fetch):
        if reply.page is not None and reply.page.total > 1 and fetch is not None:
            return CheckedPager(owner_id, reply, fetch)
        return views.reply_view(reply, owner_id, fetch)

    monkeypatch.setattr(reader, "reply_view", reply_view)
    _, message = await command(fake, "timeline", guild_id=guild)
    for page in (2, 3):
        record = await press(fake, message, "Next", guild_id=guild)
        assert record.json["data"]["embeds"][0]["footer"]["text"].startswith(f"Page {page}/")
    assert checked == ["CheckedPager", "CheckedPager"]


async def test_a_stale_pager_button_gets_an_expiry_message_not_silence(fake, bot, guild):
    # A Prev/Next press whose view is gone (the bot restarted): nothing handles its random custom_id.
    record = await fake.interact(payloads.component("a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4", guild_id=guild))
    assert record.json["type"] == 4
    assert record.json["data"]["flags"] & 64
    assert "expired" in record.json["data"]["content"]


async def test_a_stale_form_submit_gets_an_expiry_message_and_the_text_back(fake, bot, guild):
    text = "A long paragraph the moderator typed before the bot restarted."
    record = await fake.interact(
        payloads.modal_submit("kb:form:add:fact::0:abcdef", {"f:topic": "escape", "f:text": text}, guild_id=guild)
    )
    assert record.json["type"] == 4
    data = record.json["data"]
    assert data["flags"] & 64
    assert "form has expired" in data["content"]
    fields = {f["name"]: f["value"] for f in data["embeds"][0]["fields"]}
    assert fields == {"You typed: Topic": "```\nescape\n```", "You typed: Text": f"```\n{text}\n```"}
