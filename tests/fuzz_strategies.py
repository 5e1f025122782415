"""Hypothesis profiles, strategies and checks shared by tests/test_fuzz.py and tests/e2e/test_fuzz_discord.py.

Profiles (chosen by the environment variable HYPOTHESIS_PROFILE):

* ``ci`` (default): a couple of hundred examples per property; the whole of tests/test_fuzz.py runs in seconds.
* ``fuzz``: 10,000 examples for the /ask property, a few thousand for every other property.  For example:
  ``HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_fuzz.py -k ask -q``

``budget(name)`` is how many examples a property runs under the profile in force.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bot.models import KINDS, PLURALS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# ---- profiles ----------------------------------------------------------------------------------------------

_SLOW_OK = [
    HealthCheck.too_slow,
    HealthCheck.function_scoped_fixture,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
]
# Registered here, and used as the parent of each property's settings (see fuzz_settings) rather than loaded
# globally: the other Hypothesis tests of the suite keep their own settings.
settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=_SLOW_OK, print_blob=True)
settings.register_profile("fuzz", max_examples=2_000, deadline=None, suppress_health_check=_SLOW_OK, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci") or "ci"
if PROFILE not in ("ci", "fuzz"):
    raise ValueError(f"HYPOTHESIS_PROFILE must be ci or fuzz, got {PROFILE!r}")

# Examples per property: (ci, fuzz).
_BUDGETS: dict[str, tuple[int, int]] = {
    "ask": (200, 10_000),
    "reader": (120, 2_000),
    "console": (150, 3_000),
    "import": (100, 2_000),
    "discord": (50, 500),
}


def budget(name: str) -> int:
    ci, fuzz = _BUDGETS[name]
    return fuzz if PROFILE == "fuzz" else ci


def fuzz_settings(name: str) -> settings:
    """The profile in force, with this property's number of examples."""
    return settings(settings.get_profile(PROFILE), max_examples=budget(name))


# ---- text --------------------------------------------------------------------------------------------------

