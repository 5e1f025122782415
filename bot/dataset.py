"""Reading and validating data files (the seed in data/, exports and imports): all or nothing."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.jsonstream import ShapeError, members
from bot.lexicon import LexiconError, parse_lexicon
from bot.lexicon_additions import additions_data
from bot.models import KIND_FIELDS, KINDS, PLURALS, Entry, Paragraph
from bot.text import fold

FORMAT = "storybot/1"
# An import's section of additions to the lexicon (the shape of data/lexicon.json).
LEXICON_SECTION = "lexicon"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,47}$")
MAX_TEXT = 350
MAX_FIELD = 200
MAX_KEYWORDS = 20
MAX_KEYWORD = 60
# Questions taught to an entry (see bot/answer/taught.py): at most this many, each as long as a question may be
# (bot/answer's MAX_QUESTION), so that any question asked can be taught.
MAX_PHRASINGS = 20
MIN_PHRASING, MAX_PHRASING = 3, 600
# The form's sort box takes nine digits; SQLite would overflow past 2**63 (a file said "sort": 1e30).
MAX_SORT = 999_999_999
MAX_PROBLEMS = 10
# A file of junk would otherwise be checked to its end: after this many problems, stop and say so.
MAX_COUNTED_PROBLEMS = 1_000
_KIND_OF_PLURAL = {plural: kind for kind, plural in PLURALS.items()}
_COMMON = {"id", "text", "keywords", "paragraphs", "source", "is_context", "phrasings"}
# A lone surrogate ("\ud800" in JSON) is a valid Python string but no UTF-8 text: SQLite cannot store it.
_SURROGATE = re.compile("[\ud800-\udfff]")


class DataError(ValueError):
    """A data file is wrong; `problems` lists the first few, each naming the entry and the reason.  `total`
    counts them all, unless checking `stopped` early (past MAX_COUNTED_PROBLEMS)."""

    def __init__(self, where: str, problems: Sequence[str], total: int | None = None, stopped: bool = False) -> None:
        self.where = where
        self.problems = list(problems)
        self.total = total if total is not None else len(problems)
        self.stopped = stopped
        super().__init__(f"{where}: " + "; ".join(self.problems) + (f" ({self.more})" if self.more else ""))

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in the worker process, it travels back pickled: rebuild it from its parts, not its message.
        return DataError, (self.where, self.problems, self.total, self.stopped)

    @property
    def more(self) -> str:
        """'and 5 more' for the problems not listed ('' when all are)."""
        left = self.total - len(self.problems)
        if self.stopped:
            return f"and more; checking stopped after {self.total:,} problems"
        return f"and {left} more" if left > 0 else ""


@dataclass(frozen=True, slots=True)
class Article:
    paragraphs: tuple[Paragraph, ...]

    def numbers(self) -> set[int]:
        return {p.number for p in self.paragraphs}

    def text_of(self, numbers: Iterable[int]) -> str:
        wanted = set(numbers)
        return "\n\n".join(p.text for p in self.paragraphs if p.number in wanted)


def parse_article(text: str) -> Article:
    """Split the article into paragraphs: blank-line-separated blocks numbered from 1."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return Article(tuple(Paragraph(i, b) for i, b in enumerate((b for b in blocks if b), start=1)))


