"""/kb export and /kb import through the real client and a fake Discord: the file a moderator downloads,
the preview, Confirm and Cancel, replace mode, and every kind of bad file."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.dataset import dump_dataset
from tests.e2e.conftest import EPHEMERAL
from tests.e2e.kb_harness import (
    KB,
    MOD_ROLE,
    buttons,
    kb_client,  # noqa: F401  (the `kb` fixture)
    kb_guild,  # noqa: F401  (the `guild` fixture)
)
from tests.fake_discord import payloads

# The moderator guild, the `kb` client and the helpers are tests/e2e/kb_harness.py (shared by every test_kb_* file).


def fields(embed: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


async def snapshot(kb: KB) -> tuple[list, int]:
    entries = await kb.app.store.entries(include_deleted=True)
    _, revisions = await kb.app.store.recent_revisions(0, 1)
    return entries, revisions


async def export(kb: KB) -> bytes:
    record = await kb.slash("kb export")
    assert record.files, record
    return record.files[0].data


def changed_document(raw: bytes) -> tuple[bytes, str]:
    """The export with the first fact's text changed and one fact added."""
    document = json.loads(raw)
    document["facts"][0]["text"] = "Changed by a moderator's import."
    document["facts"].append(
        {
            "id": "imported-zeppelin",
            "topic": "zeppelins",
            "text": "A zeppelin was seen over the truce village.",
            "paragraphs": [3],
            "keywords": ["airship"],
        }
    )
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"), document["facts"][0]["id"]


# ---- export ------------------------------------------------------------------------------------------


async def test_export_is_a_private_json_file_of_the_whole_store(kb):
    record = await kb.slash("kb export")
    assert record.json["type"] == 4
    data = record.json["data"]
    assert data["flags"] & EPHEMERAL
    assert data["content"] == "The whole store, in the format of data/story.json."
    assert [f.filename for f in record.files] == ["storybot-export.json"]
    message = kb.message_of(record)
    assert [a["filename"] for a in message["attachments"]] == ["storybot-export.json"]
    document = json.loads(record.files[0].data.decode("utf-8"))
    seed = json.loads((kb.app.settings.data_dir / "story.json").read_text(encoding="utf-8"))
    assert list(document) == ["format", "facts", "quotes", "events", "people", "terms"] == list(seed)
    assert document["format"] == "storybot/1"
    for plural in list(seed)[1:]:
        assert {e["id"] for e in document[plural]} == {e["id"] for e in seed[plural]}, plural
    assert document == dump_dataset(await kb.app.store.entries())


async def test_importing_the_export_changes_nothing_and_offers_no_confirm(kb):
    raw = await export(kb)
    before = await snapshot(kb)
    first, followup = await kb.upload(raw, filename="storybot-export.json")
    assert first.json["type"] == 5 and first.json["data"]["flags"] & EPHEMERAL
    embed = followup.json["embeds"][0]
    assert embed["title"] == "Import preview"
    assert embed["description"] == "Nothing would change. 94 entries are already the same."
    assert fields(embed)["Added (0)"] == "none" and fields(embed)["Changed (0)"] == "none"
    assert not followup.json.get("components")
    assert buttons(kb.message_of(first)) == {}
    assert await snapshot(kb) == before


# ---- import: preview, cancel, confirm ----------------------------------------------------------------------


