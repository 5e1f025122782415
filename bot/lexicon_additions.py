"""Moderators' additions to the lexicon: the `/kb words` syntax, adding and removing items, listing them, and what
changed between two versions of the additions (for import previews, the log and replies).

The additions are a document of the lexicon's shape (data/lexicon.json without "format"), kept canonical: every item
folded as the lexicon compares it, and no empty section.  Pure functions: no store, no Discord."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.lexicon import (
    GROUP_SECTIONS,
    LIST_SECTIONS,
    MAP_SECTIONS,
    MAX_PHRASE,
    Lexicon,
    LexiconError,
    normal,
    parse_lexicon,
)

WHERE = "the lexicon additions"

# What `/kb words add` takes: kind -> (what the text is, an example).
WORD_KINDS: dict[str, tuple[str, str]] = {
    "synonyms": ("two or more words or phrases that mean the same, separated by commas", "whip, jeep"),
    "category": ("a category, a colon, then things that are one, separated by commas", "vehicle: tank, apc"),
    "filler": ("chat words to drop from questions, separated by commas", "sheesh"),
    "abbreviation": ("a short form, =, then what it stands for", "pmj = panmunjom"),
    "phrase": ("a reader's phrase, =, then the story's word for it", "opened up = fired"),
}

# How an item of each list section is named in a line ("filler: no cap") and counted ("+2 fillers").
_LIST_LABELS: dict[str, str] = {
    "filler": "filler",
    "person_words": "person word",
    "place_words": "place word",
    "speech_verbs": "speech verb",
    "cause_markers": "cause marker",
    "beyond_scope": "beyond scope",
    "outcome_words": "outcome word",
    "story_words": "story word",
}
_MAP_LABELS = {"abbreviations": "abbreviation", "phrases": "phrase"}
_GROUP_LABELS = {"synonyms": "synonyms", "forms": "forms"}
_NOUNS: dict[str, tuple[str, str]] = {
    "synonyms": ("synonym group", "synonym groups"),
    "forms": ("form group", "form groups"),
    "category": ("category member", "category members"),
    "category head": ("category head", "category heads"),
    "abbreviation": ("abbreviation", "abbreviations"),
    "phrase": ("phrase", "phrases"),
    "filler": ("filler", "fillers"),
    "beyond scope": ("beyond-scope word", "beyond-scope words"),
}


class WordsError(ValueError):
    """What a moderator typed cannot be added or removed; the message is one line that says why."""


@dataclass(frozen=True, slots=True)
class Item:
    """One thing the additions hold: a filler, an abbreviation, a synonym group, a category member..."""

    kind: str  # the line's label: "synonyms", "category", "category head", "filler", "abbreviation"...
    key: tuple[str, ...]  # what identifies it within its kind (a group's words sorted)
    value: str = ""  # what an abbreviation or a phrase stands for
    shown: tuple[str, ...] = field(default=(), compare=False)  # a group's words in their order

    @property
    def line(self) -> str:
        """The item as `/kb words list` shows it and `/kb words remove` takes it."""
        if self.kind in ("category", "category head"):
            return f"{self.kind}: {self.key[0]}: {self.key[1]}"
        if self.value:
            return f"{self.kind}: {self.key[0]} = {self.value}"
        return f"{self.kind}: {', '.join(self.shown or self.key)}"


# ---- the document -----------------------------------------------------------------------------------------------


def additions_data(lexicon: Lexicon) -> dict[str, Any]:
    """The canonical additions document of a parsed lexicon: its non-empty sections, in the file's order."""
    full = lexicon.to_data()
    out: dict[str, Any] = {}
    for name in (*LIST_SECTIONS, *MAP_SECTIONS, *GROUP_SECTIONS):
        if full[name]:
            out[name] = full[name]
    categories: dict[str, Any] = {}
    for name, body in full["categories"].items():
        kept = {part: body[part] for part in ("heads", "members") if body[part]}
        if kept:
            categories[name] = kept
    if categories:
        out["categories"] = categories
    return out


def parse_additions(document: Any, where: str = WHERE) -> Lexicon:
    """The additions as a Lexicon, checked by the rules of data/lexicon.json (LexiconError otherwise)."""
    return parse_lexicon(document, where)


