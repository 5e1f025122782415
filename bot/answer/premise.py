"""Questions built on a false premise ("why did the South Korean soldiers shoot back?", "he was hit in the leg,
right?", "is the UN Command run by the Chinese?"): the article says otherwise, and that is the answer.

An entry corrects a question when it is about the same thing (it holds most of what the question says) and it
says the opposite: it denies the question's act, names another member of the same category (blue, not red;
Seoul, not Pyongyang), or gives another count of the same thing (four soldiers, not three)."""

from __future__ import annotations

from bot.answer.question import Question
from bot.answer.rank import Judgement, coverage
from bot.answer.reading import TOKEN, Candidate
from bot.lexicon import Lexicon
from bot.spans import annotate
from bot.text import stem

# The entry must hold this share of what the question says, apart from the words it gets wrong.
SAME_TOPIC = 0.7
# ...or, when it denies the very act the question asks about, this share.
DENIED_TOPIC = 0.45
# A count and the thing it counts stand this close.
COUNT_WINDOW = 3


def denial(question: Question, judged: list[tuple[Judgement, Candidate]]) -> Candidate | None:
    """An entry that denies the very act a why or yes/no question takes for granted ("why did they shoot back":
    "South Korean soldiers did not return fire"): it answers before anything else does."""
    if not (question.yes_no or question.wants == "cause") or question.wants in ("statement", "quote"):
        return None
    for _judgement, candidate in judged:
        if _same_topic(question, candidate, DENIED_TOPIC) and _denies(question, candidate):
            return candidate
    return None


def correction(question: Question, judged: list[tuple[Judgement, Candidate]], lexicon: Lexicon) -> Candidate | None:
    """The best entry that contradicts the question's premise, or None.  Only questions that take something for
    granted are corrected: yes/no questions ("...right?") and why/how ones; "who/when/where" ones that find no
    answer are not answered."""
    presupposes = question.yes_no or question.wants == "cause" or question.cleaned.startswith(("how did", "how come"))
    if not presupposes or question.wants in ("statement", "quote"):
        return None
    for _judgement, candidate in judged[:10]:
        if _same_topic(question, candidate, DENIED_TOPIC) and _denies(question, candidate):
            return candidate
        if _same_topic(question, candidate, SAME_TOPIC) and (
            _other_member(question, candidate, lexicon) or _other_count(question, candidate, lexicon)
        ):
            return candidate
    return None


def _same_topic(question: Question, candidate: Candidate, threshold: float) -> bool:
    known = tuple(c for c in question.concepts if c.known and not c.aside)
    return bool(known) and coverage(known, candidate.said, candidate.keywords, 0.0, candidate.labels) >= threshold


def _denies(question: Question, candidate: Candidate) -> bool:
    """'Why did they shoot back' against 'South Korean soldiers did not return fire': the entry denies the act."""
    acts = [c for c in question.concepts if question.predicate and question.predicate in c.word.split()]
    if question.negated or not acts:
        return False
    subject = [c for c in question.concepts if set(c.word.split()) & set(question.topic)]
    tokens = candidate.tokens
    for index, token in enumerate(tokens):
        if token.word not in ("not", "never"):
            continue
        denied = {t.stem for t in tokens[index + 1 : index + 3]}
        doer = {t.stem for t in tokens[max(0, index - 3) : index]}
        # the same act, by the same doer ("tours do not run" says nothing of him)
        same_doer = any(c.alternatives & doer for c in subject) or (
            question.topic == ("soldier",) and "soldier" in doer
        )
        if any(c.alternatives & denied for c in acts) and same_doer:
            return True
    return False


def _other_member(question: Question, candidate: Candidate, lexicon: Lexicon) -> bool:
    """The question names a member of a category the entry holds another member of ("red" huts, "blue" ones)."""
    asked = set(annotate(question.cleaned, lexicon))
    text = candidate.text.lower()
    strangers = {w for c in question.concepts if not c.known for w in c.word.split()}
    for span in asked:
        # only a word the story never uses is a wrong detail ("red" huts, "chinese"); a word it uses elsewhere
        # ("north korea") is more likely about something else
        if not span.kind.startswith("member:") or span.text in text or not set(span.text.split()) <= strangers:
            continue
        generic = _generic(lexicon, span.kind.removeprefix("member:"))
        if span.text in generic:
            continue
        others = [s for s in candidate.spans if s.kind == span.kind and s.text not in generic]
        if others and all(s.text not in question.cleaned for s in others):
            return True
    return False


def _other_count(question: Question, candidate: Candidate, lexicon: Lexicon) -> bool:
    """'Three North Koreans chasing him' against 'Four North Korean soldiers chased him'."""
    asked = annotate(question.cleaned, lexicon)
    words = question.cleaned.split()
    for span in (s for s in asked if s.kind == "number"):
        index = len(question.cleaned[: span.start].split())
        counted = {stem(w) for w in words[index + 1 : index + 1 + COUNT_WINDOW]}
        for other in (s for s in candidate.spans if s.kind == "number"):
            if _value(other.text) == _value(span.text):
                continue
            after = TOKEN.findall(candidate.text.lower()[other.end :])[:COUNT_WINDOW]
            if counted & {stem(w) for w in after}:
                return True
    return False


def _value(number: str) -> str:
    words = "zero one two three four five six seven eight nine ten".split()
    return str(words.index(number)) if number in words else number


def _generic(lexicon: Lexicon, category: str) -> frozenset[str]:
    for item in lexicon.categories:
        if item.name == category:
            return frozenset((item.name, *item.heads))
    return frozenset()
