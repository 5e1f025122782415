"""Learning from real questions on Discord: "Wrong answer?" on every answer, /kb inbox with Teach… and Dismiss,
/kb teach, and the moderator fence around all of it (a refused press leaves the database byte for byte)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.app import open_app
from bot.handlers import inbox as inbox_module
from bot.handlers.inbox import INBOX_PAGE
from tests.e2e.conftest import EPHEMERAL, button, labels, running_bot
from tests.e2e.kb_harness import (
    KB,
    MOD_ROLE,
    buttons,
    embed,
    form,
    kb_client,  # noqa: F401  (the `kb` fixture)
    kb_guild,  # noqa: F401  (the `guild` fixture: with the moderator role)
    kb_settings,
    private,
)
from tests.e2e.test_kb_permissions import database_state, refused
from tests.fake_discord import Record, payloads

READER = payloads.user(1200000000000000303, "reader", global_name="Reader")
OTHER_READER = payloads.user(1200000000000000404, "another-reader")
SHOT = "how many times was the soldier shot"
COST = "how much did the soldiers surgery cost"
SURGEON = "operated-on-by-trauma-surgeon"


async def ask(kb: KB, question: str, user: dict[str, Any] = READER) -> tuple[Record, dict[str, Any]]:
    """/ask in the server as a reader: the callback and the message it made."""
    record = await kb.slash("ask", {"question": question}, user=user)
    assert record.ok and record.json["type"] == 4, record.json
    return record, kb.message_of(record)


async def refused_question(kb: KB, question: str = COST, user: dict[str, Any] = READER) -> None:
    """Ask something the bot cannot answer, and wait until the inbox has it."""
    record, _ = await ask(kb, question, user)
    assert not embed(record)["title"].startswith(question[:10])  # "I don't know" / "The article doesn't say"
    await kb.app.inbox.flush()


def wrong_answer_id(message: dict[str, Any]) -> str:
    return button(message, "Wrong answer?")["custom_id"]


async def report(kb: KB, message: dict[str, Any], comment: str, user: dict[str, Any] = READER) -> Record:
    """Press Wrong answer? and send the form: what the reader is finally told (after the "thinking…")."""
    pressed = await kb.press(wrong_answer_id(message), message, user=user)
    custom_id, inputs = form(pressed)
    assert custom_id.startswith("sb:report:") and inputs == {"f:comment": None}
    return await kb.submit(custom_id, {"comment": comment}, user=user)


async def inbox_message(kb: KB, page: int | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """/kb inbox as the moderator: the embed and the message (to press its buttons)."""
    shown = await kb.slash("kb inbox", {"page": page} if page else {})
    data = private(shown)
    return data["embeds"][0], shown.response


# ---- Wrong answer? ------------------------------------------------------------------------------------------


async def test_every_answer_has_wrong_answer_next_to_show_source(kb):
    _, message = await ask(kb, SHOT)
    assert labels(message) == ["Show source", "Wrong answer?"]
    assert re.fullmatch(r"sb:wrong:shot-five-times:[0-9a-f]{10}", wrong_answer_id(message))
    _, message = await ask(kb, COST)
    assert "Wrong answer?" not in labels(message)  # nothing was answered, so nothing to report


async def test_the_report_flow_end_to_end(kb):
    _, message = await ask(kb, SHOT)
    pressed = await kb.press(wrong_answer_id(message), message, user=READER)
    modal = pressed.json["data"]
    assert pressed.json["type"] == 9 and modal["title"] == "Report a wrong answer"
    [text_input] = [c for row in modal["components"] for c in row["components"]]
    assert text_input["label"] == "What were you looking for?"
    assert text_input["max_length"] == 300 and text_input["required"] is False

    thanks = await report(kb, message, "The hospital's name, @everyone <@1234> [click](https://spam.example)")
    data = private(thanks)
    assert data["embeds"][0]["title"] == "Thank you"
    [item] = (await kb.app.store.inbox_page(0, 10))[0]
    assert (item.kind, item.entry_id, item.questions, item.count) == ("reported", "shot-five-times", (SHOT,), 1)
    assert item.places == (kb.guild["id"],)

    shown, _ = await inbox_message(kb)
    [field] = shown["fields"]
    assert field["name"] == f"#{item.id} · answer reported once by 1 person"
    assert f"`{SHOT}`" in field["value"] and "Answer given: fact `shot-five-times`" in field["value"]
    # A comment is shown as typed, inside a code span: no mention, link or markup of it is rendered.
    assert "Comment: `The hospital's name, @everyone <@1234> [click](https://spam.example)`" in field["value"]


async def test_one_report_per_person_per_answer(kb, monkeypatch):
    monkeypatch.setattr(inbox_module, "REPORT_COOLDOWN_SECONDS", 0.0)
    _, message = await ask(kb, SHOT)
    assert private(await report(kb, message, "first"))["embeds"][0]["title"] == "Thank you"
    again = await kb.press(wrong_answer_id(message), message, user=READER)
    assert again.json["type"] == 4  # no form this time
    assert private(again)["embeds"][0]["title"] == "Already reported"
    # The same question asked again, by the same person: the same answer, reported already.
    _, repeat = await ask(kb, "How many times was the soldier shot?")
    assert private(await kb.press(wrong_answer_id(repeat), repeat, user=READER))["embeds"][0]["title"] == (
        "Already reported"
    )
    assert private(await report(kb, message, "", user=OTHER_READER))["embeds"][0]["title"] == "Thank you"
    [item] = (await kb.app.store.inbox_page(0, 10))[0]
    assert (item.count, item.askers, item.comments) == (2, 2, ("first",))


async def test_reports_have_a_per_person_cooldown(kb):
    _, first = await ask(kb, SHOT)
    _, second = await ask(kb, "who drove the jeep")
    assert private(await report(kb, first, ""))["embeds"][0]["title"] == "Thank you"
    wait = private(await kb.press(wrong_answer_id(second), second, user=READER))
    assert wait["embeds"][0]["title"] == "Wait" and "in 60 s" in wait["embeds"][0]["description"]
    assert private(await report(kb, second, "", user=OTHER_READER))["embeds"][0]["title"] == "Thank you"


async def test_wrong_answer_on_a_dm_answer_works_after_a_restart(fake, settings, guild):
    app = await open_app(kb_settings(settings, guild, payloads.user(name="moddy")))
    try:
        async with running_bot(app):
            sent = await fake.dispatch("MESSAGE_CREATE", payloads.message_create(SHOT, author=READER))
            reply = (await fake.wait_for_message(sent["channel_id"])).response
            assert labels(reply) == ["Show source", "Wrong answer?"]
    finally:
        await app.close()
    app = await open_app(kb_settings(settings, guild, payloads.user(name="moddy")))  # no memory of the answer
    try:
        async with running_bot(app):
            pressed = await fake.interact(payloads.component(wrong_answer_id(reply), message=reply, user=READER))
            custom_id, _ = form(pressed)
            sent = await fake.dispatch_interaction(
                payloads.modal_submit(custom_id, {"f:comment": "a DM report"}, user=READER)
            )
            assert (await fake.wait_for_interaction_response(sent)).json["type"] == 5
            thanks = await fake.wait_for_followup(sent)
            assert thanks.json["embeds"][0]["title"] == "Thank you" and thanks.json["flags"] & EPHEMERAL
            [item] = (await app.store.inbox_page(0, 10))[0]
            assert (item.questions, item.entry_id, item.places, item.comments) == (
                (SHOT,),
                "shot-five-times",
                ("DM",),
                ("a DM report",),
            )
    finally:
        await app.close()


# ---- /kb inbox: paging, Dismiss, Teach… -----------------------------------------------------------------------


async def test_the_inbox_pages_most_asked_first_and_dismisses(kb):
    for n in range(INBOX_PAGE + 2):
        for asker in range(n + 1):
            await kb.app.store.record_question(f"key {n}", f"question number {n}?", "DM", str(asker), max_items=99)
    shown, message = await inbox_message(kb)
    assert [f["name"].split(" · ")[1] for f in shown["fields"]] == ["not answered"] * INBOX_PAGE
    assert shown["fields"][0]["value"].startswith("`question number 5?`")
    assert shown["footer"]["text"].startswith("Page 1/2")
    ids = [int(f["name"].split(" · ")[0][1:]) for f in shown["fields"]]
    rows = [[c["label"] for c in row["components"]] for row in message["components"]]
    assert rows == [[f"Teach… #{i}", f"Dismiss #{i}"] for i in ids] + [["Prev", "Next"]]
    assert buttons(message)["Next"] == "kb:ibx:next:2"

    turned = await kb.press("kb:ibx:next:2", message)
    assert turned.json["type"] == 6  # the press is answered at once; the page follows
    edited = await kb.edit_of(turned)
    page_two, message = edited.json, edited.response  # the message as it now is, with page 2's buttons
    assert [f["value"].splitlines()[0] for f in page_two["embeds"][0]["fields"]] == [
        "`question number 1?`",
        "`question number 0?`",
    ]
    last = int(page_two["embeds"][0]["fields"][-1]["name"].split(" · ")[0][1:])

    dismissed = await kb.press(f"kb:ibx:dismiss:{last}:2", message)
    after = (await kb.edit_of(dismissed)).json
    assert after["content"] == f"Dismissed inbox item #{last}"
    assert [f["value"].splitlines()[0] for f in after["embeds"][0]["fields"]] == ["`question number 1?`"]
    assert await kb.app.store.inbox_item(last) is None


async def test_an_empty_inbox_says_so(kb):
    shown, message = await inbox_message(kb)
    assert shown["title"] == "Inbox" and "Nothing here" in shown["description"]
    assert not message.get("components")


async def test_teach_from_the_inbox_then_ask_then_revert(kb):
    await refused_question(kb, COST)
    await refused_question(kb, "How much did the soldier's surgery cost?", user=OTHER_READER)
    shown, message = await inbox_message(kb)
    [field] = shown["fields"]
    item_id = int(field["name"].split(" · ")[0][1:])
    assert field["name"].endswith("asked 2 times by 2 people")

    teach = await kb.press(f"kb:ibx:teach:{item_id}", message)
    menus = private(teach)
    assert menus["embeds"][0]["title"].startswith(f"Teach #{item_id}: ")
    options = {
        c["custom_id"]: [o["value"] for o in c["options"]] for row in menus["components"] for c in row["components"]
    }
    assert SURGEON in options[f"kb:ibx:pick:{item_id}"]
    assert options[f"kb:ibx:new:{item_id}"] == ["fact", "quote", "event", "person", "term"]

    picked = await kb.press(f"kb:ibx:pick:{item_id}", kb.message_of(teach), component_type=3, values=[SURGEON])
    assert picked.json["type"] == 7 and picked.json["data"]["content"].startswith("Teaching")
    result = (await kb.edit_of(picked)).json["embeds"][0]
    assert result["title"] == f"Taught fact `{SURGEON}`" and "Closed 1 inbox item." in result["description"]
    assert (await kb.app.store.inbox_page(0, 10))[1] == 0

    for variant in (COST, "how much did the soliders surgrey cost lol"):
        answered, _ = await ask(kb, variant)
        assert embed(answered)["description"] == (await kb.app.store.get(SURGEON)).text

    revision = int(re.search(r"/kb revert (\d+)", result["description"])[1])
    undone = embed(await kb.slash("kb revert", {"revision": revision}))
    assert undone["title"] == f"Undid revision #{revision} of fact `{SURGEON}`"
    after, _ = await ask(kb, COST)
    assert embed(after)["description"] != (await kb.app.store.get(SURGEON)).text


async def test_teach_a_new_entry_from_the_inbox(kb):
    await refused_question(kb, "what was the soldiers favorite food")
    [item], _ = await kb.app.store.inbox_page(0, 10)
    teach = await kb.press(f"kb:ibx:teach:{item.id}", (await inbox_message(kb))[1])
    chose = await kb.press(f"kb:ibx:new:{item.id}", kb.message_of(teach), component_type=3, values=["fact"])
    custom_id, inputs = form(chose)
    assert custom_id.startswith("kb:form:teach:fact:") and set(inputs) == {
        "f:topic",
        "f:text",
        "f:keywords",
        "f:citations",
    }
    saved = embed(
        await kb.submit(
            custom_id, {"topic": "food", "text": "He was fed in the hospital.", "keywords": "", "citations": "9"}
        )
    )
    assert saved["title"] == "Added fact `food-he-was-fed-in-the` (version 1)"
    assert "is answered with this entry from now on" in saved["description"]
    assert "Closed 1 inbox item." in saved["description"]
    answered, _ = await ask(kb, "What was the soldier's favorite food?")
    assert embed(answered)["description"] == "He was fed in the hospital."


# ---- /kb teach ------------------------------------------------------------------------------------------------


async def test_kb_teach_with_autocomplete(kb):
    focused = await kb.fake.interact(
        payloads.autocomplete("kb teach", {"question": COST}, focused="entry", guild_id=kb.guild, user=kb.moderator)
    )
    suggested = [c["value"] for c in focused.json["data"]["choices"]]
    assert SURGEON in suggested[:5]
    typed = await kb.fake.interact(
        payloads.autocomplete(
            "kb teach", {"question": COST, "entry": "shot"}, focused="entry", guild_id=kb.guild, user=kb.moderator
        )
    )
    typed_ids = [c["value"] for c in typed.json["data"]["choices"]]
    assert "shot-five-times" in typed_ids and all("shot" in i for i in typed_ids)
    outsider = await kb.fake.interact(
        payloads.autocomplete("kb teach", {"question": COST}, focused="entry", guild_id=kb.guild, user=READER)
    )
    assert outsider.json["data"]["choices"] == []

    taught = embed(await kb.slash("kb teach", {"question": COST, "entry": SURGEON}))
    assert taught["title"] == f"Taught fact `{SURGEON}`"
    answered, _ = await ask(kb, "How much did the soldier's surgery cost?")
    assert embed(answered)["description"] == (await kb.app.store.get(SURGEON)).text
    history = embed(await kb.slash("kb history", {"kind": "fact", "id": SURGEON}))
    assert "taught by moddy" in history["fields"][0]["name"]
    assert f"questions: + `{COST}`" in history["fields"][0]["value"]


# ---- the fence ------------------------------------------------------------------------------------------------


ROLE_HOLDER = payloads.user(1200000000000000505, "had-the-role")


@pytest.mark.parametrize("role_removed", [False, True], ids=["a reader", "a moderator whose role was removed"])
async def test_copied_inbox_buttons_menus_and_forms_change_nothing(kb, role_removed):
    await refused_question(kb, COST)
    await refused_question(kb, COST, user=OTHER_READER)
    await refused_question(kb, "what is his blood type")
    for n in range(INBOX_PAGE):  # enough for a second page
        await kb.app.store.record_question(f"key {n}", f"question number {n}?", "DM", "1", max_items=99)
    [first, second, *_], _ = await kb.app.store.inbox_page(0, 10)
    # Opened by a moderator: the fixture's (a listed user), or one who holds the moderator role, for now.
    opener: dict[str, Any] = {"user": ROLE_HOLDER, "roles": (MOD_ROLE,)} if role_removed else {}
    shown = await kb.slash("kb inbox", {}, **opener)
    message = private(shown) and shown.response
    teach = await kb.press(f"kb:ibx:teach:{first.id}", message, **opener)
    menus = kb.message_of(teach)
    chose = await kb.press(f"kb:ibx:new:{first.id}", menus, component_type=3, values=["fact"], **opener)
    form_id, _ = form(chose)
    state = database_state(kb.app.store.path)

    user = ROLE_HOLDER if role_removed else READER  # and now without the role
    presses = [
        (f"kb:ibx:teach:{first.id}", message, {}),
        (f"kb:ibx:dismiss:{second.id}:1", message, {}),
        ("kb:ibx:next:2", message, {}),
        (f"kb:ibx:pick:{first.id}", menus, {"component_type": 3, "values": [SURGEON]}),
        (f"kb:ibx:new:{first.id}", menus, {"component_type": 3, "values": ["fact"]}),
    ]
    for custom_id, on, extra in presses:
        refused(await kb.press(custom_id, on, user=user, **extra), custom_id)
    forged = await kb.submit(
        form_id, {"topic": "x", "text": "An outsider's fact.", "keywords": "", "citations": "3"}, user=user
    )
    refused(forged, "the teach form")
    command = await kb.slash("kb teach", {"question": COST, "entry": SURGEON}, user=user)
    assert command.json["data"]["content"] == "Only StoryBot moderators can change the story's data here."
    assert database_state(kb.app.store.path) == state
