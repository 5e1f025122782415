"""Ranking candidate entries for a question: about the question's topic, holding the kind of answer it wants
(in the part of the entry that is about the topic), saying something the question did not already say."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from bot.answer.question import PROTAGONIST_NOUNS, Concept, Question, owned
from bot.answer.reading import TOKEN, Candidate, Token
from bot.lexicon import Lexicon
from bot.spans import Span
from bot.text import STOPWORDS, stem

# How much a question word counts when an entry holds it: as typed (or its correction, or another form of it)
# in what the entry says, as a synonym, or only among the entry's keywords.
EXACT_SHARE, EXACT_KEYWORD_SHARE, SYNONYM_SHARE, KEYWORD_SHARE = 1.0, 0.9, 0.85, 0.7
# ...or only in its label (a fact's topic, "shooting"): a category, not something the entry says.
LABEL_SHARE = 0.4
ASIDE_SHARE = 0.5
# A word the story never uses weighs at least this when it names a thing ("water"), less when it is a common verb
# ("use").
STRANGER_WEIGHT = 1.5
TYPE_BONUS = 0.4
# How much of a why-question an entry must hold to explain it without a word of reason ("because", "after").
CAUSE_WITHOUT_MARKER = 0.75
KIND_BONUS = 0.15
TERM_MALUS = 0.1
SUBJECT_BONUS = 0.1
PHRASE_BONUS = 0.04
POLARITY = 0.12
# A question about what comes next ("are they gonna operate again") prefers an entry that looks ahead.
AHEAD = 0.15
# An entry that is not about the one a question's "he" stands for (the story's soldier).
OFF_TOPIC = 0.1
_AHEAD = re.compile(r"\b(?:expected|expects?|coming (?:days|weeks)|will|next \w+ days|planned|plans?|further)\b")
RESTATES = 0.25
MISSING_REQUIRED = 0.5
# "When did it happen?": an entry that names the story's event only to date another ("the last time before this
# escape") is about that other event.
REFERENCE_ONLY = 0.3
_REFERENCE_WORDS = frozenset("before after since than until".split())
# Share of the question's weight an answer must cover.
FOUND_THRESHOLD = 0.5
# A name belongs to the thing a "name" question names when they are this close (in words), with no verb between.
NAME_WINDOW = 8
# Words before a verb of saying that may name who said it.
SPEAKER_WINDOW = 12
# A number counts what the question counts when the counted word follows within this many words.
COUNT_WINDOW = 4

ACCEPTS: dict[str, frozenset[str]] = {
    "number": frozenset({"number"}),
    "distance": frozenset({"distance"}),
    "duration": frozenset({"duration"}),
    "time": frozenset({"time"}),
    "person": frozenset({"person", "name", "member:organisation"}),
    "place": frozenset({"place", "member:village", "member:city", "member:country"}),
    "statement": frozenset({"statement", "quote"}),
    "cause": frozenset({"cause"}),
    "money": frozenset({"money"}),
    "age": frozenset({"age"}),
    "size": frozenset({"size"}),
}
_MOTIVE = re.compile(r"^why (?:did |does |do )?\w+(?: \w+)? (?:want|wanted|decide|decided|choose|chose|try|tried)\b")
_WEAK_REASONS = frozenset("when after once if since so".split())
# Characters either side of a title within which the question's "of X" must stand.
OWNER_REACH = 30
_JOBS = frozenset("minister chief spokesman secretary president surgeon doctor official officials officer".split())
# Places that say no more than "somewhere on the border" ("where did he cross": the JSA, not "the line").
_VAGUE_PLACES = frozenset(
    (
        *"region area site spot spots place places side zone border borders line dmz".split(),
        *("demilitarized zone", "demarcation line", "dividing line", "southern side", "other side"),
    )
)
_EVIDENCE = re.compile(
    r"\b(?:after reviewing|reviewing|reviewed|footage|camera|according to|based on|records?|witness(?:es)?|video)\b"
)
KIND_FOR = {"person": "person", "quote": "quote", "definition": "term", "sequence": "event", "time": "event"}


class Judgement(NamedTuple):
    # (a named tuple, not a frozen dataclass: one is built for every candidate, and a frozen dataclass sets each of
    # its fields through object.__setattr__)
    score: float
    coverage: float
    typed: bool
    required: bool
    restates: bool

    @property
    def answers(self) -> bool:
        return self.coverage >= FOUND_THRESHOLD and self.typed and self.required and not self.restates


def share(
    concept: Concept, said: frozenset[str], keywords: frozenset[str], labels: frozenset[str] = frozenset()
) -> float:
    """How far an entry (what it says, its keywords, its label) holds a concept, from 0 to 1."""
    found = _share(concept, said, keywords)
    if not found and not concept.alternatives.isdisjoint(labels):
        return LABEL_SHARE
    return found


def _share(concept: Concept, said: frozenset[str], keywords: frozenset[str]) -> float:
    # (isdisjoint answers whether two sets meet without building their intersection)
    if concept.parts:
        parts = concept.parts
        whole = len(parts)
        in_text = sum(1 for part in parts if not part.isdisjoint(said)) / whole
        anywhere = sum(1 for part in parts if not (part.isdisjoint(said) and part.isdisjoint(keywords))) / whole
        best = max(in_text * EXACT_SHARE, anywhere * EXACT_KEYWORD_SHARE)
        others = concept.alternatives - concept.exact
        if best < SYNONYM_SHARE and not others.isdisjoint(said):
            best = SYNONYM_SHARE
        elif best < KEYWORD_SHARE and not others.isdisjoint(keywords):
            best = KEYWORD_SHARE
        return best
    if not concept.exact.isdisjoint(said):
        return EXACT_SHARE
    if not concept.exact.isdisjoint(keywords):
        return EXACT_KEYWORD_SHARE
    if not concept.alternatives.isdisjoint(said):
        return SYNONYM_SHARE
    if not concept.alternatives.isdisjoint(keywords):
        return KEYWORD_SHARE
    return 0.0


_OPPOSITES = {"north": "south", "south": "north", "east": "west", "west": "east"}


def _opposite(part: frozenset[str]) -> frozenset[str]:
    return frozenset(_OPPOSITES[w] for w in part if w in _OPPOSITES)


def _contradicts(asked: _Asked, candidate: Candidate) -> bool:
    """'South Korean' against an entry that says "North Korean" where it would: the opposite name, not a part of
    the one asked ("ran south" says nothing against "North Korean")."""
    said, stems = candidate.said, candidate.reading.stems
    for part, opposite, rest in asked.opposed:
        if part & said or opposite.isdisjoint(stems) or rest.isdisjoint(stems):
            continue
        if any(t.stem in opposite and n.stem in rest for t, n in itertools.pairwise(candidate.tokens)):
            return True
    return False


def _stems_of(concepts: Iterable[Concept]) -> frozenset[str]:
    """Every index word standing for one of the concepts: `stem in _stems_of(cs)` is `any(stem in c.alternatives
    for c in cs)`, with one set built per question instead of a loop over the concepts for each word of an entry."""
    return frozenset().union(*(c.alternatives for c in concepts))


def coverage(
    concepts: tuple[Concept, ...],
    said: frozenset[str],
    keywords: frozenset[str],
    floor: float = 0.0,
    labels: frozenset[str] = frozenset(),
) -> float:
    """The weighted share of the concepts an entry holds; 0 when what it holds weighs less than `floor`.  Asides
    (the talk around a question) count only when the entry holds them, at half weight."""
    own = asides = 0.0
    for c in concepts:
        if c.aside:
            asides += c.weight * share(c, said, keywords, labels) * ASIDE_SHARE
        else:
            own += c.weight * share(c, said, keywords, labels)
    return _covered(own, asides, _weight(concepts), _has_stranger(concepts), floor)


def _covered(own: float, asides: float, total: float, stranger: bool, floor: float) -> float:
    """`coverage` from the weighted shares of the concepts asked about (`own`) and of the asides, the weight of the
    concepts asked about, and whether one of them is a stranger."""
    # the talk around a question cannot stand in for a thing the question asks about that the story never names
    # ("he swam across a river, how long was he in the [water]")
    if stranger:
        asides = min(asides, own)
    matched = own + asides
    if not total or matched < floor:
        return 0.0
    return min(1.0, matched / total)


def _weight(concepts: tuple[Concept, ...]) -> float:
    """The weight of the concepts asked about (asides left out)."""
    return sum(c.weight for c in concepts if not c.aside)


def _has_stranger(concepts: tuple[Concept, ...]) -> bool:
    """A concept asked about is a weighty word the story never uses."""
    return any(not c.known and not c.aside and c.weight >= STRANGER_WEIGHT for c in concepts)


def _holding(asked: _Asked, candidate: Candidate, floor: float) -> tuple[list[float], float]:
    """Each concept's share of the entry without its label (what `required` and `_restates` read), and the entry's
    coverage: `coverage` and `share` in one pass over the concepts."""
    said, keywords, labels = candidate.said, candidate.keywords, candidate.labels
    held = []
    own = asides = 0.0
    for c in asked.question.concepts:
        found = _share(c, said, keywords)
        held.append(found)
        if not found and not c.alternatives.isdisjoint(labels):
            found = LABEL_SHARE
        if c.aside:
            asides += c.weight * found * ASIDE_SHARE
        else:
            own += c.weight * found
    return held, _covered(own, asides, asked.weight, asked.stranger, floor)


@dataclass(frozen=True, slots=True)
class _Asked:
    """What judging reads from the question alone, worked out once per question instead of once for each of its
    candidates (and each of their spans)."""

    question: Question
    words: frozenset[str]  # question.words
    motive: bool  # _MOTIVE matches the question
    asks: bool  # the question asks about something (see _on_topic)
    topic: frozenset[str]  # the stems a clause must hold to be on the question's topic
    subject: tuple[Concept, ...]  # the concepts naming the question's topic (see _subject_first)
    subject_stems: frozenset[str]
    known: tuple[Concept, ...]  # the concepts the index knows
    given: frozenset[str]  # every word standing for one of the question's concepts
    told: frozenset[str]  # the words of the story's own event ("it" in "when did it happen")
    required: tuple[int, ...]  # where the required concepts stand in question.concepts
    # for each part of a several-word concept that has an opposite ("south" in "South Korean"): the part, its
    # opposite and the concept's other parts (see _contradicts)
    opposed: tuple[tuple[frozenset[str], frozenset[str], frozenset[str]], ...]
    # for each pair of neighbouring known concepts, their words side by side (see _adjacent_pairs)
    pairs: tuple[frozenset[tuple[str, str]], ...]
    premise_and_asked: tuple[tuple[int, ...], tuple[int, ...]]  # (see _restates)
    heads: tuple[Concept, ...]  # the concepts holding the question's head ("rounds" in "how many rounds")
    head_stems: frozenset[str]
    acting: frozenset[str]  # the words for the act the question's predicate names (see judge)
    acts_known: frozenset[str] | None  # ...among the known concepts, None when there are none (see _does_act)
    counted_act: frozenset[str] | None  # the words for the act a count is of, None when none is known (see _does)
    doing: tuple[frozenset[str], bool]  # the words for the question's verb, and whether it has any (see _agent)
    asks_how: bool  # the question wants no kind of answer and asks how the act was done (see _asks_how)
    weight: float  # see _weight
    stranger: bool  # see _has_stranger


_last_asked: list[_Asked] = []  # the question judged last: judge() is called for each of its candidates in turn


def _asked(question: Question) -> _Asked:
    if _last_asked and _last_asked[0].question is question:
        return _last_asked[0]
    concepts = question.concepts
    asked = question.asked or concepts
    # "like which body parts": "body" is no topic; what the message said around it is
    asked = tuple(c for c in asked if not c.names_kind) or tuple(c for c in concepts if not c.names_kind)
    named = [(c, c.word.split()) for c in concepts]
    topic = set(question.topic)
    subject = tuple(c for c, words in named if topic.intersection(words))
    known = tuple(c for c in concepts if c.known)
    predicate, head, verb = question.predicate, question.head, question.verb
    acting = tuple(c for c, words in named if predicate in words) if predicate else ()
    acts_known = tuple(c for c in acting if c.known)
    heads = tuple(c for c, words in named if head in words) if head else ()
    head_stems = _stems_of(heads)
    doing = tuple(c for c, words in named if verb in words)
    # words for the act a count is of that are no words for the thing counted ("defected" is also "the defector",
    # a soldier; see _does)
    counted_act = [c for c in acts_known if not c.premise]
    found = _Asked(
        question=question,
        words=question.words,
        motive=bool(_MOTIVE.search(question.cleaned)),
        asks=bool(asked),
        topic=_stems_of(asked),
        subject=subject,
        subject_stems=_stems_of(subject),
        known=known,
        given=_stems_of(concepts),
        told=frozenset().union(*(c.exact for c in concepts if c.story)),
        required=tuple(i for i, c in enumerate(concepts) if c.required),
        opposed=tuple(
            (part, _opposite(part), frozenset().union(*(p for p in c.parts if p is not part)))
            for c in concepts
            if not c.premise
            for part in c.parts
            if _opposite(part)
        ),
        pairs=tuple(frozenset(itertools.product(a.exact, b.exact)) for a, b in itertools.pairwise(known)),
        premise_and_asked=(
            tuple(i for i, c in enumerate(concepts) if c.premise and not c.aside),
            tuple(i for i, c in enumerate(concepts) if not c.premise and not c.aside and c.known),
        ),
        heads=heads,
        head_stems=head_stems,
        acting=_stems_of(acting),
        acts_known=_stems_of(acts_known) if acts_known else None,
        counted_act=_stems_of(counted_act) - head_stems if counted_act else None,
        doing=(_stems_of(doing), bool(doing)),
        # (read only when the question wants no kind of answer, see holds_wanted)
        asks_how=question.wants is None and bool(predicate) and not question.outcome and _asks_how(question),
        weight=_weight(concepts),
        stranger=_has_stranger(concepts),
    )
    _last_asked[:] = [found]
    return found


def _categories_touched(question: Question, lexicon: Lexicon) -> frozenset[str]:
    """The categories whose names the question uses ("medically", "medical care": treatment)."""
    alternatives = _stems_of(question.concepts)
    return frozenset(name for name, heads in _category_heads(lexicon).items() if heads & alternatives)


@lru_cache(maxsize=8)
def _category_heads(lexicon: Lexicon) -> dict[str, frozenset[str]]:
    return {c.name: frozenset(stem(w) for head in (c.name, *c.heads) for w in head.split()) for c in lexicon.categories}


def judge(question: Question, candidate: Candidate, relative_rank: float, lexicon: Lexicon, floor: float) -> Judgement:
    asked = _asked(question)
    held, cov = _holding(asked, candidate, floor)
    required = all(held[i] > 0 for i in asked.required) and not _contradicts(asked, candidate)
    strength = holds_wanted(question, candidate, lexicon)
    # an entry holding a new answer of the kind wanted ("five" for "how many times...") tells something new
    typed_answer = strength >= 1.0 and question.wants not in (None, "sequence", "definition")
    restates = not typed_answer and _restates(question, candidate, held)
    # (an entry that names the act itself, "a soldier defected in 1998", "a handful of defections", explains nothing)
    motive = asked.motive  # a motive is never read between the lines
    unmarked = question.wants == "cause" and not strength and cov >= CAUSE_WITHOUT_MARKER and not restates
    if unmarked and not motive and asked.acting.isdisjoint(candidate.reading.stems):
        strength = 0.4  # "why did the jeep stop": "it got stuck in a ditch" explains without a "because"
    score = cov + TYPE_BONUS * strength * bool(question.wants) + 0.1 * relative_rank
    entry = candidate.entry
    if KIND_FOR.get(question.wants or "") == entry.kind:
        score += KIND_BONUS
    if entry.kind == "term" and question.wants != "definition":
        score -= TERM_MALUS
    if entry.kind == "person" and question.wants not in ("person", "name", "statement"):
        score -= TERM_MALUS  # a person's summary answers "who", not "was he armed"
    if _subject_first(question, candidate):
        score += SUBJECT_BONUS
    if asked.pairs:
        score += PHRASE_BONUS * _adjacent_pairs(question, candidate)
    score += _polarity(question, candidate)
    if question.ahead and _AHEAD.search(candidate.reading.lower):
        score += AHEAD
        # "what's the plan for him medically": what lies ahead in the kind of thing asked about (more surgeries)
        touched = _categories_touched(question, lexicon)
        if any(s.kind.removeprefix("member:") in touched for s in candidate.spans if s.kind.startswith("member:")):
            score += AHEAD
    if question.wants == "place" and question.topic == ("soldier",) and not about_topic(question, candidate):
        score -= OFF_TOPIC  # "where did he cross": not where visitors can cross
    if _story_only_as_reference(question, candidate):
        score -= REFERENCE_ONLY
    if restates:
        score -= RESTATES
    if not required:
        score -= MISSING_REQUIRED
    return Judgement(score, cov, strength > 0, required, restates)


def holds_wanted(question: Question, candidate: Candidate, lexicon: Lexicon) -> float:
    """How well the entry holds an answer of the kind wanted (0 to 1), in a clause about the question's topic,
    and not made only of the question's own words."""
    wants = question.wants
    if _asked(question).asks_how:
        # "how did he survive all those bullets": an entry that never tells of surviving says nothing of how
        return 1.0 if _does_act(question, candidate) else 0.0
    if wants is None or wants in ("sequence", "definition"):
        return 1.0
    entry = candidate.entry
    if wants == "quote":
        return 1.0 if entry.kind == "quote" or _new_spans(question, candidate, {"quote"}) else 0.0
    if wants == "name":
        return 1.0 if _holds_name(question, candidate, lexicon) else 0.0
    if wants == "evidence":  # what the people who said it went by
        return 1.0 if _EVIDENCE.search(candidate.reading.lower) else 0.0
    if wants == "fate":
        return 1.0 if _undergoes(question, candidate) else 0.0
    if wants == "kind":
        # "what kind of video": a word that qualifies it ("security-camera footage"), not "his helicopter"
        return 1.0 if _qualified(question, candidate) else 0.0
    if wants == "cause":
        # a reason for the act asked about: "after his vehicle got stuck, he jumped out" explains the jumping,
        # "after the escaping soldier took cover, a South Korean soldier crawled..." explains the crawling
        reasons = _new_spans(question, candidate, {"cause"})
        if _asked(question).motive:
            # "why did he want to escape": a motive needs a word of reason, not "when he jumped out"
            reasons = [s for s in reasons if s.text.lower() not in _WEAK_REASONS]
        return 1.0 if any(_explains(question, candidate, s) for s in reasons) else 0.0
    if wants == "statement":
        return 1.0 if _speaks(question, candidate, _people(lexicon)) else 0.0
    if wants == "person" and question.verb:
        return 1.0 if _agent(question, candidate) else 0.0
    if wants == "member":
        generic = _generic(lexicon, question.category or "")
        spans = _new_spans(question, candidate, {f"member:{question.category}"})
        return 1.0 if any(s.text not in generic and not _titles_another(question, candidate, s) for s in spans) else 0.0
    if wants == "time":
        wanted = {question.category} if question.category else {"time"}
        if _new_spans(question, candidate, wanted):
            return 1.0
        if _new_spans(question, candidate, {"time"}):
            return 0.1 if question.category else 1.0
        return 0.1 if _new_spans(question, candidate, {"vaguetime"}) else 0.0
    if wants == "place":  # a city or a spot says more than a country ("south of Seoul", not "a South Korean one")
        places = _new_spans(question, candidate, {"place", "member:village", "member:city"})
        if any(s.text not in _VAGUE_PLACES for s in places):
            return 1.0
        if places:  # "the region", "the site": a place, but not which
            return 0.7
        return 0.5 if _new_spans(question, candidate, {"member:country"}) else 0.0
    if wants == "number" and question.head:
        # "how many rounds": a number of rounds; "how many tourists were watching": "tours do not run"
        counted = _counts(question, candidate, lexicon) and _does(question, candidate)
        return 1.0 if counted or _none_of(question, candidate) else 0.0
    spans = _new_spans(question, candidate, set(ACCEPTS.get(wants, ())))
    if wants == "person" and question.subject:
        # "who is the doc operating on him": "one of the best trauma surgeons" names no one the question did not,
        # and "the soldier" is who was operated on; a job asks for the name of who holds it
        spans = [s for s in spans if not _described(question, s)]
        job = _job_asked(question, lexicon)
        if job is not None:  # the name must carry that title: "Lee Cook-jong, the surgeon in charge"
            spans = [s for s in spans if s.kind == "name" and _holds_title(question, candidate, s, job)]
    return 1.0 if spans else 0.0


