"""Discord's documented rules for application command payloads, checked the way Discord checks them.

Every broken rule becomes an error nested by index and field, as Discord nests them inside a 400
``{"code": 50035, "message": "Invalid Form Body", "errors": {...}}``::

    {"0": {"options": {"5": {"options": {"0": {"max_value": {"_errors": [{"code": ..., "message": ...}]}}}}}}}

Rules (discord.com/developers/docs/interactions/application-commands):

* names: 1-32 characters; for CHAT_INPUT commands and every option, ``^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]+$``
  and lowercase wherever a letter has a lowercase form; descriptions 1-100 (CHAT_INPUT commands and all options)
* at most 25 options per level, names unique within a level, required options before optional ones
* SUB_COMMAND and SUB_COMMAND_GROUP exclude every other type at their level; a group holds only sub-commands,
  a sub-command holds no sub-commands or groups (so groups nest one deep)
* choices: only on STRING, INTEGER and NUMBER; at most 25; names 1-100; values of the option's type (strings
  at most 100 characters); never together with autocomplete
* INTEGER: -2^53+1 .. 2^53-1 (for min_value, max_value and choice values, which must be integers);
  NUMBER: -2^53 .. 2^53; min_value <= max_value
* min_length 0-6000, max_length 1-6000, min_length <= max_length, on STRING options only
* a command's name, description, option names and descriptions and choice names and values, each counted at its
  longest localization, total at most 8000 characters
* a bulk overwrite holds at most 100 CHAT_INPUT and 15 each of USER and MESSAGE commands, names unique per type
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND, PRIMARY_ENTRY_POINT = 1, 2, 3, 4
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(
    1, 12
)
NESTING = (SUB_COMMAND, SUB_COMMAND_GROUP)
WITH_CHOICES = (STRING, INTEGER, NUMBER)
MAX_INTEGER = 2**53 - 1  # INTEGER options: -2^53+1 .. 2^53-1
MAX_NUMBER = 2**53  # NUMBER options: -2^53 .. 2^53
MAX_OPTIONS = 25
MAX_CHOICES = 25
MAX_STRING_LENGTH = 6000
MAX_COMMAND_SIZE = 8000
MAX_COMMANDS = {CHAT_INPUT: 100, USER_COMMAND: 15, MESSAGE_COMMAND: 15, PRIMARY_ENTRY_POINT: 1}
# Unicode script ranges of Devanagari and Thai (their letters are \p{L} anyway; this admits their vowel signs
# and other combining marks, which are not)
DEVANAGARI_THAI = ((0x0900, 0x0963), (0x0966, 0x097F), (0xA8E0, 0xA8FF), (0x0E01, 0x0E3A), (0x0E40, 0x0E5B))

Errors = dict[str, Any]
Path = tuple[str, ...]


def error(code: str, message: str) -> dict[str, Any]:
    """One field's error, as Discord nests it: ``{"_errors": [{"code": ..., "message": ...}]}``."""
    return {"_errors": [{"code": code, "message": message}]}


def form_error(errors: Errors) -> dict[str, Any]:
    """The body of Discord's 400 for a payload that breaks a rule."""
    return {"message": "Invalid Form Body", "code": 50035, "errors": errors}


def command_errors(body: Any) -> Errors:
    """What Discord reports for one command (create, upsert or edited result): ``{}`` when it accepts it."""
    found = _Found()
    _check_command(body, found, ())
    return found.tree


