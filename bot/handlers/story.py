"""Reader commands: ask, fact, quote, timeline, search, who, explain, source, about, help."""

from __future__ import annotations

import asyncio
import math
import struct
from collections.abc import Callable

from rapidfuzz import fuzz, process

from bot.about import About
from bot.answer import MAX_QUESTION, Answerer, answer_text, shorten
from bot.handlers.replies import Page, Picture, Reply, ReplyField, error
from bot.handlers.timeline import needs_article_years, timeline_pages, with_article_years, yearless_months
from bot.handlers.wording import and_list, see_also_line, source_note
from bot.models import KINDS, Entry
from bot.store import Store
from bot.text import fold
from bot.timeline_periods import Period

PAGE_SIZE = 5
MAX_ARGUMENT = 100
PICTURE_FILE = "timeline.png"

# (command, its options as a user types them, what it does)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("ask", "<question>", "Ask anything about the story."),
    ("fact", "[topic]", "A fact: at random, or on a topic."),
    ("quote", "[speaker]", "A direct quote from the article."),
    ("timeline", "[page]", "What happened, in order; also as a picture."),
    ("search", "<words>", "Every entry that mentions some words."),
    ("who", "<name>", "Who someone is and what they did."),
    ("explain", "<term>", "A glossary term: {terms}, ..."),
    ("source", "<paragraph>", "The text of one paragraph of the article."),
    ("about", "", "What this bot knows and where it comes from."),
    ("quiz start", "", "A multiple-choice question about the story; answer with the buttons."),
    ("quiz leaderboard", "", "The quiz's top ten here, and your rank."),
    ("help", "", "This list."),
)
# How a front end names a command for the reader: `/ask` as text, or a mention Discord makes clickable.
Mention = Callable[[str], str]


def slash(name: str) -> str:
    """A command named as text, for front ends without clickable commands (the console, the CLI)."""
    return f"`/{name}`"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun if count == 1 else 'people' if noun == 'person' else noun + 's'}"


def _clean(argument: str | None) -> str:
    """User text made safe to compare: control characters and zero-width marks gone, trimmed."""
    if not argument:
        return ""
    if argument.isprintable():  # (the common case needs no walk over its characters)
        return argument.strip()
    return "".join(c for c in argument if c.isprintable()).strip()


