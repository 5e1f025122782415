"""The story's own words (data/about.json): its title, summary and the examples the help suggests.

They live in data/ beside the article, so another story brings its own words without a change to the code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.dataset import DataError

ABOUT_FORMAT = "storybot-about/1"
_EXAMPLES = ("question", "search", "person", "term", "terms", "topics")
_MAX_TEXT = 1000
_MAX_PICTURE_TITLE = 200  # what the timeline picture has room for (timeline_image.MAX_TITLE)


@dataclass(frozen=True, slots=True)
class Examples:
    """What a reader may type, as the help, the refusals and the commands' descriptions suggest it: `search jeep`,
    `who Lee Cook-jong`, a few terms, a few topics."""

    question: str
    search: str
    person: str
    term: str
    terms: str
    topics: str


@dataclass(frozen=True, slots=True)
class About:
    title: str
    summary: str
    picture_title: str
    examples: Examples


def parse_about(data: Any, where: str) -> About:
    """The story's words from a parsed data/about.json; DataError naming every problem otherwise."""
    if not isinstance(data, dict):
        raise DataError(where, ["must be a JSON object"])
    problems: list[str] = []
    if data.get("format") != ABOUT_FORMAT:
        problems.append(f'format must be "{ABOUT_FORMAT}"')
    examples = data.get("examples")
    if not isinstance(examples, dict):
        problems.append("examples must be an object")
        examples = {}

    def text(where: dict[str, Any], key: str, label: str, limit: int = _MAX_TEXT) -> str:
        value = where.get(key)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            problems.append(f"{label} must be text of 1 to {limit} characters")
            return ""
        return value.strip()

    about = About(
        text(data, "title", "title"),
        text(data, "summary", "summary"),
        text(data, "picture_title", "picture_title", _MAX_PICTURE_TITLE),
        Examples(*(text(examples, key, f"examples.{key}") for key in _EXAMPLES)),
    )
    if problems:
        raise DataError(where, problems)
    return about


def load_about(path: Path) -> About:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(str(path), [f"cannot read the story's words: {exc}"]) from None
    except json.JSONDecodeError as exc:
        raise DataError(str(path), [f"not valid JSON: {exc.msg} at line {exc.lineno}"]) from None
    return parse_about(data, str(path))