FTS_SYNTAX = (
    '"',
    "NEAR(",
    "NEAR",
    "*",
    "AND",
    "OR",
    "NOT",
    "-",
    "^",
    ":",
    "(",
    ")",
    "{",
    "}",
    "+",
    "'",
    "col:",
    "title:",
    '""',
    "\\",
    "%",
    "_",
    "NEAR(a b, 2)",
    '"unterminated',
    "a* OR b*",
    "-x",
)
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad")
RTL = ("\u202e", "\u200f", "\u202b", "\u2067", "\u061c", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627")
EMOJI = (
    "\U0001f600",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\U0001f1f0\U0001f1f7",
    "\u2764\ufe0f",
    "\U0001f44d\U0001f3fd",
    "\U0001faf6",
)
CONTROL = ("\x00", "\x01", "\x1b[31m", "\x7f", "\r", "\x0b", "\x0c", "\u2028", "\u2029")
WHITESPACE = (" ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\u1680")
MENTIONS = (
    "@everyone",
    "@here",
    "<@&1234567890123456>",
    "<@1234567890123456>",
    "<@!1234567890123456>",
    "<#1234567890123456>",
    "`",
    "```",
    "**",
    "||",
    "~~",
    "> ",
    "# ",
)
# Words the story uses, so that a good share of the generated questions are answered (and long answers,
# See also fields and citations get rendered too).
STORY_WORDS = (
    "how many",
    "times",
    "was",
    "the",
    "soldier",
    "shot",
    "who",
    "is",
    "Lee",
    "Cook-jong",
    "jeep",
    "DMZ",
    "what",
    "Joint Security Area",
    "armistice",
    "five",
    "5",
    "40",
    "rounds",
    "hospital",
    "surgeon",
    "when",
    "3 p.m.",
    "Monday",
    "why",
    "defector",
    "Panmunjom",
    "North",
    "South",
    "Korea",
    "worms",
    "parasites",
    "AK-47",
    "injuries",
    "rescue",
    "escape",
    "fired",
    "shot?",
    "Lee's",
    "teh",
    "sholdier",
    "Kim Jong Un",
    "UN Command",
    "demarcation",
    "line",
)

any_char = st.characters(exclude_categories=("Cs",))  # every code point Python strings may hold (no surrogates)
unicode_text = st.text(any_char, max_size=40)
special = st.sampled_from(FTS_SYNTAX + ZERO_WIDTH + RTL + EMOJI + CONTROL + WHITESPACE + MENTIONS)
token = st.one_of(unicode_text, special, st.sampled_from(STORY_WORDS), st.integers().map(str))
separator = st.sampled_from((" ", " ", " ", "", "\u200b", "\n", "  ", "\t"))


@st.composite
def mixed_text(draw: st.DrawFn, max_tokens: int = 25) -> str:
    """Story words, FTS syntax, zero-width, RTL, emoji, controls and random unicode, glued together."""
    parts = draw(st.lists(token, max_size=max_tokens))
    return "".join(p + draw(separator) for p in parts)


def repeat_to(piece: str, length: int) -> str:
    piece = piece or "x"
    return (piece * (length // len(piece) + 1))[:length]


# Exactly at, and either side of, the limits the handlers and Discord apply (100, 300, 350, 2000, 4096...).
LIMIT_LENGTHS = (
    1,
    2,
    47,
    48,
    49,
    99,
    100,
    101,
    199,
    200,
    201,
    255,
    256,
    257,
    299,
    300,
    301,
    349,
    350,
    351,
    1023,
    1024,
    1025,
    1999,
    2000,
    2001,
    4096,
    4097,
    6001,
)
boundary_text = st.builds(repeat_to, mixed_text(5), st.sampled_from(LIMIT_LENGTHS))
huge_text = st.builds(repeat_to, mixed_text(5), st.integers(301, 100_000))
whitespace_only = st.lists(st.sampled_from(WHITESPACE + ZERO_WIDTH + ("\x00",)), max_size=30).map("".join)

user_text = st.one_of(
    mixed_text(),
    unicode_text,
    st.text(any_char, max_size=400),
    boundary_text,
    huge_text,
    whitespace_only,
    st.sampled_from(STORY_WORDS),
    st.just(""),
)
optional_text = st.none() | user_text

# Page and paragraph numbers: small ones (the interesting edge), and the full range of Python ints.
page_numbers = st.one_of(
    st.integers(-3, 30),
    st.integers(),
    st.sampled_from((0, -1, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**100, -(10**100))),
)

# ---- console lines -----------------------------------------------------------------------------------------

CONSOLE_WORDS = (
    "ask",
    "fact",
    "quote",
    "timeline",
    "search",
    "who",
    "explain",
    "source",
    "about",
    "help",
    "FACT",
    "Search",
    "nonsense",
    "",
)


@st.composite
def console_lines(draw: st.DrawFn) -> str:
    slash = draw(st.sampled_from(("", "/", "//", " /")))
    command = draw(st.sampled_from(CONSOLE_WORDS))
    rest = draw(
        st.one_of(user_text, page_numbers.map(str), st.builds(lambda t, n: f"{t} {n}", user_text, page_numbers))
    )
    return draw(st.one_of(st.just(f"{slash}{command} {rest}"), user_text, st.just(f"{slash}{command}")))


# ---- import files ------------------------------------------------------------------------------------------


def seed_document() -> dict[str, Any]:
    return json.loads((DATA_DIR / "story.json").read_text(encoding="utf-8"))


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-5, 30),
    st.floats(allow_nan=True, allow_infinity=True),
    user_text,
    st.sampled_from(("storybot/1", "fact", "facts", "id", "text", "", " ")),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            user_text
            | st.sampled_from(
                (
                    "id",
                    "text",
                    "keywords",
                    "paragraphs",
                    "source",
                    "is_context",
                    "topic",
                    "speaker",
                    "when",
                    "sort",
                    "name",
                    "role",
                    "term",
                    "context",
                    "format",
                    *PLURALS.values(),
                )
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)
FIELDS = (
    "id",
    "text",
    "keywords",
    "paragraphs",
    "source",
    "is_context",
    "topic",
    "speaker",
    "context",
    "when",
    "sort",
    "name",
    "role",
    "term",
)
DEEP = "__fuzz_deep_nesting__"


def _dump(doc: Any, ensure_ascii: bool, depth: int) -> bytes:
    text = json.dumps(doc, ensure_ascii=ensure_ascii, allow_nan=True)
    if depth:
        text = text.replace(json.dumps(DEEP), "[" * depth + "]" * depth)
    return text.encode("utf-8")


@st.composite
def near_valid_documents(draw: st.DrawFn) -> bytes:
    """The seed data, mutated: wrong types, missing fields, huge strings, duplicate ids, unknown kinds and
    fields, deep nesting, new and changed entries, removed entries, and some damage to the bytes."""
    doc: dict[str, Any] = copy.deepcopy(SEED)
    depth = 0
    # Half the documents get only changes a valid file may hold, so that previews are checked too.
    benign = draw(st.booleans())
    for _ in range(draw(st.integers(0, 5))):
        plural = draw(st.sampled_from(list(PLURALS.values())))
        items = doc.get(plural)
        entry = draw(st.sampled_from(items)) if isinstance(items, list) and items else None
        mutation = draw(
            st.sampled_from(BENIGN)
            if benign
            else st.sampled_from(
                (
                    "wrong_type",
                    "drop_field",
                    "huge_string",
                    "duplicate",
                    "duplicate_other_kind",
                    "unknown_section",
                    "unknown_field",
                    "section_not_list",
                    "deep",
                    "format",
                    "paragraphs",
                    "not_an_object",
                    "new_entry",
                    "change_text",
                    "remove_entries",
                    "random_id",
                    "drop_section",
                    "swap_sections",
                )
            )
        )
        if mutation == "wrong_type" and isinstance(entry, dict):
            entry[draw(st.sampled_from(FIELDS))] = draw(json_values)
        elif mutation == "drop_field" and isinstance(entry, dict) and entry:
            entry.pop(draw(st.sampled_from(sorted(entry))), None)
        elif mutation == "huge_string" and isinstance(entry, dict):
            entry[draw(st.sampled_from(FIELDS))] = draw(huge_text | boundary_text)
        elif mutation == "duplicate" and isinstance(entry, dict) and isinstance(items, list):
            items.append(copy.deepcopy(entry))
        elif mutation == "duplicate_other_kind" and isinstance(entry, dict):
            other = doc.setdefault(draw(st.sampled_from(list(PLURALS.values()))), [])
            if isinstance(other, list):
                other.append(copy.deepcopy(entry))
        elif mutation == "unknown_section":
            doc[draw(st.sampled_from(("fact", "Facts", "places", "", "format2", "__proto__")) | user_text)] = draw(
                json_values
            )
        elif mutation == "unknown_field" and isinstance(entry, dict):
            entry[draw(user_text)] = draw(json_values)
        elif mutation == "section_not_list":
            doc[plural] = draw(json_scalars | st.dictionaries(user_text, json_values, max_size=3))
        elif mutation == "deep":
            depth = draw(st.sampled_from((50, 900, 1_000, 5_000, 100_000)) | st.integers(1, 200_000))
            if isinstance(entry, dict):
                entry[draw(st.sampled_from(FIELDS))] = DEEP
            else:
                doc[draw(st.sampled_from(("format", plural)))] = DEEP
        elif mutation == "format":
            doc["format"] = draw(json_values)
        elif mutation == "paragraphs" and isinstance(entry, dict):
            entry["paragraphs"] = draw(st.lists(page_numbers | st.booleans() | json_scalars, max_size=6))
        elif mutation == "not_an_object" and isinstance(items, list) and items:
            items[draw(st.integers(0, len(items) - 1))] = draw(json_values)
        elif mutation == "new_entry" and isinstance(items, list):
            kind = next(k for k, p in PLURALS.items() if p == plural)
            items.append(new_entry(kind, draw(st.integers(0, 10**6)), draw(mixed_text(10))))
        elif mutation == "change_text" and isinstance(entry, dict) and entry.get("paragraphs"):
            entry["text"] = draw(mixed_text(10))
        elif mutation == "remove_entries" and isinstance(items, list):
            del items[: draw(st.integers(0, len(items)))]
        elif mutation == "random_id" and isinstance(entry, dict):
            entry["id"] = draw(user_text | st.from_regex(r"[a-z0-9][a-z0-9-]{1,47}", fullmatch=True))
        elif mutation == "drop_section":
            doc.pop(plural, None)
        elif mutation == "swap_sections":
            other = draw(st.sampled_from(list(PLURALS.values())))
            doc[plural], doc[other] = doc.get(other, []), doc.get(plural, [])
    raw = _dump(doc, draw(st.booleans()), depth)
    damage = (
        "none" if benign else draw(st.sampled_from(("none",) * 6 + ("truncate", "bom", "latin1", "garbage", "nul")))
    )
    if damage == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif damage == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif damage == "latin1":
        raw = raw.replace(b"e", b"\xe9", 1)
    elif damage == "garbage":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=20)) + raw[at:]
    elif damage == "nul":
        raw = raw.replace(b" ", b"\x00", 1)
    return raw


