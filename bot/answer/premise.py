"""Questions built on a false premise ("why did the South Korean soldiers shoot back?", "he was hit in the leg,
right?", "is the UN Command run by the Chinese?"): the article says otherwise, and that is the answer.

An entry corrects a question when it is about the same thing (it holds most of what the question says) and it
says the opposite: it denies the question's act, names another member of the same category (blue, not red;
Seoul, not Pyongyang), or gives another count of the same thing (four soldiers, not three)."""

from __future__ import annotations

import re

from bot.answer.question import Concept, Question
from bot.answer.rank import Judgement, coverage
from bot.answer.reading import TOKEN, Candidate
from bot.lexicon import Lexicon
from bot.spans import Span, annotate
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
        if _same_topic(question, candidate, DENIED_TOPIC) and denies(question, candidate):
            return candidate
    return None


def correction(
    question: Question,
    judged: list[tuple[Judgement, Candidate]],
    lexicon: Lexicon,
    members: frozenset[tuple[str, str]] | None = None,
) -> Candidate | None:
    """The best entry that contradicts the question's premise, or None.  Only questions that take something for
    granted are corrected: yes/no questions ("...right?") and why/how ones; "who/when/where" ones that find no
    answer are not answered.  `members` are the members of categories the store names (None: not known)."""
    presupposes = question.yes_no or question.wants == "cause" or question.cleaned.startswith(("how did", "how come"))
    if question.wants in ("statement", "quote", "definition", "sequence"):
        return None
    if not presupposes:
        # "how many shots did the south koreans fire", "what gun was the defector carrying": a question that
        # finds no answer is answered by an entry that denies its act
        return next((c for _j, c in judged if _same_topic(question, c, DENIED_TOPIC) and denies(question, c)), None)
    candidates = [c for _j, c in judged[:10]]
    wrong = _wrong_members(question, lexicon, members)
    wrong_words = frozenset(w for span in wrong for w in span.text.split())
    for candidate in candidates:
        if _same_topic(question, candidate, DENIED_TOPIC) and denies(question, candidate):
            return candidate
        if _same_topic(question, candidate, SAME_TOPIC) and other_count(question, candidate, lexicon):
            return candidate
        # the topic apart from the wrong detail ("shot in the [head]": shot, the soldier)
        if _same_topic(question, candidate, SAME_TOPIC, wrong_words) and other_member(
            question, candidate, wrong, lexicon
        ):
            return candidate
    return _other_person(question, candidates, lexicon)


def _other_person(question: Question, candidates: list[Candidate], lexicon: Lexicon) -> Candidate | None:
    """'Why did they take a photo of Pence in the building' against 'Tillerson was photographed ... inside one of
    the buildings': the story tells it of someone else (and tells nothing like it of the person named)."""
    spans = [*annotate(question.text, lexicon), *(s for c in candidates for s in c.spans)]
    names = {stem(w) for s in spans if s.kind == "name" for w in TOKEN.findall(s.text.lower())}
    known = [c for c in question.concepts if c.known and not c.aside]
    asked = set(question.cleaned.split())
    for candidate in candidates:
        missing = [c for c in known if c.exact & names and not c.exact & candidate.said]
        rest = tuple(c for c in known if c not in missing)
        if len(missing) != 1 or not rest:
            continue
        person = missing[0]
        # told of someone else in the entry's own words, not in the keywords it is found by ("latest")
        if coverage(rest, candidate.said, frozenset(), 0.0, candidate.labels) < SAME_TOPIC:
            continue
        others = [s for s in candidate.spans if s.kind == "name" and not set(TOKEN.findall(s.text.lower())) & asked]
        acts = tuple(c for c in rest if question.predicate and question.predicate in c.word.split())
        told_of_them = any(
            person.exact & other.said
            and (
                coverage(rest, other.said, other.keywords, 0.0, other.labels) >= SAME_TOPIC
                or (bool(acts) and all(c.alternatives & other.said for c in acts))  # "Pence visited the area"
            )
            for other in candidates
        )
        if others and not told_of_them:  # (if the person named did something like it, no premise is wrong)
            return candidate
    return None


def _same_topic(
    question: Question, candidate: Candidate, threshold: float, without: frozenset[str] = frozenset()
) -> bool:
    known = tuple(c for c in question.concepts if c.known and not c.aside and not set(c.word.split()) & without)
    return bool(known) and coverage(known, candidate.said, candidate.keywords, 0.0, candidate.labels) >= threshold


