"""Reading and validating data files (the seed in data/, exports and imports): all or nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.models import KIND_FIELDS, KINDS, PLURALS, Entry, Paragraph
from bot.text import fold

FORMAT = "storybot/1"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,47}$")
MAX_TEXT = 350
MAX_FIELD = 200
MAX_KEYWORDS = 20
MAX_KEYWORD = 60
MAX_PROBLEMS = 10
_KIND_OF_PLURAL = {plural: kind for kind, plural in PLURALS.items()}
_COMMON = {"id", "text", "keywords", "paragraphs", "source", "is_context"}


class DataError(ValueError):
    """A data file is wrong; `problems` lists the first few, each naming the entry and the reason."""

    def __init__(self, where: str, problems: Sequence[str], total: int | None = None) -> None:
        self.where = where
        self.problems = list(problems)
        self.total = total if total is not None else len(problems)
        more = f" (and {self.total - len(self.problems)} more)" if self.total > len(self.problems) else ""
        super().__init__(f"{where}: " + "; ".join(self.problems) + more)


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
    values: dict[str, Any] = {}
    for name, required in KIND_FIELDS[kind]:
        value = raw.get(name)
        if name == "sort":
            if value is None and required:
                bad("sort is required (a whole number that puts the event in order)")
            elif value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                bad("sort must be a whole number")
        elif value is None:
            if required:
                bad(f"{name} is required")
        elif not isinstance(value, str) or not value.strip():
            bad(f"{name} must be non-empty text")
        elif len(value) > MAX_FIELD:
            bad(f"{name} is {len(value)} characters, the limit is {MAX_FIELD}")
        values[name] = value.strip() if isinstance(value, str) else value
    keywords = raw.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        bad("keywords must be a list of words")
        keywords = []
    elif len(keywords) > MAX_KEYWORDS or any(len(k) > MAX_KEYWORD for k in keywords):
        bad(f"at most {MAX_KEYWORDS} keywords of at most {MAX_KEYWORD} characters each")
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
        **values,
    ), []


def parse_dataset(data: Any, article: Article, where: str) -> list[Entry]:
    """Every entry of a data document, or DataError listing the first problems (nothing half-parsed)."""
    if not isinstance(data, Mapping):
        raise DataError(where, [f"the file must hold a JSON object, got {type(data).__name__}"])
    problems: list[str] = []
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        problems.append(f"format must be {FORMAT!r}, got {str(fmt)[:40]!r}")
    for key in data:
        if key != "format" and key not in _KIND_OF_PLURAL:
            problems.append(f"unknown section {str(key)[:40]!r} (expected {', '.join(PLURALS.values())})")
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for kind in KINDS:
        items = data.get(PLURALS[kind], [])
        if not isinstance(items, list):
            problems.append(f"{PLURALS[kind]} must be a list of entries")
            continue
        for raw in items:
            entry, reasons = parse_entry(kind, raw, article)
            problems.extend(reasons)
            if entry is None:
                continue
            if entry.id in seen:
                problems.append(f"{kind} {entry.id!r}: duplicate id (already used by a {seen[entry.id]})")
                continue
            seen[entry.id] = kind
            entries.append(entry)
    if problems:
        raise DataError(where, problems[:MAX_PROBLEMS], total=len(problems))
    return entries


def load_dataset(path: Path, article: Article, max_bytes: int | None = None) -> list[Entry]:
    """Read and validate a data file from disk."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise DataError(str(path), [f"the file is larger than {max_bytes // 1_000_000} MB"])
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(str(path), [f"cannot read the file: {exc.strerror}"]) from None
    return parse_dataset(decode_json(raw, str(path)), article, str(path))


def decode_json(raw: bytes, where: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(where, ["the file is not UTF-8 text"]) from None
    except json.JSONDecodeError as exc:
        raise DataError(where, [f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"]) from None
    except RecursionError:  # e.g. 100,000 nested '[': the decoder gives up; no data file nests that deep
        raise DataError(where, ["not valid JSON: it nests lists or objects too deeply"]) from None


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


def _cites(paragraphs: Sequence[int]) -> str:
    return ", ".join(str(p) for p in paragraphs)