class StoryHandlers:
    def __init__(self, store: Store, answerer: Answerer, about: About) -> None:
        self.store = store
        self.answerer = answerer
        self.story_words = about

    async def ask(self, question: str) -> Reply:
        question = _clean(question)
        if len(question) > MAX_QUESTION:
            return error(f"That question is {len(question)} characters long; please keep it under {MAX_QUESTION}.")
        answer = await self.answerer.ask(question)
        if not answer.found or answer.best is None:
            return Reply(title="I don't know", body=answer.message, found=False)
        best = answer.best
        see_also = "\n".join(see_also_line(e) for e in answer.alternatives)
        return Reply(
            title=shorten(question, 200),
            body=answer.text,
            fields=(ReplyField("See also", see_also),) if see_also else (),
            citations=best.paragraphs,
            context_source=best.source,
            entries=(best, *answer.alternatives),
        )

    async def fact(self, topic: str | None = None, entry_id: str | None = None) -> Reply:
        topic, entry_id = _clean(topic), _clean(entry_id).lower()
        if len(topic) > MAX_ARGUMENT or len(entry_id) > MAX_ARGUMENT:
            return error(f"Topics and ids are limited to {MAX_ARGUMENT} characters.")
        if entry_id:
            entry = await self.store.get(entry_id)
            if entry is None:
                close = await self.store.ids(None, entry_id[:20], limit=3)
                hint = f" Did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
                return error(f"There is no entry with id `{shorten(entry_id, 48)}`.{hint}")
            return self._entry_reply(entry)
        if topic:
            entry = await self.store.random_entry("fact", topic)
            if entry is None:
                topics = await self.store.titles("fact")
                guess = process.extractOne(fold(topic), topics, scorer=fuzz.WRatio, score_cutoff=70)
                entry = await self.store.random_entry("fact", guess[0]) if guess else None
                if entry is None:
                    return error(f"No facts on “{shorten(topic, 40)}”. Topics: {', '.join(topics)}.")
            return self._entry_reply(entry)
        entry = await self.store.random_entry("fact")
        return self._entry_reply(entry) if entry else error("The store holds no facts yet.")

    async def quote(self, speaker: str | None = None) -> Reply:
        speaker = _clean(speaker)
        if len(speaker) > MAX_ARGUMENT:
            return error(f"Speakers' names are limited to {MAX_ARGUMENT} characters.")
        if speaker:
            name = await self._closest_title("quote", speaker)
            entry = await self.store.random_entry("quote", name) if name else None
            if entry is None:
                speakers = await self.store.titles("quote")
                return error(f"No quotes from “{shorten(speaker, 40)}”. Speakers: {', '.join(speakers)}.")
        else:
            entry = await self.store.random_entry("quote")
            if entry is None:
                return error("The store holds no quotes yet.")
        return self._entry_reply(entry)

    async def timeline(self, page: int = 1) -> Reply:
        pages = timeline_pages(await self._events())
        total = max(1, len(pages))
        if page < 1 or page > total:
            return error(f"The timeline has {total} page{'s' if total != 1 else ''}; pick a page from 1 to {total}.")
        if not pages:
            return Reply(title="Timeline", body="No events yet.", found=False, page=Page(1, 1, "timeline"))
        shown = pages[page - 1]
        lines = [shown.summary]
        vague = yearless_months(shown.events)
        if vague:
            lines.append(f"The article gives no year for {and_list(m.capitalize() for m in vague)}.")
        escape = next((i for i, p in enumerate(pages, 1) if p.period is Period.ESCAPE), None)
        if escape and escape > page:
            lines.append(f"The escape itself starts on page {escape}.")
        # Sized so that a full page of the longest events stays within Discord's 6,000 characters for an embed.
        fields = tuple(
            ReplyField(
                shorten(e.when or "", 100),
                f"{shorten(e.text, 350)} ({source_note(e)})",
            )
            for e in shown.events
        )
        return Reply(
            title=f"Timeline: {shown.heading}",
            body="\n".join(lines),
            fields=fields,
            citations=tuple(sorted({p for e in shown.events for p in e.paragraphs})),
            page=Page(page, total, "timeline"),
            entries=shown.events,
        )

    async def timeline_picture(self) -> Picture:
        """The timeline drawn as a PNG, off the event loop; redrawn only when the events change."""
        from bot.timeline_image import render_timeline_cached  # Pillow loads only when a picture is asked for

        events = tuple(await self._events())
        data = await asyncio.to_thread(render_timeline_cached, events, title=self.story_words.picture_title)
        width, height = struct.unpack(">II", data[16:24])  # the PNG header's IHDR chunk
        described = f"{len(events)} events, {events[0].when} to {events[-1].when}" if events else "no events yet"
        return Picture(PICTURE_FILE, data, f"The story's timeline as a picture: {described}.", width, height)

    async def _events(self) -> list[Entry]:
        """Every event in timeline order, a month-only label with the year its paragraphs give it."""
        events = await self.store.entries("event")
        if not needs_article_years(events):
            return events
        return with_article_years(events, {p.number: p.text for p in await self.store.paragraphs()})

    async def search(self, words: str, page: int = 1) -> Reply:
        words = _clean(words)
        if not words:
            return error(f"Give me some words to search for, e.g. `search {self.story_words.examples.search}`.")
        if len(words) > MAX_ARGUMENT:
            return error(f"Search words are limited to {MAX_ARGUMENT} characters.")
        hits = await self.answerer.search(words, limit=100)
        if not hits:
            return Reply(title=f"Search: {shorten(words, 80)}", body="Nothing in the story matches that.", found=False)
        pages = max(1, math.ceil(len(hits) / PAGE_SIZE))
        if page < 1 or page > pages:
            return error(
                f"There {'is' if pages == 1 else 'are'} {pages} page{'s' if pages != 1 else ''} of results; "
                f"pick a page from 1 to {pages}."
            )
        shown = hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        fields = tuple(
            ReplyField(
                f"{e.kind} · {shorten(e.title, 80)}",
                f"{shorten(answer_text(e), 600)} ({source_note(e)})",
            )
            for e in shown
        )
        more = "100+" if len(hits) == 100 else str(len(hits))
        return Reply(
            title=f"Search: {shorten(words, 80)}",
            body=f"{more} match{'es' if len(hits) != 1 else ''}.",
            fields=fields,
            citations=tuple(sorted({p for e in shown for p in e.paragraphs})),
            page=Page(page, pages, "search", words),
            entries=tuple(shown),
        )

    async def who(self, name: str) -> Reply:
        return await self._lookup("person", name, f"Who do you mean? e.g. `who {self.story_words.examples.person}`.")

    async def explain(self, term: str) -> Reply:
        return await self._lookup("term", term, f"Which term? e.g. `explain {self.story_words.examples.term}`.")

    async def source(self, paragraph: int) -> Reply:
        count = (await self.store.counts()).paragraphs
        found = await self.store.paragraph(paragraph) if 1 <= paragraph <= count else None
        if found is None:
            return error(f"The article has paragraphs 1 to {count}; paragraph {paragraph} is not one of them.")
        return Reply(title=f"Paragraph {paragraph}", body=shorten(found.text, 4000), citations=(paragraph,))

    async def about(self, mention: Mention = slash) -> Reply:
        counts = await self.store.counts()
        tally = " · ".join(
            [_plural(counts.paragraphs, "paragraph"), *(_plural(counts.by_kind.get(k, 0), k) for k in KINDS)]
        )
        commands = (
            f"Ask with {mention('ask')}, browse with {mention('timeline')} and {mention('search')}, read the article "
            f"with {mention('source')}; {mention('help')} lists every command."
        )
        return Reply(title=self.story_words.title, body=f"{self.story_words.summary}\n\n**{tally}**\n\n{commands}")

    def help(self, mention: Mention = slash) -> Reply:
        terms = self.story_words.examples.terms
        body = "\n".join(
            f"{mention(name)}{f' `{options}`' if options else ''} — {text.format(terms=terms)}"
            for name, options, text in COMMANDS
        )
        return Reply(
            title="StoryBot commands",
            body=body + f"\n\nOr just ask a question in plain words, e.g. “{self.story_words.examples.question}”",
        )

    async def complete(self, kind: str, current: str, limit: int = 25) -> list[str]:
        """Autocomplete choices: titles of a kind (topics, speakers, names, terms) nearest to `current`."""
        titles = await self.store.titles(kind)
        current = fold(_clean(current))
        if not current:
            return titles[:limit]
        ranked = process.extract(current, titles, scorer=fuzz.WRatio, processor=fold, limit=limit, score_cutoff=50)
        return [choice for choice, _score, _index in ranked]

    async def _title_containing(self, kind: str, wanted: str) -> str | None:
        folded = fold(wanted)
        for title in await self.store.titles(kind):
            if folded in fold(title):
                return title
        return None

    async def _closest_title(self, kind: str, wanted: str) -> str | None:
        exact = await self._title_containing(kind, wanted)
        if exact:
            return exact
        titles = await self.store.titles(kind)
        found = process.extractOne(fold(wanted), titles, scorer=fuzz.WRatio, processor=fold, score_cutoff=75)
        return found[0] if found else None

    async def _lookup(self, kind: str, wanted: str | None, hint: str) -> Reply:
        wanted = _clean(wanted)
        if not wanted:
            return error(hint)
        if len(wanted) > MAX_ARGUMENT:
            return error(f"That is {len(wanted)} characters; names and terms are under {MAX_ARGUMENT}.")
        # A name as written, then keywords and aliases ("jsa", "the surgeon"), then a near spelling.
        title = await self._title_containing(kind, wanted)
        matches = await self.store.by_title(kind, title) if title else []
        if not matches:
            found = await self.answerer.find(kind, wanted)
            matches = [found] if found else []
        if not matches:
            title = await self._closest_title(kind, wanted)
            matches = await self.store.by_title(kind, title) if title else []
        if not matches:
            known = await self.store.titles(kind, limit=30)
            what = "anyone called" if kind == "person" else "a term"
            return error(f"I don't know {what} “{shorten(wanted, 40)}”. Try: {', '.join(known)}.")
        return self._entry_reply(matches[0])

    @staticmethod
    def _entry_reply(entry: Entry) -> Reply:
        return Reply(
            title=shorten(entry.title, 200),
            body=answer_text(entry),
            citations=entry.paragraphs,
            context_source=entry.source,
            entries=(entry,),
        )
