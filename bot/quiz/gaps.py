"""Questions made by taking a number, a measure, a time, a name, a place or a category member out of a fact or
an event: "How many times was the soldier shot ...?", or the sentence with a gap where a question cannot be
phrased safely.  Each distractor has the answer's type and is checked against everything the story says."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from bot.lexicon import Category
from bot.quiz.pool import (
    PLACE_CATEGORIES,
    TIME_CATEGORIES,
    Doc,
    Key,
    Pool,
    contains_phrase,
    counted_key,
    name_tokens,
    norm,
    strip_possessive,
)
from bot.quiz.question import Candidate, Template, most_plausible
from bot.quiz.values import (
    LOWER_BOUNDS,
    is_round,
    measure_core,
    near_hours,
    near_numbers,
    near_years,
    number_value,
    qualifier_before,
    read_clock,
    read_measure,
    write_number,
)
from bot.spans import MONTHS, WEEKDAYS, Span, annotate
from bot.text import STOPWORDS, stem, words

GAP = "___"
# Negation, conditions and doubt: "was not carrying a ___" and "if ___ is proved" are true of wrong options too.
HEDGES = frozenset({"not", "if", "whether", "unless", "unclear", "perhaps", "maybe", "might"})
TIME_SPANS = ("clock", "weekday", "month", "year")
# The word for a people or what is theirs ("Korean", "American", "Chinese", "Russian", "British").
DEMONYM = re.compile(r"(?:ean|ican|ese|ian|ish)$")
# A place after these words is one of many right answers ("a hospital south of Seoul" is south of Pyongyang too).
DIRECTIONS = re.compile(
    r"\b(?:north|south|east|west)(?:east|west)? of\s*$|\b(?:near|outside|beyond|around|close to)\s*$"
)
_STOP = re.compile(r"(?P<word>\S*)[.!?][”\"]?\s+[A-Z“\"]")
ABBREVIATIONS = frozenset("col gen sgt capt lt mr mrs ms dr st no jr sr vs".split())
_CLAUSE = re.compile(r"[;:]|,\s*(?:but|and|so|while|although|though|yet|or|where|when|which|who)\b")
_PASSIVE = re.compile(r"^(?P<subject>(?:The|A|An) [A-Za-z’' -]{1,60}?) (?P<aux>was|were) (?P<verb>[a-z]+) $")


@dataclass(frozen=True, slots=True)
class Gap:
    doc: Doc
    start: int
    end: int
    kind: str  # the question's kind: number, distance, duration, time, person, place, category
    span: str  # the annotator's kind: number, duration, clock, name, member:city...
    key: Key | None
    article: str = ""  # "a " or "an " taken into the gap with a category member

    @property
    def text(self) -> str:
        return self.doc.entry.text

    @property
    def answer(self) -> str:
        return self.text[self.start : self.end]

    @property
    def core(self) -> str:
        """The answer without the article taken into the gap."""
        return self.answer[len(self.article) :]

    @property
    def gapped(self) -> str:
        return self.text[: self.start] + GAP + self.text[self.end :]


def gap_templates(pool: Pool) -> Iterator[Template]:
    for doc in pool.docs:
        if doc.entry.kind in ("fact", "event") and doc.in_article:
            asked: set[tuple[int, int]] = set()
            for gap in _gaps(pool, doc):
                if (gap.start, gap.end) in asked:
                    continue  # one question per gap, by the first of its kinds that makes one
                template = _template(pool, gap)
                if template is not None and template.usable():
                    asked.add((gap.start, gap.end))
                    yield template


def _gaps(pool: Pool, doc: Doc) -> Iterator[Gap]:
    measures = [s for s in doc.spans if s.kind in ("distance", "duration")]
    times = [s for s in doc.spans if s.kind in TIME_SPANS]
    for span in doc.spans:
        gap = _gap(pool, doc, span, measures, times)
        if gap is not None:
            yield gap


def _gap(pool: Pool, doc: Doc, span: Span, measures: list[Span], times: list[Span]) -> Gap | None:
    text = doc.entry.text
    surface = text[span.start : span.end]
    if not (_edge(text, span.start - 1) and _edge(text, span.end)):
        return None  # '3' in '0\u200b3': a piece of a word that an invisible character splits
    if span.kind == "number":
        if _inside(span, measures) or _inside(span, times) or number_value(surface) is None:
            return None
        return Gap(doc, span.start, span.end, "number", "number", pool.key_of("number", surface))
    if span.kind in ("distance", "duration"):
        start, end = measure_core(surface)
        if read_measure(surface[start:end]) is None:
            return None
        core = surface[start:end]
        return Gap(doc, span.start + start, span.start + end, span.kind, span.kind, pool.key_of(span.kind, core))
    if span.kind in TIME_SPANS:
        if span.kind == "clock" and read_clock(surface) is None:
            return None
        return Gap(doc, span.start, span.end, "time", span.kind, pool.key_of("time", surface))
    if span.kind == "name":
        name = strip_possessive(surface)
        if pool.person_named(name_tokens(name)) is None:
            return None
        return Gap(doc, span.start, span.start + len(name), "person", "name", pool.key_of("name", name))
    category = pool.category_of(span.kind)
    if category is None or category.name in TIME_CATEGORIES:
        return None
    # "North Korean" names no place: it is asked against other nationalities ("American"), not against places
    kind = "place" if category.name in PLACE_CATEGORIES and not DEMONYM.search(norm(surface)) else "category"
    if kind == "place" and DIRECTIONS.search(text[: span.start].lower()):
        return None
    if re.match(r"['’]s?\b", text[span.end :]):
        return None  # "South Korea’s": the possessive would not fit every option ("United States’s")
    # "a jeep" / "an AK-47": the article goes into the gap with the member; so does a place's "the" ("the
    # United States"), which another place may not take ("Japan")
    words = r"an? |the " if kind == "place" else r"an? "
    article = re.search(rf"(?:^|\s)({words})$", text[: span.start], re.IGNORECASE)
    if kind == "category" and surface[:1].islower() and not article and not _a_noun_here(category, text, span.start):
        return None  # "face each other", "turn back": the word is not the category's noun here
    start = span.start - len(article[1]) if article else span.start
    return Gap(doc, start, span.end, kind, span.kind, ("w", norm(surface)), article[1] if article else "")


_DETERMINER = re.compile(r"\b(?:the|his|her|its|their|our|your|my|this|that|these|those)\s+$", re.IGNORECASE)
_LISTED = re.compile(r"([\w-]+)(?:,\s*|\s+and\s+|\s+or\s+)$", re.IGNORECASE)


def _a_noun_here(category: Category, text: str, start: int) -> bool:
    """A common noun of a category stands after a determiner ('his shoulder') or in a list after another of
    its members ('shoulder, stomach and elbow')."""
    before = text[:start]
    if _DETERMINER.search(before):
        return True
    listed = _LISTED.search(before)
    return listed is not None and norm(listed[1]) in category.members


def _edge(text: str, index: int) -> bool:
    """Whether the character at `index` (outside the text counts) ends a word: no letter, digit or invisible
    format character (zero-width space, joiner...)."""
    if not 0 <= index < len(text):
        return True
    char = text[index]
    return not char.isalnum() and unicodedata.category(char) != "Cf"


def _inside(span: Span, others: list[Span]) -> bool:
    return any(o.start <= span.start and span.end <= o.end for o in others)


# ---- one template per gap ------------------------------------------------------------------------------------


def _template(pool: Pool, gap: Gap) -> Template | None:
    entry = gap.doc.entry
    gapped = gap.gapped
    if HEDGES & set(words(gap.text)):
        return None  # "was not carrying a ___", "if ___ is proved": a wrong option would read as true
    if qualifier_before(gap.text, gap.start) in LOWER_BOUNDS:
        return None  # "at least ___": every smaller number is true too, so the right one would be the smallest
    around = frozenset(pool.keys_of(gapped, annotate(gapped, pool.lexicon)))
    shown = pool.supporting(entry.paragraphs, gap.key, gap.core)
    if gap.key is None or gap.key in around or shown is None:
        return None  # the rest of the sentence gives the answer away, or the article does not say it
    if gap.kind == "person" and any(contains_phrase(gapped, t) for t in name_tokens(gap.core) if len(t) > 2):
        return None
    telling = pool.telling(gapped)

    def wrong(key: Key) -> bool:
        """A distractor the sentence already holds, or that the story says of the same thing."""
        return key == gap.key or key in around or pool.told_elsewhere(key, telling, entry)

    makers: dict[str, Callable[[Pool, Gap, Callable[[Key], bool]], Iterable[Candidate]]] = {
        "number": _numbers,
        "distance": _measures,
        "duration": _measures,
        "time": _times,
        "person": _people,
        "place": _members,
        "category": _members,
    }
    candidates = most_plausible(makers[gap.kind](pool, gap, wrong))
    question = (how_many(gap) if gap.kind == "number" else None) or f"Complete the sentence: “{gapped}”"
    return Template(gap.kind, entry.id, entry.paragraphs, question, gap.answer, candidates, entry.text, shown=shown)


def _numbers(pool: Pool, gap: Gap, wrong: Callable[[Key], bool]) -> list[Candidate]:
    value = number_value(gap.answer)
    assert value is not None
    out = []
    for number in near_numbers(value, qualifier_before(gap.text, gap.start), pool.story_numbers):
        written = write_number(number, gap.answer)
        key: Key = ("n", str(number))
        if written is None or wrong(key) or pool.mentioning(counted_key(str(number), gap.text, gap.end)):
            continue
        out.append(Candidate(written, key[1]))
    return out


def _measures(pool: Pool, gap: Gap, wrong: Callable[[Key], bool]) -> list[Candidate]:
    measure = read_measure(gap.answer)
    assert measure is not None
    out = []
    counts = near_numbers(measure.count, qualifier_before(gap.text, gap.start))
    # measures are given in round figures: '2 weeks' and '15 days' before '11 days'
    for count in sorted(counts, key=lambda n: not is_round(n)):
        written = measure.with_count(count)
        key = pool.key_of(gap.kind, written) if written else None
        if written is None or key is None or wrong(key):
            continue
        out.append(Candidate(written, key[1]))
    return out


def _times(pool: Pool, gap: Gap, wrong: Callable[[Key], bool]) -> list[Candidate]:
    answer = gap.answer
    if gap.span == "clock":
        clock = read_clock(answer)
        assert clock is not None
        texts = [clock.at(hour) for hour in near_hours(clock.hour)]
    elif gap.span == "year":
        texts = [str(year) for year in near_years(int(answer[:4]), pool.latest_year)]
    elif gap.span == "weekday":
        # The story's days run into each other (a fact of Monday may hold on Tuesday): only days it never names.
        texts = [_like(d, answer) for d in _around(WEEKDAYS, answer) if d not in pool.story_weekdays]
    else:
        texts = [_like(m, answer) for m in _around(MONTHS, answer)]
    out = []
    for text in texts:
        key = pool.key_of("time", text)
        if key is not None and not wrong(key):
            out.append(Candidate(text, key[1]))
    return out


def _around(names: list[str], answer: str) -> list[str]:
    """The other names of a cycle (weekdays, months), nearest to the answer first."""
    here = names.index(norm(answer)) if norm(answer) in names else 0
    size = len(names)
    ordered = sorted(range(1, size), key=lambda step: min(step, size - step))
    return [names[(here + step) % size] for step in ordered]


def _like(word: str, answer: str) -> str:
    return word.capitalize() if answer[:1].isupper() else word


def _people(pool: Pool, gap: Gap, wrong: Callable[[Key], bool]) -> Iterator[Candidate]:
    answer = pool.person_named(name_tokens(gap.answer))
    gapped = gap.gapped
    for person in pool.prominent_people:
        if answer is not None and person.same_as(answer):
            continue
        if any(contains_phrase(gapped, t) for t in person.tokens if len(t) > 2) or wrong(("p", person.name)):
            continue
        yield Candidate(person.name, person.name)


def _members(pool: Pool, gap: Gap, wrong: Callable[[Key], bool]) -> list[Candidate]:
    category = pool.category_of(gap.span)
    assert category is not None
    answer = norm(gap.core)
    synonyms = pool.lexicon.synonyms_of.get(answer, frozenset())
    groups: list[tuple[str, set[str]]] = []
    out: list[Candidate] = []
    for member in _members_like(category, answer):
        if member in synonyms or contains_phrase(gap.gapped, member) or wrong(("w", member)):
            continue
        # Candidates that share a word or a root ('president', 'vice president'; 'col.', 'colonel') never stand
        # together: they are one group.
        stems, root = _content_stems(member), _root(member)
        group = next((g for g, s in groups if s & stems or g.startswith(root) or root.startswith(g)), root)
        groups.append((group, stems))
        surface = _surface(pool, member, gap.core)
        if gap.kind == "place":
            article = "the " if _takes_the(pool, member) else ""
        else:
            article = _article(member) + " " if gap.article else ""
        if gap.article[:1].isupper() or (not gap.article and gap.start == 0):
            article = article.capitalize()
        out.append(Candidate(article + surface, group))
    return out


def _members_like(category: Category, answer: str) -> list[str]:
    """Members of the answer's category that are neither the answer nor a name for a kind of it, nor share a
    word with it ('minister' and 'defense minister'), and are written in its shape (hyphen, word count)."""
    heads = set(category.heads) | {category.name}
    answer_words = _content_stems(answer)
    answer_root = _root(answer)
    out = []
    for member in category.members:
        if member == answer or member in heads or _content_stems(member) & answer_words:
            continue
        root = _root(member)
        if root.startswith(answer_root) or answer_root.startswith(root):
            continue  # 'col.' and 'colonel'
        if ("-" in member) != ("-" in answer) or ("." in member) != ("." in answer):
            continue  # 'blue-painted' beside 'red', 'Col.' beside 'surgeon' would give the answer away
        if bool(DEMONYM.search(member)) != bool(DEMONYM.search(answer)):
            continue  # 'Japan' does not fit where 'North Korean' stands, nor 'American' where 'China' does
        if abs(len(member.split()) - len(answer.split())) > 2:
            continue
        out.append(member)
    return out


def _content_stems(text: str) -> set[str]:
    return {stem(w.strip(".")) for w in text.split() if w.strip(".") not in STOPWORDS}


def _root(text: str) -> str:
    return text.split()[0].rstrip(".") if text.split() else text


def _takes_the(pool: Pool, member: str) -> bool:
    """Whether the story writes this place with "the" ('the United States')."""
    return any(doc.entry.text[: span.start].lower().endswith("the ") for doc, span in _written(pool, member))


def _written(pool: Pool, member: str) -> Iterator[tuple[Doc, Span]]:
    """Where the story's entries write a lexicon member."""
    for doc in pool.mentioning(("w", member)):
        for span in doc.spans:
            if span.kind.startswith("member:") and norm(span.text) == member:
                yield doc, span


