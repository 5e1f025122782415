"""Moderator commands: add, edit, remove, restore, history, revert, log, export and import."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from bot.answer import shorten
from bot.config import Settings
from bot.dataset import LEXICON_SECTION, Article, DataError, DataFile, dump_dataset, parse_entry, read_import
from bot.handlers.forms import entry_from_form, form_values, slug_for, typed_back
from bot.handlers.replies import Page, Reply, ReplyField, cite, error, literal
from bot.handlers.words import describe_lexicon, lexicon_field, plan_lexicon, revert_lexicon
from bot.models import (
    KINDS,
    LEXICON_ENTRY,
    LEXICON_KIND,
    Actor,
    Entry,
    ImportPlan,
    Revision,
    kind_of_data,
    left_as,
)
from bot.store import ConflictError, NotFound, NothingToDo, Refused, StaleImport, Store, StoreError
from bot.worker import WorkerFailed, in_worker

HISTORY_PAGE = 5
MAX_IMPORT_BYTES = 5_000_000


def may_moderate(settings: Settings, user_id: int, role_ids: Iterable[int]) -> bool:
    """The one rule: a listed user, or someone holding a listed role."""
    if user_id in settings.moderator_user_ids:
        return True
    return any(role in settings.moderator_role_ids for role in role_ids)


def describe_plan(
    plan: ImportPlan, replace: bool, lead: str = "Dry run", hint: str = "nothing is changed until you confirm"
) -> Reply:
    def sample(entries: Iterable[Entry]) -> str:
        ids = [f"`{e.id}`" for e in entries]
        return (", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")) or "none"

    fields = [
        ReplyField(f"Added ({len(plan.added)})", sample(plan.added)),
        ReplyField(f"Changed ({len(plan.changed)})", sample(new for _old, new in plan.changed)),
        ReplyField(f"Removed ({len(plan.removed)})", sample(plan.removed) if replace else "none (merge keeps them)"),
    ]
    kinds = [f"`{new.id}`: {old.kind} → {new.kind}" for old, new in plan.changed if old.kind != new.kind]
    if kinds:
        listed = ", ".join(kinds[:10]) + (f" and {len(kinds) - 10} more" if len(kinds) > 10 else "")
        fields.append(ReplyField(f"Kind changes ({len(kinds)})", listed))
    if plan.lexicon is not None:
        fields.append(describe_lexicon(plan.lexicon))
    body = "Nothing would change." if plan.is_noop else f"{lead} ({'replace' if replace else 'merge'}): {hint}."
    return Reply(
        title="Import preview", body=body + f" {plan.unchanged} entries are already the same.", fields=tuple(fields)
    )


def import_problems(exc: DataError) -> str:
    """A refused file's problems, one a line."""
    return "\n".join(f"• {p}" for p in exc.problems[:10]) + (f"\n…{exc.more}." if exc.more else "")