def load_article(path: Path) -> Article:
    try:
        article = parse_article(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(str(path), [f"cannot read the article: {exc}"]) from None
    if not article.paragraphs:
        raise DataError(str(path), ["the article is empty"])
    return article


def quote_in_text(quote: str, text: str) -> bool:
    """Word for word, allowing only for quote-mark style, case of nothing else, and spacing."""

    def squash(s: str) -> str:
        return " ".join(fold(s).split())

    return squash(quote) in squash(text)


def parse_entry(kind: str, raw: Any, article: Article) -> tuple[Entry | None, list[str]]:
    """One entry from its data-file dict: the Entry, or the reasons it is wrong."""
    label = f"{kind} {raw.get('id')!r}" if isinstance(raw, dict) and isinstance(raw.get("id"), str) else kind
    if not isinstance(raw, dict):
        return None, [f"{kind} entry must be an object, got {type(raw).__name__}"]
    problems: list[str] = []

    def bad(reason: str) -> None:
        problems.append(f"{label}: {reason}")

    allowed = _COMMON | {name for name, _ in KIND_FIELDS[kind]}
    for key in raw:
        if key not in allowed:
            bad(f"unknown field {key!r}")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not ID_PATTERN.match(entry_id):
        bad("id must be 2-48 characters: lowercase letters, digits and dashes")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        bad("text is required")
    elif len(text) > MAX_TEXT:
        bad(f"text is {len(text)} characters, the limit is {MAX_TEXT}")
    elif not storable(text):
        bad(f"text {_UNSTORABLE}")
    values: dict[str, Any] = {}
    for name, required in KIND_FIELDS[kind]:
        value = raw.get(name)
        if name == "sort":
            if value is None and required:
                bad("sort is required (a whole number that puts the event in order)")
            elif value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                bad("sort must be a whole number")
            elif value is not None and not -MAX_SORT <= value <= MAX_SORT:
                bad(f"sort must be a whole number from {-MAX_SORT} to {MAX_SORT}")
        elif value is None:
            if required:
                bad(f"{name} is required")
        elif not isinstance(value, str) or not value.strip():
            bad(f"{name} must be non-empty text")
        elif len(value) > MAX_FIELD:
            bad(f"{name} is {len(value)} characters, the limit is {MAX_FIELD}")
        elif not storable(value):
            bad(f"{name} {_UNSTORABLE}")
        values[name] = value.strip() if isinstance(value, str) else value
    keywords = raw.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        bad("keywords must be a list of words")
        keywords = []
    elif len(keywords) > MAX_KEYWORDS or any(len(k) > MAX_KEYWORD for k in keywords):
        bad(f"at most {MAX_KEYWORDS} keywords of at most {MAX_KEYWORD} characters each")
    elif not all(storable(k) for k in keywords):
        bad(f"a keyword {_UNSTORABLE}")
    phrasings = raw.get("phrasings", [])
    for reason in phrasing_problems(phrasings):
        bad(reason)
    if not isinstance(phrasings, list):
        phrasings = []
    paragraphs = raw.get("paragraphs", [])
    known = article.numbers()
    if not isinstance(paragraphs, list) or not all(isinstance(p, int) and not isinstance(p, bool) for p in paragraphs):
        bad("paragraphs must be a list of paragraph numbers")
        paragraphs = []
    else:
        missing = [p for p in paragraphs if p not in known]
        if missing:
            bad(f"cites paragraph {missing[0]}, but the article has paragraphs 1-{max(known)}")
    source = raw.get("source")
    is_context = raw.get("is_context", False)
    if source is not None and (not isinstance(source, str) or not source.strip()):
        bad("source must name where the entry comes from")
    elif isinstance(source, str) and not storable(source):
        bad(f"source {_UNSTORABLE}")
    if not isinstance(is_context, bool):
        bad("is_context must be true or false")
    elif source and not is_context:
        bad('an entry from another source must be marked "is_context": true')
    elif is_context and not source:
        bad("a context entry must name its source")
    if not paragraphs and not source:
        bad("cite at least one paragraph, or name another source and mark the entry as context")
    in_article = kind == "quote" and not is_context and paragraphs and not problems
    if in_article and isinstance(text, str) and not quote_in_text(text, article.text_of(paragraphs)):
        bad(f"the quote does not appear word for word in paragraph(s) {_cites(paragraphs)}")
    if problems or not isinstance(entry_id, str) or not isinstance(text, str):
        return None, problems
    return Entry(
        kind=kind,
        id=entry_id,
        text=text.strip(),
        keywords=tuple(k.strip() for k in keywords),
        paragraphs=tuple(sorted(set(paragraphs))),
        source=source.strip() if isinstance(source, str) else None,
        is_context=bool(is_context),
        phrasings=tuple(" ".join(p.split()) for p in phrasings),
        **values,
    ), []


def phrasing_problems(phrasings: Any) -> list[str]:
    """Why a list of phrasings is wrong (empty when it is right): at most MAX_PHRASINGS questions of plain text
    (runs of spaces and line breaks count as one space), MIN_PHRASING-MAX_PHRASING characters, no two the same."""
    if not isinstance(phrasings, list) or not all(isinstance(p, str) for p in phrasings):
        return ["phrasings must be a list of questions"]
    problems: list[str] = []
    if len(phrasings) > MAX_PHRASINGS:
        problems.append(f"at most {MAX_PHRASINGS} phrasings, got {len(phrasings)}")
    seen: set[str] = set()
    for phrasing in phrasings:
        shown = repr(phrasing[:40])
        text = " ".join(phrasing.split())
        if not MIN_PHRASING <= len(text) <= MAX_PHRASING:
            problems.append(f"phrasing {shown} must be {MIN_PHRASING}-{MAX_PHRASING} characters, got {len(text)}")
        elif not storable(text) or not text.isprintable():
            problems.append(f"phrasing {shown} must be plain text (no control characters)")
        elif fold(text) in seen:
            problems.append(f"phrasing {shown} is there twice")
        seen.add(fold(text))
    return problems


@dataclass(frozen=True, slots=True)
class DataFile:
    """An import file: its entries, and its "lexicon" section (additions to the shipped lexicon, canonical), or
    None when it has none."""

    entries: list[Entry]
    lexicon: dict[str, Any] | None = None


class _Checker:
    """Checks a document member by member, keeping the first problems and the entries (and, for an import, the
    lexicon section)."""

    def __init__(self, article: Article, where: str, *, takes_lexicon: bool = False) -> None:
        self.article = article
        self.where = where
        self.problems: list[str] = []
        self.total = 0
        self.entries: list[Entry] = []
        self.seen: dict[str, str] = {}
        self.takes_lexicon = takes_lexicon
        self.lexicon: dict[str, Any] | None = None

    def problem(self, reason: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(reason)
        if self.total >= MAX_COUNTED_PROBLEMS:
            raise DataError(self.where, self.problems, self.total, stopped=True)

    def member(self, key: str, value: Any) -> None:
        if key == "format":
            if value != FORMAT:
                self.problem(f"format must be {FORMAT!r}, got {str(value)[:40]!r}")
        elif key == LEXICON_SECTION and self.takes_lexicon:
            self.lexicon_section(value)
        elif key not in _KIND_OF_PLURAL:
            expected = [*PLURALS.values(), *([LEXICON_SECTION] if self.takes_lexicon else [])]
            self.problem(f"unknown section {key[:40]!r} (expected {', '.join(expected)})")
        elif isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            self.problem(f"{key} must be a list of entries")
        else:
            for raw in value:
                self.entry(_KIND_OF_PLURAL[key], raw)

    def lexicon_section(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            self.problem(f"{LEXICON_SECTION} must be an object shaped like data/lexicon.json (synonyms, categories...)")
            return
        try:
            self.lexicon = additions_data(parse_lexicon(value, LEXICON_SECTION))
        except LexiconError as exc:
            for problem in exc.problems:
                self.problem(f"{LEXICON_SECTION}: {problem}")

    def entry(self, kind: str, raw: Any) -> None:
        entry, reasons = parse_entry(kind, raw, self.article)
        for reason in reasons:
            self.problem(reason)
        if entry is None:
            return
        if entry.id in self.seen:
            self.problem(f"{kind} {entry.id!r}: duplicate id (already used by a {self.seen[entry.id]})")
            return
        self.seen[entry.id] = kind
        self.entries.append(entry)

    def result(self) -> list[Entry]:
        if self.problems:
            raise DataError(self.where, self.problems, self.total)
        return self.entries


def _not_an_object(data: Any, where: str) -> DataError:
    return DataError(where, [f"the file must hold a JSON object, got {type(data).__name__}"])


def parse_dataset(data: Any, article: Article, where: str) -> list[Entry]:
    """Every entry of a decoded data document, or DataError listing the first problems (nothing half-parsed)."""
    if not isinstance(data, Mapping):
        raise _not_an_object(data, where)
    checker = _Checker(article, where)
    checker.member("format", data.get("format", FORMAT))
    for key in data:
        if key != "format" and key not in _KIND_OF_PLURAL:
            checker.member(str(key), data[key])
    for kind in KINDS:
        checker.member(PLURALS[kind], data.get(PLURALS[kind], []))
    return checker.result()


def decode_text(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(where, ["the file is not UTF-8 text"]) from None


def read_dataset(raw: bytes | str, article: Article, where: str) -> list[Entry]:
    """Every entry of a data file (its bytes, or its text decoded by decode_text), decoded and checked one entry
    at a time (see bot/jsonstream.py), so that memory and time stay bounded by the file's size whatever it
    holds; DataError like parse_dataset."""
    return _read(raw, article, where, takes_lexicon=False).entries


def read_import(raw: bytes | str, article: Article, where: str) -> DataFile:
    """An import file, read like read_dataset, which may also hold a "lexicon" section (checked like
    data/lexicon.json)."""
    return _read(raw, article, where, takes_lexicon=True)


def _read(raw: bytes | str, article: Article, where: str, *, takes_lexicon: bool) -> DataFile:
    text = decode_text(raw, where) if isinstance(raw, bytes) else raw
    checker = _Checker(article, where, takes_lexicon=takes_lexicon)
    try:
        for key, value in members(text):
            if key is None:
                raise _not_an_object(value, where)
            checker.member(key, value)
    except ShapeError as exc:
        raise DataError(where, [*checker.problems[: MAX_PROBLEMS - 1], str(exc)]) from None
    return DataFile(checker.result(), checker.lexicon)


def read_file(path: Path, max_bytes: int) -> bytes:
    """A data file's bytes, at most `max_bytes`: a pipe, a device or a folder is refused before it is read
    (a FIFO would wait for a writer, /dev/zero would never end), and a file is never read past the limit."""
    where = str(path)
    try:
        # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; a file ignores it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise DataError(where, [f"cannot read the file: {exc.strerror}"]) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise DataError(where, ["not a regular file (a folder, a pipe or a device cannot be imported)"])
        if info.st_size > max_bytes:
            raise DataError(where, [f"the file is larger than {_megabytes(max_bytes)}"])
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(descriptor, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:  # it grew while we read
            raise DataError(where, [f"the file is larger than {_megabytes(max_bytes)}"])
        return b"".join(chunks)
    except OSError as exc:
        raise DataError(where, [f"cannot read the file: {exc.strerror}"]) from None
    finally:
        os.close(descriptor)


def load_dataset(path: Path, article: Article, max_bytes: int = 100_000_000) -> list[Entry]:
    """Read and validate a data file from disk."""
    return read_dataset(decode_text(read_file(path, max_bytes), str(path)), article, str(path))


def dump_dataset(entries: Iterable[Entry]) -> dict[str, Any]:
    """The data-file document for these entries, kinds in order, entries by id (events by sort)."""
    doc: dict[str, Any] = {"format": FORMAT}
    by_kind: dict[str, list[Entry]] = {kind: [] for kind in KINDS}
    for entry in entries:
        by_kind[entry.kind].append(entry)
    for kind in KINDS:
        items = by_kind[kind]
        items.sort(key=(lambda e: (e.sort or 0, e.id)) if kind == "event" else (lambda e: e.id))
        doc[PLURALS[kind]] = [e.to_data() for e in items]
    return doc


def storable(text: str) -> bool:
    """False for text SQLite cannot store as UTF-8 (it holds a lone surrogate)."""
    return _SURROGATE.search(text) is None


_UNSTORABLE = "holds a character that cannot be stored (a lone surrogate such as \\ud800)"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def _cites(paragraphs: Sequence[int]) -> str:
    return ", ".join(str(p) for p in paragraphs)
