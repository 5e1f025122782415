"""Changing entries: seed, add, edit, soft delete, restore, revert and import, each with its revision."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

import aiosqlite

from bot.dataset import MAX_PHRASINGS
from bot.models import (
    LEXICON_ENTRY,
    LEXICON_KIND,
    Actor,
    Entry,
    ImportPlan,
    Paragraph,
    entry_from_data,
    kind_of_data,
    left_as,
)
from bot.store.base import Pacer, StoreBase, _all, _first, _now, fetch_entry
from bot.store.bulk import indexed_once
from bot.store.errors import ConflictError, DuplicateId, NotFound, NothingToDo, Refused, StaleImport
from bot.store.lexicon import fetch_additions, write_additions
from bot.store.revisions import fetch_revision
from bot.store.rows import entry_values, to_json
from bot.text import fold

# Rows written per statement by an import (and how often its progress is reported).
IMPORT_BATCH = 500


class EntryWrites(StoreBase):
    async def seed(self, paragraphs: Iterable[Paragraph], entries: Iterable[Entry], source: str) -> bool:
        """Load the article and the seed entries into an empty store; False (and nothing done) otherwise."""
        async with self._transaction() as db:
            row = await _first(
                db, "SELECT (SELECT count(*) FROM meta WHERE key = 'seeded_at') + (SELECT count(*) FROM entries)"
            )
            if row[0]:
                return False
            await db.executemany(
                "INSERT INTO paragraphs (number, text) VALUES (?, ?)", [(p.number, p.text) for p in paragraphs]
            )
            now = _now()
            async with indexed_once(db):
                await db.executemany(_INSERT, [{**entry_values(e), "now": now} for e in entries])
            await db.execute("INSERT INTO meta (key, value) VALUES ('seeded_at', ?), ('seed_source', ?)", (now, source))
        return True

    # ---- writing entries (each records a revision) -----------------------------------------

    async def add(self, entry: Entry, actor: Actor, note: str = "", *, free_id: bool = False) -> Entry:
        """Store a new entry.  With `free_id`, an id already taken gets a suffix (-2, -3...) chosen inside the
        transaction, so two moderators adding the same title at once both succeed; without, DuplicateId."""
        async with self._transaction() as db:
            existing = await _first(db, "SELECT kind FROM entries WHERE id = ?", (entry.id,))
            if existing is not None and not free_id:
                raise DuplicateId(f"the id {entry.id!r} is already used by a {existing[0]}")
            if existing is not None:
                entry = replace(entry, id=await _free_id(db, entry.id))
            await db.execute(_INSERT, {**entry_values(entry), "now": _now()})
            await _record(db, entry.id, entry.kind, "create", actor, None, entry, note)
            saved = await _saved(db, entry.id)
        self._touched()
        return saved

    async def update(self, entry: Entry, actor: Actor, expected_version: int, note: str = "") -> Entry:
        """Replace an entry's content; ConflictError when someone saved it since `expected_version`."""
        async with self._transaction() as db:
            current = await fetch_entry(db, entry.id)
            if current is None or current.kind != entry.kind:
                raise NotFound(f"no {entry.kind} with id {entry.id!r}")
            if current.version != expected_version:
                raise ConflictError(current)
            if current.content_equal(entry):
                return current
            await _update(db, entry, current.deleted)
            await _record(db, entry.id, entry.kind, "edit", actor, current, entry, note)
            saved = await _saved(db, entry.id)
        self._touched()
        return saved

    async def teach(
        self, entry_id: str, phrasing: str, actor: Actor, *, moved_from: Sequence[tuple[str, str]] = ()
    ) -> Entry:
        """Attach a question to a live entry as one of its phrasings, recorded as a revision (action "teach").
        Each (entry id, phrasing) of `moved_from` is taken off that entry in the same transaction, recorded too:
        the question now belongs here.  NotFound when the entry is gone; NothingToDo when it holds the question
        already; Refused when it holds MAX_PHRASINGS of them."""
        async with self._transaction() as db:
            current = await fetch_entry(db, entry_id, include_deleted=False)
            if current is None:
                raise NotFound(f"no live entry with id {entry_id!r}")
            if fold(phrasing) in {fold(p) for p in current.phrasings}:
                raise NothingToDo(f"{current.kind} {entry_id!r} already answers “{phrasing}”")
            if len(current.phrasings) >= MAX_PHRASINGS:
                raise Refused(
                    f"{current.kind} {entry_id!r} holds {MAX_PHRASINGS} questions already; "
                    "revert one of its teach revisions first"
                )
            for other_id, old in moved_from:
                other = await fetch_entry(db, other_id)
                if other is None or other.id == entry_id or old not in other.phrasings:
                    continue
                untaught = replace(other, phrasings=tuple(p for p in other.phrasings if p != old))
                await _update(db, untaught, other.deleted)
                await _record(db, other.id, other.kind, "teach", actor, other, untaught, f"moved to {entry_id}")
            taught = replace(current, phrasings=(*current.phrasings, phrasing))
            await _update(db, taught, deleted=False)
            await _record(db, entry_id, current.kind, "teach", actor, current, taught, "taught a question")
            saved = await _saved(db, entry_id)
        self._touched()
        return saved

    async def set_deleted(self, kind: str, entry_id: str, deleted: bool, actor: Actor) -> Entry:
        """Soft-delete (or restore) an entry; nothing is ever erased."""
        async with self._transaction() as db:
            current = await fetch_entry(db, entry_id)
            if current is None or current.kind != kind:
                raise NotFound(f"no {kind} with id {entry_id!r}")
            if current.deleted == deleted:
                state = "removed" if deleted else "live"
                raise NothingToDo(f"{kind} {entry_id!r} is already {state}")
            await db.execute(
                "UPDATE entries SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                (_now() if deleted else None, _now(), entry_id),
            )
            action = "delete" if deleted else "restore"
            await _record(db, entry_id, kind, action, actor, current, None if deleted else current, "")
            saved = await _saved(db, entry_id)
        self._touched()
        return saved

    async def revert(self, revision_id: int, actor: Actor, *, undo: bool = False) -> Entry:
        """Put an entry back to the content a revision recorded (its `after`, or removed if none), of the kind
        that revision recorded: an entry that has since become another kind changes back, as a whole.  With
        `undo`, put it back as it was before the revision (its `before`, or removed if none), which is allowed
        only while the entry is still as the revision left it."""
        async with self._transaction() as db:
            revision = await fetch_revision(db, revision_id)
            if revision is None or revision.kind == LEXICON_KIND:  # the lexicon's are reverted by change_lexicon
                raise NotFound(f"no revision #{revision_id} of an entry")
            target, kind = revision.after, revision.kind
            current = await fetch_entry(db, revision.entry_id)
            note = f"revert to revision #{revision_id}"
            if undo:
                if current is None or not left_as(current, revision):
                    raise Refused(f"{revision.kind} {revision.entry_id!r} changed since revision #{revision_id}")
                target, note = revision.before, f"undo revision #{revision_id}"
                kind = (kind_of_data(target) or kind) if target is not None else current.kind
            if target is None:
                if current is None or current.deleted:
                    raise NothingToDo(f"{kind} {revision.entry_id!r} is already removed")
                await db.execute(
                    "UPDATE entries SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                    (_now(), _now(), revision.entry_id),
                )
                await _record(db, revision.entry_id, kind, "revert", actor, current, None, note)
            else:
                wanted = entry_from_data(kind, target)
                if current is None:
                    await db.execute(_INSERT, {**entry_values(wanted), "now": _now()})
                else:
                    if current.content_equal(wanted) and not current.deleted:
                        raise NothingToDo(f"{kind} {revision.entry_id!r} already matches revision #{revision_id}")
                    note += kind_change(current, wanted)
                    await _update(db, wanted, deleted=False)
                await _record(db, revision.entry_id, kind, "revert", actor, current, wanted, note)
            saved = await _saved(db, revision.entry_id)
        self._touched()
        return saved

    async def apply_import(
        self,
        plan: ImportPlan,
        actor: Actor,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Apply an import plan in one transaction, each change recorded as a revision; StaleImport (and
        nothing written) when an entry it touches is no longer as its preview saw it."""
        total = len(plan.added) + len(plan.changed) + len(plan.removed)
        rows = await _import_rows(plan, actor, _now())
        expected = {
            **{e.id: None for e in plan.added},
            **{old.id: (old.version, old.deleted) for old, _new in plan.changed},
            **{e.id: (e.version, False) for e in plan.removed},
        }
        async with self._transaction() as db:
            stale = await _stale(db, expected)
            lexicon = plan.lexicon
            if lexicon is not None and (await fetch_additions(db)).version != lexicon.before.version:
                stale.append(LEXICON_ENTRY)
            if stale:
                raise StaleImport(stale)
            if lexicon is not None:
                await write_additions(db, lexicon.before, lexicon.after, actor, "import", "changed by import")
            done = 0
            async with indexed_once(db, [*(old.id for old, _new in plan.changed), *(e.id for e in plan.removed)]):
                for statement, values in zip((_INSERT, _UPDATE, _REMOVE, _INSERT_REVISION), rows, strict=True):
                    for start in range(0, len(values), IMPORT_BATCH):
                        await db.executemany(statement, values[start : start + IMPORT_BATCH])
                        if statement is not _INSERT_REVISION:
                            done += len(values[start : start + IMPORT_BATCH])
                            if progress:
                                progress(done, total)
        if progress:
            progress(total, total)
        self._touched()


async def _import_rows(plan: ImportPlan, actor: Actor, now: str) -> tuple[list[Any], ...]:
    """The rows an import writes: entries inserted, updated and removed, and revisions.  Built before the write
    lock is taken (stemming and encoding 10,000 entries takes a while), pausing every few milliseconds so that
    questions keep being answered meanwhile."""
    inserts: list[Any] = []
    updates: list[Any] = []
    removes: list[Any] = []
    revisions: list[Any] = []
    pace = Pacer()
    changes = [*((None, e) for e in plan.added), *plan.changed, *((e, None) for e in plan.removed)]
    for old, new in changes:
        if new is not None:
            (updates if old else inserts).append({**entry_values(new), "now": now})
            note = f"changed by import{kind_change(old, new)}" if old else "added by import"
            revisions.append(_revision_values(new.id, new.kind, "import", actor, now, old, new, note))
        elif old is not None:
            removes.append({"id": old.id, "now": now})
            revisions.append(_revision_values(old.id, old.kind, "import", actor, now, old, None, _REMOVED))
        await pace()
    return inserts, updates, removes, revisions


_REMOVED = "removed by import (replace)"


def kind_change(before: Entry, after: Entry) -> str:
    """'; kind fact → quote' for a note, when an entry changes kind ('' otherwise)."""
    return f"; kind {before.kind} → {after.kind}" if before.kind != after.kind else ""


async def _stale(db: aiosqlite.Connection, expected: dict[str, tuple[int, bool] | None]) -> list[str]:
    """The ids whose (version, removed) is no longer what the preview saw (None: the id did not exist)."""
    rows = await _all(
        db,
        "SELECT id, version, deleted_at IS NOT NULL FROM entries WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(expected)),),
    )
    found = {row[0]: (int(row[1]), bool(row[2])) for row in rows}
    return sorted(entry_id for entry_id, seen in expected.items() if found.get(entry_id) != seen)


async def _free_id(db: aiosqlite.Connection, base: str) -> str:
    """`base` with the first suffix (-2, -3...) no entry uses, within the 48 characters an id may have."""
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: 48 - len(suffix)] + suffix
        if await _first(db, "SELECT 1 FROM entries WHERE id = ?", (candidate,)) is None:
            return candidate
        number += 1


_INSERT = (
    "INSERT INTO entries (id, kind, text, topic, speaker, context, when_text, sort_key, name, role, term, "
    "keywords, paragraphs, source, is_context, phrasings, search_title, search_body, search_keywords, created_at, "
    "updated_at) VALUES (:id, :kind, :text, :topic, :speaker, :context, :when_text, :sort_key, :name, :role, :term, "
    ":keywords, :paragraphs, :source, :is_context, :phrasings, :search_title, :search_body, :search_keywords, :now, "
    ":now)"
)


async def _saved(db: aiosqlite.Connection, entry_id: str) -> Entry:
    """The entry as this transaction leaves it."""
    entry = await fetch_entry(db, entry_id)
    if entry is None:  # pragma: no cover - the transaction has just written it
        raise NotFound(entry_id)
    return entry


# Every column of the content, the kind included: a kind change is an update, so the version keeps growing
# and a form opened before it is refused as stale (a delete and insert would restart the version at 1).
_SETS = ", ".join(f"{column} = :{column}" for column in entry_values(Entry("fact", "x", "x")) if column != "id")
_UPDATE = f"UPDATE entries SET {_SETS}, version = version + 1, updated_at = :now, deleted_at = NULL WHERE id = :id"
_REMOVE = "UPDATE entries SET deleted_at = :now, version = version + 1, updated_at = :now WHERE id = :id"


async def _update(db: aiosqlite.Connection, entry: Entry, deleted: bool) -> None:
    await db.execute(
        f"UPDATE entries SET {_SETS}, version = version + 1, updated_at = :now, "
        f"deleted_at = CASE WHEN :deleted THEN coalesce(deleted_at, :now) ELSE NULL END WHERE id = :id",
        {**entry_values(entry), "now": _now(), "deleted": int(deleted)},
    )


_INSERT_REVISION = (
    "INSERT INTO revisions (entry_id, kind, action, actor_id, actor_name, at, before, after, note) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _revision_values(
    entry_id: str, kind: str, action: str, actor: Actor, at: str, before: Entry | None, after: Entry | None, note: str
) -> tuple[Any, ...]:
    return (
        entry_id,
        kind,
        action,
        actor.id,
        actor.name,
        at,
        None if before is None else to_json(before.to_data()),
        None if after is None else to_json(after.to_data()),
        note,
    )


async def _record(
    db: aiosqlite.Connection,
    entry_id: str,
    kind: str,
    action: str,
    actor: Actor,
    before: Entry | None,
    after: Entry | None,
    note: str,
) -> None:
    await db.execute(_INSERT_REVISION, _revision_values(entry_id, kind, action, actor, _now(), before, after, note))