class ModerationHandlers:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    async def article(self) -> Article:
        return Article(tuple(await self.store.paragraphs()))

    async def entry_ids(self, kind: str | None, containing: str, limit: int, *, deleted: bool | None) -> list[str]:
        """Ids for autocomplete: live entries (deleted=False), removed ones (True) or both (None)."""
        return await self.store.ids(kind, containing, limit, deleted=deleted)

    # ---- forms ------------------------------------------------------------------------------

    @staticmethod
    def _check_kind(kind: str) -> Reply | None:
        if kind not in KINDS:
            return error(f"Unknown kind “{shorten(kind, 20)}”; use one of {', '.join(KINDS)}.")
        return None

    async def _find(self, kind: str, entry_id: str) -> Entry | Reply:
        """The entry (live or removed) of that kind and id, or a Reply saying why there is none."""
        problem = self._check_kind(kind)
        if problem:
            return problem
        entry_id = entry_id.strip().lower()
        entry = await self.store.get(entry_id, include_deleted=True)
        if entry is None or entry.kind != kind:
            return error(f"There is no {kind} with id `{shorten(entry_id, 48)}`.")
        return entry

    async def edit_form(self, kind: str, entry_id: str) -> Reply:
        """The entry to edit (in `entries`) and its current values (in `form`), or why it cannot be edited."""
        entry = await self._find(kind, entry_id)
        if isinstance(entry, Reply):
            return entry
        return Reply(title=f"Edit {kind} `{entry.id}`", entries=(entry,), form=form_values(entry))

    async def add(self, kind: str, values: dict[str, str], actor: Actor) -> Reply:
        problem = self._check_kind(kind)
        if problem:
            return problem
        entry, problems = entry_from_form(kind, slug_for(kind, values), values, await self.article())
        if entry is None:
            return _invalid(problems, kind, values)
        try:
            # The id is made free inside the write (a suffix when taken): two moderators adding the same
            # title at once both get their entry.
            saved = await self.store.add(entry, actor, free_id=True)
        except StoreError as exc:
            return _not_saved(f"Your entry was not saved: {exc}.", kind, values)
        return _saved("Added", saved)

    async def edit(
        self, kind: str, entry_id: str, values: dict[str, str], expected_version: int, actor: Actor
    ) -> Reply:
        current = await self._find(kind, entry_id)
        if isinstance(current, Reply):
            reason = current.body
            return _not_saved(
                f"{reason} It may have become another kind; `/kb history` shows what happened.", kind, values
            )
        entry, problems = entry_from_form(kind, current.id, values, await self.article())
        if entry is None:
            return _invalid(problems, kind, values)
        entry = replace(entry, phrasings=current.phrasings)  # not on the form: the questions taught to it stay
        try:
            saved = await self.store.update(entry, actor, expected_version)
        except ConflictError as exc:
            return _not_saved(
                f"{kind} `{current.id}` was changed by someone else since you opened the form (it is now at "
                f"version {exc.current.version}); your edit was not saved. Open `/kb edit` again to see their "
                "change, then redo yours (what you typed is below).",
                kind,
                values,
                title="Edit conflict",
            )
        except NotFound:
            return _not_saved(
                f"{kind} `{current.id}` became another kind meanwhile; your edit was not saved.", kind, values
            )
        except StoreError as exc:
            return _not_saved(f"Your edit was not saved: {exc}.", kind, values)
        if saved.version == expected_version:
            return Reply(title="No change", body="The form matched the entry already; nothing was saved.")
        return _saved("Saved", saved)

    async def set_deleted(
        self, kind: str, entry_id: str, deleted: bool, actor: Actor, expected_version: int | None = None
    ) -> Reply:
        current = await self._find(kind, entry_id)
        if isinstance(current, Reply):
            return current
        entry_id = current.id
        if current.deleted == deleted:
            state = "removed; `/kb restore` brings it back" if deleted else "live; nothing to restore"
            return error(f"{kind} `{entry_id}` is already {state}.")
        if expected_version is not None and current.version != expected_version:
            return error(
                f"{kind} `{entry_id}` changed since you asked (now version {current.version}); "
                "nothing was done. Run the command again.",
                title="Changed meanwhile",
            )
        try:
            saved = await self.store.set_deleted(kind, entry_id, deleted, actor)
        except (NotFound, NothingToDo) as exc:
            return error(str(exc))
        except StoreError as exc:
            return error(f"Nothing was changed: {exc}.", title="Not saved")
        verb = "Removed" if deleted else "Restored"
        note = " It is no longer answered; `/kb restore` brings it back." if deleted else " It is answered again."
        return Reply(
            title=f"{verb} {kind} `{saved.id}`",
            body=shorten(saved.text, 1000) + "\n\n" + note.strip(),
            citations=saved.paragraphs,
        )

    async def removal_preview(self, kind: str, entry_id: str) -> Reply:
        """What removing an entry would remove (the entry in `entries`), to confirm; or why it cannot be."""
        entry = await self._find(kind, entry_id)
        if isinstance(entry, Reply):
            return entry
        if entry.deleted:
            return error(f"{kind} `{entry.id}` is already removed; `/kb restore` brings it back.")
        return Reply(
            title=f"Remove {kind} `{entry.id}`?",
            body=shorten(entry.text, 1000),
            fields=(ReplyField("Undo", "Removal is a soft delete: `/kb restore` brings it back."),),
            citations=entry.paragraphs,
            entries=(entry,),
        )

    # ---- history ----------------------------------------------------------------------------

    async def history(self, kind: str, entry_id: str, page: int = 1) -> Reply:
        entry = await self._find(kind, entry_id)
        if isinstance(entry, Reply):
            return entry
        entry_id = entry.id
        _, total = await self.store.history(entry_id, 0, 1)
        pages = max(1, math.ceil(total / HISTORY_PAGE))
        if not 1 <= page <= pages:
            return error(f"Pick a page from 1 to {pages}.")
        revisions, _ = await self.store.history(entry_id, (page - 1) * HISTORY_PAGE, HISTORY_PAGE)
        return Reply(
            title=f"History of {kind} `{entry_id}`" + (" (removed)" if entry.deleted else ""),
            body=f"{total} revision{'s' if total != 1 else ''}. `/kb revert <number>` puts an entry back as a "
            "revision left it.",
            fields=tuple(_revision_field(r) for r in revisions),
            page=Page(page, pages, "history", f"{kind} {entry_id}"),
        )

    async def log(self, page: int = 1) -> Reply:
        _, total = await self.store.recent_revisions(0, 1)
        pages = max(1, math.ceil(total / HISTORY_PAGE))
        if not 1 <= page <= pages:
            return error(f"Pick a page from 1 to {pages}.")
        revisions, _ = await self.store.recent_revisions((page - 1) * HISTORY_PAGE, HISTORY_PAGE)
        return Reply(
            title="Recent changes",
            body=f"{total} revisions in all." if total else "No changes yet.",
            fields=tuple(_revision_field(r, with_entry=True) for r in revisions),
            page=Page(page, pages, "log"),
        )

    async def revert(self, revision_id: int, actor: Actor) -> Reply:
        """Put an entry back as a revision left it; if it still is, undo that revision (back to how it was)."""
        revision = await self.store.revision(revision_id)
        if revision is None:
            return error(f"no revision #{revision_id}.")
        if revision.kind == LEXICON_KIND:
            return await revert_lexicon(self.store, revision, actor)
        before = await self.store.get(revision.entry_id, include_deleted=True)
        undo = before is not None and left_as(before, revision)
        target = revision.before if undo else revision.after
        if target is not None:
            # The entry comes back whole, as that revision's kind: checked as an import checks it, so a revert
            # can never store what an export would write and an import refuse.
            kind = (kind_of_data(target) or revision.kind) if undo else revision.kind
            _entry, problems = parse_entry(kind, target, await self.article())
            if problems:
                what = f"what revision #{revision_id} replaced" if undo else f"what revision #{revision_id} recorded"
                return error(
                    f"Revision #{revision_id} cannot be {'undone' if undo else 'restored'}: {what} is not a valid "
                    f"{kind} today.\n" + "\n".join(f"• {p}" for p in problems[:10]),
                    title="Not reverted",
                )
        try:
            entry = await self.store.revert(revision_id, actor, undo=undo)
        except NotFound as exc:
            return error(str(exc) + ".")
        except (NothingToDo, Refused) as exc:
            return error(str(exc) + "; nothing to do.")
        except StoreError as exc:
            return error(f"Nothing was reverted: {exc}.", title="Not reverted")
        state = "It is now removed (not answered); " if entry.deleted else ""
        kind = f"It is a {entry.kind} again (it was a {before.kind}). " if before and before.kind != entry.kind else ""
        title = (
            f"Undid revision #{revision_id} of {entry.kind} `{entry.id}`"
            if undo
            else f"Reverted {entry.kind} `{entry.id}` to revision #{revision_id}"
        )
        lead = "It was as that revision left it, so the revision is undone: the entry is back as it was before. "
        return Reply(
            title=title,
            body=shorten(entry.text, 1000)
            + f"\n\n{lead if undo else ''}{kind}{state}The revert is itself a new revision: it can be undone too.",
            citations=entry.paragraphs,
        )

    # ---- export and import ------------------------------------------------------------------

    async def entry_count(self) -> int:
        """How many live entries the store holds (what an export writes)."""
        return (await self.store.counts()).total

    async def backup(self, target: Path) -> None:
        """Copy the live database to a new file, safely while the bot runs (StoreError if it cannot)."""
        await self.store.backup(target)

    async def export_bytes(self) -> bytes:
        document = dump_dataset(await self.store.entries())
        additions = (await self.store.lexicon_additions()).document
        if additions:  # without any, an export is exactly the shape of data/story.json
            document[LEXICON_SECTION] = additions
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    async def preview_import(
        self,
        source: bytes | DataFile,
        replace: bool,
        filename: str = "upload",
        *,
        lead: str = "Dry run",
        hint: str = "nothing is changed until you confirm",
    ) -> Reply:
        """What importing a file would change, its plan in `plan` (for `apply_import`); nothing is written.
        `source` is an upload's bytes (at most MAX_IMPORT_BYTES, checked in the worker process) or a file the
        caller has read and checked already (the command line's, which may be larger)."""
        if isinstance(source, bytes):
            checked = await self._check_upload(source, filename)
            if isinstance(checked, Reply):
                return checked
            source = checked
        plan = await self.store.plan_import(source.entries, replace)
        plan = dataclasses.replace(plan, lexicon=await plan_lexicon(self.store, source.lexicon, replace))
        return dataclasses.replace(describe_plan(plan, replace, lead, hint), plan=plan)

    async def _check_upload(self, raw: bytes, filename: str) -> DataFile | Reply:
        if len(raw) > MAX_IMPORT_BYTES:
            return error(
                f"{filename} is {len(raw) / 1e6:.1f} MB; imports from Discord are limited to "
                f"{MAX_IMPORT_BYTES // 1_000_000} MB (use `python -m bot import` for larger files)."
            )
        title = f"{shorten(filename, 60)} was not imported"
        try:
            # Decoding and checking 10,000 entries takes a while: in the worker process, so the bot keeps
            # answering everyone else meanwhile.
            return await in_worker(read_import, raw, await self.article(), filename)
        except DataError as exc:
            return error(import_problems(exc), title=title)
        except WorkerFailed as exc:
            return error(f"The file could not be checked ({exc}); nothing was imported. Try again.", title=title)

    async def apply_import(
        self, plan: ImportPlan, actor: Actor, progress: Callable[[int, int], None] | None = None
    ) -> Reply:
        """Apply a plan `preview_import` made, all or nothing; refused if what it changes changed since."""
        try:
            await self.store.apply_import(plan, actor, progress)
        except StaleImport as exc:
            listed = ", ".join("the lexicon additions" if i == LEXICON_ENTRY else f"`{i}`" for i in exc.entry_ids[:10])
            more = f" and {len(exc.entry_ids) - 10} more" if len(exc.entry_ids) > 10 else ""
            return error(
                f"Since the preview, {len(exc.entry_ids)} of the entries this import would change were changed "
                f"by someone else: {listed}{more}. Nothing was imported; upload the file again for a new preview.",
                title="Import refused",
            )
        except StoreError as exc:
            return error(f"{exc}. Nothing was imported: the store is as it was.", title="Import failed")
        words = f" Lexicon: {describe_lexicon(plan.lexicon).value.splitlines()[0]}." if plan.lexicon else ""
        return Reply(
            title="Import done",
            body=f"Added {len(plan.added)}, changed {len(plan.changed)}, removed {len(plan.removed)}.{words} "
            "Every change is recorded: `/kb log` lists them and `/kb revert` undoes one.",
        )


