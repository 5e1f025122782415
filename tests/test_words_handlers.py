"""Teaching the bot words at handler level (no Discord): /kb words add, remove and list, what questions do with
the words at once, the log, revert, and the lexicon section of imports and exports."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest

from bot.handlers import Reply
from bot.models import Actor
from bot.spans import annotate

ALICE = Actor("1001", "alice")
ALICE_ID = 1001
STUCK = "what was the zorp stuck in"


async def state(app) -> tuple:
    """Everything the lexicon commands can change: the additions, their version, the revision count."""
    additions = await app.store.lexicon_additions()
    return additions.version, additions.document, (await app.store.recent_revisions(0, 1))[1]


async def answer_id(app, question: str) -> str | None:
    answer = await app.answerer.ask(question)
    return answer.best.id if answer.found and answer.best else None


def refused(reply: Reply, *needles: str) -> str:
    assert reply.error and reply.title == "Not changed", reply
    assert "\n" not in reply.body, reply.body
    for needle in needles:
        assert needle in reply.body, reply.body
    return reply.body


# ---- add, remove, list ------------------------------------------------------------------------------------------


async def test_a_synonym_is_used_by_the_next_question(app):
    assert await answer_id(app, STUCK) is None
    reply = await app.words.add("synonyms", "zorp, jeep", ALICE)
    assert not reply.error and reply.title == "Added to the lexicon"
    assert reply.body.startswith("+ synonyms: zorp, jeep\n\nThe next question uses it.")
    assert await answer_id(app, STUCK) == "ev-jeep-stuck"
    assert (await app.store.lexicon_additions()).document == {"synonyms": [["zorp", "jeep"]]}


@pytest.mark.parametrize(
    ("kind", "text", "question", "answer"),
    [
        ("phrase", "let rip on = fired at", "who let rip on the soldier", "four-north-korean-pursuers"),
        ("abbreviation", "pmj = panmunjom", "where is pmj", "panmunjom"),
        ("filler", "skibidi", "skibidi how many times was the soldier shot", "shot-five-times"),
    ],
)
async def test_phrases_abbreviations_and_filler_reach_the_next_question(app, kind, text, question, answer):
    assert await answer_id(app, question) is None
    assert not (await app.words.add(kind, text, ALICE)).error
    assert await answer_id(app, question) == answer


async def test_a_new_category_is_named_as_new(app):
    known = await app.words.add("category", "vehicle: zorp", ALICE)
    assert known.body.startswith("+ category: vehicle: zorp\n\nThe next question")
    new = await app.words.add("category", "vehical: tank", ALICE)
    assert new.body.startswith(
        "+ category: vehical: tank\n“vehical” is a new category: “which vehical” now asks for its members.\n\n"
    )
    again = await app.words.add("category", "vehical: apc", ALICE)
    assert "new category" not in again.body


async def test_a_category_member_is_read_as_one(app):
    """The engine reads the answer types an entry holds with the lexicon's categories: "zorp" becomes a vehicle."""
    await app.answerer.ask("what did he drive")
    assert not any(s.kind == "member:vehicle" for s in annotate("he drove a zorp", app.answerer.lexicon))
    await app.words.add("category", "vehicle: zorp", ALICE)
    await app.answerer.ask("what did he drive")
    assert [s.text for s in annotate("he drove a zorp", app.answerer.lexicon) if s.kind == "member:vehicle"] == ["zorp"]


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("synonyms", "zorp", "e.g. `whip, jeep`. Nothing was added."),
        ("category", "zorp", "e.g. `vehicle: tank, apc` (categories: vehicle, weapon"),
        ("abbreviation", "zorp", "e.g. `pmj = panmunjom`. Nothing was added."),
        ("phrase", "zorp", "e.g. `opened up = fired`. Nothing was added."),
        ("filler", "lol", "The bot knows that already (the shipped lexicon): filler: lol."),
        ("filler", "sheesh, Jeep", "use it): as filler it would be dropped from every question. Nothing was added."),
        ("synonyms", "zorp, " + "j" * 70, "is 70 characters; a word or phrase has at most 60."),
        ("synonyms", "zorp, " * 200 + "jeep", "characters; at most 1000 at a time."),
        ("verbs", "zorp", "Unknown kind “verbs”"),
    ],
)
async def test_a_bad_value_gets_one_line_and_changes_nothing(app, kind, text, expected):
    before = await state(app)
    refused(await app.words.add(kind, text, ALICE), expected)
    assert await state(app) == before


