"""Learning from real questions: record what the bot could not answer and answers reported as wrong, show them
to moderators (the inbox), and teach a question to the entry that answers it."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Coroutine
from dataclasses import dataclass, replace
from typing import Any

from bot.answer import MAX_QUESTION, Answerer, answer_text, shorten
from bot.config import Settings
from bot.dataset import MAX_PHRASING, MIN_PHRASING
from bot.handlers.replies import Page, Reply, ReplyField, error, literal
from bot.handlers.story import StoryHandlers
from bot.models import Actor, Entry, InboxItem
from bot.store import NotFound, NothingToDo, Refused, Store, StoreError

log = logging.getLogger("bot.handlers.inbox")

MAX_ITEMS = 10_000
INBOX_PAGE = 4
MAX_COMMENT = 300
REPORT_COOLDOWN_SECONDS = 60.0
# Recording waits its turn behind other writes (a large import): it runs after the answer, never before it.
MAX_PENDING_RECORDS = 1_000
# Questions to record are gathered for this long and written in one transaction: one at a time, a burst of
# unanswered questions cost the store more than answering them.
RECORD_GATHER_SECONDS = 0.05
PURGE_EVERY_SECONDS = 600.0
_RECENT_ANSWERS = 10_000


@dataclass(frozen=True, slots=True)
class Asker:
    """Who asked, as far as the inbox needs it: an id (stored only as a salted hash) and where they asked (a
    guild id, "DM", "console" or "command line")."""

    id: str
    place: str


CONSOLE = Asker("console", "console")
COMMAND_LINE = Asker("command-line", "command line")


@dataclass(frozen=True, slots=True)
class InboxPage:
    """A page of the inbox: the reply to show and the items on it (a front end adds their buttons)."""

    reply: Reply
    items: tuple[InboxItem, ...] = ()


def plain_text(text: str) -> str:
    """Text as one plain line: control and zero-width characters gone, runs of spaces and line breaks one space."""
    if not text.isprintable():  # (the common case, printable text, needs no walk over its characters)
        text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(text.split())


def answer_key(question: str) -> str:
    """A short fingerprint of a question, for a "Wrong answer?" button to name the question it is about."""
    return hashlib.sha256(question.encode()).hexdigest()[:10]


class InboxHandlers:
    def __init__(self, store: Store, answerer: Answerer, story: StoryHandlers, settings: Settings) -> None:
        self.store = store
        self.answerer = answerer
        self.story = story
        self.settings = settings
        self._pending: set[asyncio.Task[None]] = set()
        self._unrecorded: list[tuple[str, Asker]] = []  # unanswered questions waiting to be written, in order
        self._in_order = asyncio.Lock()  # fair: questions are recorded in the order they were asked
        self._purged = -math.inf
        self._reported: OrderedDict[str, float] = OrderedDict()  # asker id -> when they last reported
        self._recent: OrderedDict[str, str] = OrderedDict()  # answer_key -> the question, for reports

    # ---- collecting -----------------------------------------------------------------------------

    async def ask(self, question: str, asker: Asker) -> Reply:
        """Answer as /ask does; a question the bot cannot answer is recorded (after the answer, in the
        background), and an answer names its question so that readers can report it as wrong."""
        reply = await self.story.ask(question)
        if reply.error or not self.settings.record_questions:
            return reply
        asked = plain_text(question)
        if not reply.found:
            self._record_later(asked, asker)
            return reply
        self._recent[answer_key(asked)] = asked
        self._recent.move_to_end(answer_key(asked))
        while len(self._recent) > _RECENT_ANSWERS:
            self._recent.popitem(last=False)
        return replace(reply, asked=asked)

    async def record_unanswered(self, question: str, asker: Asker) -> None:
        """Count a question the bot could not answer in the inbox (nothing when recording is off)."""
        await self._record_all([(question, asker)])

    async def _record_all(self, asked: list[tuple[str, Asker]]) -> None:
        """record_unanswered for each question, in one write."""
        if not self.settings.record_questions:
            return
        asks: list[tuple[str, str, str, str]] = []
        for question, asker in asked:
            text = plain_text(question)
            if not text or len(text) > MAX_QUESTION:
                continue
            key = await self.answerer.normalise(text)
            if key:  # (nothing in it to teach: "???")
                asks.append((key, text, asker.place, asker.id))
        if asks:
            await self._purge_now_and_then()
            await self.store.record_questions(asks, max_items=MAX_ITEMS)

    def _record_later(self, question: str, asker: Asker) -> None:
        """Record an unanswered question in the background, with the others asked meanwhile."""
        if len(self._unrecorded) >= MAX_PENDING_RECORDS:
            log.warning(
                "the inbox is %d questions behind (the store is busy); not recording one", len(self._unrecorded)
            )
            return
        self._unrecorded.append((question, asker))
        if len(self._unrecorded) == 1:  # the first since the last write: one task writes them all
            task = asyncio.create_task(self._logged(self._record_gathered()))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

    async def _record_gathered(self) -> None:
        await asyncio.sleep(RECORD_GATHER_SECONDS)
        # (taken when this task's turn comes, behind the write before it: whatever was asked meanwhile goes too)
        asked, self._unrecorded = self._unrecorded, []
        await self._record_all(asked)

    async def _logged(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            async with self._in_order:
                await work
        except StoreError as exc:  # the reader has their answer already; the operator hears of it
            log.warning("could not record a question in the inbox: %s", exc)
        except Exception:  # a bug: to the log, with its traceback (nobody awaits this task to hear of it)
            log.exception("error recording a question in the inbox")

    async def flush(self) -> None:
        """Wait until every question asked so far is recorded (before the store closes)."""
        while self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def _purge_now_and_then(self) -> None:
        now = time.monotonic()
        if now - self._purged >= PURGE_EVERY_SECONDS:
            self._purged = now
            await self.store.purge_inbox(self.settings.question_retention_days)

    # ---- "Wrong answer?" ----------------------------------------------------------------------------

    def reported_question(self, key: str, shown: str | None) -> str | None:
        """The question a "Wrong answer?" button is about: as it was asked (remembered for the latest answers),
        or, after a restart, as the answer shows it."""
        found = self._recent.get(key)
        if found is not None:
            return found
        return (plain_text(shown)[:MAX_QUESTION] or None) if shown else None

    async def may_report(self, question: str, entry_id: str, asker: Asker) -> Reply | None:
        """Why this reader cannot report this answer now (None when they can): reports off, a report from
        them a moment ago, or this answer reported by them already."""
        if not self.settings.record_questions:
            return error("Reports are turned off on this bot.", title="Not recorded")
        wait = self._cooldown(asker.id)
        if wait:
            return error(f"You reported an answer a moment ago; you can report another in {wait} s.", title="Wait")
        if await self.store.has_reported(await self.answerer.normalise(question), entry_id, asker.id):
            return Reply(title="Already reported", body="You reported this answer already. Thank you!")
        return None

    async def report(self, question: str, entry_id: str, comment: str, asker: Asker) -> Reply:
        """Record a reader's report that an answer was wrong, with what they were looking for; thank them."""
        refused = await self.may_report(question, entry_id, asker)
        if refused is not None:
            return refused
        comment = plain_text(comment)
        if len(comment) > MAX_COMMENT:
            return error(f"Please keep it under {MAX_COMMENT} characters (it has {len(comment)}).")
        key = await self.answerer.normalise(question) or plain_text(question).lower()
        await self._purge_now_and_then()
        try:
            recorded = await self.store.record_report(
                key, question, entry_id, asker.place, asker.id, comment, max_items=MAX_ITEMS
            )
        except StoreError as exc:
            log.warning("could not record a report: %s", exc)
            return error("Your report could not be saved just now; please try again in a minute.")
        if not recorded:
            return Reply(title="Already reported", body="You reported this answer already. Thank you!")
        self._reported[asker.id] = time.monotonic()
        self._reported.move_to_end(asker.id)
        while len(self._reported) > _RECENT_ANSWERS:
            self._reported.popitem(last=False)
        return Reply(title="Thank you", body="Your report is in; a moderator will look at it.")

    def _cooldown(self, asker_id: str) -> int:
        last = self._reported.get(asker_id)
        if last is None:
            return 0
        left = REPORT_COOLDOWN_SECONDS - (time.monotonic() - last)
        return max(1, math.ceil(left)) if left > 0 else 0

    # ---- the inbox ----------------------------------------------------------------------------------

    async def page(self, number: int = 1) -> InboxPage:
        """A page of the inbox for moderators, the most asked first."""
        await self.store.purge_inbox(self.settings.question_retention_days)
        _, total = await self.store.inbox_page(0, 1)
        pages = max(1, math.ceil(total / INBOX_PAGE))
        if not 1 <= number <= pages:
            return InboxPage(error(f"The inbox has {pages} page{'s' if pages != 1 else ''}; pick 1 to {pages}."))
        items, total = await self.store.inbox_page((number - 1) * INBOX_PAGE, INBOX_PAGE)
        if not items:
            return InboxPage(Reply(title="Inbox", body=self._empty(), found=False))
        fields = [await self._field(item) for item in items]
        body = (
            f"{total} item{'s' if total != 1 else ''}, the most asked first. *Teach…* attaches the question to the "
            "entry that answers it (or to a new one); *Dismiss* drops it."
        )
        reply = Reply(title="Inbox", body=body, fields=tuple(fields), page=Page(number, pages, "inbox"))
        return InboxPage(reply, tuple(items))

    async def everything(self) -> list[InboxItem]:
        """Every item, the most asked first (for the command line)."""
        await self.store.purge_inbox(self.settings.question_retention_days)
        items, _ = await self.store.inbox_page(0, MAX_ITEMS)
        return items

    async def listing(self, items: list[InboxItem]) -> Reply:
        """The items as one reply (for the command line)."""
        if not items:
            return Reply(title="Inbox", body=self._empty(), found=False)
        fields = tuple([await self._field(item) for item in items])
        return Reply(title="Inbox", body=f"{len(items)} item{'s' if len(items) != 1 else ''}.", fields=fields)

    def _empty(self) -> str:
        if not self.settings.record_questions:
            return "Nothing here: recording questions is turned off (RECORD_QUESTIONS)."
        return "Nothing here: every question asked lately was answered, and nobody reported an answer."

    async def _field(self, item: InboxItem) -> ReplyField:
        times = "once" if item.count == 1 else f"{item.count} times"
        people = "1 person" if item.askers == 1 else f"{item.askers} people"
        if item.kind == "reported":
            name = f"#{item.id} · answer reported {times} by {people}"
        else:
            name = f"#{item.id} · not answered · asked {times} by {people}"
        lines = [literal(shorten(q, 200)) for q in item.questions[:3]]
        if len(item.questions) > 3:
            lines.append(f"…and {len(item.questions) - 3} more ways of asking it")
        if item.entry_id:
            given = await self.store.get(item.entry_id, include_deleted=True)
            what = f"{given.kind} `{given.id}`: {shorten(answer_text(given), 200)}" if given else f"`{item.entry_id}`"
            lines.append(f"Answer given: {what}")
        lines.extend(f"Comment: {literal(shorten(c, 300))}" for c in item.comments[:3])
        lines.append(
            f"Last {item.last_seen.replace('T', ' ')[:16]} UTC · {', '.join(_place(p) for p in item.places[:3])}"
        )
        return ReplyField(shorten(name, 250), shorten("\n".join(lines), 1000))

    # ---- teaching -----------------------------------------------------------------------------------

    async def item(self, item_id: int) -> Reply:
        """An inbox item (in `item`), or why there is none."""
        found = await self.store.inbox_item(item_id)
        if found is None:
            return error(f"There is no inbox item #{item_id} (taught or dismissed?).")
        return Reply(title=f"Inbox item #{found.id}", body="\n".join(found.questions[:1]), item=found)

    async def candidates(self, question: str, limit: int = 25) -> list[Entry]:
        """Entries that might answer a question, the likeliest first (for choosing one to teach it to)."""
        answer = await self.answerer.ask(question, suggest=False)
        found = [e for e in (answer.best, *answer.alternatives, answer.closest) if e is not None]
        for entry in await self.answerer.search(question, limit=limit):
            if all(entry.id != e.id for e in found):
                found.append(entry)
        return found[:limit]

    async def entry_choices(self, typed: str, question: str, limit: int = 25) -> list[Entry]:
        """Entries to offer while a moderator types an entry id: those whose id holds what is typed, or, with
        nothing typed yet, those that might answer the question."""
        if typed.strip() or not question.strip():
            return await self.store.get_many(await self.store.ids(None, typed.strip().lower(), limit))
        return await self.candidates(question, limit)

    async def teach(self, question: str, entry_id: str, actor: Actor, item_id: int | None = None) -> Reply:
        """Attach a question to the entry that answers it; the question and near variants of it are answered with
        that entry from now on, and the inbox items it answers (and `item_id`) are closed."""
        question = plain_text(question)
        if not MIN_PHRASING <= len(question) <= MAX_PHRASING:
            return error(f"A question to teach is {MIN_PHRASING} to {MAX_PHRASING} characters long.")
        entry = await self.store.get(entry_id.strip().lower())
        if entry is None:
            close = await self.store.ids(None, entry_id.strip().lower()[:20], limit=3)
            hint = f" Did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
            return error(f"There is no live entry `{shorten(entry_id, 48)}`.{hint}", title="Not taught")
        key = await self.answerer.normalise(question)
        if not key:
            return error("That question has no words to recognise it by; nothing was taught.", title="Not taught")
        phrasing = await self.answerer.corrected(question)
        holder = await self.answerer.taught_entry(key)
        if holder is not None and holder.id == entry.id:
            closed = await self._close(key, item_id)
            return Reply(title="Already taught", body=f"{_label(entry)} answers that question already.{closed}")
        moved = [(holder.id, p) for p in holder.phrasings if await self.answerer.normalise(p) == key] if holder else []
        try:
            saved = await self.store.teach(entry.id, phrasing, actor, moved_from=moved)
        except (NotFound, NothingToDo, Refused) as exc:
            return error(f"Nothing was taught: {exc}.", title="Not taught")
        except StoreError as exc:
            return error(f"Nothing was taught: {exc}.", title="Not saved")
        closed = await self._close(key, item_id)
        revisions, _ = await self.store.history(saved.id, 0, 1)
        undo = f" `/kb revert {revisions[0].id}` undoes it." if revisions else ""
        moved_note = f" It was taught to {_label(holder)} before; it moved." if holder and moved else ""
        if phrasing != question:
            moved_note = f" (Stored as the bot reads it, typos corrected: it was {literal(question)}.){moved_note}"
        return Reply(
            title=f"Taught {saved.kind} `{saved.id}`",
            body=f"{literal(phrasing)} is answered with this entry from now on, and so are near variants of it "
            f"(another casing, a typo, a filler word).{moved_note}{closed}{undo}",
            fields=(ReplyField("Answer", shorten(answer_text(saved), 1000)),),
            citations=saved.paragraphs,
            entries=(saved,),
        )

    async def _close(self, key: str, item_id: int | None) -> str:
        """Close the items a taught question answers; ' Closed N inbox items.' ('' when none)."""
        ids = {item.id for item in await self.store.inbox_items_with([key])}
        if item_id is not None:
            ids.add(item_id)
        try:
            closed = await self.store.close_inbox_items(sorted(ids)) if ids else 0
        except StoreError as exc:
            log.warning("taught, but could not close the inbox items: %s", exc)
            return " The inbox items it answers are still open (the store was busy): dismiss them."
        return f" Closed {closed} inbox item{'s' if closed != 1 else ''}." if closed else ""

    async def dismiss(self, item_id: int) -> Reply:
        try:
            closed = await self.store.close_inbox_items([item_id])
        except StoreError as exc:
            return error(f"Nothing was dismissed: {exc}.", title="Not saved")
        if not closed:
            return error(f"There is no inbox item #{item_id} (taught or dismissed already?).")
        return Reply(
            title=f"Dismissed inbox item #{item_id}", body="It is out of the inbox; asked again, it comes back."
        )


def _label(entry: Entry) -> str:
    return f"{entry.kind} `{entry.id}`"


def _place(place: str) -> str:
    return f"server {place}" if place.isdigit() else place