def _invalid(problems: list[str], kind: str, values: dict[str, str]) -> Reply:
    return _not_saved("\n".join(f"• {p}" for p in problems[:10]), kind, values)


def _not_saved(message: str, kind: str, values: dict[str, str], title: str = "Not saved") -> Reply:
    """A form that was not saved: why, and what the moderator typed, to copy into a new form."""
    return Reply(title=title, body=message, fields=typed_back(kind, values), found=False, error=True)


def _saved(verb: str, entry: Entry) -> Reply:
    return Reply(
        title=f"{verb} {entry.kind} `{entry.id}` (version {entry.version})",
        body=shorten(entry.text, 1000),
        fields=(ReplyField("Citation", cite(entry.paragraphs, entry.source) or "none"),),
        citations=entry.paragraphs,
        entries=(entry,),
    )


def _revision_field(revision: Revision, with_entry: bool = False) -> ReplyField:
    if revision.kind == LEXICON_KIND:
        return lexicon_field(revision, with_entry)
    what = {
        "create": "created",
        "edit": "edited",
        "delete": "removed",
        "restore": "restored",
        "revert": "reverted",
        "import": "imported",
        "teach": "taught",
    }.get(revision.action, revision.action)
    name = f"#{revision.id} · {what} by {revision.actor_name} · {revision.at.replace('T', ' ')[:16]}"
    if with_entry:
        name = f"#{revision.id} · {revision.kind} {revision.entry_id} {what} by {revision.actor_name}"
    return ReplyField(shorten(name, 250), shorten(_changes(revision), 1000))


