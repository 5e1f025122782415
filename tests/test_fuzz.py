"""Fuzzing every reader command, the console and import files with Hypothesis.

Properties: nothing raises; every Reply renders (render_embed) into an embed Discord accepts and into console
text; its buttons are valid; /ask's answer is at most 350 characters; autocomplete offers at most 25 choices of
1-100 characters; readers never change the store, and neither does an import preview.

Each test opens one app and drives the async handlers from one event loop (an ``asyncio.Runner`` around the
test), so the Hypothesis-decorated function inside it is plain synchronous code.  Profiles: see
tests/fuzz_strategies.py (``HYPOTHESIS_PROFILE=fuzz`` for the long run).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import discord
import pytest
from hypothesis import event, example, given, target
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from bot.answer import MAX_ANSWER
from bot.app import App, open_app
from bot.config import Settings
from bot.console import dispatch
from bot.discord_app.limits import CHOICE_NAME, CHOICES
from bot.discord_app.reader import titles_choices
from bot.discord_app.render import render_embed
from bot.discord_app.views import SOURCE_TEMPLATE, reply_view
from bot.handlers import Reply
from bot.handlers.moderation import MAX_IMPORT_BYTES
from bot.models import KINDS
from bot.store import Store
from bot.textrender import render
from tests.fuzz_strategies import (
    DATA_DIR,
    SEED,
    console_lines,
    fuzz_settings,
    huge_text,
    near_valid_documents,
    optional_text,
    page_numbers,
    random_json_bytes,
    user_text,
)
from tests.fuzz_strategies import check_embed as check_embed_json

# Hypothesis warns when it prints a 100,000-character example; that is the point of those examples.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

T = TypeVar("T")
Run = Callable[[Awaitable[T]], T]

SEED_IDS = sorted(e["id"] for plural, items in SEED.items() if plural != "format" for e in items)
SEED_TITLES = sorted(
    {
        str(e.get(key))
        for plural, items in SEED.items()
        if plural != "format"
        for e in items
        for key in ("topic", "speaker", "when", "name", "term")
        if e.get(key)
    }
)


def near(value: str) -> st.SearchStrategy[str]:
    """A real id or title, and the ways people mistype one."""
    return st.sampled_from(
        (
            value,
            value.upper(),
            f"  {value}\t",
            value[:-1],
            value + "x",
            value.replace("-", " "),
            "\u200b" + value,
            value + "\x00",
            value[: len(value) // 2],
            f'"{value}"',
            value + "*",
        )
    )


ids = st.sampled_from(SEED_IDS).flatmap(near)
titles = st.sampled_from(SEED_TITLES).flatmap(near)


async def fingerprint(store: Store) -> tuple[Any, ...]:
    """Cheap and complete enough: counts, the newest revision, and a hash of every entry (removed ones too)."""
    counts = await store.counts()
    revisions, total = await store.recent_revisions(0, 1)
    entries = await store.entries(include_deleted=True)
    digest = hashlib.sha256(repr(entries).encode()).hexdigest()
    return (sorted(counts.by_kind.items()), counts.paragraphs, total, revisions[0].id if revisions else 0, digest)


@contextlib.contextmanager
def opened_app(tmp_path: Path) -> Iterator[tuple[Run[Any], App]]:
    """A seeded app and a `run` for its coroutines, on one event loop; the store must end as it began."""
    with asyncio.Runner() as runner:
        app = runner.run(open_app(Settings(database_path=tmp_path / "f.db", data_dir=DATA_DIR)))
        try:
            before = runner.run(fingerprint(app.store))
            yield runner.run, app
            assert runner.run(fingerprint(app.store)) == before, "a reader (or an import preview) wrote"
        finally:
            runner.run(app.close())


# ---- what every reply must satisfy ---------------------------------------------------------------------------


def check_reply(reply: Reply) -> discord.Embed:
    """Renders into an embed within every Discord limit, and into console text."""
    assert isinstance(reply, Reply), reply
    embed = render_embed(reply)
    assert len(embed) <= 6000
    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= 4096
    assert len(embed.fields) <= 25
    for field in embed.fields:
        assert field.name and field.name.strip() and len(field.name) <= 256, field
        assert field.value and field.value.strip() and len(field.value) <= 1024, field
    assert len(embed.footer.text or "") <= 2048
    check_embed_json(embed.to_dict())
    assert isinstance(render(reply), str)
    if currently_in_test_context():
        target(float(len(embed)), label="embed size")
    return embed


async def check_buttons(reply: Reply) -> None:
    """The buttons the reply gets on Discord: valid custom_ids; Show source still answers after a restart."""

    async def fetch(page: int) -> Reply:
        return reply

    view = reply_view(reply, 1200000000000000101, fetch)
    if view is None:
        return
    for row in view.to_components():
        for component in row["components"]:
            custom_id = component.get("custom_id") or ""
            assert 1 <= len(custom_id) <= 100, component
            if component.get("label") == "Show source":
                assert re.fullmatch(SOURCE_TEMPLATE, custom_id), custom_id
    view.stop()


async def reader(call: Awaitable[Reply]) -> Reply:
    reply = await call
    check_reply(reply)
    await check_buttons(reply)
    return reply


# ---- the reader commands -------------------------------------------------------------------------------------


def test_ask(tmp_path):
    with opened_app(tmp_path) as (run, app):

        @fuzz_settings("ask")
        @given(question=user_text)
        @example(question="how many times was the soldier shot")
        @example(question="who is lee cook-jong and what did he say about the worms")
        @example(question='"NEAR(soldier shot)" OR * AND NOT -^:(){}')
        @example(question="\u202esoldier\u200b shot\ufeff \x00 \U0001f600")
        @example(question="x" * 100_000)
        @example(question=" \u200b\t\n\ufeff ")
        def ask(question: str) -> None:
            reply = run(reader(app.story.ask(question)))
            assert len(reply.body) <= MAX_ANSWER, reply.body
            if reply.found:
                assert reply.citations or reply.context_source

        ask()


def test_fact(tmp_path):
    with opened_app(tmp_path) as (run, app):

        @fuzz_settings("reader")
        @given(topic=optional_text | titles, entry_id=optional_text | ids)
        @example(topic=None, entry_id=None)
        @example(topic="injuries", entry_id=None)
        @example(topic=None, entry_id="%")
        @example(topic="_", entry_id="\\")
        def fact(topic: str | None, entry_id: str | None) -> None:
            run(reader(app.story.fact(topic, entry_id)))

        fact()


def test_quote(tmp_path):
    with opened_app(tmp_path) as (run, app):

        @fuzz_settings("reader")
        @given(speaker=optional_text | titles)
        @example(speaker="%")
        @example(speaker="lee")
        def quote(speaker: str | None) -> None:
            run(reader(app.story.quote(speaker)))

        quote()


def test_timeline(tmp_path):
    with opened_app(tmp_path) as (run, app):

        @fuzz_settings("reader")
        @given(page=page_numbers)
        def timeline(page: int) -> None:
            reply = run(reader(app.story.timeline(page)))
            assert reply.error or reply.page is not None

        timeline()


def test_search(tmp_path):
    with opened_app(tmp_path) as (run, app):

        @fuzz_settings("reader")
        @given(words=user_text | titles, page=page_numbers | st.integers(1, 25))
        @example(words="soldier", page=1)
        @example(words="the soldier shot jeep hospital korea north south", page=20)
        @example(words='"', page=1)
        @example(words="a" * 101, page=1)
        def search(words: str, page: int) -> None:
            run(reader(app.story.search(words, page)))

        search()


def test_who_and_explain(tmp_path):
    with opened_app(tmp_path) as (run, app):

        @fuzz_settings("reader")
        @given(command=st.sampled_from(("who", "explain")), wanted=user_text | titles)
        @example(command="who", wanted="the surgeon")
        @example(command="explain", wanted="jsa")
        @example(command="explain", wanted="%_%")
        def lookup(command: str, wanted: str) -> None:
            run(reader(getattr(app.story, command)(wanted)))

        lookup()


def test_source(tmp_path):
    with opened_app(tmp_path) as (run, app):
        paragraphs = run(app.store.counts()).paragraphs

        @fuzz_settings("reader")
        @given(paragraph=page_numbers)
        @example(paragraph=1)
        @example(paragraph=paragraphs)
        @example(paragraph=paragraphs + 1)
        def source(paragraph: int) -> None:
            reply = run(reader(app.story.source(paragraph)))
            assert reply.error == (not 1 <= paragraph <= paragraphs)

        source()


def test_about_and_help(tmp_path):
    with opened_app(tmp_path) as (run, app):
        run(reader(app.story.about()))
        check_reply(app.story.help())


def test_autocomplete(tmp_path):
    with opened_app(tmp_path) as (run, app):
        interaction = SimpleNamespace(client=SimpleNamespace(app=app))

        @fuzz_settings("reader")
        @given(kind=st.sampled_from(KINDS), current=user_text | titles)
        @example(kind="person", current="")
        @example(kind="fact", current="\x00")
        def complete(kind: str, current: str) -> None:
            names = run(app.story.complete(kind, current, limit=CHOICES))
            assert len(names) <= CHOICES and all(isinstance(n, str) and n for n in names)
            # and what Discord receives, through the reader's autocomplete callback
            choices = run(titles_choices(interaction, kind, current))  # type: ignore[arg-type]
            assert len(choices) <= CHOICES
            for choice in choices:
                assert 1 <= len(choice.name) <= CHOICE_NAME and 1 <= len(str(choice.value)) <= 100

        complete()


# ---- the console -------------------------------------------------------------------------------------------


def test_console_dispatch(tmp_path):
    with opened_app(tmp_path) as (run, app):

        @fuzz_settings("console")
        @given(line=console_lines())
        @example(line="search soldier 99999999999999999999")
        @example(line="timeline -1")
        @example(line="source 0")
        @example(line="fact shot-five-times")
        @example(line="/about me")
        @example(line="/")
        @example(line="")
        def console(line: str) -> None:
            run(reader(dispatch(app, line)))

        console()


# ---- import files ------------------------------------------------------------------------------------------


def check_prepared(run: Run[Any], app: App, raw: bytes, replace: bool, owner_id: int) -> None:
    reply = run(app.moderation.preview_import(raw, replace, "fuzz.json"))
    check_reply(reply)
    if currently_in_test_context():
        event("refused" if reply.plan is None else "previewed")
    if reply.plan is None:
        assert reply.error, reply
        if reply.title == "fuzz.json was not imported":  # the problems, one a line
            lines = reply.body.splitlines()
            assert 1 <= len(lines) <= 11 and all(line.startswith(("• ", "…and ")) for line in lines), reply
        else:
            assert "MB" in reply.body, reply
    else:
        assert not reply.error and reply.title == "Import preview", reply
        assert reply.plan.is_noop or f"({'replace' if replace else 'merge'})" in reply.body, reply
        names = [f.name.split(" (")[0] for f in reply.fields]
        assert names in (["Added", "Changed", "Removed"], ["Added", "Changed", "Removed", "Kind changes"])


too_deep = b'{"facts": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


def test_import_random_bytes(tmp_path):
    with opened_app(tmp_path) as (run, app):

        @fuzz_settings("import")
        @given(raw=st.binary(max_size=4_000) | random_json_bytes, replace=st.booleans(), owner_id=st.integers())
        @example(raw=b"", replace=False, owner_id=0)
        @example(raw=b"\xff\xfe", replace=True, owner_id=-1)
        @example(raw=b"[" * 100_000 + b"]" * 100_000, replace=False, owner_id=1)
        @example(raw=too_deep, replace=True, owner_id=1)
        @example(raw=b"{" * 50_000, replace=False, owner_id=1)
        @example(raw=b" " * (MAX_IMPORT_BYTES + 1), replace=False, owner_id=1)
        @example(raw=b"NaN", replace=False, owner_id=1)
        @example(raw=b'{"format": "storybot/1", "facts": [], "__proto__": null}', replace=True, owner_id=1)
        def prepare(raw: bytes, replace: bool, owner_id: int) -> None:
            check_prepared(run, app, raw, replace, owner_id)

        prepare()


def test_import_near_valid_documents(tmp_path):
    with opened_app(tmp_path) as (run, app):

        @fuzz_settings("import")
        @given(raw=near_valid_documents(), replace=st.booleans(), owner_id=st.integers(0, 2**64))
        @example(raw=b'{"format": ' + b"[" * 900 + b"]" * 900 + b"}", replace=False, owner_id=1)
        def prepare(raw: bytes, replace: bool, owner_id: int) -> None:
            check_prepared(run, app, raw, replace, owner_id)

        prepare()


def test_import_huge_strings(tmp_path):
    """Huge strings in every place a document has text: refused with short problems, nothing written."""
    with opened_app(tmp_path) as (run, app):

        @fuzz_settings("import")
        @given(
            where=st.sampled_from(("id", "text", "topic", "keywords", "source", "section", "field", "format")),
            text=huge_text,
        )
        def prepare(where: str, text: str) -> None:
            entry: dict[str, Any] = {"id": "fuzz-huge", "topic": "fuzz", "text": "fuzz", "paragraphs": [1]}
            doc: dict[str, Any] = {"format": "storybot/1", "facts": [entry]}
            if where == "keywords":
                entry["keywords"] = [text]
            elif where == "section":
                doc[text] = []
            elif where == "field":
                entry[text] = 1
            elif where == "format":
                doc["format"] = text
            else:
                entry[where] = text
            check_prepared(run, app, json.dumps(doc).encode(), False, 1)

        prepare()