def bulk_errors(bodies: Any) -> Errors:
    """What Discord reports for a bulk overwrite (a list of commands), keyed by each command's index."""
    found = _Found()
    if not isinstance(bodies, list):
        found.add((), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return found.tree
    seen: set[tuple[str, int]] = set()
    counts: dict[int, int] = {}
    for i, body in enumerate(bodies):
        _check_command(body, found, (str(i),))
        if not isinstance(body, Mapping):
            continue
        ctype = _command_type(body)
        key = (str(body.get("name")), ctype)
        if key in seen:
            found.add(
                (str(i), "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique: {key[0]}",
            )
        seen.add(key)
        counts[ctype] = counts.get(ctype, 0) + 1
    for ctype, count in counts.items():
        limit = MAX_COMMANDS.get(ctype)
        if limit is not None and count > limit:
            found.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
    return found.tree


class _Found:
    """Errors collected into Discord's nested shape."""

    def __init__(self) -> None:
        self.tree: Errors = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(key, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def has(self, path: Path) -> bool:
        """Whether any error was found at ``path`` or inside it."""
        node: Any = self.tree
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return False
            node = node[key]
        return bool(node)


def _command_type(body: Mapping[str, Any]) -> int:
    ctype = body.get("type", CHAT_INPUT)
    return ctype if isinstance(ctype, int) and not isinstance(ctype, bool) else -1


def _check_command(body: Any, found: _Found, at: Path) -> None:
    if not isinstance(body, Mapping):
        found.add(at, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    ctype = _command_type(body)
    if ctype not in MAX_COMMANDS:
        found.add((*at, "type"), "BASE_TYPE_CHOICES", f"Value must be one of {set(MAX_COMMANDS)}.")
    chat_input = ctype == CHAT_INPUT
    _check_name(body, found, at, strict=chat_input)
    if chat_input:
        _check_description(body, found, at)
        _check_options(body.get("options"), found, (*at, "options"), parent=None)
    if not found.has(at) and _size(body) > MAX_COMMAND_SIZE:
        found.add(at, "APPLICATION_COMMAND_TOO_LARGE", f"Command exceeds maximum size ({MAX_COMMAND_SIZE})")


def _name_char(c: str) -> bool:
    if c in "-_" or unicodedata.category(c)[0] in "LN":
        return True
    return any(low <= ord(c) <= high for low, high in DEVANAGARI_THAI)


def _name_problem(name: Any, *, strict: bool) -> tuple[str, str] | None:
    if not isinstance(name, str) or not name:
        return "BASE_TYPE_REQUIRED", "This field is required"
    if not 1 <= len(name) <= 32:
        return "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."
    if strict and (not all(_name_char(c) for c in name) or name != name.lower()):
        return "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
    return None


def _check_name(body: Mapping[str, Any], found: _Found, at: Path, *, strict: bool) -> None:
    problem = _name_problem(body.get("name"), strict=strict)
    if problem:
        found.add((*at, "name"), *problem)
    for locale, name in _localizations(body, "name"):
        problem = _name_problem(name, strict=strict)
        if problem:
            found.add((*at, "name_localizations", locale), *problem)


def _check_description(body: Mapping[str, Any], found: _Found, at: Path) -> None:
    description = body.get("description")
    if not isinstance(description, str) or not description:
        found.add((*at, "description"), "BASE_TYPE_REQUIRED", "This field is required")
    elif len(description) > 100:
        found.add((*at, "description"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    for locale, text in _localizations(body, "description"):
        if not isinstance(text, str) or not 1 <= len(text) <= 100:
            found.add(
                (*at, "description_localizations", locale),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            )


def _localizations(body: Mapping[str, Any], field: str) -> list[tuple[str, Any]]:
    given = body.get(f"{field}_localizations")
    return [(str(k), v) for k, v in given.items()] if isinstance(given, Mapping) else []


def _option_type(option: Mapping[str, Any]) -> int:
    otype = option.get("type")
    return otype if isinstance(otype, int) and not isinstance(otype, bool) else -1


def _check_options(options: Any, found: _Found, at: Path, *, parent: int | None) -> None:
    """One level of options: under the command (parent None), a sub-command group or a sub-command."""
    if options is None:
        return
    if not isinstance(options, list):
        found.add(at, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    if len(options) > MAX_OPTIONS:
        found.add(at, "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_OPTIONS} or fewer in length.")
    dicts = [(i, o) for i, o in enumerate(options) if isinstance(o, Mapping)]
    for i, o in enumerate(options):
        if not isinstance(o, Mapping):
            found.add((*at, str(i)), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
    types = {_option_type(o) for _, o in dicts}
    if types & set(NESTING) and types - set(NESTING):
        found.add(
            at,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all other types",
        )
    names: set[Any] = set()
    for i, o in dicts:
        where = (*at, str(i))
        if o.get("name") in names:
            found.add(
                (*where, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique"
            )
        names.add(o.get("name"))
        _check_option(o, found, where, parent=parent)
    required = [bool(o.get("required")) for _, o in dicts if _option_type(o) not in NESTING]
    if required != sorted(required, reverse=True):
        found.add(
            at,
            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
            "Required options must be placed before non-required options",
        )


def _check_option(option: Mapping[str, Any], found: _Found, at: Path, *, parent: int | None) -> None:
    otype = _option_type(option)
    if not SUB_COMMAND <= otype <= ATTACHMENT:
        found.add((*at, "type"), "BASE_TYPE_CHOICES", f"Value must be one of {set(range(1, 12))}.")
    elif parent == SUB_COMMAND_GROUP and otype != SUB_COMMAND:
        found.add(
            (*at, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-command groups may only hold sub-commands"
        )
    elif parent == SUB_COMMAND and otype in NESTING:
        found.add(
            (*at, "type"),
            "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
            "Sub-commands may not hold sub-commands or sub-command groups",
        )
    _check_name(option, found, at, strict=True)
    _check_description(option, found, at)
    if otype in NESTING:
        _check_options(option.get("options"), found, (*at, "options"), parent=otype)
        return
    _check_choices(option, otype, found, at)
    _check_range(option, otype, found, at)
    _check_lengths(option, otype, found, at)


def _check_choices(option: Mapping[str, Any], otype: int, found: _Found, at: Path) -> None:
    if option.get("autocomplete") and otype not in WITH_CHOICES:
        found.add(
            (*at, "autocomplete"),
            "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
            "Autocomplete is only for string, integer and number options",
        )
    choices = option.get("choices")
    if choices is None:
        return
    if not isinstance(choices, list):
        found.add((*at, "choices"), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    if otype not in WITH_CHOICES:
        found.add(
            (*at, "choices"),
            "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
            "Choices are only for string, integer and number options",
        )
        return
    if choices and option.get("autocomplete"):
        found.add(
            (*at, "autocomplete"),
            "APPLICATION_COMMAND_AUTOCOMPLETE_AND_CHOICES",
            "Autocomplete cannot be set together with choices",
        )
    if len(choices) > MAX_CHOICES:
        found.add((*at, "choices"), "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_CHOICES} or fewer in length.")
    for j, choice in enumerate(choices):
        where = (*at, "choices", str(j))
        if not isinstance(choice, Mapping):
            found.add(where, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        for locale, name in [("", choice.get("name")), *_localizations(choice, "name")]:
            if not isinstance(name, str) or not 1 <= len(name) <= 100:
                path = (*where, "name_localizations", locale) if locale else (*where, "name")
                found.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        problem = _value_problem(choice.get("value"), otype)
        if problem is None and otype == STRING and len(choice["value"]) > 100:
            problem = "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length."
        if problem:
            found.add((*where, "value"), *problem)


def _value_problem(value: Any, otype: int) -> tuple[str, str] | None:
    """Why ``value`` cannot be a value of an option of type ``otype`` (a choice value, a min or a max)."""
    if otype == STRING:
        return None if isinstance(value, str) else ("STRING_TYPE_CONVERT", "Could not interpret value as string.")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "NUMBER_TYPE_COERCE", f'Value "{value}" is not {"int" if otype == INTEGER else "number"}.'
    if otype == INTEGER and not isinstance(value, int):
        return "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.'
    limit, kind = (MAX_INTEGER, "int") if otype == INTEGER else (MAX_NUMBER, "number")
    if value > limit:
        return "NUMBER_TYPE_MAX", f"{kind} value should be less than or equal to {limit}."
    if value < -limit:
        return "NUMBER_TYPE_MIN", f"{kind} value should be greater than or equal to {-limit}."
    return None


def _check_range(option: Mapping[str, Any], otype: int, found: _Found, at: Path) -> None:
    """min_value and max_value: values of the option's own type, on INTEGER and NUMBER options."""

    def problem(key: str, value: Any) -> tuple[str, str] | None:
        return _value_problem(value, otype)

    _check_pair(option, ("min_value", "max_value"), otype in (INTEGER, NUMBER), problem, found, at)


def _check_lengths(option: Mapping[str, Any], otype: int, found: _Found, at: Path) -> None:
    """min_length 0-6000 and max_length 1-6000, on STRING options."""

    def problem(key: str, value: Any) -> tuple[str, str] | None:
        low = 0 if key == "min_length" else 1
        if isinstance(value, bool) or not isinstance(value, int):
            return "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.'
        if value < low:
            return "NUMBER_TYPE_MIN", f"int value should be greater than or equal to {low}."
        if value > MAX_STRING_LENGTH:
            return "NUMBER_TYPE_MAX", f"int value should be less than or equal to {MAX_STRING_LENGTH}."
        return None

    _check_pair(option, ("min_length", "max_length"), otype == STRING, problem, found, at)


def _check_pair(
    option: Mapping[str, Any],
    keys: tuple[str, str],
    allowed: bool,
    problem: Callable[[str, Any], tuple[str, str] | None],
    found: _Found,
    at: Path,
) -> None:
    """A lower and an upper bound: only where ``allowed``, each one valid, and the lower not above the upper."""
    given = {key: option[key] for key in keys if option.get(key) is not None}
    for key, value in given.items():
        bad = (
            ("APPLICATION_COMMAND_OPTION_TYPE_INVALID", f"{key} is not allowed on this option type")
            if not allowed
            else problem(key, value)
        )
        if bad:
            found.add((*at, key), *bad)
    low, high = keys
    if len(given) == 2 and not found.has((*at, low)) and not found.has((*at, high)) and given[low] > given[high]:
        found.add((*at, low), "APPLICATION_COMMAND_OPTION_RANGE_INVALID", f"{low} must not be greater than {high}")


def _longest(body: Mapping[str, Any], field: str) -> int:
    """A text field's size as Discord counts it: the longest of the default and its localizations."""
    texts = [body.get(field), *(v for _, v in _localizations(body, field))]
    return max((len(t) for t in texts if isinstance(t, str)), default=0)


def _size(body: Mapping[str, Any]) -> int:
    """Name, description, and (recursively) options and choices, as Discord counts a command's size."""
    total = _longest(body, "name") + _longest(body, "description")
    for choice in body.get("choices") or []:
        if isinstance(choice, Mapping):
            total += _longest(choice, "name") + len(str(choice.get("value", "")))
    for option in body.get("options") or []:
        if isinstance(option, Mapping):
            total += _size(option)
    return total
