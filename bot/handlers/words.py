"""/kb words: moderators teach the bot words (synonyms, category members, filler, abbreviations, phrases), kept in the
store as additions to the shipped lexicon; the lexicon's part of imports, exports, the log and revert."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from bot.answer import shorten
from bot.handlers.replies import Page, Reply, ReplyField, error
from bot.lexicon import Lexicon, LexiconError
from bot.lexicon_additions import (
    Item,
    WordsError,
    added,
    additions_data,
    canonical,
    change_lines,
    changes,
    find_item,
    items,
    merged_additions,
    parse_additions,
    parse_words,
    summary,
    without,
)
from bot.models import Actor, LexiconChange, Revision
from bot.store import Store, StoreError
from bot.text import fold, stem

WORDS_PAGE = 15
# What `/kb words add` and `remove` take: room for a synonym group of twenty long phrases.
MAX_WORDS_TEXT = 1000
MAX_LINE_SHOWN = 200
CHOICE_LENGTH = 100


class WordHandlers:
    def __init__(self, store: Store, base: Lexicon) -> None:
        self.store = store
        self.base = base

    async def add(self, kind: str, text: str, actor: Actor) -> Reply:
        """Teach the bot words of one kind, written as `WORD_KINDS` says ("pull, drag, haul")."""
        if len(text) > MAX_WORDS_TEXT:
            return _not_changed(f"That is {len(text)} characters; at most {MAX_WORDS_TEXT} at a time.", "added")
        try:
            fragment = parse_words(kind, text, (c.name for c in self.base.categories))
            await self._check_filler(fragment.filler)
        except WordsError as exc:
            return _not_changed(str(exc), "added")
        outcome: list[tuple[list[Item], list[Item], set[str]]] = []

        def edit(document: dict[str, Any]) -> dict[str, Any]:
            current = parse_additions(document)
            lexicon, new, known = added(self.base, current, fragment)
            categories = {c.name for c in (*self.base.categories, *current.categories)}
            outcome.append((new, known, {c.name for c in fragment.categories} - categories))
            return additions_data(lexicon)

        failed = await self._change(edit, actor, "add", "added")
        if failed is not None:
            return failed
        new, known, new_categories = outcome[-1]
        lines = [f"+ {shorten(i.line, MAX_LINE_SHOWN)}" for i in new]
        if known:
            lines.append("Known already, so not added again: " + "; ".join(i.line for i in known[:5]))
        for name in sorted(new_categories):  # a new category, or a misspelt one: say so
            lines.append(f"“{name}” is a new category: “which {name}” now asks for its members.")
        return Reply(
            title="Added to the lexicon",
            body="\n".join(lines) + "\n\nThe next question uses it. `/kb words remove` takes it back; `/kb words list` "
            "shows every addition.",
        )

    async def _check_filler(self, filler: tuple[str, ...]) -> None:
        """Filler is dropped from every question: a word the story's entries use would stop questions about it."""
        doc_freq, _docs = await self.store.vocabulary()
        for word in filler:
            if " " not in word and doc_freq.get(stem(word)):
                raise WordsError(
                    f"“{word}” is a word of the story ({doc_freq[stem(word)]} entries use it): as filler it would be "
                    "dropped from every question."
                )

    async def remove(self, line: str, actor: Actor) -> Reply:
        """Take back one addition, named as `/kb words list` shows it."""
        if len(line) > MAX_WORDS_TEXT:
            return _not_changed(f"That is {len(line)} characters; pick a line `/kb words list` shows.", "removed")
        gone: list[Item] = []

        def edit(document: dict[str, Any]) -> dict[str, Any]:
            current = parse_additions(document)
            item = find_item(current, line)
            gone.append(item)
            return additions_data(without(current, item))

        failed = await self._change(edit, actor, "remove", "removed")
        if failed is not None:
            return failed
        item = gone[-1]
        still = " The shipped lexicon still has it, so the bot keeps using it." if item in items(self.base) else ""
        return Reply(
            title="Removed from the lexicon",
            body=f"- {shorten(item.line, MAX_LINE_SHOWN)}\n\nThe next question goes without it.{still} "
            "`/kb words add` teaches it again.",
        )

    async def _change(
        self, edit: Callable[[dict[str, Any]], dict[str, Any]], actor: Actor, action: str, verb: str
    ) -> Reply | None:
        """Apply an edit to the additions in one transaction; a Reply saying why nothing changed, or None."""
        try:
            await self.store.change_lexicon(edit, actor, action)
        except WordsError as exc:
            return _not_changed(str(exc), verb)
        except LexiconError as exc:  # e.g. a section past the lexicon's 5,000 items
            return _not_changed(f"{exc.problems[0]}.", verb)
        except StoreError as exc:
            return _not_changed(f"The store refused the change: {exc}.", verb)
        return None

    async def listing(self, page: int = 1) -> Reply:
        """The additions (not the shipped lexicon), one a line, WORDS_PAGE a page."""
        try:
            lines = [i.line for i in items(parse_additions((await self.store.lexicon_additions()).document))]
        except LexiconError as exc:
            return error(f"The additions in the store cannot be read: {exc}.")
        pages = max(1, math.ceil(len(lines) / WORDS_PAGE))
        if not 1 <= page <= pages:
            return error(f"Pick a page from 1 to {pages}.")
        if not lines:
            return Reply(
                title="Lexicon additions",
                body="None yet: the bot knows only the words it shipped with (data/lexicon.json). "
                "`/kb words add` teaches it more.",
            )
        shown = lines[(page - 1) * WORDS_PAGE : page * WORDS_PAGE]
        return Reply(
            title="Lexicon additions",
            body=f"{len(lines)} addition{'s' if len(lines) != 1 else ''} to the shipped lexicon; "
            "`/kb words remove` takes one back.\n\n" + "\n".join(shorten(line, MAX_LINE_SHOWN) for line in shown),
            page=Page(page, pages, "words"),
        )

    async def choices(self, typed: str, limit: int) -> list[str]:
        """Additions whose line holds what was typed, for `/kb words remove`'s autocomplete."""
        try:
            lines = [i.line for i in items(parse_additions((await self.store.lexicon_additions()).document))]
        except LexiconError:
            return []
        wanted = fold(typed.strip())
        return [line for line in lines if wanted in fold(line) and len(line) <= CHOICE_LENGTH][:limit]