async def test_round_trip_preview_cancel_then_confirm(kb):
    raw, changed_id = changed_document(await export(kb))
    before = await snapshot(kb)

    first, followup = await kb.upload(raw)
    embed = followup.json["embeds"][0]
    assert embed["title"] == "Import preview"
    assert embed["description"].startswith("Dry run (merge): nothing is changed until you confirm.")
    assert fields(embed) == {
        "Added (1)": "`imported-zeppelin`",
        "Changed (1)": f"`{changed_id}`",
        "Removed (0)": "none (merge keeps them)",
    }
    preview = kb.message_of(first)
    assert preview["flags"] & EPHEMERAL
    choice = buttons(preview)
    assert set(choice) == {"Confirm import", "Cancel"}
    token = choice["Confirm import"].rsplit(":", 1)[1]
    assert choice == {"Confirm import": f"kb:imp:ok:{token}", "Cancel": f"kb:imp:no:{token}"}
    assert await snapshot(kb) == before  # the preview wrote nothing

    cancelled = await kb.press(choice["Cancel"], preview)
    assert cancelled.json["type"] == 7
    assert cancelled.json["data"]["content"] == "Import cancelled; nothing changed."
    assert cancelled.json["data"]["components"] == [] and cancelled.json["data"]["embeds"] == []
    assert await snapshot(kb) == before
    # Confirm after Cancel: the import is gone
    late = await kb.press(choice["Confirm import"], preview)
    assert late.json["type"] == 4 and late.json["data"]["flags"] & EPHEMERAL
    assert "expired or was already handled" in late.json["data"]["embeds"][0]["description"]
    assert await snapshot(kb) == before

    first, _ = await kb.upload(raw)
    preview = kb.message_of(first)
    confirmed = await kb.press(buttons(preview)["Confirm import"], preview)
    assert confirmed.json["type"] == 7
    assert confirmed.json["data"]["content"] == "Importing 2 changes…"
    assert confirmed.json["data"]["components"] == []
    result = await kb.edit_of(confirmed)
    assert result.json["content"] is None
    assert result.json["embeds"][0]["title"] == "Import done"
    assert result.json["embeds"][0]["description"].startswith("Added 1, changed 1, removed 0.")

    assert (await kb.app.store.get(changed_id)).text == "Changed by a moderator's import."
    assert (await kb.app.store.get("imported-zeppelin")).text == "A zeppelin was seen over the truce village."
    revisions, total = await kb.app.store.recent_revisions(0, 10)
    assert total == 2
    assert {(r.entry_id, r.action, r.actor_id, r.actor_name) for r in revisions} == {
        ("imported-zeppelin", "import", kb.moderator["id"], "moddy"),
        (changed_id, "import", kb.moderator["id"], "moddy"),
    }
    assert "A zeppelin was seen over the truce village." in await kb.ask("was a zeppelin seen over the village")
    log = (await kb.slash("kb log")).json["data"]["embeds"][0]
    assert all(" imported by moddy" in f["name"] for f in log["fields"])

    # a second press of the same Confirm imports nothing more
    again = await kb.press(buttons(preview)["Confirm import"], preview)
    assert "expired or was already handled" in again.json["data"]["embeds"][0]["description"]
    assert (await kb.app.store.recent_revisions())[1] == 2


async def test_replace_mode_removes_what_the_file_lacks(kb):
    document = json.loads(await export(kb))
    dropped = document["terms"].pop()["id"]
    first, followup = await kb.upload(json.dumps(document).encode(), mode="replace")
    embed = followup.json["embeds"][0]
    assert embed["description"].startswith("Dry run (replace)")
    assert fields(embed)["Removed (1)"] == f"`{dropped}`"
    assert await kb.app.store.get(dropped) is not None
    preview = kb.message_of(first)
    confirmed = await kb.press(buttons(preview)["Confirm import"], preview)
    result = await kb.edit_of(confirmed)
    assert result.json["embeds"][0]["description"].startswith("Added 0, changed 0, removed 1.")
    assert await kb.app.store.get(dropped) is None
    assert (await kb.app.store.get(dropped, include_deleted=True)).deleted  # a soft delete
    revision = (await kb.app.store.history(dropped))[0][0]
    assert (revision.action, revision.note) == ("import", "removed by import (replace)")


async def test_merge_mode_keeps_what_the_file_lacks(kb):
    document = json.loads(await export(kb))
    document["terms"].pop()
    _, followup = await kb.upload(json.dumps(document).encode(), mode="merge")
    assert followup.json["embeds"][0]["description"].startswith("Nothing would change.")


async def test_confirm_by_another_moderator_is_refused(kb):
    raw, changed_id = changed_document(await export(kb))
    first, _ = await kb.upload(raw)
    preview = kb.message_of(first)
    before = await snapshot(kb)
    other = payloads.user(name="other-mod")
    for label in ("Confirm import", "Cancel"):
        record = await kb.press(buttons(preview)[label], preview, user=other, roles=(MOD_ROLE,))
        assert record.json["type"] == 4 and record.json["data"]["flags"] & EPHEMERAL
        assert (
            "Only the moderator who uploaded this file can confirm or cancel it."
            in record.json["data"]["embeds"][0]["description"]
        )
    assert await snapshot(kb) == before
    # the uploader still can
    confirmed = await kb.press(buttons(preview)["Confirm import"], preview)
    await kb.edit_of(confirmed)
    assert (await kb.app.store.get(changed_id)).text == "Changed by a moderator's import."


