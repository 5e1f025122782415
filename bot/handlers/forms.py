"""The fields a moderator fills in for each kind of entry, and turning filled-in text into an Entry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dataset import MAX_FIELD, MAX_TEXT, Article, parse_entry
from bot.handlers.replies import ReplyField
from bot.models import TITLE_FIELDS, Entry


@dataclass(frozen=True, slots=True)
class FormField:
    name: str
    label: str
    required: bool
    max_length: int
    placeholder: str = ""
    long: bool = False


_CITATIONS = FormField(
    "citations", "Paragraphs (e.g. 4, 7) and/or source: <name>", True, 200, "4, 7   or   17; source: Reuters, 2017"
)
# Room for the data format's 20 keywords of 60 characters, so any valid entry can be edited.
_KEYWORDS = FormField("keywords", "Keywords (comma-separated)", False, 1300, "doctor, surgeon, hospital")

# Discord modals hold at most five inputs; every kind fits.
FORMS: dict[str, tuple[FormField, ...]] = {
    "fact": (
        FormField("topic", "Topic", True, MAX_FIELD, "escape, injuries, rescue..."),
        FormField("text", "Text", True, MAX_TEXT, "One or two sentences that answer a question", long=True),
        _KEYWORDS,
        _CITATIONS,
    ),
    "quote": (
        FormField("speaker", "Speaker", True, MAX_FIELD, "Lee Cook-jong"),
        FormField("text", "Quote (word for word)", True, MAX_TEXT, long=True),
        FormField("context", "Context", False, MAX_FIELD, "When and why it was said"),
        _KEYWORDS,
        _CITATIONS,
    ),
    "event": (
        FormField("when", "When (as the article puts it)", True, MAX_FIELD, "just after 3 p.m. Monday"),
        FormField("sort", "Sort key (whole number, orders timeline)", True, 12, "75"),
        FormField("text", "What happened", True, MAX_TEXT, long=True),
        _KEYWORDS,
        _CITATIONS,
    ),
    "person": (
        FormField("name", "Name", True, MAX_FIELD, "Lee Cook-jong"),
        FormField("role", "Role", True, MAX_FIELD, "Trauma surgeon in charge of the soldier's treatment"),
        FormField("text", "What they did or said", True, MAX_TEXT, long=True),
        _KEYWORDS,
        _CITATIONS,
    ),
    "term": (
        FormField("term", "Term", True, MAX_FIELD, "DMZ"),
        FormField("text", "Explanation", True, MAX_TEXT, long=True),
        _KEYWORDS,
        _CITATIONS,
    ),
}


def form_values(entry: Entry) -> dict[str, str]:
    """An entry's content as the text a form shows (for editing)."""
    values: dict[str, str] = {}
    for field in FORMS[entry.kind]:
        if field.name == "keywords":
            values["keywords"] = ", ".join(entry.keywords)
        elif field.name == "citations":
            paragraphs = ", ".join(str(p) for p in entry.paragraphs)
            if entry.is_context and entry.source:
                values["citations"] = (
                    f"{paragraphs}; source: {entry.source}" if paragraphs else f"source: {entry.source}"
                )
            else:
                values["citations"] = paragraphs
        else:
            value = getattr(entry, field.name)
            values[field.name] = "" if value is None else str(value)
    return values


def entry_from_form(
    kind: str, entry_id: str, values: dict[str, str], article: Article
) -> tuple[Entry | None, list[str]]:
    """Validate a filled-in form; the Entry, or the problems in words a moderator understands."""
    problems: list[str] = []
    raw: dict[str, object] = {"id": entry_id}
    for field in FORMS[kind]:
        value = values.get(field.name, "").strip()
        if field.required and not value:
            problems.append(f"{field.label.split(' (')[0]} is required")
            continue
        if len(value) > field.max_length:
            problems.append(f"{field.label.split(' (')[0]} is {len(value)} characters; the limit is {field.max_length}")
            continue
        if field.name == "keywords":
            raw["keywords"] = [k.strip() for k in value.split(",") if k.strip()]
        elif field.name == "citations":
            cited, error = _citations(value)
            if error:
                problems.append(error)
            raw.update(cited)
        elif field.name == "sort":
            if not re.fullmatch(r"-?\d{1,9}", value):
                problems.append("Sort key must be a whole number")
            else:
                raw["sort"] = int(value)
        elif value:
            raw[field.name] = value
    if problems:
        return None, problems
    entry, reasons = parse_entry(kind, raw, article)
    return entry, [r.split(": ", 1)[-1] for r in reasons]


def _citations(value: str) -> tuple[dict[str, object], str | None]:
    # "source: X" alone, or after paragraphs ("17; source: X"): an entry partly from elsewhere, such as the year
    # a moderator adds to an event the article dates only by its month
    match = re.fullmatch(r"(?is)(?P<paragraphs>.*?)[\s,;]*\bsource\s*:\s*(?P<source>.+)", value)
    if match and not match["paragraphs"].strip():
        return {"source": match["source"].strip(), "is_context": True, "paragraphs": []}, None
    parts = [p for p in re.split(r"[\s,;¶]+", match["paragraphs"] if match else value) if p]
    if not parts or not all(p.isdigit() and len(p) <= 4 for p in parts):
        return {}, "Paragraphs must be numbers such as 4, 7 — or write source: <where it comes from>"
    cited: dict[str, object] = {"paragraphs": sorted({int(p) for p in parts})}
    if match:
        cited.update(source=match["source"].strip(), is_context=True)
    return cited, None


def slug_for(kind: str, values: dict[str, str]) -> str:
    """A readable id from what the moderator typed: the title and the first words of the text."""
    title = values.get(TITLE_FIELDS[kind], "")
    base = " ".join([title, *values.get("text", "").split()[:5]]) if kind != "term" and kind != "person" else title
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:40].strip("-")
    return slug if len(slug) >= 2 else f"{kind}-entry"


def typed_back(kind: str, values: dict[str, str]) -> tuple[ReplyField, ...]:
    """What the moderator typed into a form, each box in a code block to copy from, when it was not saved."""
    labels = {field.name: field.label.split(" (")[0] for field in FORMS.get(kind, ())}
    fields: list[ReplyField] = []
    for name, value in values.items():
        if not value.strip():
            continue
        label = labels.get(name, name)
        # Field values hold 1,024 characters; the keywords box holds more, so it may take two fields.
        pieces = [value[start : start + _PIECE] for start in range(0, len(value), _PIECE)]
        for number, piece in enumerate(pieces, start=1):
            name_shown = f"{label} ({number}/{len(pieces)})" if len(pieces) > 1 else label
            # A ``` inside the text would end the code block early; a zero-width space keeps it open.
            fields.append(ReplyField(f"You typed: {name_shown}", "```\n" + piece.replace("```", "`\u200b``") + "\n```"))
    return tuple(fields)


_PIECE = 1000
