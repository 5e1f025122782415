"""Text normalisation shared by indexing and questions: fold, tokenise, drop stopwords, stem."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_POSSESSIVE = re.compile(r"'s\b")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})

# Words that carry no topic: question words, auxiliaries, pronouns, articles, prepositions, chat words.
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are aren as at be because been before being
    below between both but by can could did didn do does doesn doing don down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is isn it its
    itself just let me more most my myself of off on once only or other ought our ours
    ourselves out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was wasn we were weren what when
    where which while who whom why will with would you your yours yourself yourselves
    tell know knows knew please happen happened happens much many also
    does say says said
    whats whos wheres hows whens whys thats theres hes shes lets
    gonna wanna gotta kinda thru tho ya u ur im hey hi yo pls plz ok okay
    like want way thing things kind type sort lot happening anything something someone
    anybody anyone somebody else maybe perhaps anyway
    along toward towards upon within beside besides onto among around via per instead even still yet till til
    s t re ve ll d m
    """.split()
)

# Generic verbs: indexed, but a question leans on them only lightly.
LIGHT_WORDS: frozenset[str] = frozenset(
    """begin began begun start started end ended take took taken put bring brought keep kept make made get got
    go went gone going come came give gave use used across past getting taking making coming giving using putting
    bringing keeping starting beginning ending gets takes makes goes comes gives uses puts brings keeps""".split()
)

# Negations all become "not": "no tourists" should find "tours do not run".
NEGATIONS: frozenset[str] = frozenset(
    "no not nor never none didnt dont doesnt wasnt werent isnt arent cant couldnt wont wouldnt hasnt havent".split()
)

# Question words whose meaning the ranker uses before they are dropped as stopwords.
QUESTION_WORDS: frozenset[str] = frozenset({"who", "what", "when", "where", "why", "how", "which"})


def fold(text: str) -> str:
    """NFKC, lower case, curly quotes and dashes made plain, diacritics removed, NUL and controls dropped."""
    if text.isascii():  # the common case, without the per-character Unicode work below
        lowered = text.lower()
        return lowered if lowered.isprintable() else "".join(c for c in lowered if c.isprintable() or c in " \n\t")
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    text = "".join(
        c
        for c in unicodedata.normalize("NFKD", text)
        if not unicodedata.combining(c) and (c.isprintable() or c in " \n\t")
    )
    return text


def words(text: str, *, split_hyphens: bool = True) -> list[str]:
    """Every word of the text, folded; a hyphenated word is kept whole and (unless told not to) also
    split into its parts, so "AK-47" is found by "ak47", "ak" and "47"."""
    plain = fold(text)
    if "'" in plain:  # (most text has no apostrophe: no need to look for possessives)
        plain = _POSSESSIVE.sub("", plain).replace("'", "")
    tokens = _TOKEN.findall(plain)
    if "-" not in plain and NEGATIONS.isdisjoint(tokens):
        return tokens  # nothing below would change them: the common case, at C speed (100,000 entries at import)
    out: list[str] = []
    for index, token in enumerate(tokens):
        if token in NEGATIONS:
            # "not least because", "not only": no negation
            if index + 1 < len(tokens) and tokens[index + 1] in ("least", "only"):
                continue
            out.append("not")
            continue
        out.append(token.replace("-", ""))
        if "-" in token and split_hyphens:
            out.extend(token.split("-"))
    return out


# Words the stemmer would merge with another word of a different meaning ("united" with "unit").
_STEM_EXCEPTIONS = {"united": "united", "unite": "united", "uniting": "united", "news": "news", "general": "general"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEM_EXCEPTIONS.get(word) or str(_STEMMER.stemWord(word))


def index_terms(text: str) -> str:
    """The stemmed content words of `text`, space-separated, as the full-text index stores them."""
    return " ".join([stem(w) for w in words(text) if w not in STOPWORDS])