# ---- bad files -----------------------------------------------------------------------------------------


def good_fact() -> dict[str, Any]:
    return {"id": "new-fact", "topic": "t", "text": "A new fact.", "paragraphs": [3]}


BAD_FILES = [
    ("truncated", lambda raw: raw[: len(raw) // 2], ["not valid JSON"]),
    (
        "facts is text",
        lambda raw: json.dumps({**json.loads(raw), "facts": "x"}).encode(),
        ["facts must be a list of entries"],
    ),
    (
        "paragraphs as strings",
        lambda raw: json.dumps({"facts": [{**good_fact(), "paragraphs": ["3", "4"]}]}).encode(),
        ["'new-fact': paragraphs must be a list of paragraph numbers"],
    ),
    (
        "quote not in the article",
        lambda raw: json.dumps(
            {
                "quotes": [
                    {
                        "id": "q-made-up",
                        "speaker": "Lee Cook-jong",
                        "text": "He will be fine by Friday",
                        "paragraphs": [10],
                    }
                ]
            }
        ).encode(),
        ["quote 'q-made-up': the quote does not appear word for word in paragraph(s) 10"],
    ),
    (
        "duplicate ids",
        lambda raw: json.dumps({"facts": [good_fact(), {**good_fact(), "text": "Again."}]}).encode(),
        ["fact 'new-fact': duplicate id (already used by a fact)"],
    ),
    (
        "unknown section",
        lambda raw: json.dumps({"rumours": [good_fact()]}).encode(),
        ["unknown section 'rumours' (expected facts, quotes, events, people, terms, lexicon)"],
    ),
    (
        "several problems",
        lambda raw: json.dumps({"facts": [{**good_fact(), "paragraphs": [99]}, {"id": "Bad Id", "text": ""}]}).encode(),
        ["cites paragraph 99", "id must be 2-48 characters", "text is required"],
    ),
]


@pytest.mark.parametrize(("name", "make", "problems"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
async def test_bad_file_lists_its_problems_and_changes_nothing(kb, name, make, problems):
    raw = make(await export(kb))
    before = await snapshot(kb)
    first, followup = await kb.upload(raw, filename="broken.json")
    assert first.json["type"] == 5
    embed = followup.json["embeds"][0]
    assert embed["title"] == "broken.json was not imported"
    for problem in problems:
        assert problem in embed["description"], embed["description"]
    assert embed["description"].startswith("• ")
    assert not followup.json.get("components")
    assert await snapshot(kb) == before
    assert len(kb.client.pending_imports) == 0


async def test_file_over_five_megabytes_is_refused_before_download(kb):
    attachment = kb.fake.attachment("huge.json", b"{}")
    attachment["size"] = 6_000_000  # what Discord says the upload weighs
    before = await snapshot(kb)
    first, followup = await kb.upload(b"", attachment=attachment)
    assert followup is None
    assert first.json["type"] == 4  # answered at once: no "thinking", no download
    data = first.json["data"]
    assert data["flags"] & EPHEMERAL
    assert data["content"] == (
        "huge.json is 6.0 MB; imports from Discord are limited to 5 MB (use `python -m bot import` for larger files)."
    )
    assert await snapshot(kb) == before


async def test_file_larger_than_it_claimed_is_refused_after_download(kb):
    raw = json.dumps({"facts": [good_fact()]}).encode()
    raw += b" " * (5_000_001 - len(raw))
    attachment = kb.fake.attachment("liar.json", raw)
    attachment["size"] = 100
    before = await snapshot(kb)
    _, followup = await kb.upload(b"", attachment=attachment)
    assert followup is not None
    assert "limited to 5 MB" in followup.json["embeds"][0]["description"]
    assert await snapshot(kb) == before
