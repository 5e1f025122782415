"""The lexicon: the words readers use for the story's words (data/lexicon.json, plus moderators' additions).

It holds chat filler, abbreviations, multi-word paraphrases, word forms, synonym groups, categories (a
vehicle: jeep, car, truck...), the nouns that name people and places, and the cue words of statements, causes and
questions about what happened after the article.  It is validated as a whole when it is loaded, like the story file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from bot.text import fold

FORMAT = "storybot-lexicon/1"
MAX_PHRASE = 60
MAX_ITEMS = 5000
# Each list section and what it holds.
LIST_SECTIONS: dict[str, str] = {
    "filler": "words and phrases dropped from questions (chat filler, talk about the article)",
    "person_words": "nouns that name people (answers to 'who')",
    "place_words": "nouns and names of places (answers to 'where')",
    "speech_verbs": "verbs of saying (answers to 'what did X say')",
    "cause_markers": "words that give a reason (answers to 'why')",
    "beyond_scope": "words asking about what happened after the article (now, in the end...)",
    "outcome_words": "states that change after the article ends (alive, recovered...): with a beyond_scope word, "
    "the question asks past the article",
    "story_words": "what a question names when it names nothing ('what day did it happen?'): the story's event",
}
MAP_SECTIONS: dict[str, str] = {
    "abbreviations": "short forms readers type, and what they stand for",
    "phrases": "multi-word paraphrases, and the story's words for them",
}
GROUP_SECTIONS: dict[str, str] = {
    "forms": "forms of one word (run, ran, running): they match as the same word",
    "synonyms": "words that can stand for each other",
}


class LexiconError(ValueError):
    """The lexicon is wrong; the message lists the first problems."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems
        super().__init__(f"{where}: " + "; ".join(problems[:10]))