def _job_asked(question: Question, lexicon: Lexicon) -> Concept | None:
    """'Who is the surgeon ...', 'who's the doc': the subject is a job (a member of the lexicon's ranks)."""
    head = (question.subject or "").split()[0] if question.subject else ""
    concept = next((c for c in question.concepts if head and head in c.word.split()), None)
    if concept is None:
        return None
    return concept if concept.alternatives & _ranks(lexicon) else None


def _holds_title(question: Question, candidate: Candidate, name: Span, job: Concept) -> bool:
    """The name stands next to a title that is the job asked about."""
    chain = _title_chain(candidate, name)
    if not any(stem(w) in job.alternatives for s in chain if s is not name for w in TOKEN.findall(s.text)):
        return False
    _, owner = owned(question.subject or "")
    if not owner:
        return True
    # "the president of south korea": the title's own words say whose it is ("a spokesman for South Korea's
    # Joint Chiefs of Staff"), not a mention further on ("President Trump ... during his visit to South Korea")
    start, end = min(s.start for s in chain), max(s.end for s in chain)
    near = {t.stem for t in candidate.tokens if start - OWNER_REACH <= t.start <= end + OWNER_REACH}
    return all(stem(w) in near for w in TOKEN.findall(owner) if w not in STOPWORDS)