BENIGN = ("new_entry", "change_text", "remove_entries", "drop_section")


def new_entry(kind: str, number: int, text: str) -> dict[str, Any]:
    """A valid-looking entry of a kind (the text may still be refused: empty, too long...)."""
    entry: dict[str, Any] = {"id": f"fuzz-{kind}-{number}", "text": text or "x", "paragraphs": [1]}
    extra = {
        "fact": {"topic": "fuzz"},
        "quote": {"speaker": "Fuzz", "is_context": True, "source": "fuzzing"},
        "event": {"when": "later", "sort": number},
        "person": {"name": "Fuzz", "role": "tester"},
        "term": {"term": f"fuzz{number}"},
    }[kind]
    entry.update(extra)
    if kind == "quote":
        entry["paragraphs"] = []
    return entry


SEED = seed_document()
random_json_bytes = st.builds(
    lambda doc, ascii_: json.dumps(doc, ensure_ascii=ascii_).encode(), json_values, st.booleans()
)
import_bytes = st.one_of(st.binary(max_size=2_000), random_json_bytes, near_valid_documents())

# ---- checks: what Discord accepts --------------------------------------------------------------------------

LIMITS = {
    "title": 256,
    "description": 4096,
    "fields": 25,
    "field_name": 256,
    "field_value": 1024,
    "footer": 2048,
    "author": 256,
    "total": 6000,
    "content": 2000,
    "embeds": 10,
}


