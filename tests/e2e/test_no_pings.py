"""No reply made from stored text can ping anyone.

Moderator-entered text holding @everyone, @here, a role mention and user mentions goes into entries of every
kind (through the store, and through the /kb add form); then the bot shows those entries through every path a
reader or a moderator has.  Every message-creating request the bot made (interaction callbacks that show a
message, followups, webhook edits, channel messages) must carry allowed_mentions that allow nothing: "parse" is
an empty list, no "users" or "roles" ids, and replied_user false where present.  Each path's message must also
show the stored text, which proves the path was exercised.
"""

from __future__ import annotations

import re
from typing import Any

from bot.models import Actor, Entry
from tests.e2e.kb_harness import (
    KB,
    buttons,
    form,
    kb_client,  # noqa: F401  (the `kb` fixture)
    kb_guild,  # noqa: F401  (the `guild` fixture)
    private,
)
from tests.fake_discord import FakeDiscord, Record, message_bodies, payloads

PINGS = ("@everyone", "@here", "<@&1234567890123456>", "<@1234567890123456>", "<@!1234567890123456>")
ALL = " ".join(PINGS)
READER = payloads.user(1200000000000000505, "reader", global_name="Reader")
DM_CHANNEL = 1400000000000000505
QUESTION = "what did the zorblax siren do"


def ping_entries() -> list[Entry]:
    """An entry of every kind whose text (and title) would ping everyone, a role and a user."""
    return [
        Entry(
            kind="fact",
            id="zorblax-siren",
            topic=f"sirens {ALL}",
            text=f"The zorblax siren called {ALL}.",
            keywords=("zorblax", "siren", "@everyone", "<@&1234567890123456>"),
            paragraphs=(3,),
        ),
        # (worded apart from the first, or /ask shows only one of the two "same news" entries)
        Entry(
            kind="fact",
            id="zorblax-echo",
            topic="sirens",
            keywords=("zorblax",),
            paragraphs=(4,),
            # (the ping early on: "See also" shows only an entry's first clause)
            text="Long after midnight a zorblax siren woke @everyone in the barracks, echoing across the frozen "
            "river valley.",
        ),
        Entry(
            kind="quote",
            id="quote-pinger",
            speaker="@here",
            text=f"Listen up {ALL}",
            context=f"shouted at {ALL}",
            source="the radio of <@1234567890123456>",
            is_context=True,
        ),
        Entry(
            kind="event", id="ev-pinged", when=f"{ALL} o'clock", sort=1, text=f"A siren pinged {ALL}.", paragraphs=(2,)
        ),
        Entry(
            kind="person",
            id="pinger",
            name="@everyone Pinger",
            role=f"caller of {ALL}",
            text=f"Pinger rang {ALL} all day.",
            paragraphs=(5,),
        ),
        Entry(
            kind="term",
            id="zorbterm",
            term="zorbterm <@&1234567890123456>",
            text=f"What {ALL} call a siren.",
            paragraphs=(6,),
        ),
    ]


async def add_ping_entries(kb: KB) -> None:
    actor = Actor("1200000000000000999", "@everyone <@1234567890123456>")  # a moderator's name can ping too
    for entry in ping_entries():
        await kb.app.store.add(entry, actor)


# ---- reading what the bot sent ---------------------------------------------------------------------------------


def assert_nobody_pinged(fake: FakeDiscord, at_least: int) -> None:
    checked = message_bodies(fake.requests)
    assert len(checked) >= at_least, checked
    for record, body in checked:
        assert record.ok, record
        mentions = body.get("allowed_mentions")
        assert mentions is not None, f"no allowed_mentions: {record}"
        assert mentions.get("parse") == [], record
        assert not mentions.get("users") and not mentions.get("roles"), record
        assert mentions.get("replied_user", False) is False, record


