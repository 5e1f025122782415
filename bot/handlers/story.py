"""Reader commands: ask, fact, quote, timeline, search, who, explain, source, about, help."""

from __future__ import annotations

import math

from rapidfuzz import fuzz, process

from bot.answer import MAX_QUESTION, Answerer, answer_text, shorten
from bot.handlers.replies import Page, Reply, ReplyField, cite, error
from bot.models import KINDS, Entry
from bot.store import Store
from bot.text import fold

PAGE_SIZE = 5
MAX_ARGUMENT = 100
STORY_TITLE = "The North Korean soldier's dash across the DMZ"
STORY_SUMMARY = (
    "In November 2017 a North Korean soldier drove a jeep toward the Joint Security Area at Panmunjom, "
    "ran across the demarcation line under fire, was hit five times, and was dragged to safety by South "
    "Korean soldiers. Every answer cites the paragraph of the article it comes from."
)

COMMANDS: tuple[tuple[str, str], ...] = (
    ("ask <question>", "Ask anything about the story."),
    ("fact [topic] [id]", "A fact: at random, on a topic, or by its id."),
    ("quote [speaker]", "A direct quote from the article."),
    ("timeline [page]", "What happened, in order."),
    ("search <words>", "Every entry that mentions some words."),
    ("who <name>", "Who someone is and what they did."),
    ("explain <term>", "A glossary term: DMZ, armistice, ..."),
    ("source <paragraph>", "The text of one paragraph of the article."),
    ("about", "What this bot knows and where it comes from."),
    ("help", "This list."),
)


def _label(entry: Entry) -> str:
    return f"{entry.kind} `{entry.id}`"


def _clean(argument: str | None) -> str:
    """User text made safe to compare: control characters and zero-width marks gone, trimmed."""
    if not argument:
        return ""
    return "".join(c for c in argument if c.isprintable()).strip()


class StoryHandlers:
    def __init__(self, store: Store, answerer: Answerer) -> None:
        self.store = store
        self.answerer = answerer

    async def ask(self, question: str) -> Reply:
        question = _clean(question)
        if len(question) > MAX_QUESTION:
            return error(f"That question is {len(question)} characters long; please keep it under {MAX_QUESTION}.")
        answer = await self.answerer.ask(question)
        if not answer.found or answer.best is None:
            return Reply(title="I don't know", body=answer.message, found=False)
        best = answer.best
        see_also = "\n".join(
            f"• {shorten(answer_text(e), 280)} ({cite(e.paragraphs, e.source) or e.kind})" for e in answer.alternatives
        )
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
        total_events = (await self.store.counts()).by_kind.get("event", 0)
        pages = max(1, math.ceil(total_events / PAGE_SIZE))
        if page < 1 or page > pages:
            return error(f"The timeline has {pages} page{'s' if pages != 1 else ''}; pick a page from 1 to {pages}.")
        events, _ = await self.store.timeline((page - 1) * PAGE_SIZE, PAGE_SIZE)
        fields = tuple(
            ReplyField(shorten(e.when or "", 200), f"{shorten(e.text, 900)} ({cite(e.paragraphs)})") for e in events
        )
        return Reply(
            title="Timeline",
            fields=fields,
            citations=tuple(sorted({p for e in events for p in e.paragraphs})),
            page=Page(page, pages, "timeline"),
            entries=tuple(events),
        )

    async def search(self, words: str, page: int = 1) -> Reply:
        words = _clean(words)
        if not words:
            return error("Give me some words to search for, e.g. `search jeep`.")
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
            ReplyField(f"{e.kind} · {shorten(e.title, 80)}", f"{shorten(answer_text(e), 600)} ({cite(e.paragraphs)})")
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
        return await self._lookup("person", name, "Who do you mean? e.g. `who Lee Cook-jong`.")

    async def explain(self, term: str) -> Reply:
        return await self._lookup("term", term, "Which term? e.g. `explain DMZ`.")

    async def source(self, paragraph: int) -> Reply:
        count = (await self.store.counts()).paragraphs
        found = await self.store.paragraph(paragraph) if 1 <= paragraph <= count else None
        if found is None:
            return error(f"The article has paragraphs 1 to {count}; ¶{paragraph} is not one of them.")
        return Reply(title=f"¶{paragraph}", body=shorten(found.text, 4000), citations=(paragraph,))

    async def about(self) -> Reply:
        counts = await self.store.counts()
        fields = tuple(
            ReplyField(kind.title() + ("s" if kind != "person" else ""), str(counts.by_kind[kind])) for kind in KINDS
        )
        fields = (*fields[:3], ReplyField("People", str(counts.by_kind["person"])), fields[4])
        return Reply(
            title=STORY_TITLE,
            body=f"{STORY_SUMMARY}\n\nSource: a news article of {counts.paragraphs} paragraphs "
            "(use `source <n>` to read one).",
            fields=fields,
        )

    def help(self) -> Reply:
        body = "\n".join(f"`/{usage}` — {text}" for usage, text in COMMANDS)
        return Reply(
            title="StoryBot commands",
            body=body + "\n\nOr just ask a question in plain words, e.g. “How many times was the soldier shot?”",
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
            fields=(ReplyField("Entry", _label(entry)),),
            citations=entry.paragraphs,
            context_source=entry.source,
            entries=(entry,),
        )