def embed_size(embed: Mapping[str, Any]) -> int:
    """Characters Discord counts toward the 6000 of an embed."""
    return (
        len(embed.get("title") or "")
        + len(embed.get("description") or "")
        + sum(len(f.get("name") or "") + len(f.get("value") or "") for f in embed.get("fields") or [])
        + len((embed.get("footer") or {}).get("text") or "")
        + len((embed.get("author") or {}).get("name") or "")
    )


def check_embed(embed: Mapping[str, Any]) -> None:
    """An embed (as JSON) Discord would accept: every part within its limit, no empty field parts."""
    assert len(embed.get("title") or "") <= LIMITS["title"], embed
    assert len(embed.get("description") or "") <= LIMITS["description"], embed
    if "description" in embed:
        assert str(embed["description"]).strip(), embed
    fields = embed.get("fields") or []
    assert len(fields) <= LIMITS["fields"], embed
    for field in fields:
        name, value = field.get("name") or "", field.get("value") or ""
        assert name.strip() and len(name) <= LIMITS["field_name"], field
        assert value.strip() and len(value) <= LIMITS["field_value"], field
    footer = (embed.get("footer") or {}).get("text")
    if footer is not None:
        assert footer.strip() and len(footer) <= LIMITS["footer"], embed
    assert len((embed.get("author") or {}).get("name") or "") <= LIMITS["author"], embed
    assert embed_size(embed) <= LIMITS["total"], embed


def check_message(body: Mapping[str, Any]) -> None:
    """A message body (a callback's data, a followup, a channel message) Discord would accept."""
    content = body.get("content")
    assert content is None or len(str(content)) <= LIMITS["content"], body
    embeds = body.get("embeds") or []
    assert len(embeds) <= LIMITS["embeds"], body
    for embed in embeds:
        check_embed(embed)
    assert sum(embed_size(e) for e in embeds) <= LIMITS["total"], body
    rows = body.get("components") or []
    assert len(rows) <= 5, body
    for row in rows:
        for component in row.get("components") or []:
            assert len(component.get("custom_id") or "") <= 100, component
            assert len(component.get("label") or "") <= 80, component


__all__ = [
    "KINDS",
    "budget",
    "check_embed",
    "check_message",
    "console_lines",
    "fuzz_settings",
    "import_bytes",
    "optional_text",
    "page_numbers",
    "user_text",
]
