"""/kb words through the real client and a fake Discord: a moderator teaches the bot a word and /ask uses it at
once; the autocomplete, the paged list, imports with a lexicon section; an outsider is refused and changes nothing."""

from __future__ import annotations

import json
import logging
from typing import Any

from bot.discord_app.moderation import REFUSAL
from tests.e2e.kb_harness import (
    KB,
    buttons,
    embed,
    kb_actor,
    kb_client,  # noqa: F401  (the `kb` fixture)
    kb_guild,  # noqa: F401  (the `guild` fixture)
    private,
)
from tests.fake_discord import payloads

STUCK = "what was the zorp stuck in"
DITCH = "The soldier’s vehicle got stuck in a ditch"


async def lexicon_state(kb: KB) -> tuple[int, dict[str, Any], int]:
    additions = await kb.app.store.lexicon_additions()
    return additions.version, additions.document, (await kb.app.store.recent_revisions(0, 1))[1]


async def add(kb: KB, kind: str, text: str, **who: Any) -> dict[str, Any]:
    return private(await kb.slash("kb words add", {"kind": kind, "text": text}, **who))


async def test_a_moderator_teaches_a_synonym_and_ask_uses_it_at_once(kb):
    assert DITCH not in await kb.ask(STUCK)
    shown = await add(kb, "synonyms", "zorp, jeep")
    assert shown["embeds"][0]["title"] == "Added to the lexicon"
    assert shown["embeds"][0]["description"].startswith("+ synonyms: zorp, jeep\n\nThe next question uses it.")
    assert DITCH in await kb.ask(STUCK)
    revision = (await kb.app.store.recent_revisions(0, 1))[0][0]
    assert (revision.kind, revision.action, revision.actor_name) == ("lexicon", "add", "moddy")


async def test_a_bad_value_gets_one_line_and_changes_nothing(kb):
    before = await lexicon_state(kb)
    for kind, text, needle in [
        ("synonyms", "zorp", "e.g. `whip, jeep`"),
        ("category", "tank, apc", "e.g. `vehicle: tank, apc`"),
        ("abbreviation", "tbh", "e.g. `pmj = panmunjom`"),
    ]:
        shown = embed(await kb.slash("kb words add", {"kind": kind, "text": text}))
        assert shown["title"] == "Not changed"
        assert "\n" not in shown["description"] and needle in shown["description"], shown
    assert await lexicon_state(kb) == before


async def test_remove_is_offered_as_you_type_and_takes_the_word_back(kb):
    await add(kb, "synonyms", "zorp, jeep")
    await add(kb, "filler", "skibidi")
    record = await kb.fake.interact(
        payloads.autocomplete("kb words remove", {"item": "zo"}, focused="item", guild_id=kb.guild, user=kb.moderator)
    )
    assert record.json["type"] == 8
    assert record.json["data"]["choices"] == [{"name": "synonyms: zorp, jeep", "value": "synonyms: zorp, jeep"}]
    shown = private(await kb.slash("kb words remove", {"item": "synonyms: zorp, jeep"}))
    assert shown["embeds"][0]["title"] == "Removed from the lexicon"
    assert DITCH not in await kb.ask(STUCK)
    assert (await kb.app.store.lexicon_additions()).document == {"filler": ["skibidi"]}


async def test_the_list_is_paged_for_the_moderator(kb):
    assert embed(await kb.slash("kb words list"))["description"].startswith("None yet")
    for n in range(16):
        await kb.app.words.add("filler", f"skibidi{n:02d}", kb_actor(kb))
    record = await kb.slash("kb words list")
    first = private(record)
    assert first["embeds"][0]["description"].startswith("16 additions to the shipped lexicon")
    assert "filler: skibidi14" in first["embeds"][0]["description"]
    outsider = await kb.press(buttons(kb.message_of(record))["Next"], kb.message_of(record), user=payloads.user())
    assert outsider.json["data"]["content"] == REFUSAL  # the pager checks the moderator rule on every press
    page_two = await kb.press(buttons(kb.message_of(record))["Next"], kb.message_of(record))
    assert page_two.json["type"] == 7
    assert page_two.json["data"]["embeds"][0]["description"].endswith("filler: skibidi15")


async def test_the_log_and_revert_handle_lexicon_revisions(kb):
    await add(kb, "synonyms", "zorp, jeep")
    private(await kb.slash("kb words remove", {"item": "synonyms: zorp, jeep"}))
    log = embed(await kb.slash("kb log"))
    assert [f["name"] for f in log["fields"]][:2] == [
        "#2 · lexicon words removed by moddy",
        "#1 · lexicon words added by moddy",
    ]
    reverted = embed(await kb.slash("kb revert", {"revision": 1}))
    assert reverted["title"] == "Reverted the lexicon additions to revision #1"
    assert DITCH in await kb.ask(STUCK)


async def test_an_import_with_a_lexicon_section_is_previewed_and_applied(kb):
    document = json.loads(await kb.app.moderation.export_bytes())
    document["lexicon"] = {"synonyms": [["zorp", "jeep"]], "categories": {"vehicle": {"members": ["tank"]}}}
    first, followup = await kb.upload(json.dumps(document).encode())
    preview = followup.json["embeds"][0]
    lexicon = [f["value"] for f in preview["fields"] if f["name"] == "Lexicon"]
    assert lexicon == ["+1 synonym group, +1 category member\n+ synonyms: zorp, jeep\n+ category: vehicle: tank"]
    message = kb.message_of(first)
    press = await kb.press(buttons(message)["Confirm import"], message)
    done = (await kb.edit_of(press)).json["embeds"][0]
    assert done["title"] == "Import done"
    assert "Lexicon: +1 synonym group, +1 category member." in done["description"]
    assert DITCH in await kb.ask(STUCK)
    # and the export now carries the section, so importing it again changes nothing
    _first, again = await kb.upload(await kb.app.moderation.export_bytes())
    assert again.json["embeds"][0]["description"].startswith("Nothing would change.")


async def test_an_outsider_is_refused_everywhere_and_nothing_changes(kb, caplog):
    await add(kb, "synonyms", "zorp, jeep")
    before = await lexicon_state(kb)
    outsider = payloads.user(name="outsider")
    caplog.set_level(logging.WARNING, logger="bot.discord_app.moderation")
    for name, options in [
        ("kb words add", {"kind": "filler", "text": "skibidi"}),
        ("kb words remove", {"item": "synonyms: zorp, jeep"}),
        ("kb words list", {}),
    ]:
        record = await kb.slash(name, options, user=outsider)
        assert record.json["type"] == 4 and record.json["data"]["content"] == REFUSAL, name
        assert not record.json["data"].get("embeds"), name
    record = await kb.fake.interact(
        payloads.autocomplete("kb words remove", {"item": ""}, focused="item", guild_id=kb.guild, user=outsider)
    )
    assert record.json["data"]["choices"] == []
    assert await lexicon_state(kb) == before
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused /kb words")]
    assert [m.split(" for user ")[0] for m in logged] == [
        "refused /kb words add",
        "refused /kb words remove",
        "refused /kb words list",
    ]
    assert DITCH in await kb.ask(STUCK)  # the moderator's word still stands