def _described(question: Question, span: Span) -> bool:
    """Every word of the span is a word of the question or one of its synonyms."""
    said = _asked(question).given
    stems = [stem(w) for w in TOKEN.findall(span.text.lower()) if w not in STOPWORDS]
    return bool(stems) and all(s in said or s.rstrip("s") in said for s in stems)


def _asks_how(question: Question) -> bool:
    """'How did he survive', 'how is it possible he survived': how the subject did what the question says."""
    return bool(
        re.match(
            r"how (?:did|does|do|could|can|is it possible(?: that)?) (?:he|she|they|it|the \w+(?: \w+)?) "
            rf"(?:even )?{re.escape(question.predicate)}\b",
            question.cleaned,
        )
    )


def _possessive(text: str, token: Token) -> bool:
    """'the soldier's treatment' (straight or curly apostrophe): the soldier is not who speaks."""
    end = token.start + len(token.word)
    return token.word.endswith("'s") or text[end : end + 2].lower() in ("'s", "\u2019s")


@lru_cache(maxsize=8)
def _ranks(lexicon: Lexicon) -> frozenset[str]:
    """The stems of the words of the lexicon's ranks and jobs ("surgeon", "minister")."""
    return frozenset(
        stem(w) for item in lexicon.categories if item.name == "rank" for m in item.members for w in m.split()
    )