def shown(body: dict[str, Any]) -> str:
    """All the text a message shows: content, and every embed's title, description, fields and footer."""
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [
            embed.get("title") or "",
            embed.get("description") or "",
            (embed.get("footer") or {}).get("text") or "",
        ]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


def data_of(record: Record) -> dict[str, Any]:
    assert record.ok, record
    return record.json.get("data", record.json)


def assert_shows_pings(record: Record, pings: tuple[str, ...] = PINGS) -> str:
    text = shown(data_of(record))
    for ping in pings:
        assert ping in text, (ping, text)
    return text


async def slash(kb: KB, name: str, options: dict[str, Any] | None = None) -> Record:
    return await kb.slash(name, options, user=READER)


# ---- the tests ---------------------------------------------------------------------------------------------


async def test_reader_commands_show_stored_pings_without_pinging(kb):
    await add_ping_entries(kb)
    fake = kb.fake

    # /ask: the answer and its See also both hold stored pings
    record = await slash(kb, "ask", {"question": QUESTION})
    text = assert_shows_pings(record)
    (see_also,) = [f for f in data_of(record)["embeds"][0]["fields"] if f["name"] == "See also"]
    assert "zorblax siren" in see_also["value"] and "@everyone" in see_also["value"], text
    # Show source on that answer: article text, ephemeral
    source = await kb.press(buttons(data_of(record))["Show source"], kb.message_of(record), user=READER)
    assert source.ok and source.json["data"]["embeds"]

    assert_shows_pings(await slash(kb, "fact", {"id": "zorblax-siren"}))
    assert_shows_pings(await slash(kb, "fact", {"topic": "sirens @everyone"}))
    assert_shows_pings(await slash(kb, "quote", {"speaker": "@here"}))
    assert_shows_pings(await slash(kb, "who", {"name": "@everyone Pinger"}))
    assert_shows_pings(await slash(kb, "explain", {"term": "zorbterm"}))
    assert_shows_pings(await slash(kb, "timeline"))

    # /search: every ping entry, on two pages; Next edits the message with the second page
    record = await slash(kb, "search", {"query": "everyone"})
    assert_shows_pings(record)
    turned = await kb.press(buttons(data_of(record))["Next"], kb.message_of(record), user=READER)
    assert turned.json["type"] == 7
    assert "@everyone" in shown(data_of(turned))

    # replies that echo what the user typed, or list stored titles
    assert "@everyone" in shown(data_of(await slash(kb, "fact", {"id": "@everyone"})))
    assert "<@&1234567890123456>" in shown(data_of(await slash(kb, "explain", {"term": "@here qqqq"})))
    # autocomplete offers the stored titles (choices are not messages: nothing can ping there)
    choices = await fake.interact(
        payloads.autocomplete("who", {"name": "@every"}, focused="name", user=READER, guild_id=kb.guild)
    )
    assert "@everyone Pinger" in [c["name"] for c in choices.json["data"]["choices"]]

    assert_nobody_pinged(fake, at_least=12)


async def test_dm_and_mention_answers_show_stored_pings_without_pinging(kb):
    await add_ping_entries(kb)
    fake = kb.fake

    sent = await fake.dispatch(
        "MESSAGE_CREATE", payloads.message_create(QUESTION, author=READER, channel_id=DM_CHANNEL)
    )
    assert_shows_pings(await fake.wait_for_message(sent["channel_id"]))

    me = fake.bot_user
    sent = await fake.dispatch(
        "MESSAGE_CREATE",
        payloads.message_create(f"<@{me['id']}> {QUESTION}", author=READER, guild_id=kb.guild, mentions=[me]),
    )
    record = await fake.wait_for_message(sent["channel_id"])
    assert_shows_pings(record)
    assert record.json["allowed_mentions"] == {"parse": [], "replied_user": False}

    # a question that is itself a ping is answered without pinging either
    sent = await fake.dispatch(
        "MESSAGE_CREATE",
        payloads.message_create(f"<@{me['id']}> {ALL}", author=READER, guild_id=kb.guild, mentions=[me]),
    )
    await fake.wait_for_message(sent["channel_id"])

    assert_nobody_pinged(fake, at_least=3)