def canonical(document: Any, where: str = WHERE) -> dict[str, Any]:
    return additions_data(parse_additions(document, where))


def merged_additions(current: Mapping[str, Any], incoming: Mapping[str, Any]) -> dict[str, Any]:
    """An import in merge mode: the current additions with the file's added."""
    return additions_data(parse_additions(current).merged(parse_additions(incoming)))


def items(lexicon: Lexicon) -> list[Item]:
    """Every item of a lexicon (the additions), in the document's order."""
    found: list[Item] = []
    for section, label in _LIST_LABELS.items():
        found.extend(Item(label, (word,)) for word in getattr(lexicon, section))
    for section, label in _MAP_LABELS.items():
        found.extend(Item(label, (key,), value) for key, value in getattr(lexicon, section).items())
    for section, label in _GROUP_LABELS.items():
        found.extend(Item(label, tuple(sorted(group)), shown=group) for group in getattr(lexicon, section))
    for category in lexicon.categories:
        found.extend(Item("category", (category.name, member)) for member in category.members)
        found.extend(Item("category head", (category.name, head)) for head in category.heads)
    return found


def without(lexicon: Lexicon, gone: Item) -> Lexicon:
    """The lexicon (the additions) without one item."""
    document = additions_data(lexicon)
    for section, label in _LIST_LABELS.items():
        if gone.kind == label:
            document[section] = [w for w in document.get(section, []) if w != gone.key[0]]
    for section, label in _MAP_LABELS.items():
        if gone.kind == label:
            document.get(section, {}).pop(gone.key[0], None)
    for section, label in _GROUP_LABELS.items():
        if gone.kind == label:
            document[section] = [g for g in document.get(section, []) if tuple(sorted(g)) != gone.key]
    if gone.kind in ("category", "category head"):
        name, word = gone.key
        part = "members" if gone.kind == "category" else "heads"
        body = document.get("categories", {}).get(name, {})
        body[part] = [w for w in body.get(part, []) if w != word]
    return parse_additions(document)


# ---- what changed ------------------------------------------------------------------------------------------------


def changes(before: Any, after: Any) -> tuple[list[Item], list[Item]]:
    """The items added and the items removed between two additions documents (either may be None: empty)."""
    old = items(parse_additions(before or {}))
    new = items(parse_additions(after or {}))
    old_set, new_set = set(old), set(new)
    return [i for i in new if i not in old_set], [i for i in old if i not in new_set]


def summary(added: Iterable[Item], removed: Iterable[Item]) -> str:
    """'+3 synonym groups, +1 category member, -1 filler' ('no change' when there is none)."""
    parts: list[str] = []
    for sign, group in (("+", list(added)), ("-", list(removed))):
        counts: dict[str, int] = {}
        for item in group:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        for kind, count in counts.items():
            one, many = _NOUNS.get(kind, (kind, kind + "s"))
            parts.append(f"{sign}{count} {one if count == 1 else many}")
    return ", ".join(parts) or "no change"


def change_lines(added: Iterable[Item], removed: Iterable[Item], limit: int = 5) -> list[str]:
    """'+ synonyms: zorp, jeep', '- filler: no cap'... (the first `limit`, then how many more)."""
    lines = [f"+ {i.line}" for i in added] + [f"- {i.line}" for i in removed]
    if len(lines) > limit:
        return [*lines[:limit], f"…and {len(lines) - limit} more"]
    return lines


# ---- /kb words add and remove -------------------------------------------------------------------------------------


def usage(kind: str) -> str:
    what, example = WORD_KINDS[kind]
    return f"{kind[:1].upper()}{kind[1:]}: {what}, e.g. `{example}`."