async def test_remove_takes_an_addition_back(app):
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    await app.words.add("filler", "skibidi", ALICE)
    reply = await app.words.remove("synonyms: jeep, zorp", ALICE)
    assert not reply.error and reply.title == "Removed from the lexicon"
    assert reply.body.startswith("- synonyms: zorp, jeep\n\nThe next question goes without it.")
    assert await answer_id(app, STUCK) is None
    assert (await app.store.lexicon_additions()).document == {"filler": ["skibidi"]}


async def test_remove_of_something_not_added_changes_nothing(app):
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    before = await state(app)
    refused(await app.words.remove("filler: lol", ALICE), "No addition “filler: lol”", "Nothing was removed.")
    refused(await app.words.remove("zorp", ALICE), "No addition “zorp”")
    assert await state(app) == before


async def test_the_list_shows_additions_only_and_pages(app):
    empty = await app.words.listing()
    assert not empty.error and empty.body.startswith("None yet: the bot knows only the words it shipped with")
    for word in [f"skibidi{n:02d}" for n in range(20)]:
        await app.words.add("filler", word, ALICE)
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    first, second = await app.words.listing(1), await app.words.listing(2)
    assert first.title == "Lexicon additions" and (first.page.number, first.page.total) == (1, 2)
    assert first.body.startswith("21 additions to the shipped lexicon; `/kb words remove` takes one back.\n\n")
    shown = first.body.split("\n\n", 1)[1].splitlines() + second.body.split("\n\n", 1)[1].splitlines()
    assert shown == [f"filler: skibidi{n:02d}" for n in range(20)] + ["synonyms: zorp, jeep"]
    assert "lol" not in first.body  # the shipped lexicon is not listed
    assert (await app.words.listing(3)).body == "Pick a page from 1 to 2."


async def test_autocomplete_offers_the_additions_that_match(app):
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    await app.words.add("category", "vehicle: tank, apc", ALICE)
    assert await app.words.choices("", 25) == [
        "synonyms: zorp, jeep",
        "category: vehicle: tank",
        "category: vehicle: apc",
    ]
    assert await app.words.choices("TANK", 25) == ["category: vehicle: tank"]
    assert await app.words.choices("", 1) == ["synonyms: zorp, jeep"]


# ---- the log and revert ---------------------------------------------------------------------------------------------


async def test_the_log_shows_who_changed_which_words(app):
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    await app.words.remove("synonyms: zorp, jeep", ALICE)
    log = await app.moderation.log()
    names = [f.name for f in log.fields]
    assert names == ["#2 · lexicon words removed by alice", "#1 · lexicon words added by alice"]
    assert [f.value for f in log.fields] == [
        "-1 synonym group\n- synonyms: zorp, jeep",
        "+1 synonym group\n+ synonyms: zorp, jeep",
    ]


async def test_revert_puts_the_additions_back_as_a_revision_left_them(app):
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    await app.words.remove("synonyms: zorp, jeep", ALICE)
    assert await answer_id(app, STUCK) is None
    reply = await app.moderation.revert(1, ALICE)
    assert not reply.error and reply.title == "Reverted the lexicon additions to revision #1"
    assert reply.body.startswith("+ synonyms: zorp, jeep\n\nThe next question uses them.")
    assert await answer_id(app, STUCK) == "ev-jeep-stuck"
    revision = await app.store.revision(3)
    assert (revision.kind, revision.action, revision.note) == ("lexicon", "revert", "revert to revision #1")
    assert (await app.moderation.log()).fields[0].value.startswith("revert to revision #1\n+1 synonym group")


async def test_revert_to_what_the_additions_are_already_changes_nothing(app):
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    before = await state(app)
    reply = await app.moderation.revert(1, ALICE)
    assert reply.error and reply.body == "The lexicon additions already match revision #1; nothing to do."
    assert await state(app) == before


