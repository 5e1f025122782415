"""Plain data classes shared by the store, the answer engine and the handlers."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

KINDS: tuple[str, ...] = ("fact", "quote", "event", "person", "term")

# The name of each kind's list in a data file (data/story.json, exports, imports).
PLURALS: dict[str, str] = {
    "fact": "facts",
    "quote": "quotes",
    "event": "events",
    "person": "people",
    "term": "terms",
}

# The field that titles each kind: a fact's topic, a quote's speaker... (what /fact, /quote, /who, /explain look up
# and autocomplete, and what an entry is listed by).
TITLE_FIELDS: dict[str, str] = {
    "fact": "topic",
    "quote": "speaker",
    "event": "when",
    "person": "name",
    "term": "term",
}

# Kind-specific fields: (name, required); the title field first.  Every kind also has id, text, keywords,
# paragraphs, source, is_context and phrasings.
KIND_FIELDS: dict[str, tuple[tuple[str, bool], ...]] = {
    "fact": (("topic", True),),
    "quote": (("speaker", True), ("context", False)),
    "event": (("when", True), ("sort", True)),
    "person": (("name", True), ("role", True)),
    "term": (("term", True),),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One fact, quote, timeline event, person or glossary term.

    `paragraphs` are the article paragraphs (1-based) the entry rests on.  An entry
    that rests on something else names it in `source` and has `is_context` set.  `phrasings` are questions
    moderators taught it: asked again (or nearly so), they are answered with this entry.
    """

    kind: str
    id: str
    text: str
    keywords: tuple[str, ...] = ()
    paragraphs: tuple[int, ...] = ()
    source: str | None = None
    is_context: bool = False
    topic: str | None = None
    speaker: str | None = None
    context: str | None = None
    when: str | None = None
    sort: int | None = None
    name: str | None = None
    role: str | None = None
    term: str | None = None
    phrasings: tuple[str, ...] = ()
    version: int = 1
    deleted: bool = False

    @property
    def title(self) -> str:
        """The short label of the entry: topic, speaker, time, name or term."""
        value: str | None = getattr(self, TITLE_FIELDS[self.kind])
        return value or self.id

    def to_data(self) -> dict[str, Any]:
        """The entry as it is written in a data file (no kind, version or deleted flag)."""
        out: dict[str, Any] = {"id": self.id}
        for name, _required in KIND_FIELDS[self.kind]:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out["text"] = self.text
        if self.keywords:
            out["keywords"] = list(self.keywords)
        out["paragraphs"] = list(self.paragraphs)
        if self.source is not None:
            out["source"] = self.source
        if self.is_context:
            out["is_context"] = True
        if self.phrasings:
            out["phrasings"] = list(self.phrasings)
        return out

    def content_equal(self, other: Entry) -> bool:
        """True when both entries say the same thing (ignores version and deleted)."""
        return replace(self, version=0, deleted=False) == replace(other, version=0, deleted=False)


ENTRY_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Entry))


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Revision:
    """One recorded change to an entry: before and after are data-file dicts (None when absent)."""

    id: int
    entry_id: str
    kind: str
    action: str  # create, edit, delete, restore, revert, import
    actor_id: str
    actor_name: str
    at: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str = ""


def entry_from_data(kind: str, data: dict[str, Any]) -> Entry:
    """An entry of a kind from its data-file dict (as revisions record it)."""
    lists = {"keywords", "paragraphs", "sort", "is_context", "phrasings"}
    return Entry(
        kind=kind,
        keywords=tuple(data.get("keywords", ())),
        paragraphs=tuple(data.get("paragraphs", ())),
        sort=data.get("sort"),
        is_context=bool(data.get("is_context", False)),
        phrasings=tuple(data.get("phrasings", ())),
        **{k: v for k, v in data.items() if k not in lists},
    )


def kind_of_data(data: dict[str, Any]) -> str | None:
    """The kind a recorded entry was, by the field that titles it (topic, speaker, when, name or term)."""
    return next((kind for kind in KINDS if TITLE_FIELDS[kind] in data), None)


def left_as(entry: Entry, revision: Revision) -> bool:
    """Whether an entry is still as a revision left it (removed, if the revision removed it)."""
    if revision.after is None:
        return entry.deleted
    return not entry.deleted and entry.content_equal(entry_from_data(revision.kind, revision.after))


@dataclass(frozen=True, slots=True)
class Hit:
    """A search hit: the entry, its raw FTS rank (lower is better), and the indexed words it was found by:
    those it says (title and text) and those only its keywords add."""

    entry: Entry
    rank: float
    said: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()


@dataclass(slots=True)
class StoreCounts:
    by_kind: dict[str, int] = field(default_factory=dict)
    paragraphs: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change: a Discord user, or the operator at the command line."""

    id: str
    name: str


OPERATOR = Actor("cli", "operator (command line)")


@dataclass(frozen=True, slots=True)
class InboxItem:
    """Near-identical questions the bot could not answer (kind "unanswered"), or an answer readers reported as
    wrong (kind "reported", with the entry given): how often, by how many people, and what they typed."""

    id: int
    kind: str
    key: str
    entry_id: str | None
    questions: tuple[str, ...]  # what was typed, the latest first, each once
    places: tuple[str, ...]  # where: guild ids, "DM", "console", "command line"
    count: int
    askers: int
    comments: tuple[str, ...]
    first_seen: str
    last_seen: str


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import would do: entries added, changed and removed (replace mode only), and the lexicon
    additions it changes (None when it leaves them as they are)."""

    added: tuple[Entry, ...]
    changed: tuple[tuple[Entry, Entry], ...]  # (current, new)
    removed: tuple[Entry, ...]
    unchanged: int
    lexicon: LexiconChange | None = None

    @property
    def is_noop(self) -> bool:
        return not (self.added or self.changed or self.removed or self.lexicon)


@dataclass(frozen=True, slots=True)
class QuizAnswer:
    """One player's answer to one quiz question."""

    user_id: str
    name: str
    right: bool


@dataclass(frozen=True, slots=True)
class QuizScore:
    """A player's standing on a quiz board: points (right answers), answers given, and rank by points."""

    user_id: str
    name: str
    points: int
    answered: int
    rank: int


# Revisions of the lexicon additions: this kind, and an entry id no entry can have (so /kb history of an entry
# never lists them).
LEXICON_KIND = "lexicon"
LEXICON_ENTRY = "(lexicon)"


@dataclass(frozen=True, slots=True)
class LexiconState:
    """The moderators' additions to the lexicon (a document of data/lexicon.json's shape) and their version, which
    moves with every change."""

    version: int
    document: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LexiconChange:
    """The lexicon additions as an import (or an edit) found them, and as it leaves them."""

    before: LexiconState
    after: dict[str, Any]