@lru_cache(maxsize=8)
def _people(lexicon: Lexicon) -> frozenset[str]:
    """The stems of the lexicon's words for people."""
    return frozenset(stem(w) for phrase in lexicon.person_words for w in phrase.split())


def _titles_another(question: Question, candidate: Candidate, span: Span) -> bool:
    """A title next to a name ("a spokesman, Col. Roh Jae-cheon", "Song Young-moo, Defense Minister") is that
    person's: it answers what the soldier's rank was only when the question names the person or one of the titles."""
    chain = _title_chain(candidate, span)
    if not any(s.kind == "name" for s in chain):
        return False
    if any(set(c.word.split()) & _JOBS for c in question.concepts):
        return False  # "which official described it, and what is his role": the question is about an office-holder
    given = _asked(question).words
    return not any(stem(w) in given for s in chain for w in TOKEN.findall(s.text) if w not in STOPWORDS)


def _title_chain(candidate: Candidate, span: Span) -> list[Span]:
    """The span and the titles and names that stand next to it, in both directions ("Roh Jae-cheon, Colonel,
    spokesman")."""
    chain = [span]
    for forward in (True, False):
        edge: Span | None = span
        while edge is not None:
            current = edge
            edge = next((s for s in candidate.spans if _titled(candidate, current, s, forward)), None)
            if edge is not None:
                chain.append(edge)
    return chain