async def test_revert_of_a_revision_that_is_no_valid_lexicon_is_refused(app):
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    await app.words.remove("synonyms: zorp, jeep", ALICE)
    with sqlite3.connect(app.store.path) as db:  # as an older or a hand-edited database might hold it
        db.execute("UPDATE revisions SET after = ? WHERE id = 1", (json.dumps({"synonyms": "zorp"}),))
    before = await state(app)
    reply = await app.moderation.revert(1, ALICE)
    assert reply.error and reply.title == "Not reverted"
    assert reply.body == (
        "Revision #1 cannot be restored: what it recorded is not a valid lexicon today.\n"
        "• synonyms must be a list of lists"
    )
    assert await state(app) == before


async def test_entry_history_and_revert_are_unaffected(app):
    values = dict((await app.moderation.edit_form("fact", "shot-five-times")).form)
    await app.moderation.edit("fact", "shot-five-times", dict(values, text="Five shots."), 1, ALICE)  # #1
    await app.words.add("synonyms", "zorp, jeep", ALICE)  # #2
    await app.moderation.edit("fact", "shot-five-times", dict(values, text="Five bullets."), 2, ALICE)  # #3
    history = await app.moderation.history("fact", "shot-five-times")
    assert history.body.startswith("2 revisions.")
    assert [f.name.split(" · ")[0] for f in history.fields] == ["#3", "#1"]
    reply = await app.moderation.revert(1, ALICE)
    assert not reply.error and reply.title == "Reverted fact `shot-five-times` to revision #1"
    assert (await app.store.get("shot-five-times")).text == "Five shots."
    assert (await app.store.lexicon_additions()).version == 1


# ---- imports and exports ------------------------------------------------------------------------------------------


def export_doc(raw: bytes) -> dict:
    return json.loads(raw.decode("utf-8"))


async def test_the_export_carries_the_additions_only_when_there_are_some(app):
    assert "lexicon" not in export_doc(await app.moderation.export_bytes())
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    await app.words.add("category", "vehicle: tank", ALICE)
    doc = export_doc(await app.moderation.export_bytes())
    assert list(doc) == ["format", "facts", "quotes", "events", "people", "terms", "lexicon"]
    assert doc["lexicon"] == {"synonyms": [["zorp", "jeep"]], "categories": {"vehicle": {"members": ["tank"]}}}


@pytest.mark.parametrize("replace", [False, True])
async def test_export_then_import_changes_nothing(app, replace):
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    raw = await app.moderation.export_bytes()
    before = await state(app)
    reply = await app.moderation.preview_import(raw, replace)
    assert reply.plan.is_noop and reply.body.startswith("Nothing would change.")
    assert "Lexicon" not in [f.name for f in reply.fields]
    assert await state(app) == before


async def import_lexicon(app, lexicon: object, replace: bool) -> Reply:
    doc = export_doc(await app.moderation.export_bytes())
    doc["lexicon"] = lexicon
    reply = await app.moderation.preview_import(json.dumps(doc).encode(), replace)
    assert not reply.error, reply
    done = await app.moderation.apply_import(reply.plan, ALICE)
    assert not done.error, done
    return reply


async def test_import_merge_adds_to_the_additions(app):
    await app.words.add("filler", "skibidi", ALICE)
    preview = await import_lexicon(
        app, {"synonyms": [["zorp", "jeep"]], "categories": {"vehicle": {"members": ["tank"]}}}, False
    )
    assert [f.value for f in preview.fields if f.name == "Lexicon"] == [
        "+1 synonym group, +1 category member\n+ synonyms: zorp, jeep\n+ category: vehicle: tank"
    ]
    assert (await app.store.lexicon_additions()).document == {
        "filler": ["skibidi"],
        "synonyms": [["zorp", "jeep"]],
        "categories": {"vehicle": {"members": ["tank"]}},
    }
    assert await answer_id(app, STUCK) == "ev-jeep-stuck"  # the import's words are used at once


async def test_import_replace_replaces_the_additions(app):
    await app.words.add("filler", "skibidi", ALICE)
    preview = await import_lexicon(app, {"synonyms": [["zorp", "jeep"]]}, True)
    assert [f.value for f in preview.fields if f.name == "Lexicon"] == [
        "+1 synonym group, -1 filler\n+ synonyms: zorp, jeep\n- filler: skibidi"
    ]
    assert (await app.store.lexicon_additions()).document == {"synonyms": [["zorp", "jeep"]]}
    revision = (await app.store.recent_revisions(0, 1))[0][0]
    assert (revision.kind, revision.action, revision.before, revision.after) == (
        "lexicon",
        "import",
        {"filler": ["skibidi"]},
        {"synonyms": [["zorp", "jeep"]]},
    )


