"""How a console line becomes a command or a question.

The rule: a line that starts with `/` is a command.  A bare command word on its own is that command.  A bare
command word followed by arguments is a command when the arguments fit the command's shape (`who lee`,
`source 8`, `timeline 2`, `search jeep`); a line that reads as a sentence is a question for `ask`: it holds a
question mark, or right after the command word comes a question word, an auxiliary, a pronoun, a preposition
or a conjunction (`who is ...`, `help me ...`, `explain why ...`, `source of ...`), or the arguments do not
fit the shape (`timeline of events`, `about the soldier`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

QUESTION_WORDS = frozenset("what why how when where who whom whose which".split())
AUXILIARIES = frozenset(
    "is are was were am be been being do does did done can could would should will shall may might must "
    "has have had isnt arent wasnt werent dont doesnt didnt cant couldnt wouldnt shouldnt wont hasnt havent".split()
)
PRONOUNS = frozenset(
    "i me my mine myself you your yours yourself he him his himself she her hers herself it its itself we us "
    "our ours ourselves they them their theirs themselves this that these those there here someone somebody "
    "something anyone anybody anything everyone everybody everything nobody nothing".split()
)
PREPOSITIONS = frozenset(
    "about above across after against along among around at before behind below beneath beside between beyond "
    "by despite down during except for from in inside into like near of off on onto out outside over past since "
    "than through throughout till to toward towards under until up upon via with within without".split()
)
CONJUNCTIONS = frozenset("and or but if so because although though whether nor not no".split())
ARTICLES = frozenset("a an the".split())

# Words that start a sentence, never an argument.
SENTENCE_STARTS = QUESTION_WORDS | AUXILIARIES | PRONOUNS | PREPOSITIONS | CONJUNCTIONS
# Words a name or a term never holds, wherever they stand.
NEVER_IN_A_NAME = QUESTION_WORDS | AUXILIARIES | PRONOUNS

MAX_NAME_WORDS = 5  # "Col. Roh Jae-cheon", "Joint Chiefs of Staff"
MAX_TERM_WORDS = 6
MAX_NUMBER_DIGITS = 9  # a longer number is out of range anyway; int() of thousands of digits is refused

QUIT_WORDS = frozenset({"quit", "exit", "q", ":q", "bye"})
QUIZ_STARTS = frozenset({"start", "me", "play"})

# Each command's shape, and a word that may stand between it and its argument ("search for jeep").
SHAPES: dict[str, str] = {
    "ask": "text",
    "help": "nothing",
    "about": "nothing",
    "timeline": "page",
    "source": "number",
    "search": "words",
    "who": "name",
    "quote": "name",
    "explain": "term",
    "fact": "term",
    "quiz": "nothing",
}
FILLERS: dict[str, frozenset[str]] = {
    "search": frozenset({"for"}),
    "quote": frozenset({"from", "by"}),
    "fact": frozenset({"about", "on"}),
}
USAGE: dict[str, str] = {
    "ask": "ask <question>",
    "help": "help",
    "about": "about",
    "timeline": "timeline [page], e.g. timeline 2; timeline --image FILE saves it as a picture",
    "source": "source <paragraph number>, e.g. source 8",
    "search": "search <words> [page N], e.g. search ak 47 page 2",
    "who": "who <name>, e.g. who lee",
    "quote": "quote [speaker]",
    "explain": "explain <term>, e.g. explain dmz",
    "fact": "fact [topic or id]",
    "quiz": "quiz (or quiz start); the leaderboard is on Discord",
}

_PAGE_SUFFIX = re.compile(r"^(?P<words>.*?)\s+(?:--page|page)\s*=?\s*(?P<page>\d+)$", re.IGNORECASE)
_PAGE_ONLY = re.compile(r"^(?:(?:--page|page)\s*=?\s*)?(?P<page>\d+)$", re.IGNORECASE)
_IMAGE = re.compile(r"^(?:--image|image)(?:\s*=\s*|\s+)(?P<file>\S.*)$", re.IGNORECASE)
_PARAGRAPH = re.compile(r"^(?:¶|#|p\.?\s*|paragraph\s+)?(?P<number>\d+)$", re.IGNORECASE)
_QUOTES = "\"'“”‘’"
_EDGE_PUNCTUATION = _QUOTES + ".,;:!()[]{}"


@dataclass(frozen=True, slots=True)
class ConsoleLine:
    """What a line asks for: a command with its argument and page number (or the file to save the timeline
    picture in), a usage error, or quitting."""

    command: str
    argument: str = ""
    page: int | None = None
    usage_error: str | None = None
    image: str | None = None


def parse_line(line: str) -> ConsoleLine:
    """Read one console line by the rule in this module's docstring."""
    text = " ".join(line.split())
    explicit = text.startswith("/")
    word, _, rest = text.removeprefix("/").strip().partition(" ")
    name = word.lower() if rest else word.lower().rstrip(".?!")  # "help?" and "about." are still commands
    if name in QUIT_WORDS and not rest:
        return ConsoleLine("quit")
    if name not in SHAPES:
        return ConsoleLine("unknown", word[:30]) if explicit else ConsoleLine("ask", text)
    if name == "ask":
        return ConsoleLine("ask", rest)
    if name == "quiz" and rest.strip().lower() in QUIZ_STARTS:
        return ConsoleLine("quiz")  # "quiz start", as /help names it on Discord
    if not explicit:
        if not rest.strip(_EDGE_PUNCTUATION + "?"):
            return ConsoleLine(name)  # a command word on its own: "help", "about?", "timeline."
        if "?" in rest or _reads_as_sentence(name, rest):
            return ConsoleLine("ask", text)
    fitted = _fit(name, rest)
    if fitted is not None:
        return fitted
    return ConsoleLine(name, usage_error=f"Usage: {USAGE[name]}") if explicit else ConsoleLine("ask", text)