def _titled(candidate: Candidate, edge: Span, other: Span, forward: bool) -> bool:
    """`other` is a title or a name right after (or before) `edge`, with at most a comma and "a" between."""
    if not other.kind.startswith(("member:", "name")) or other == edge:
        return False
    if forward and other.start >= edge.end:
        between = candidate.text[edge.end : other.start]
    elif not forward and other.end <= edge.start:
        between = candidate.text[other.end : edge.start]
    else:
        return False
    return between.strip(" ,") in ("", "the", "a")


def _new_spans(question: Question, candidate: Candidate, kinds: set[str]) -> list[Span]:
    """Spans of these kinds that the question does not already say, in a clause that is about its topic."""
    given = _asked(question).words
    out = []
    for span in candidate.spans:
        if span.kind in kinds and not _given(span.text, given) and _on_topic(question, candidate, span):
            out.append(span)
    return out


def _explains(question: Question, candidate: Candidate, span: Span) -> bool:
    """The act a why-question asks about stands outside the reason a cause word introduces (which runs to the next
    comma or the end of the sentence)."""
    end = len(candidate.text)
    for mark in (",", ";", ". "):
        found = candidate.text.find(mark, span.end)
        if found != -1:
            end = min(end, found)
    if question.outcome and _CONTRAST.search(candidate.reading.lower[: span.start]):
        return True  # "what stopped his helicopter from reaching the DMZ": "had to turn back because of bad weather"
    return _does_act(question, candidate, outside=(span.start, end))


def _does_act(question: Question, candidate: Candidate, outside: tuple[int, int] = (0, 0)) -> bool:
    """The entry tells of the act the question asks about, as an act: not "the escaping soldier", "his dash" or
    "the wounded defector" (a thing or a person named after it).  True when the question names no act."""
    doing = _asked(question).acts_known
    if doing is None:
        return True
    if doing.isdisjoint(candidate.reading.stems):
        return False
    tokens = candidate.tokens
    for i, token in enumerate(tokens):
        if outside[0] <= token.start < outside[1] or token.stem not in doing:
            continue
        agent_noun = token.word != question.predicate and token.word.endswith(("or", "ors", "er", "ers"))
        if not agent_noun and (not i or tokens[i - 1].word not in _DETERMINERS):
            return True
    return False


def _on_topic(question: Question, candidate: Candidate, span: Span) -> bool:
    if len(candidate.clauses) == 1 or span.start < candidate.label_end:
        return True
    asked = _asked(question)
    if not asked.asks:
        return True
    start, end = candidate.clause_of(span.start)
    if _GERUND.match(candidate.text, start):  # ", hitting his shoulder": the clause before is its subject
        start = max((s for s, _e in candidate.clauses if s < start), default=start)
    if candidate.label_end > 0 and start <= candidate.label_end:
        return True
    topic = asked.topic
    if topic.isdisjoint(candidate.reading.stems):
        return False
    return any(start <= t.start <= end and t.stem in topic for t in candidate.tokens)