def _article(word: str) -> str:
    plain = word.lower()
    vowel = plain[:1] in "aeiou" and not plain.startswith(("u.", "uni", "use", "eu", "one"))
    return "an" if vowel or plain.startswith("hour") else "a"


def _surface(pool: Pool, member: str, like: str) -> str:
    """A lexicon member (folded) as the story writes it ('Pyongyang', "Korean People’s Army") where the answer
    is capitalised, else as the lexicon has it ('spokesman')."""
    if not like[:1].isupper():
        return member
    for doc, span in _written(pool, member):
        if doc.entry.text[span.start : span.start + 1].isupper():
            return doc.entry.text[span.start : span.end]
    return " ".join(w if w in ("of", "and", "the", "in") else w[:1].upper() + w[1:] for w in member.split())


# ---- "How many ...?" ------------------------------------------------------------------------------------------


def how_many(gap: Gap) -> str | None:
    """A natural question for a count, where the sentence has a shape that can be turned safely:
    "Four soldiers chased him." -> "How many soldiers chased him?", "The four soldiers who ..." -> "How many
    soldiers who ...?", "The soldier was shot five times by ..." -> "How many times was the soldier shot by ...?".
    None otherwise (the caller asks for the gap to be filled instead)."""
    text = gap.text.strip()
    if qualifier_before(text, gap.start) or not text.endswith(".") or _sentences(text) > 1:
        return None
    before, rest = text[: gap.start], text[gap.end :].rstrip(".")
    if not re.match(r" [A-Za-z][\w-]*", rest) or _CLAUSE.search(rest) or "“" in text or '"' in text:
        return None
    if before in ("", "The ", "the "):
        return f"How many{rest}?"
    passive = _PASSIVE.match(before)
    noun = re.match(r" (?P<noun>[a-z]+s)\b", rest)
    if passive is None or noun is None or not _participle(passive["verb"]):
        return None
    subject = passive["subject"]
    subject = subject[:1].lower() + subject[1:]
    after = rest[noun.end() :]
    return f"How many {noun['noun']} {passive['aux']} {subject} {passive['verb']}{after}?"


def _sentences(text: str) -> int:
    """How many sentences a text holds: a stop followed by a capital, unless it ends an abbreviation ('p.m.',
    'U.S.', 'Col.')."""
    stops = [m for m in _STOP.finditer(text) if "." not in m["word"] and m["word"].lower() not in ABBREVIATIONS]
    return 1 + sum(1 for m in stops if len(m["word"]) > 1)


_IRREGULAR = frozenset(
    "shot hit struck hurt cut seen taken given driven thrown caught brought found made held kept left led told "
    "sent spent won".split()
)


def _participle(word: str) -> bool:
    return word.endswith("ed") or word in _IRREGULAR