def _words(text: str) -> list[str]:
    """The words as the word lists hold them: lower case, no edge punctuation, straight apostrophes."""
    plain = (w.strip(_EDGE_PUNCTUATION).lower().replace("\u2019", "'") for w in text.split())
    return [w for w in plain if w]


def _is_in(word: str, words: frozenset[str]) -> bool:
    """`word` or, for a contraction, its first part is in `words` ("didn't", "he's", "what's")."""
    return word.replace("'", "") in words or word.split("'")[0] in words


def _reads_as_sentence(name: str, rest: str) -> bool:
    words = _words(rest)
    if words and words[0] in FILLERS.get(name, frozenset()):
        words = words[1:]
        if not words:
            return True  # "search for", "quote from": a sentence cut short
    if not words:
        return False
    if _is_in(words[0], SENTENCE_STARTS):
        return True
    shape = SHAPES[name]
    if shape == "name":
        banned = NEVER_IN_A_NAME | ARTICLES | CONJUNCTIONS
        return len(words) > MAX_NAME_WORDS or any(_is_in(w, banned) for w in words)
    if shape == "term":
        return len(words) > MAX_TERM_WORDS or any(_is_in(w, NEVER_IN_A_NAME) for w in words)
    return False


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= MAX_NUMBER_DIGITS else 10**MAX_NUMBER_DIGITS


def _fit(name: str, rest: str) -> ConsoleLine | None:
    """The command with its arguments when they fit its shape; None when they do not."""
    shape = SHAPES[name]
    if shape == "nothing":
        return ConsoleLine(name) if not rest or name == "help" else None
    if shape == "page":
        if not rest:
            return ConsoleLine(name)
        match = _PAGE_ONLY.match(rest)
        if match:
            return ConsoleLine(name, page=_number(match["page"]))
        image = _IMAGE.match(rest) if name == "timeline" else None
        return ConsoleLine(name, image=image["file"].strip(_QUOTES)) if image else None
    if shape == "number":
        match = _PARAGRAPH.match(rest)
        return ConsoleLine(name, page=_number(match["number"])) if match else None
    first, _, after = rest.partition(" ")
    if after and first.lower() in FILLERS.get(name, frozenset()):
        rest = after
    if shape == "words":
        match = _PAGE_SUFFIX.match(rest)
        if match and match["words"].strip():
            return ConsoleLine(name, match["words"].strip(), page=_number(match["page"]))
    return ConsoleLine(name, rest)