_GERUND = re.compile(r"\w+ing\b")


def _generic(lexicon: Lexicon, category: str) -> frozenset[str]:
    """The category's own names ('vehicle', 'weapon'): saying one is not saying which."""
    for item in lexicon.categories:
        if item.name == category:
            return frozenset((item.name, *item.heads))
    return frozenset()


def _given(text: str, given: frozenset[str]) -> bool:
    """True when every word of a span is already in the question."""
    stems = _span_stems(text)
    return bool(stems) and all(s in given for s in stems)


@lru_cache(maxsize=65_536)
def _span_stems(text: str) -> tuple[str, ...]:
    """The stems of a span's words, stopwords left out.  Spans are entries' text, the same few thousand for
    question after question: stemmed once, not for every question that finds their entry."""
    return tuple(stem(w.replace("-", "")) for w in TOKEN.findall(text.lower()) if w not in STOPWORDS)


def _counts(question: Question, candidate: Candidate, lexicon: Lexicon) -> bool:
    """'How many rounds': a number followed closely by 'rounds' (or a word for it).  'How many pursuers': an
    entry about the pursuers counting them as people ("four North Korean soldiers")."""
    asked = _asked(question)
    heads = asked.heads
    if not heads:
        return False
    said, keywords = candidate.said, candidate.keywords
    people = question.head in lexicon.person_words and any(
        not (c.alternatives.isdisjoint(said) and c.alternatives.isdisjoint(keywords)) for c in heads
    )
    person_stems = _person_stems(lexicon) if people else frozenset()
    counted = asked.head_stems
    stems = candidate.reading.stems
    if counted.isdisjoint(stems) and person_stems.isdisjoint(stems):
        return False  # no word after a number is one it would count
    tokens = candidate.tokens
    for span in _new_spans(question, candidate, {"number"}):
        after = []
        first = bisect.bisect_left(tokens, span.end, key=_start)  # (the tokens stand in the order of the text)
        for token in tokens[first : first + COUNT_WINDOW]:
            after.append(token)
            if token.word in _COUNT_ENDS:
                break  # "five times by his countrymen" counts times, not countrymen
        if any(t.stem in counted or t.stem in person_stems for t in after):
            return True
    return False


_COUNT_ENDS = frozenset("by of in at to from with for on times".split())


def _start(token: Token) -> int:
    return token.start


@lru_cache(maxsize=8)
def _person_stems(lexicon: Lexicon) -> frozenset[str]:
    """The stems of the lexicon's words (and phrases) for people, each as one."""
    return frozenset(stem(w) for w in lexicon.person_words)


_PAST = re.compile(r"\b(?:was|were|did|had)\b")
_EVERY = re.compile(r"\b(?:every|each|per|annually|usually|normally|typically)\b")


def _undergoes(question: Question, candidate: Candidate) -> bool:
    """'What happened to the jeep': the entry tells of something done to it ("the soldier's vehicle got stuck",
    "Secretary of State Rex Tillerson was photographed"), not of something it did ("four soldiers had fired")."""
    named = _asked(question).head_stems
    if named.isdisjoint(candidate.reading.stems):
        return False
    plural = bool(question.head) and str(question.head).endswith("s")
    tokens = candidate.tokens
    for i, token in enumerate(tokens):
        if not (token.stem in named and token.word.endswith("s") == plural):
            continue
        following = tokens[i + 1 : i + 7]  # past the rest of its name
        for auxiliary, verb in itertools.pairwise(t.word for t in following):
            done_to = auxiliary in _PASSIVE_AFTER and (verb.endswith(("ed", "en")) or verb in _DONE_TO)
            if done_to or (auxiliary == "had" and verb == "to"):  # ("the helicopter had to turn back")
                return True
    return False


_PASSIVE_AFTER = frozenset("was were got is are been".split())
_DONE_TO = frozenset("stuck shot hit hurt caught taken left held sent brought struck".split())


# Acts a count of victims is of: no entry that denies some other act says nobody was hurt.
_HARMED = frozenset("hit shot wounded injured hurt struck killed dead died harmed".split())


def _none_of(question: Question, candidate: Candidate) -> bool:
    """'How many tourists were there': the entry says there were none ("no tourists", "tours do not run")."""
    named = _asked(question).head_stems
    if named.isdisjoint(candidate.reading.stems):
        return False  # (also when the question names no head)
    tokens = candidate.tokens
    for i, token in enumerate(tokens):
        if token.stem not in named:
            continue
        # "no tourists", "tours do not run"; not "the soldier was not carrying..." (one, doing something else)
        if not _PAST.search(question.cleaned) or _EVERY.search(question.cleaned):
            return False  # "how many tourists visit each year" is not answered by a day without tours
        if i and tokens[i - 1].word in ("no", "zero"):
            return True
        denial = next((j for j in range(i + 1, min(i + 4, len(tokens))) if tokens[j].word in ("not", "never")), None)
        if token.word.endswith("s") and denial is not None:
            # "how many south korean soldiers were wounded": "did not return fire" denies another act
            harmed = _HARMED & set(question.cleaned.split())
            denied = {t.stem for t in tokens[denial + 1 : denial + 3]}
            if not harmed or any(denied & c.alternatives for c in question.concepts if set(c.word.split()) & harmed):
                return True
    return False