def parse_words(kind: str, text: str, categories: Iterable[str] = ()) -> Lexicon:
    """What `/kb words add` was given, as a lexicon of its own; WordsError (one line) when it is not that kind's
    format.  `categories` are the known category names, offered when the category is missing."""
    if kind not in WORD_KINDS:
        raise WordsError(f"Unknown kind “{kind[:20]}”; use one of {', '.join(WORD_KINDS)}.")
    text = " ".join(text.split())
    if not text:
        raise WordsError(usage(kind))
    document: dict[str, Any]
    if kind in ("abbreviation", "phrase"):
        short, equals, meaning = text.partition("=")
        if not equals or "=" in meaning or not short.strip() or not meaning.strip():
            raise WordsError(usage(kind))
        _check_items([short, meaning])
        document = {_section_of(kind): {short.strip(): meaning.strip()}}
    elif kind == "category":
        name, colon, rest = text.partition(":")
        members = _split(rest)
        if not colon or not name.strip() or not members or "=" in text:
            known = ", ".join(categories)
            raise WordsError(usage(kind)[:-1] + (f" (categories: {known})." if known else "."))
        _check_items([name, *members])
        document = {"categories": {name.strip(): {"members": members}}}
    else:
        words = _split(text)
        if "=" in text or ":" in text:
            hint = "an abbreviation or a phrase" if "=" in text else "a category"
            raise WordsError(f"{usage(kind)[:-1]} (that looks like {hint}: choose that kind).")
        if kind == "synonyms" and len({normal(w) for w in words}) < 2:
            raise WordsError(usage(kind))
        _check_items(words)
        document = {"filler": words} if kind == "filler" else {"synonyms": [words]}
    try:
        return parse_additions(document)
    except LexiconError as exc:  # pragma: no cover - _check_items catches what the lexicon refuses
        raise WordsError(f"{exc.problems[0]}; {usage(kind)}") from None


def _section_of(kind: str) -> str:
    return {"abbreviation": "abbreviations", "phrase": "phrases"}[kind]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _check_items(found: list[str]) -> None:
    for item in found:
        item = item.strip()
        if len(item) > MAX_PHRASE:
            raise WordsError(f"“{item[:40]}…” is {len(item)} characters; a word or phrase has at most {MAX_PHRASE}.")
        if not normal(item):
            raise WordsError("A word or phrase is empty; write it between the commas.")


def added(base: Lexicon, current: Lexicon, fragment: Lexicon) -> tuple[Lexicon, list[Item], list[Item]]:
    """The additions with a fragment's new items added, those items, and the fragment's items the bot knew already
    (from the shipped lexicon or an earlier addition: they are not added again).  WordsError when it knew them
    all."""
    effective = base.merged(current)
    new: list[Item] = []
    known: list[Item] = []
    for item in items(fragment):
        (known if _known(effective, item) else new).append(item)
    if not new:
        where = "the additions" if all(_known(current, i) for i in known) else "the shipped lexicon"
        raise WordsError(f"The bot knows that already ({where}): {'; '.join(i.line for i in known)}.")
    for item in known:
        fragment = without(fragment, item)
    return current.merged(fragment), new, known


def _known(lexicon: Lexicon, item: Item) -> bool:
    """True when the lexicon already says what the item says."""
    if item.kind == "synonyms":
        words = item.key
        return all(set(words) - {w} <= lexicon.synonyms_of.get(w, frozenset()) for w in words)
    if item.kind in ("abbreviation", "phrase"):
        meanings: Mapping[str, str] = getattr(lexicon, _section_of(item.kind))
        return meanings.get(item.key[0]) == item.value
    if item.kind in ("category", "category head"):
        name, word = item.key
        category = next((c for c in lexicon.categories if c.name == name), None)
        return category is not None and word in (category.members if item.kind == "category" else category.heads)
    return item in set(items(lexicon))


def find_item(current: Lexicon, line: str) -> Item:
    """The addition a line names (as `/kb words list` shows it; an abbreviation or phrase by its short form alone,
    a group in any order); WordsError when there is none."""
    wanted = _squash(line)
    kind, _colon, rest = wanted.partition(":")
    for item in items(current):
        if _squash(item.line) == wanted:
            return item
        if item.kind != kind.strip():
            continue
        if item.value and _squash(item.key[0]) == rest.strip():
            return item
        if item.kind in _GROUP_LABELS and sorted(_squash(w) for w in _split(rest)) == list(item.key):
            return item
    raise WordsError(
        f"No addition “{line.strip()[:80]}”: pick one that `/kb words list` shows (the box offers them as you type)."
    )


def _squash(text: str) -> str:
    return normal(text).replace(" ,", ",")