def normal(text: str) -> str:
    """A lexicon item as it is compared: folded, single spaces."""
    return " ".join(fold(text).split())


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of thing a question can ask for: the words that name it, and the things that are one."""

    name: str
    heads: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: it is built once and cached on
class Lexicon:
    filler: tuple[str, ...] = ()
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    phrases: Mapping[str, str] = field(default_factory=dict)
    forms: tuple[tuple[str, ...], ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()
    categories: tuple[Category, ...] = ()
    person_words: tuple[str, ...] = ()
    place_words: tuple[str, ...] = ()
    speech_verbs: tuple[str, ...] = ()
    cause_markers: tuple[str, ...] = ()
    beyond_scope: tuple[str, ...] = ()
    outcome_words: tuple[str, ...] = ()
    story_words: tuple[str, ...] = ()

    # ---- lookups built once ---------------------------------------------------------------------------

    @cached_property
    def form_of(self) -> dict[str, frozenset[str]]:
        """Each word of a form group -> every form of that word."""
        out: dict[str, frozenset[str]] = {}
        for group in self.forms:
            members = frozenset(group)
            for word in group:
                out[word] = out.get(word, frozenset()) | members
        return out

    @cached_property
    def synonyms_of(self) -> dict[str, frozenset[str]]:
        """Each word or phrase of a synonym group -> the others in its groups."""
        out: dict[str, set[str]] = {}
        for group in self.synonyms:
            for word in group:
                out.setdefault(word, set()).update(w for w in group if w != word)
        return {word: frozenset(others) for word, others in out.items()}

    @cached_property
    def category_of_head(self) -> dict[str, Category]:
        """A word or phrase that names a category ('car', 'body parts') -> the category."""
        out: dict[str, Category] = {}
        for category in self.categories:
            for head in (category.name, *category.heads):
                out.setdefault(head, category)
        return out

    @cached_property
    def filler_pattern(self) -> re.Pattern[str]:
        return _alternation(self.filler)

    @cached_property
    def phrase_pattern(self) -> re.Pattern[str]:
        return _alternation(self.phrases)

    @cached_property
    def abbreviation_pattern(self) -> re.Pattern[str]:
        return _alternation(self.abbreviations)

    @cached_property
    def beyond_pattern(self) -> re.Pattern[str]:
        return _alternation(self.beyond_scope)

    @cached_property
    def outcome_pattern(self) -> re.Pattern[str]:
        return _alternation(self.outcome_words)

    @cached_property
    def compound_pattern(self) -> re.Pattern[str]:
        """Multi-word names the lexicon knows ("joint security area", "south korean"): one concept each."""
        items: set[str] = set()
        for source in (self.place_words, self.person_words, self.abbreviations.values(), self.phrases.values()):
            items.update(source)
        for group in self.synonyms:
            items.update(group)
        for category in self.categories:
            items.update(category.members)
        return _alternation(i for i in items if " " in i)

    @cached_property
    def names(self) -> frozenset[str]:
        """Multi-word names of places, people, bodies and things ("united states", "korean people's army"), not
        phrases of verbs ("return fire"): a question's noun phrase runs through them."""
        items: set[str] = set()
        for source in (self.place_words, self.person_words, self.abbreviations.values()):
            items.update(source)
        for category in self.categories:
            items.update(category.members)
        return frozenset(i for i in items if " " in i)

    @cached_property
    def signature(self) -> str:
        """Changes whenever the lexicon does (stored indexes built with another lexicon are rebuilt)."""
        import hashlib

        return hashlib.sha256(json.dumps(self.to_data(), sort_keys=True).encode()).hexdigest()[:16]

    @cached_property
    def known_words(self) -> frozenset[str]:
        """Every single word the lexicon mentions (typo correction may aim at them)."""
        found: set[str] = set()

        def add(items: Iterable[str]) -> None:
            for item in items:
                found.update(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", item))

        add(self.abbreviations.values())
        add(self.phrases.values())
        for group in (*self.forms, *self.synonyms):
            add(group)
        for category in self.categories:
            add((category.name, *category.heads, *category.members))
        add(self.person_words)
        add(self.place_words)
        add(self.filler)  # "noob question" is dropped as typed, not first corrected to "nook question"
        return frozenset(found)

    # ---- data -----------------------------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            **{name: list(getattr(self, name)) for name in LIST_SECTIONS},
            **{name: dict(getattr(self, name)) for name in MAP_SECTIONS},
            **{name: [list(g) for g in getattr(self, name)] for name in GROUP_SECTIONS},
            "categories": {c.name: {"heads": list(c.heads), "members": list(c.members)} for c in self.categories},
        }

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with another's items added (moderators' additions to the shipped lexicon)."""
        categories = {c.name: c for c in self.categories}
        for extra in other.categories:
            base = categories.get(extra.name)
            if base is None:
                categories[extra.name] = extra
            else:
                categories[extra.name] = Category(
                    base.name, _union(base.heads, extra.heads), _union(base.members, extra.members)
                )
        return Lexicon(
            filler=_union(self.filler, other.filler),
            abbreviations={**self.abbreviations, **other.abbreviations},
            phrases={**self.phrases, **other.phrases},
            forms=tuple(dict.fromkeys((*self.forms, *other.forms))),
            synonyms=tuple(dict.fromkeys((*self.synonyms, *other.synonyms))),
            categories=tuple(categories.values()),
            person_words=_union(self.person_words, other.person_words),
            place_words=_union(self.place_words, other.place_words),
            speech_verbs=_union(self.speech_verbs, other.speech_verbs),
            cause_markers=_union(self.cause_markers, other.cause_markers),
            beyond_scope=_union(self.beyond_scope, other.beyond_scope),
            outcome_words=_union(self.outcome_words, other.outcome_words),
            story_words=_union(self.story_words, other.story_words),
        )


def _union(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def _alternation(items: Iterable[str]) -> re.Pattern[str]:
    """One regex matching any item as whole words, longest first.

    The items are a trie ("korea", "korean" is `korea(?:n)?`): at each character one branch can go on, and a
    longer item is tried before the one it extends, so a match is the longest item ending at a word's end, as
    an alternation sorted longest first would find it, without trying every item at every position.  Each
    branch starts with its literal first character (the start-of-word check follows it) so the regex engine
    can skip positions no item starts at."""
    root: _Trie = {}
    for item in set(items) - {""}:  # (the lexicon's items are never empty: parse_lexicon refuses it)
        node = root
        for char in item:
            node = node.setdefault(char, {})
        node[""] = {}  # an item ends here
    if not root:
        return re.compile(r"(?!x)x")
    return re.compile(_trie_pattern(root, first=True) + r"(?![\w'-])")


_Trie = dict[str, "_Trie"]


def _trie_pattern(node: _Trie, *, first: bool = False) -> str:
    # (?<![\w'-][\s\S]): what came before the first character, just matched, is not part of a word
    branches = [
        re.escape(char) + (r"(?<![\w'-][\s\S])" if first else "") + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body  # (greedy: the longer item first)


# ---- parsing and validation ----------------------------------------------------------------------------


def parse_lexicon(data: Any, where: str) -> Lexicon:
    """A Lexicon from its JSON document, or LexiconError listing what is wrong (nothing half-loaded)."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise LexiconError(where, [f"the file must hold a JSON object, got {type(data).__name__}"])
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f"format must be {FORMAT!r}")
    known = {"format", "categories", *LIST_SECTIONS, *MAP_SECTIONS, *GROUP_SECTIONS}
    problems.extend(f"unknown section {str(key)[:40]!r}" for key in data if key not in known)

    def item(value: Any, label: str) -> str | None:
        if not isinstance(value, str) or not normal(value):
            problems.append(f"{label}: must be non-empty text")
            return None
        if len(value) > MAX_PHRASE:
            problems.append(f"{label}: {len(value)} characters, the limit is {MAX_PHRASE}")
            return None
        return normal(value)

    def items(value: Any, label: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            problems.append(f"{label} must be a list")
            return ()
        if len(value) > MAX_ITEMS:
            problems.append(f"{label} holds {len(value)} items, the limit is {MAX_ITEMS}")
            return ()
        found = (item(v, f"{label}[{i}]") for i, v in enumerate(value))
        return tuple(dict.fromkeys(v for v in found if v))

    lists = {name: items(data.get(name, []), name) for name in LIST_SECTIONS}
    maps: dict[str, dict[str, str]] = {}
    for name in MAP_SECTIONS:
        raw = data.get(name, {})
        maps[name] = {}
        if not isinstance(raw, Mapping):
            problems.append(f"{name} must be an object of text to text")
            continue
        for key, value in raw.items():
            k, v = item(key, f"{name} key {str(key)[:30]!r}"), item(value, f"{name}[{str(key)[:30]!r}]")
            if k and v:
                maps[name][k] = v
    groups: dict[str, tuple[tuple[str, ...], ...]] = {}
    for name in GROUP_SECTIONS:
        raw = data.get(name, [])
        if not isinstance(raw, list):
            problems.append(f"{name} must be a list of lists")
            groups[name] = ()
            continue
        found_groups = []
        for i, group in enumerate(raw):
            members = items(group, f"{name}[{i}]")
            if len(members) == 1 and name == "forms":
                problems.append(f"{name}[{i}]: a group needs at least two words")
            elif members:
                found_groups.append(members)
        groups[name] = tuple(found_groups)
    categories: list[Category] = []
    raw_categories = data.get("categories", {})
    if not isinstance(raw_categories, Mapping):
        problems.append("categories must be an object: name -> {heads, members}")
    else:
        for name, body in raw_categories.items():
            label = f"categories[{str(name)[:30]!r}]"
            cname = item(name, label)
            if not isinstance(body, Mapping) or set(body) - {"heads", "members"}:
                problems.append(f"{label} must be an object with 'heads' and 'members'")
                continue
            if cname:
                categories.append(
                    Category(
                        cname,
                        items(body.get("heads", []), f"{label}.heads"),
                        items(body.get("members", []), f"{label}.members"),
                    )
                )
    if problems:
        raise LexiconError(where, problems)
    return Lexicon(
        filler=lists["filler"],
        abbreviations=maps["abbreviations"],
        phrases=maps["phrases"],
        forms=groups["forms"],
        synonyms=groups["synonyms"],
        categories=tuple(categories),
        person_words=lists["person_words"],
        place_words=lists["place_words"],
        speech_verbs=lists["speech_verbs"],
        cause_markers=lists["cause_markers"],
        beyond_scope=lists["beyond_scope"],
        outcome_words=lists["outcome_words"],
        story_words=lists["story_words"],
    )


def load_lexicon(path: Path) -> Lexicon:
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_unique_keys)
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(str(path), [f"cannot read the lexicon: {exc}"]) from None
    except json.JSONDecodeError as exc:
        raise LexiconError(str(path), [f"not valid JSON: {exc.msg} at line {exc.lineno}"]) from None
    except _DuplicateKey as exc:
        raise LexiconError(str(path), [f"{exc.args[0]!r} is given twice (JSON keeps only the last)"]) from None
    return parse_lexicon(data, str(path))


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different: a second "pulled him out" would silently replace the first."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out