async def test_import_replace_with_an_empty_section_clears_and_without_one_keeps(app):
    await app.words.add("filler", "skibidi", ALICE)
    doc = export_doc(await app.moderation.export_bytes())
    del doc["lexicon"]
    reply = await app.moderation.preview_import(json.dumps(doc).encode(), True)
    assert reply.plan.is_noop  # a file without the section says nothing about the lexicon
    await import_lexicon(app, {}, True)
    assert (await app.store.lexicon_additions()).document == {}


@pytest.mark.parametrize(
    ("lexicon", "problem"),
    [
        ({"synonyms": "zorp, jeep"}, "lexicon: synonyms must be a list of lists"),
        ({"filler": ["x" * 61]}, "lexicon: filler[0]: 61 characters, the limit is 60"),
        ({"verbs": ["zorp"]}, "lexicon: unknown section 'verbs'"),
        (["zorp"], "lexicon must be an object shaped like data/lexicon.json"),
    ],
)
async def test_a_bad_lexicon_section_refuses_the_file(app, lexicon, problem):
    doc = export_doc(await app.moderation.export_bytes())
    doc["lexicon"] = lexicon
    doc["facts"][0]["text"] = "Changed too."
    before = await state(app)
    reply = await app.moderation.preview_import(json.dumps(doc).encode(), False, "bad.json")
    assert reply.plan is None and reply.error and reply.title == "bad.json was not imported"
    assert problem in reply.body
    assert await state(app) == before


async def test_an_import_whose_lexicon_changed_since_the_preview_imports_nothing(app):
    doc = export_doc(await app.moderation.export_bytes())
    doc["lexicon"] = {"synonyms": [["zorp", "jeep"]]}
    doc["facts"][0]["text"] = "Changed by the import."
    preview = await app.moderation.preview_import(json.dumps(doc).encode(), False)
    await app.words.add("filler", "skibidi", ALICE)
    before = await state(app)
    reply = await app.moderation.apply_import(preview.plan, ALICE)
    assert reply.error and reply.title == "Import refused"
    assert "were changed by someone else: the lexicon additions." in reply.body
    assert await state(app) == before
    assert (await app.store.get(doc["facts"][0]["id"])).text != "Changed by the import."


# ---- many questions at the moment of a change ---------------------------------------------------------------------


async def test_questions_arriving_together_after_a_change_rebuild_the_engine_once(app, monkeypatch):
    """Fifty questions in flight when a moderator adds a word: one merge of the lexicon and one new vocabulary,
    not one per question (which stalled the bot for seconds under load)."""
    from bot.answer import engine, live_lexicon

    built: list[int] = []
    merged: list[int] = []
    real_vocabulary, real_merged = engine.Vocabulary, live_lexicon.Lexicon.merged

    def vocabulary(*args, **kwargs):
        built.append(1)
        return real_vocabulary(*args, **kwargs)

    def merge(self, other):
        merged.append(1)
        return real_merged(self, other)

    monkeypatch.setattr(engine, "Vocabulary", vocabulary)
    monkeypatch.setattr(live_lexicon.Lexicon, "merged", merge)
    await app.answerer.ask(STUCK)
    built.clear()
    await app.words.add("synonyms", "zorp, jeep", ALICE)
    merged.clear()
    answers = await asyncio.gather(*(app.answerer.ask(STUCK) for _ in range(50)))
    assert all(a.found and a.best.id == "ev-jeep-stuck" for a in answers)
    assert (len(merged), len(built)) == (1, 1)


async def test_the_store_reloads_its_vocabulary_once_for_questions_arriving_together(app, monkeypatch):
    from bot.store import search

    loads: list[str] = []
    real_all = search._all

    async def counting(db, sql, params=()):
        if "entries_vocab" in sql:
            loads.append(sql)
        return await real_all(db, sql, params)

    await app.store.vocabulary()
    monkeypatch.setattr(search, "_all", counting)
    await app.moderation.set_deleted("fact", "shot-five-times", True, ALICE)  # any write: the words change
    results = await asyncio.gather(*(app.store.vocabulary() for _ in range(50)))
    assert len(loads) == 1
    assert len({id(doc_freq) for doc_freq, _docs in results}) == 1