def denies(question: Question, candidate: Candidate) -> bool:
    """'Why did they shoot back' against 'South Korean soldiers did not return fire': the entry denies the act."""
    acts = [c for c in question.concepts if question.predicate and question.predicate in c.word.split()]
    if question.negated or not acts or _passive(question):
        return False  # ("was the soldier shot": he is not the one who shot, so no "did not fire" denies it)
    subject = [c for c in question.concepts if set(c.word.split()) & set(question.topic)]
    tokens = candidate.tokens
    for index, token in enumerate(tokens):
        if token.word not in ("not", "never"):
            continue
        denied = {t.stem for t in tokens[index + 1 : index + 3]}
        doer = {t.stem for t in tokens[max(0, index - 5) : index]}
        # the same act, by the same doer ("tours do not run" says nothing of him)
        # the whole doer: "north korean guys" are not "south korean soldiers"
        same_doer = (any(_held(c, doer) for c in subject) and all(_held(c, doer) for c in subject if c.parts)) or (
            question.topic == ("soldier",) and "soldier" in doer
        )
        if any(c.alternatives & denied for c in acts) and same_doer:
            return True
    return False


def _wrong_members(question: Question, lexicon: Lexicon, members: frozenset[tuple[str, str]] | None) -> list[Span]:
    """Members of a category the question names and the story never does ("red" huts, "chinese", a "head" wound,
    though "heading" stems like it; not "north korea", which it names elsewhere and is more likely about something
    else).  Without the store's members, a member is wrong when the story never uses its words."""
    strangers = {w for c in question.concepts if not c.known for w in c.word.split()}
    out = []
    for span in annotate(question.cleaned, lexicon):
        if not span.kind.startswith("member:") or span.text in generic(lexicon, span.kind.removeprefix("member:")):
            continue
        if (span.kind, span.text) not in members if members is not None else set(span.text.split()) <= strangers:
            out.append(span)
    return out


def other_member(question: Question, candidate: Candidate, asked: list[Span], lexicon: Lexicon) -> bool:
    """The entry names other members of the category of a detail asked about ("blue" huts, not "red" ones; a jeep,
    not a truck), none of which the question names.  The category's own name ("the vehicle" may be the jeep asked
    about) and the question's words for the same thing ("operation" asked, "surgeries" said) are no other member."""
    said_for = {w for c in question.concepts for w in c.alternatives}
    for span in asked:
        plain = generic(lexicon, span.kind.removeprefix("member:"))
        others = [
            s
            for s in candidate.spans
            if s.kind == span.kind
            and s.text != span.text
            and s.text not in plain
            and not {stem(w) for w in s.text.split()} <= said_for
        ]
        if others and all(s.text not in question.cleaned for s in others):
            return True
    return False


_PARTICIPLES = frozenset("shot hit hurt struck caught held brought sent told found kept left seen taken given".split())


def _passive(question: Question) -> bool:
    """'Was the soldier shot' (not 'was the defector carrying'): the subject is the one it was done to."""
    word = question.predicate
    if not (word.endswith(("ed", "en")) or word in _PARTICIPLES):
        return False
    predicate = re.escape(word)
    return bool(re.search(rf"\b(?:was|were|is|are|been|be)\b(?: [a-z'-]+){{0,3}} {predicate}\b", question.cleaned))


def _held(concept: Concept, stems: set[str]) -> bool:
    if concept.parts:
        return all(part & stems for part in concept.parts)
    return bool(concept.alternatives & stems)


def other_count(question: Question, candidate: Candidate, lexicon: Lexicon) -> bool:
    """'Three North Koreans chasing him' against 'Four North Korean soldiers chased him'."""
    asked = annotate(question.cleaned, lexicon)
    words = question.cleaned.split()
    for span in (s for s in asked if s.kind == "number"):
        index = len(question.cleaned[: span.start].split())
        counted = {stem(w) for w in words[index + 1 : index + 1 + COUNT_WINDOW]}
        for other in (s for s in candidate.spans if s.kind == "number"):
            if count_value(other.text) == count_value(span.text):
                continue
            after = TOKEN.findall(candidate.text.lower()[other.end :])[:COUNT_WINDOW]
            if counted & {stem(w) for w in after}:
                return True
    return False


def count_value(number: str) -> str:
    words = "zero one two three four five six seven eight nine ten".split()
    return str(words.index(number)) if number in words else number


def generic(lexicon: Lexicon, category: str) -> frozenset[str]:
    for item in lexicon.categories:
        if item.name == category:
            return frozenset((item.name, *item.heads))
    return frozenset()