def _changes(revision: Revision) -> str:
    before, after = revision.before or {}, revision.after or {}
    if not before and after:
        return "new: " + shorten(str(after.get("text", "")), 300)
    if before and not after:
        return "removed" + (f" ({revision.note})" if revision.note else "")
    changed = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
    if not changed:
        return revision.note or ("restored" if revision.action == "restore" else "no content change")
    lines = [
        _phrasings_change(before.get(key, []), after.get(key, []))
        if key == "phrasings"
        else f"{key}: {shorten(str(before.get(key, '—')), 120)} → {shorten(str(after.get(key, '—')), 120)}"
        for key in changed[:4]
    ]
    old_kind = kind_of_data(before)
    if old_kind and old_kind != revision.kind:
        lines.insert(0, f"kind: {old_kind} → {revision.kind}")
    return "\n".join(lines) + (f"\n…and {len(changed) - 4} more fields" if len(changed) > 4 else "")


def _phrasings_change(before: list[str], after: list[str]) -> str:
    """'questions: + `how many times was he shot`': the questions taught or taken off, as literal text (they come
    from readers: no Markdown, links or mentions of theirs are rendered)."""
    added = [f"+ {literal(shorten(p, 100))}" for p in after if p not in before]
    removed = [f"− {literal(shorten(p, 100))}" for p in before if p not in after]
    return "questions: " + " ".join(added + removed)