def _not_changed(reason: str, verb: str) -> Reply:
    return error(f"{reason} Nothing was {verb}.", "Not changed")


# ---- imports, the log and revert -----------------------------------------------------------------------------------


async def plan_lexicon(store: Store, incoming: dict[str, Any] | None, replace: bool) -> LexiconChange | None:
    """What an import's "lexicon" section does to the additions (merge adds, replace replaces); None when the file
    has no such section or it changes nothing."""
    if incoming is None:
        return None
    current = await store.lexicon_additions()
    after = incoming if replace else merged_additions(current.document, incoming)
    return None if after == current.document else LexiconChange(current, after)


def describe_lexicon(change: LexiconChange) -> ReplyField:
    """The import preview's line for the lexicon: 'Lexicon: +3 synonym groups, +1 category member' and examples."""
    new, gone = changes(change.before.document, change.after)
    return ReplyField("Lexicon", "\n".join([summary(new, gone), *change_lines(new, gone)]))


def lexicon_field(revision: Revision, with_entry: bool) -> ReplyField:
    """A lexicon revision in /kb log: who changed which words, and when."""
    what = {"add": "words added", "remove": "words removed", "import": "imported", "revert": "reverted"}
    name = f"#{revision.id} · lexicon {what.get(revision.action, revision.action)} by {revision.actor_name}"
    if not with_entry:
        name += f" · {revision.at.replace('T', ' ')[:16]}"
    try:
        new, gone = changes(revision.before, revision.after)
        lines = [summary(new, gone), *change_lines(new, gone)]
    except LexiconError as exc:
        lines = [f"(cannot be read: {exc})"]
    if revision.action == "revert" and revision.note:
        lines.insert(0, revision.note)
    return ReplyField(shorten(name, 250), shorten("\n".join(lines), 1000))


async def revert_lexicon(store: Store, revision: Revision, actor: Actor) -> Reply:
    """Put the additions back as a lexicon revision left them, checked first as an import checks its lexicon."""
    try:
        target = canonical(revision.after or {}, f"revision #{revision.id}")
    except LexiconError as exc:
        return error(
            f"Revision #{revision.id} cannot be restored: what it recorded is not a valid lexicon today.\n"
            + "\n".join(f"• {p}" for p in exc.problems[:10]),
            title="Not reverted",
        )
    before: list[dict[str, Any]] = []

    def edit(document: dict[str, Any]) -> dict[str, Any]:
        before.append(document)
        return target

    try:
        _state, recorded = await store.change_lexicon(edit, actor, "revert", f"revert to revision #{revision.id}")
    except StoreError as exc:
        return error(f"Nothing was reverted: {exc}.", title="Not reverted")
    if recorded is None:
        return error(f"The lexicon additions already match revision #{revision.id}; nothing to do.")
    try:
        new, gone = changes(before[-1], target)
        lines = change_lines(new, gone, limit=10)
    except LexiconError:  # the additions it replaced could not be read; they are in the revision
        lines = []
    return Reply(
        title=f"Reverted the lexicon additions to revision #{revision.id}",
        body="\n".join(lines) + "\n\nThe next question uses them. The revert is itself a new revision "
        f"(#{recorded}): it can be undone too.",
    )