def _does(question: Question, candidate: Candidate) -> bool:
    """The entry holds the act a count is of ("how many soldiers have defected": four soldiers who *chased* him
    are no answer); a question without a known verb asks nothing of this."""
    words = _asked(question).counted_act
    if words is None:
        return True
    if words.isdisjoint(candidate.reading.stems):
        return False
    tokens = candidate.tokens
    for i, token in enumerate(tokens):
        # the act, or a word for it, used as one ("the escaping soldier", "the defector": no act counted)
        if token.stem in words and (not i or tokens[i - 1].word not in _DETERMINERS):
            return True
    return False


def _qualified(question: Question, candidate: Candidate) -> bool:
    named = _asked(question).head_stems
    if named.isdisjoint(candidate.reading.stems):
        return False  # (also when the question names no head)
    tokens = candidate.tokens
    for i, token in enumerate(tokens[1:], start=1):
        before = tokens[i - 1]
        qualifies = before.word not in STOPWORDS and not before.word.isdigit() and not before.word.endswith("'s")
        new = before.stem not in question.words
        if qualifies and new and token.stem in named:
            return True
    return False


def _holds_name(question: Question, candidate: Candidate, lexicon: Lexicon) -> bool:
    """A proper name that belongs to what the question names: a person entry whose name and role fit it, or a
    name standing next to it ("the surgeon in charge, Lee Cook-jong"), no verb between."""
    names = [s for s in candidate.spans if s.kind == "name" and not _given(s.text, question.words)]
    if not names and candidate.entry.kind != "term":
        return False
    subject = [c for c in question.concepts if c.required] or list(question.asked)
    head = (question.subject or "").split()[-1:]
    # "the names of the south korean guys who rescued him": a name next to the guys, not to "South Korea"
    subject = [c for c in subject if set(c.word.split()) & set(head)] or subject
    entry = candidate.entry
    if entry.kind == "term":  # "the name of the line that runs through the DMZ": the demarcation line
        term = {stem(w) for w in TOKEN.findall((entry.term or "").lower())}
        return bool(subject) and all(c.alternatives & term for c in subject) and len(term) > len(subject)
    if entry.kind == "person":
        label = f"{entry.name or ''} {entry.role or ''}".lower()
        label_stems = {stem(w) for w in TOKEN.findall(label)}
        named = any(s.start < len(entry.name or "") + 1 for s in names)
        return named and all(c.alternatives & label_stems for c in subject)
    tokens = candidate.tokens
    wanted = _stems_of(subject)
    for span in names:
        index = next((i for i, t in enumerate(tokens) if t.start >= span.start), len(tokens))
        for i, token in enumerate(tokens):
            if abs(i - index) > NAME_WINDOW or token.stem not in wanted:
                continue
            between = tokens[min(i, index) + 1 : max(i, index)]
            if not any(_verbish(t.word, lexicon) for t in between):
                return True
    return False


_VERBISH = frozenset("drove ran took made got went was were is are has had said told saw gave came".split())
_PASSIVE = frozenset("was were been be being is are".split())
_DETERMINERS = frozenset("the a an his her their its this that these those some of".split())
_PARTICIPLES = frozenset("shot hit made taken brought caught seen done given flown known held run put".split())
_AGENTS = frozenset({"person", "name", "member:organisation"})


def _agent(question: Question, candidate: Candidate) -> bool:
    """'Who shot him': someone who does the act in the entry: named before the verb in its clause ("Four North
    Korean soldiers chased him, firing"), or after "by" when the verb is passive ("shot ... by his countrymen").
    "Shots have been fired" names nobody."""
    doing, acts = _asked(question).doing
    if not acts:
        return bool(_new_spans(question, candidate, set(_AGENTS)))
    if doing.isdisjoint(candidate.reading.stems):
        return False
    tokens = candidate.tokens
    doers = [s for s in candidate.spans if s.kind in _AGENTS and not _given(s.text, question.words)]
    for index, token in enumerate(tokens):
        if token.stem not in doing:
            continue
        before = tokens[index - 1].word if index else ""
        following = tokens[index + 1].word if index + 1 < len(tokens) else ""
        if following in _PASSIVE | {"have", "has", "had"} or before in _DETERMINERS or before.isdigit():
            continue  # a noun: "shots have been fired", "the shooting", "five bullets"
        if any(t.word in ("not", "never") for t in tokens[max(0, index - 3) : index]):
            continue  # "did not return fire": not the doer
        start, _end = candidate.clause_of(token.start)
        participle = token.word.endswith(("ed", "en")) or token.word in _PARTICIPLES
        if index and tokens[index - 1].word in _PASSIVE and participle:  # "was shot by", not "was investigating"
            after = [t.start for t in tokens[index + 1 : index + 6] if t.word == "by"]
            if after and any(s.start > after[0] for s in doers):
                return True
            continue
        if any(start <= s.start and s.end <= token.start for s in doers):
            return True
    return False


def _verbish(word: str, lexicon: Lexicon) -> bool:
    return word in _VERBISH or word in lexicon.speech_verbs or (word.endswith("ed") and len(word) > 4)


