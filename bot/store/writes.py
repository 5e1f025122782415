"""Changing entries: seed, add, edit, soft delete, restore, revert and import, each with its revision."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import aiosqlite

from bot.models import Actor, Entry, ImportPlan, Paragraph
from bot.store.base import StoreBase, _first, _now, fetch_entry
from bot.store.errors import ConflictError, DuplicateId, NotFound
from bot.store.revisions import fetch_revision
from bot.store.rows import entry_values


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
            await db.executemany(_INSERT, [{**entry_values(e), "now": now} for e in entries])
            await db.execute("INSERT INTO meta (key, value) VALUES ('seeded_at', ?), ('seed_source', ?)", (now, source))
        return True

    # ---- writing entries (each records a revision) -----------------------------------------

    async def add(self, entry: Entry, actor: Actor, note: str = "") -> Entry:
        async with self._transaction() as db:
            existing = await _first(db, "SELECT kind FROM entries WHERE id = ?", (entry.id,))
            if existing is not None:
                raise DuplicateId(f"the id {entry.id!r} is already used by a {existing[0]}")
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

    async def set_deleted(self, kind: str, entry_id: str, deleted: bool, actor: Actor) -> Entry:
        """Soft-delete (or restore) an entry; nothing is ever erased."""
        async with self._transaction() as db:
            current = await fetch_entry(db, entry_id)
            if current is None or current.kind != kind:
                raise NotFound(f"no {kind} with id {entry_id!r}")
            if current.deleted == deleted:
                state = "removed" if deleted else "live"
                raise ValueError(f"{kind} {entry_id!r} is already {state}")
            await db.execute(
                "UPDATE entries SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                (_now() if deleted else None, _now(), entry_id),
            )
            action = "delete" if deleted else "restore"
            await _record(db, entry_id, kind, action, actor, current, None if deleted else current, "")
            saved = await _saved(db, entry_id)
        self._touched()
        return saved

    async def revert(self, revision_id: int, actor: Actor) -> Entry:
        """Put an entry back to the content a revision recorded (its `after`, or removed if none)."""
        async with self._transaction() as db:
            revision = await fetch_revision(db, revision_id)
            if revision is None:
                raise NotFound(f"no revision #{revision_id}")
            target = revision.after
            current = await fetch_entry(db, revision.entry_id)
            note = f"revert to revision #{revision_id}"
            if target is None:
                if current is None or current.deleted:
                    raise ValueError(f"{revision.kind} {revision.entry_id!r} is already removed")
                await db.execute(
                    "UPDATE entries SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                    (_now(), _now(), revision.entry_id),
                )
                await _record(db, revision.entry_id, revision.kind, "revert", actor, current, None, note)
            else:
                wanted = _entry_from_data(revision.kind, target)
                if current is None:
                    await db.execute(_INSERT, {**entry_values(wanted), "now": _now()})
                else:
                    if current.content_equal(wanted) and not current.deleted:
                        raise ValueError(
                            f"{revision.kind} {revision.entry_id!r} already matches revision #{revision_id}"
                        )
                    await _update(db, wanted, deleted=False)
                await _record(db, revision.entry_id, revision.kind, "revert", actor, current, wanted, note)
            saved = await _saved(db, revision.entry_id)
        self._touched()
        return saved

    async def apply_import(
        self,
        plan: ImportPlan,
        actor: Actor,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Apply an import plan in one transaction, each change recorded as a revision."""
        total = len(plan.added) + len(plan.changed) + len(plan.removed)
        done = 0
        async with self._transaction() as db:
            for entry in plan.added:
                exists = await _first(db, "SELECT 1 FROM entries WHERE id = ?", (entry.id,))
                if exists:
                    raise ConflictError(await _saved(db, entry.id))
                await db.execute(_INSERT, {**entry_values(entry), "now": _now()})
                await _record(db, entry.id, entry.kind, "import", actor, None, entry, "added by import")
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
            for old, new in plan.changed:
                current = await fetch_entry(db, old.id)
                if current is None or current.version != old.version:
                    raise ConflictError(current or old)
                if current.kind != new.kind:
                    await db.execute("DELETE FROM entries WHERE id = ?", (old.id,))
                    await db.execute(_INSERT, {**entry_values(new), "now": _now()})
                else:
                    await _update(db, new, deleted=False)
                await _record(db, new.id, new.kind, "import", actor, current, new, "changed by import")
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
            for old in plan.removed:
                await db.execute(
                    "UPDATE entries SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                    (_now(), _now(), old.id),
                )
                await _record(db, old.id, old.kind, "import", actor, old, None, "removed by import (replace)")
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
        if progress:
            progress(total, total)
        self._touched()


_INSERT = (
    "INSERT INTO entries (id, kind, text, topic, speaker, context, when_text, sort_key, name, role, term, "
    "keywords, paragraphs, source, is_context, search_title, search_body, search_keywords, created_at, updated_at) "
    "VALUES (:id, :kind, :text, :topic, :speaker, :context, :when_text, :sort_key, :name, :role, :term, "
    ":keywords, :paragraphs, :source, :is_context, :search_title, :search_body, :search_keywords, :now, :now)"
)


async def _saved(db: aiosqlite.Connection, entry_id: str) -> Entry:
    """The entry as this transaction leaves it."""
    entry = await fetch_entry(db, entry_id)
    if entry is None:  # pragma: no cover - the transaction has just written it
        raise NotFound(entry_id)
    return entry


async def _update(db: aiosqlite.Connection, entry: Entry, deleted: bool) -> None:
    values = entry_values(entry)
    sets = ", ".join(f"{k} = :{k}" for k in values if k not in {"id", "kind"})
    await db.execute(
        f"UPDATE entries SET {sets}, version = version + 1, updated_at = :now, "
        f"deleted_at = CASE WHEN :deleted THEN coalesce(deleted_at, :now) ELSE NULL END WHERE id = :id",
        {**values, "now": _now(), "deleted": int(deleted)},
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
    await db.execute(
        "INSERT INTO revisions (entry_id, kind, action, actor_id, actor_name, at, before, after, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry_id,
            kind,
            action,
            actor.id,
            actor.name,
            _now(),
            None if before is None else json.dumps(before.to_data(), ensure_ascii=False),
            None if after is None else json.dumps(after.to_data(), ensure_ascii=False),
            note,
        ),
    )


def _entry_from_data(kind: str, data: dict[str, Any]) -> Entry:
    fields = {k: v for k, v in data.items() if k not in {"keywords", "paragraphs", "sort", "is_context"}}
    return Entry(
        kind=kind,
        keywords=tuple(data.get("keywords", ())),
        paragraphs=tuple(data.get("paragraphs", ())),
        sort=data.get("sort"),
        is_context=bool(data.get("is_context", False)),
        **fields,
    )
