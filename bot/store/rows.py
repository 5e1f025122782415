"""Converting between Entry objects and table rows (the only place that knows column names)."""

from __future__ import annotations

import json
from typing import Any

from bot.indexing import search_columns
from bot.models import Entry

# One encoder for every row: json.dumps(..., ensure_ascii=False) builds a new one per call, which is a third of
# the cost of writing 100,000 entries' lists.
to_json = json.JSONEncoder(ensure_ascii=False).encode

COLUMNS = (
    "id, kind, text, topic, speaker, context, when_text, sort_key, name, role, term, keywords, paragraphs, "
    "source, is_context, phrasings, version, deleted_at"
)


def entry_from_row(row: Any) -> Entry:
    return Entry(
        kind=row["kind"],
        id=row["id"],
        text=row["text"],
        keywords=tuple(json.loads(row["keywords"])),
        paragraphs=tuple(json.loads(row["paragraphs"])),
        source=row["source"],
        is_context=bool(row["is_context"]),
        topic=row["topic"],
        speaker=row["speaker"],
        context=row["context"],
        when=row["when_text"],
        sort=row["sort_key"],
        name=row["name"],
        role=row["role"],
        term=row["term"],
        phrasings=tuple(json.loads(row["phrasings"])),
        version=row["version"],
        deleted=row["deleted_at"] is not None,
    )


def entry_values(entry: Entry) -> dict[str, Any]:
    title, body, keywords = search_columns(entry)
    return {
        "id": entry.id,
        "kind": entry.kind,
        "text": entry.text,
        "topic": entry.topic,
        "speaker": entry.speaker,
        "context": entry.context,
        "when_text": entry.when,
        "sort_key": entry.sort,
        "name": entry.name,
        "role": entry.role,
        "term": entry.term,
        "keywords": to_json(list(entry.keywords)),
        "paragraphs": to_json(list(entry.paragraphs)),
        "source": entry.source,
        "is_context": int(entry.is_context),
        "phrasings": to_json(list(entry.phrasings)),
        "search_title": title,
        "search_body": body,
        "search_keywords": keywords,
    }
