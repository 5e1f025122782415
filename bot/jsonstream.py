"""Reading a data file's JSON one entry at a time, with limits on entries, size and nesting checked as it goes.

A data file is an object whose members are mostly lists of entries.  `members` walks the root object and
hands each list over as an iterator that decodes one element at a time, so a file of a million empty objects
or of lists nested a hundred thousand deep is refused after a few bytes, never decoded whole into memory.
Each element is first scanned (strings skipped by one regular expression, brackets and commas counted), then
decoded by the json module's C decoder."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# A string (to its closing quote, or to the end of an unterminated one), a bracket or a comma.
_TOKEN = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"?|[\[\]{},]', re.DOTALL)
_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"?', re.DOTALL)
_SCALAR = re.compile(r'[^\s,\[\]{}:"]*')
_SPACE = re.compile(r"[ \t\n\r]*")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1, ",": 0}
_DECODER = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class Limits:
    entries: int = 200_000  # list elements in all sections together
    items: int = 500  # values in one entry (a value of 20 keywords and a few paragraphs has about 40)
    depth: int = 4  # inside one entry: the entry, its lists, and two more levels for wrong shapes
    members: int = 100  # members of the root object
    section_values: int = 60_000  # values in a member that is an object (the lexicon section), not a list


class ShapeError(ValueError):
    """The text is not JSON, or passes a limit; the message says what and where (line and column)."""


class _Cursor:
    def __init__(self, text: str, limits: Limits) -> None:
        self.text = text
        self.limits = limits
        self.pos = 0
        self.entries = 0

    def fail(self, reason: str, pos: int | None = None) -> ShapeError:
        return ShapeError(f"{reason} at {_place(self.text, self.pos if pos is None else pos)}")

    def invalid(self, message: str, pos: int | None = None) -> ShapeError:
        return self.fail(f"not valid JSON: {message}", pos)

    def space(self) -> str:
        """Skip whitespace; the next character ('' at the end)."""
        match = _SPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos
        return self.text[self.pos : self.pos + 1]

    def take(self, char: str, expecting: str) -> None:
        if self.space() != char:
            raise self.invalid(expecting)
        self.pos += 1

    def value(self, what: str, items: int | None = None) -> Any:
        """Decode the value at the cursor after checking its size (at most `items` values, by default an entry's)
        and nesting; the cursor moves past it."""
        start = self.pos
        end = self._extent(what, self.limits.items if items is None else items)
        try:
            value, stop = _DECODER.raw_decode(self.text, start)
        except json.JSONDecodeError as exc:
            raise self.invalid(exc.msg.removesuffix(" at"), exc.pos) from None
        except ValueError:  # e.g. an integer of more than 4,300 digits
            raise self.invalid("a number is too long", start) from None
        if stop > end:  # cannot happen for valid JSON; a guard against decoding past the checked part
            raise self.invalid("unexpected end of a value", end)
        self.pos = stop
        return value

    def _extent(self, what: str, limit: int) -> int:
        """Where the value at the cursor ends, refusing one that nests too deeply or holds too many values."""
        text, start = self.text, self.pos
        first = text[start : start + 1]
        if first == '"':
            match = _STRING.match(text, start)
            return match.end() if match else start
        if first not in ("[", "{"):
            match = _SCALAR.match(text, start)
            return match.end() if match else start
        depth = items = 0
        for token in _TOKEN.finditer(text, start):
            step = _STEP.get(token.group())
            if step is None:  # a string
                continue
            depth += step
            if step >= 0:  # an opening bracket or a comma: one more value
                items += 1
            if depth > self.limits.depth:
                raise self.fail(f"{what} nests lists or objects deeper than a data file does", token.start())
            if items > limit:
                raise self.fail(f"{what} holds more than {limit:,} values", token.start())
            if depth == 0:
                return token.end()
        return len(text)  # unterminated: decoding says where

    def elements(self, what: str) -> Iterator[Any]:
        """The elements of the list at the cursor, decoded one at a time."""
        self.take("[", "Expecting '['")
        if self.space() == "]":
            self.pos += 1
            return
        while True:
            self.space()
            self.entries += 1
            if self.entries > self.limits.entries:
                raise self.fail(f"the file holds more than {self.limits.entries:,} entries; split it")
            yield self.value(what)
            if self.closed_by("]"):
                return

    def closed_by(self, closing: str) -> bool:
        """After a member or an element: True at the bracket that closes them, False after a comma."""
        following = self.space()
        self.pos += 1
        if following == closing:
            return True
        if following != ",":
            raise self.invalid("Expecting ',' delimiter", self.pos - 1)
        return False


def members(text: str, limits: Limits = Limits()) -> Iterator[tuple[str | None, Any]]:
    """(key, value) for each member of the root object, in file order; ShapeError when the text is not JSON
    or passes a limit.  A list comes as an iterator decoding one element at a time (what the caller leaves
    of it is read before the next member); anything else comes decoded.  A root that is not an object comes
    as the single pair (None, value)."""
    cursor = _Cursor(text, limits)
    if cursor.space() != "{":
        yield None, cursor.value("the file")
        _end(cursor)
        return
    cursor.pos += 1
    count = 0
    if cursor.space() == "}":
        cursor.pos += 1
        _end(cursor)
        return
    while True:
        if cursor.space() != '"':
            raise cursor.invalid("Expecting property name enclosed in double quotes")
        key = cursor.value("a name")
        count += 1
        if count > limits.members:
            raise cursor.fail(f"the file has more than {limits.members} sections")
        cursor.take(":", "Expecting ':' delimiter")
        if cursor.space() == "[":
            elements = cursor.elements(f"an entry of {str(key)[:40]!r}")
            yield str(key), elements
            for _left in elements:
                pass
        else:
            yield str(key), cursor.value(f"the value of {str(key)[:40]!r}", limits.section_values)
        if cursor.closed_by("}"):
            break
    _end(cursor)


def _end(cursor: _Cursor) -> None:
    if cursor.space():
        raise cursor.invalid("Extra data")


def _place(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line} column {column}"
