"""Questions about people and terms: who said a quote, who an entry describes, which term the story explains."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain

from bot.lexicon import Lexicon
from bot.quiz.gaps import GAP
from bot.quiz.pool import Doc, Person, Pool, contains_phrase, norm
from bot.quiz.question import Candidate, Template, most_plausible
from bot.spans import annotate
from bot.text import STOPWORDS

# A quote this short ("strength and resolve") is asked with its context, the speaker's name taken out.
SHORT_QUOTE_WORDS = 6


def speaker_templates(pool: Pool) -> Iterator[Template]:
    """'Who said “...”?': the speaker against other people the story names.  A quote said by two people (or
    whose words another entry puts in someone else's mouth) is not asked."""
    quotes = [d for d in pool.docs if d.entry.kind == "quote"]
    shared = _said_by_two(pool, quotes)
    for doc in quotes:
        entry = doc.entry
        speaker = pool.proper_name(entry.speaker or "")
        speaker = speaker and (pool.person_named(speaker.tokens) or speaker)
        if not doc.in_article or speaker is None or entry.id in shared:
            continue
        shown = pool.supporting(entry.paragraphs, None, *(t for t in speaker.tokens if len(t) > 2))
        if shown is None:
            continue  # the cited paragraph does not name the speaker: the answer could not be checked there
        question = f"Who said “{entry.text.strip()}”?"
        if len(entry.text.split()) < SHORT_QUOTE_WORDS and entry.context:
            question += f" ({_without_name(entry.context, speaker.tokens)})"
        candidates = most_plausible(
            Candidate(p.name, p.name)
            for p in pool.prominent_people
            if not p.same_as(speaker) and not _says(pool, p, entry.text)
        )
        explanation = f"“{entry.text.strip()}” ({speaker.name})" + (f". {entry.context}" if entry.context else "")
        yield Template(
            "speaker", entry.id, entry.paragraphs, question, speaker.name, candidates, explanation, shown=shown
        )


def _said_by_two(pool: Pool, quotes: list[Doc]) -> set[str]:
    """Ids of quotes whose words (or words holding them) another quote gives to someone else."""
    texts = [norm(d.entry.text) for d in quotes]
    everything = "\n".join(texts)
    out: set[str] = set()
    for doc, words in zip(quotes, texts, strict=True):
        if not words or everything.count(words) < 2:
            continue  # only this quote holds these words: the common case, found without comparing pairs
        speaker = pool.proper_name(doc.entry.speaker or "")
        for other, other_words in zip(quotes, texts, strict=True):
            if other is doc or words not in other_words:
                continue
            other_speaker = pool.proper_name(other.entry.speaker or "")
            if speaker is None or other_speaker is None or not other_speaker.same_as(speaker):
                out.update((doc.entry.id, other.entry.id))
    return out


def _says(pool: Pool, person: Person, words: str) -> bool:
    """Some entry that names this person holds these words: then they may have said them too."""
    for doc in pool.mentioning(("p", person.name)):
        if contains_phrase(doc.entry.text, words) or contains_phrase(doc.entry.context or "", words):
            return True
    return False


def _without_name(text: str, tokens: frozenset[str]) -> str:
    """Every word of a name replaced by the gap ('Pence visited ...' -> '___ visited ...'), runs merged."""
    out = text
    for token in sorted(tokens, key=len, reverse=True):
        out = re.sub(r"(?<![\w-])" + re.escape(token) + r"(?:['’]s)?(?![\w-])", GAP, out, flags=re.IGNORECASE)
    return re.sub(rf"{GAP}(?:\s+{GAP})+", GAP, out)


def person_templates(pool: Pool) -> Iterator[Template]:
    """'Who is this?': a person entry's text with their name taken out, against other people the story names."""
    for doc in pool.docs:
        entry = doc.entry
        person = pool.proper_name(entry.name or "") if entry.kind == "person" else None
        person = person and (pool.person_named(person.tokens) or person)
        if person is None or not doc.in_article:
            continue
        shown = pool.supporting(entry.paragraphs, None, *(t for t in person.tokens if len(t) > 2))
        if shown is None:
            continue
        text = _without_name(entry.text, person.tokens)
        candidates = most_plausible(
            Candidate(p.name, p.name)
            for p in pool.prominent_people
            if not p.same_as(person) and not any(len(t) > 2 and contains_phrase(text, t) for t in p.tokens)
        )
        question = f"Who is this? “{text}”"
        explanation = f"{person.name} ({entry.role}): {entry.text}" if entry.role else entry.text
        yield Template(
            "person", entry.id, entry.paragraphs, question, person.name, candidates, explanation, shown=shown
        )


def term_templates(pool: Pool) -> Iterator[Template]:
    """'Which term does the story explain like this?': a term's text with the term taken out, against other
    terms.  A term the text names, or whose own explanation names the answer, is no distractor (the two are
    parts of one another: the Joint Security Area and the DMZ)."""
    terms = [d for d in pool.docs if d.entry.kind == "term" and d.entry.term]
    by_kinds: dict[frozenset[str], list[Doc]] = {}
    for doc in terms:
        by_kinds.setdefault(_kinds(pool, doc.entry.term or ""), []).append(doc)
    for doc in terms:
        entry = doc.entry
        term = entry.term or ""
        shown = pool.supporting(entry.paragraphs, None, term) if doc.in_article else None
        if shown is None:
            continue
        text = _without_term(entry.text, term, pool)
        same_kind = by_kinds[_kinds(pool, term)] if _kinds(pool, term) else []
        others = (o.entry for o in chain(same_kind, terms))
        candidates = most_plausible(
            Candidate(o.term or "", norm(o.term or ""))
            for o in others
            if o.id != entry.id
            and not _related(pool, term, entry.text, o.term or "", o.text)
            and not contains_phrase(text, o.term or "")
        )
        question = f"Which term does the story explain like this? “{text}”"
        yield Template(
            "term", entry.id, entry.paragraphs, question, term, candidates, f"{term}: {entry.text}", shown=shown
        )


def _without_term(text: str, term: str, pool: Pool) -> str:
    """The term (and its short form, e.g. JSA for Joint Security Area) replaced by the gap."""
    names = {term, *(short for short, full in pool.lexicon.abbreviations.items() if full == norm(term))}
    out = text
    for name in sorted(names, key=len, reverse=True):
        out = re.sub(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", GAP, out, flags=re.IGNORECASE)
    return out


def _related(pool: Pool, term: str, text: str, other_term: str, other_text: str) -> bool:
    """Two terms that name each other, share their content words or are one's short form of the other."""
    if contains_phrase(other_text, term) or contains_phrase(text, other_term):
        return True
    abbreviations = pool.lexicon.abbreviations
    if abbreviations.get(norm(term)) == norm(other_term) or abbreviations.get(norm(other_term)) == norm(term):
        return True
    mine = {w for w in norm(term).split() if w not in STOPWORDS}
    theirs = {w for w in norm(other_term).split() if w not in STOPWORDS}
    return mine == theirs


def _kinds(pool: Pool, text: str) -> frozenset[str]:
    """The annotator's kinds for a term (place, member:organisation...): distractors of the same kind first."""
    return _kinds_in(text, pool.lexicon)


@lru_cache(maxsize=4096)
def _kinds_in(text: str, lexicon: Lexicon) -> frozenset[str]:
    return frozenset(s.kind for s in annotate(text, lexicon) if s.kind == "place" or s.kind.startswith("member"))