def _speaks(question: Question, candidate: Candidate, people: frozenset[str] = frozenset()) -> bool:
    """The entry reports something said, by the speaker the question names (if it names one).  A one-word
    speaker is matched by its own forms or by other words for people ("the doc": the surgeon), not by the rest
    of its synonyms ("the defector" is no "incident")."""
    speaker = [
        c if c.parts else replace(c, alternatives=c.exact | (c.alternatives & people))
        for c in question.concepts
        if c.word in question.speaker or set(c.word.split()) & set(question.speaker)
    ]
    if len(speaker) > 1 and any(set(c.word.split()) & _JOBS for c in speaker):
        # "the south's defense minister": the side is the job's, and the entry says "Defense Minister Song"
        speaker = [c for c in speaker if c.word not in ("south", "north")]
    if not speaker and question.speaker:  # "did he say anything": the soldier, whom the question does not name
        speaker = [Concept(" ".join(question.speaker), frozenset(), frozenset(map(stem, question.speaker)), 1.0, True)]
    entry = candidate.entry
    if entry.kind == "quote":
        # the speaker, and the words naming them at the start of the context ("Lee, the surgeon in charge of the
        # soldier's treatment, said..."; not "warning Pyongyang", whom Pence spoke to)
        context = _SPEAKING.split(entry.context or "", maxsplit=1)[0]
        label = f"{entry.speaker} {context}".lower()
        return not speaker or _covers(speaker, _named_stems(label))
    statements = [s for s in candidate.spans if s.kind in ("statement", "quote")]
    if not statements:
        return False
    if not speaker:
        return True
    tokens = candidate.tokens
    for span in statements:
        # a quotation's speaker comes before the verb that reports it ("Pence warned Pyongyang not to test the
        # 'strength and resolve'": Pence, not Pyongyang)
        verbs = [s.start for s in statements if s.kind == "statement" and s.end <= span.start]
        anchor = verbs[-1] if span.kind == "quote" and verbs else span.start
        before = [t.stem for t in tokens if t.start < anchor and not _possessive(candidate.text, t)][-SPEAKER_WINDOW:]
        if _covers(speaker, set(before)):
            return True
    return False


_SPEAKING = re.compile(r"\b(?:said|says|told|warned|warning|visited|spoke|described|added|is|was)\b")


def _named_stems(label: str) -> set[str]:
    """The words of a speaker's label, without possessives ("in charge of the soldier's treatment" names the
    surgeon, not the soldier)."""
    return {stem(w) for w in TOKEN.findall(label.replace("’", "'")) if not w.endswith("'s")}


def _covers(concepts: list[Concept], stems: set[str]) -> bool:
    """Every concept is among the stems, each word of a several-word one ("North Korea" is not "South Korea"; the
    speaker "the North Korean government" is not just "officials")."""
    return bool(concepts) and all(
        all(part & stems for part in c.parts) if c.parts else c.alternatives & stems for c in concepts
    )


def _restates(question: Question, candidate: Candidate, held: list[float]) -> bool:
    """True when the entry says nothing the question did not: it only restates the question's premise.  `held`:
    each concept's share of the entry (without its label)."""
    if question.yes_no or (question.wants in ("definition", None) and not question.premise):
        return False
    own = candidate.reading.own
    if not own:
        return True
    # "how did he get rescued after he hid behind the building": an entry that holds the hiding and nothing of the
    # rescue tells the premise back
    asked = _asked(question)
    premise, others = asked.premise_and_asked
    if others and premise and not any(held[i] > 0 for i in others):
        return any(held[i] > 0 for i in premise)
    given = asked.given
    new = sum(1 for t in own if t.stem not in given)
    return new / len(own) < 0.25


def _story_only_as_reference(question: Question, candidate: Candidate) -> bool:
    told = _asked(question).told
    if told.isdisjoint(candidate.reading.stems):
        return False
    tokens = candidate.tokens
    found = [i for i, t in enumerate(tokens) if t.stem in told]
    return bool(found) and all(any(t.word in _REFERENCE_WORDS for t in tokens[max(0, i - 2) : i]) for i in found)


def _adjacent_pairs(question: Question, candidate: Candidate) -> int:
    """How many pairs of neighbouring question words stand side by side in the entry ('guard post')."""
    pairs = candidate.reading.pairs
    return sum(1 for side_by_side in _asked(question).pairs if not side_by_side.isdisjoint(pairs))


def _subject_first(question: Question, candidate: Candidate) -> bool:
    """The entry is about what the question's subject names: it comes first ("The soldier was not carrying a
    weapon" for "did the defector have a gun", not "rounds fired at the soldier came from an AK-47")."""
    asked = _asked(question)
    if not asked.subject and "soldier" in question.topic:
        return "soldier" in candidate.reading.opening
    return bool(asked.subject) and not asked.subject_stems.isdisjoint(candidate.reading.opening)


_CONTRAST = re.compile(
    r"\b(?:but|had to|turn(?:ed)? back|fail(?:ed)?|unable|could not|did not|never|instead|in vain|got stuck)\b"
)


_PROTAGONIST = frozenset(stem(w) for w in PROTAGONIST_NOUNS)


def about_topic(question: Question, candidate: Candidate) -> bool:
    """The entry tells of whom (or what) the question is about: "did he get to south korea" is about the soldier,
    and an entry about Trump's visit to South Korea is not."""
    topic = [c for c in question.concepts if set(c.word.split()) & set(question.topic) and not c.aside]
    if not topic and question.topic == ("soldier",):  # "he": the story's soldier
        return bool(_PROTAGONIST & {t.stem for t in candidate.tokens})
    return all(share(c, candidate.said, candidate.keywords, candidate.labels) > 0 for c in topic)


def _polarity(question: Question, candidate: Candidate) -> float:
    """'Why were there no tourists' wants an entry that says 'not'; 'who opened fire' not one that denies it."""
    reading = candidate.reading
    if question.outcome and _CONTRAST.search(reading.lower) and about_topic(question, candidate):
        # "did he make it there?": an entry that says how the attempt went ("but ... had to turn back") answers
        return POLARITY
    if question.yes_no:
        return 0.0
    if question.negated:
        return POLARITY if reading.denied is not None else -POLARITY / 2
    if reading.denied is not None:
        denied = {stem(w) for w in reading.denied}
        if any(c.alternatives & denied for c in question.concepts):
            return -POLARITY
    return 0.0
