"""Yes or no: what the entry that answers a yes/no question says of the very thing the question asks.

A verdict is given only when the entry settles it; otherwise the answer is the entry alone, and the reader judges.
"No" when the entry denies the act ("did not return fire"), says its opposite ("unconscious" for "awake"), gives
another count of the same thing (five times, not three) or tells an attempt that failed ("had to turn back").
"Yes" when the entry holds all the question says, with no denial, no other count and nothing the question names
missing."""

from __future__ import annotations

import re
from typing import Literal

from bot.answer.premise import count_value, denies, other_count, other_member
from bot.answer.question import Question
from bot.answer.rank import about_topic, coverage
from bot.answer.reading import Candidate
from bot.lexicon import Lexicon
from bot.spans import Span, annotate
from bot.text import stem

Verdict = Literal["yes", "no"]

# The entry must hold this share of everything the question says for a "yes".
AFFIRMED = 0.8
# An attempt that did not work ("his helicopter had to turn back"), and one that did despite all ("but he still
# made it").
_FAILED = re.compile(
    r"\b(?:had to turn back|turn(?:ed)? back|fail(?:ed|s)? to|unable|could not|couldn't|in vain|got stuck|never made)\b"
)
_SUCCEEDED = re.compile(r"\b(?:still made it|made it|managed to|succeeded)\b")
# Prefixes that make a word its opposite ("unconscious", "inactive", "non-lethal").
_OPPOSITE_PREFIXES = ("un", "in", "im", "non-", "non", "dis", "ir")
_NEGATIONS = frozenset("not no never nobody none nothing without".split())
# An entry that tells of an attempt does not say the act was done ("Trump attempted to visit the DMZ").
_ATTEMPT = re.compile(r"\b(?:attempt(?:s|ed)?|tr(?:y|ies|ied)|sought|plann?(?:ed)?|want(?:s|ed)?|hop(?:es|ed)) to\b")


def verdict(question: Question, candidate: Candidate, lexicon: Lexicon) -> Verdict | None:
    """'yes', 'no', or None when the entry does not settle the yes/no question."""
    if question.wrong_date:
        return "no"
    if not question.yes_no:
        return None
    text = candidate.reading.lower
    if question.outcome and _FAILED.search(text) and not _SUCCEEDED.search(text) and about_topic(question, candidate):
        return "no"
    if (
        other_count(question, candidate, lexicon)
        or _opposite(question, candidate)
        or denies(question, candidate)
        or other_member(question, candidate, _unsaid_members(question, candidate, lexicon), lexicon)
    ):
        return "no"
    if question.outcome and _SUCCEEDED.search(text):
        return "yes"
    return "yes" if _affirms(question, candidate, lexicon) else None


def _opposite(question: Question, candidate: Candidate) -> bool:
    """'Is he awake' against 'the soldier was unconscious': the entry holds the opposite of a word asked about,
    which the question does not say itself."""
    # an aside counts here: "is he awake now? can he talk?" asks both
    asked = {w for c in question.concepts for w in c.alternatives}
    said = question.words
    for token in candidate.tokens:
        for prefix in _OPPOSITE_PREFIXES:
            if token.word.startswith(prefix) and len(token.word) - len(prefix) >= 4:
                rest = stem(token.word[len(prefix) :])
                if rest in asked and token.stem not in said:
                    return True
    return False


def _affirms(question: Question, candidate: Candidate, lexicon: Lexicon) -> bool:
    """The entry says all the question says: every word of it held, no negation in it, every number and name it
    names there too."""
    concepts = tuple(c for c in question.concepts if not c.aside)
    if not concepts or question.negated:
        return False
    # what the entry itself says, not the keywords it is found by ("fighting for his life" is found by "die")
    held = coverage(concepts, candidate.said, frozenset(), 0.0, candidate.labels)
    if held < AFFIRMED:
        return False
    if any(t.word in _NEGATIONS for t in candidate.tokens):
        return False  # "not carrying a weapon", "tours do not run": read by the reader, not by a yes
    said = candidate.reading.lower
    if _ATTEMPT.search(said) and not _ATTEMPT.search(question.cleaned):
        return False
    for span in annotate(question.cleaned, lexicon):
        if span.kind in ("name", "place") and re.search(rf"\b{re.escape(span.text)}(?:'s|’s)", said):
            return False  # "South Korea’s Joint Chiefs" is about the Joint Chiefs, not about South Korea
        if span.kind == "place" and any(
            s.kind == "place" and span.text in s.text and s.text != span.text and s.text not in question.cleaned
            for s in candidate.spans
        ):
            return False  # "in Seoul" against "south of Seoul": the entry places it otherwise
        if span.kind == "number":
            if not any(s.kind == "number" and count_value(s.text) == count_value(span.text) for s in candidate.spans):
                return False
        elif _named_kind(span.kind) and not _names(candidate, span.kind, span.text):
            return False
    return True


def _named_kind(kind: str) -> bool:
    return kind in ("name", "place") or kind.startswith("member:")


def _names(candidate: Candidate, kind: str, text: str) -> bool:
    return text in candidate.reading.lower or any(s.kind == kind and s.text == text for s in candidate.spans)


def _unsaid_members(question: Question, candidate: Candidate, lexicon: Lexicon) -> list[Span]:
    """The members of a category the question names and the entry does not ("did he drive a [truck]")."""
    said = candidate.reading.lower
    return [s for s in annotate(question.cleaned, lexicon) if s.kind.startswith("member:") and s.text not in said]