async def test_moderator_commands_show_stored_pings_without_pinging(kb):
    await add_ping_entries(kb)
    fake, store = kb.fake, kb.app.store

    # /kb add through the form: the confirmation shows what was saved
    custom_id, _ = form(await kb.slash("kb add", {"kind": "fact"}))
    added = await kb.submit(
        custom_id,
        {
            "topic": f"horns {ALL}",
            "text": f"The quuxly horn summoned {ALL}.",
            "keywords": "quuxly, horn",
            "citations": "2",
        },
    )
    private(added)
    assert_shows_pings(added)
    match = re.fullmatch(r"Added fact `([a-z0-9-]+)` \(version 1\)", data_of(added)["embeds"][0]["title"])
    assert match, data_of(added)
    fact_id = match[1]
    fact = await store.get(fact_id)
    assert fact is not None and fact.text == f"The quuxly horn summoned {ALL}.", await store.ids(None, "horns")
    custom_id, _ = form(await kb.slash("kb add", {"kind": "person"}))
    person = await kb.submit(
        custom_id,
        {"name": f"{ALL} Caller", "role": f"pings {ALL}", "text": f"Calls {ALL} every morning.", "citations": "4, 5"},
    )
    assert_shows_pings(person)
    # ...and readers are answered from it
    assert_shows_pings(await slash(kb, "ask", {"question": "what did the quuxly horn do"}))

    # /kb history and /kb log show revisions' text (and the moderator's name)
    assert_shows_pings(await kb.slash("kb history", {"kind": "fact", "id": fact_id}))
    log = await kb.slash("kb log")
    assert_shows_pings(log)
    turned = await kb.press(buttons(data_of(log))["Next"], kb.message_of(log))
    assert turned.json["type"] == 7 and "@everyone" in shown(data_of(turned))

    # /kb edit: the form, then the saved confirmation
    custom_id, values = form(await kb.slash("kb edit", {"kind": "fact", "id": "zorblax-siren"}))
    assert values["f:text"] == f"The zorblax siren called {ALL}."
    saved = await kb.submit(
        custom_id,
        {"topic": "sirens", "text": f"The zorblax siren called {ALL} again.", "keywords": "zorblax", "citations": "3"},
    )
    assert_shows_pings(saved)

    # /kb revert to the create: the reverted text is shown
    history, _ = await store.history("zorblax-siren")
    create = next(r.id for r in history if r.action == "create")
    assert_shows_pings(await kb.slash("kb revert", {"revision": create}))

    # /kb remove: the preview, then Remove edits it into the removal notice; /kb restore
    preview = await kb.slash("kb remove", {"kind": "fact", "id": "zorblax-siren"})
    assert_shows_pings(preview)
    done = await kb.press(buttons(data_of(preview))["Remove"], kb.message_of(preview))
    assert done.json["type"] == 7
    assert_shows_pings(await kb.edit_of(done))
    assert_shows_pings(await kb.slash("kb restore", {"kind": "fact", "id": "zorblax-siren"}))

    # an import preview and its confirmation (ids only, but a message all the same)
    document = (await kb.app.moderation.export_bytes()).replace(b"The quuxly horn", b"The loud quuxly horn")
    first, followup = await kb.upload(document)
    assert first.json["type"] == 5 and followup is not None and followup.ok
    assert fact_id in shown(followup.json)
    confirm = await kb.press(
        buttons(followup.json)["Confirm import"],
        fake.message(followup.response["id"]) if followup.response else kb.message_of(first),
    )
    assert confirm.ok
    await fake.wait_for(lambda r: r.route == "PATCH /webhooks/{application_id}/{token}/messages/{message_id}")

    assert_nobody_pinged(fake, at_least=14)
