"""Reading a question: what kind of answer it wants, what it takes as given, and what it is about.

The question is cleaned with the lexicon (filler dropped, abbreviations and paraphrases replaced, typos fixed),
then read for its shape ("how far" wants a distance, "which weapon" a member of the weapon category, "after the
jeep got stuck" is a premise that says where on the timeline to look) and turned into weighted concepts.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from bot.answer.vocabulary import Vocabulary, is_english, looks_misspelt
from bot.lexicon import Lexicon
from bot.text import LIGHT_WORDS, STOPWORDS, fold, stem, words

# How much a concept weighs when the story never uses its word, as a share of the rarest word's weight: a word
# that is no English word (a name, "bitcoin") weighs most and must be in the answer; an English word
# ("considered", "citizenship") weighs less, since it may be a paraphrase the lexicon lacks.
NAME_WEIGHT = 1.5
ENGLISH_WEIGHT = 0.4
YES_NO_WEIGHT = 0.8
LIGHT_WEIGHT = 0.3
PREMISE_WEIGHT = 0.5

AUXILIARIES = frozenset(
    "is was are were did does do has have had can could will would should shall may might must am".split()
)
WH_WORDS = frozenset("what which who whom whose where when why how".split())
PRONOUNS = frozenset("he him his she her they them their it its you i we us this that those these there".split())
PREPOSITIONS = frozenset(
    """of in on at for to from with by about into over under after before during along across near inside outside
    through around toward towards behind between beyond within""".split()
)
# Words that only say what kind of answer is wanted ("what time", "how many"): not the topic.
SHAPE_WORDS = frozenset(
    """time year years day days month date hour many much far deep long often old number kind type sort name names
    called reason happened happen happens person people place location spot model brand describe described
    description explain define definition meaning mean means exact actual direct words quote quotes true""".split()
)
# Verbs that follow "what" ("what makes it different"): the word after "what" is then no noun to look for.
VERBS_AFTER_WHAT = frozenset(
    """makes made happened happens caused causes led leads kept keeps allowed stopped prevented means meant
    did does do is was are were has had can could would will should went goes came comes""".split()
)
INJURY_VERBS = frozenset("hit shot wounded injured hurt struck shoot".split())
SPEECH = (
    "say|said|says|tell|told|warn|warned|announce|announced|comment|commented|respond|responded|react|"
    "reacted|state|stated|claim|claimed|describe|described|think|thought|report|reported|brief|briefed"
)
TIME_CATEGORIES = {
    "time": "clock",
    "hour": "clock",
    "day": "weekday",
    "days": "weekday",
    "month": "month",
    "year": "year",
    "date": "date",
    "week": "date",
}

_WORD = re.compile(r"\w+")


def _words_in(text: str) -> frozenset[str]:
    """The text's runs of word characters: where a regex's `\\bword\\b` can match."""
    return frozenset(_WORD.findall(text))


class _Cued:
    """A regex that can only match where one of its cue words stands whole in the text (as a run of word
    characters): a question that holds none of them skips the regex (most questions hold few cues)."""

    __slots__ = ("cues", "pattern")

    def __init__(self, pattern: str, cues: str) -> None:
        self.pattern = re.compile(pattern)
        self.cues = frozenset(cues.split())

    def may_match(self, words: frozenset[str]) -> bool:
        """Whether a text whose word runs are `words` holds a cue (else the pattern cannot match it)."""
        return not self.cues.isdisjoint(words)

    def search(self, text: str, words: frozenset[str]) -> re.Match[str] | None:
        """The pattern's first match in `text`, whose word runs are `words`."""
        return self.pattern.search(text) if self.may_match(words) else None


_CONTRACTIONS = (
    (re.compile(r"\b(what|who|where|when|why|how|that|there|it|he|she)'s\b"), r"\1 is"),
    (re.compile(r"\b(what|who|where|when|why|how)'d\b"), r"\1 did"),
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\b(\w+)n't\b"), r"\1 not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"'s\b"), ""),
)
_REPEATED = re.compile(r"\b([a-z]+) \1\b")
_WHOLE_STORY = re.compile(
    r"(?:and |so )?(?:what (?:happened|happens|is going on|went down|is happening|is the story|is up)"
    r"(?: to (?:him|the soldier|the defector|the north korean soldier|the guy|this guy))?|what about him)"
)
# "what happened next and who got him out": the second question is the one that asks for something
_BEFORE_ANOTHER_ASK = re.compile(r"^what happened(?: next| then| after that)? and (?=(?:who|where|when|how|why)\b)")
_INTERJECTION = re.compile(r"^(?:(?:wait|hold on|hmm+|um+|uh+|ok|okay|so|oh|ah|lol|bruh|yo|hey)\s+)+(?=\w)")
# "sorry noob question but what is the JSA": once the filler goes, the question starts at its question word
_LEADING_CONJUNCTION = re.compile(
    r"^(?:(?:but|and|so|also|well|then|ok|okay)\s+)+(?=(?:what|who|whom|whose|where|when|why|how|which)\b)"
)
# (read on the message as typed: "again" is filler to the cleaner)
_AHEAD = _Cued(
    r"\b(?:going to|gonna|will|planning|plan|plans|planned|again|upcoming|in the coming|in the next|next few"
    r"|future|further|more (?:ops|operations|surgery|surgeries)|what(?:'s|s| is) next|anymore)\b",
    "going gonna will planning plan plans planned again upcoming coming next future further more anymore",
)
_PREVENTED = re.compile(r"\bwhat (?:prevented|stopped|kept) ([a-z' ]{1,40}?) from\b")
_LEADING_PREMISE = re.compile(
    r"^((?:after|once|following|right after|just after|soon after) [a-z' ]+?) (?=(?:how|what|who|where|when|why)\b)"
)
_EVIDENCE_ASK = re.compile(
    r"^how (?:do|did|does|could|can|would|will) (?:they|officials|we|you|people|anyone|the \w+)"
    r"(?: even| actually| really)? (?:know|find out|found out|learn|figure out|tell|work out)\b"
)
_WHERE_ON = re.compile(
    r"^where (?:exactly |precisely |abouts )?((?:on|along|in|at|near) (?:the )?[a-z]+(?: line| zone)?) "
    r"(?=(?:did|was|were|is|does|do|had)\b)"
)
_NAME_THE = re.compile(
    r"^(?:(?:please|kindly|can you|could you|pls)\s+)*(?P<verb>name|identify)\s+(?:the|a|an|that|this)\s+"
    r"(?P<noun>[a-z.]+(?: [a-z.]+)?)"
)
_EQUALS = re.compile(r"^\s*([^=?]{1,60}?)\s*=\s*\?*\s*$")
_DESCRIBED_PERSON = re.compile(
    r"^(?:and |so |what about |how about |who (?:is|was|are|were) )?(?:the|that|this) "
    r"(?:guy|man|woman|person|one|ones|official|dude|people|men|soldier|soldiers) (?:who|that) (?=[a-z])"
)
_GET_PASSIVE = re.compile(r"\b(?:get|got|gets|getting|gotten) ((?:[a-z]+(?:ed|en))|shot|hit|hurt|struck|caught)\b")
_TOKEN = re.compile(r"[a-z0-9]+(?:[.'-][a-z0-9]+)*\.?")
# "did he make it", "did Trump actually get there", "did they manage to": was an attempt a success?
_OUTCOME = re.compile(
    r"\b(?:make|made|makes|making) it\b|\b(?:get|got|gets|getting) (?:there|to|into|in|across|over|through)\b"
    r"|\b(?:go|went|gone) (?:to|there|into)\b"
    r"|\b(?:reach|reached|succeed|succeeded|manage|managed|work out|worked out|pull it off|actually)\b"
)
# Advice, the bot's own choice or taste, feelings, and what the asker says is off the story: the article answers
# none of these.
_PERSONAL = _Cued(
    r"\b(?:(?:would|should|do|will|could|can) (?:you|u) (?:pick|choose|prefer|recommend|suggest|rather)"
    r"|should i|how (?:do|can|should|would) i\b(?! know)|(?:your|ur) (?:favou?rite|opinion|advice)"
    r"|(?:can|could|will|would) (?:you|u) help|homework|unrelated|off[- ]topic|how i (?:can|could|should)"
    # what someone felt or thought: a news report tells what people did and said
    r"|what (?:was|were|is|are) [a-z' ]{1,30} (?:feeling|thinking)|how did [a-z' ]{1,30} feel)\b",
    "you u i your ur homework unrelated off feeling thinking feel",
)
# "where on the border did this happen": "this" is the story's own event, whatever else the question names.
_STORY_HAPPENED = _Cued(
    r"\b(?:this|it|that) (?:happen|happened|take place|took place|occur|occurred)\b",
    "happen happened take took occur occurred",
)
_NEGATED = _Cued(r"\b(?:not|no|never|nobody|none|nothing|without)\b", "not no never nobody none nothing without")
_CAPITALISED = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+(?:[-'][A-Za-z]+)?")  # "why did Pence visit": a name
_STATEMENT_WORDS = frozenset("statement statements comment comments response reaction".split())
_NOW = re.compile(r"\b(?:now|right now|currently|at the moment|these days|today|at present)\b")
_MANAGED = re.compile(r"^how (?:did|could|was|were|has|had)?\s*(?:he|she|they|it|the \w+) (?:manage|managed|able)\b")
# Weekdays and months: one the story lacks is a premise to correct ("did it happen on sunday?").
_CALENDAR = {
    **dict.fromkeys("monday tuesday wednesday thursday friday saturday sunday".split(), "weekday"),
    **dict.fromkeys(
        "january february march april june july august september october november december".split(), "month"
    ),
}


@dataclass(frozen=True, slots=True)
class Concept:
    """One thing the question is about: its words, and the index words (stems) that are it or stand for it.

    A concept of several words ("joint security area") has `parts`, the stems of each word: an entry holds it
    in the measure it holds its parts."""

    word: str
    exact: frozenset[str]
    alternatives: frozenset[str]
    weight: float
    known: bool
    required: bool = False
    premise: bool = False
    parts: tuple[frozenset[str], ...] = ()
    aside: bool = False  # from the talk around the question: it can help find the topic, never count against it
    story: bool = False  # the story's own event, standing for "it" in "when did it happen?"
    names_kind: bool = False  # "which [body parts]": the kind of answer wanted, not what it is about


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    cleaned: str
    wants: str | None = None
    category: str | None = None
    head: str | None = None
    subject: str | None = None
    speaker: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    verb: str = ""
    predicate: str = ""
    options: tuple[str, ...] = ()  # "who visited first, Pence or Tillerson": the two to compare
    relation: str | None = None
    yes_no: bool = False
    negated: bool = False
    beyond: bool = False
    outcome: bool = False  # "did he make it there?": whether an attempt worked (a "but" or a "not" answers)
    personal: bool = False  # "which would you pick", "how do I convert won to dollars": advice, not the story
    whereabouts: bool = False  # "where is he now": where the article last puts the soldier
    wrong_date: bool = False  # "did it happen on a sunday?": a day the story never names, so the answer is no
    ahead: bool = False  # "are they gonna operate again", "what's next for him": what comes after the story's days
    concepts: tuple[Concept, ...] = ()
    corrections: dict[str, str] = field(default_factory=dict)

    @property
    def asked(self) -> tuple[Concept, ...]:
        return tuple(c for c in self.concepts if not c.premise)

    @property
    def premise(self) -> tuple[Concept, ...]:
        return tuple(c for c in self.concepts if c.premise)

    @property
    def index_words(self) -> set[str]:
        return {alt for c in self.concepts for alt in c.alternatives}

    @property
    def words(self) -> frozenset[str]:
        """Every index word the question itself says (a span made only of these is not new information)."""
        return frozenset(w for c in self.concepts for w in c.exact)

    def fts(self, *, exact: bool = False) -> str:
        """An FTS5 query OR-ing every index word (only the question's own, if `exact`), each quoted, so user
        text is never FTS syntax."""
        chosen = {w for c in self.concepts for w in c.exact} if exact else self.index_words
        return " OR ".join(f'"{w}"' for w in sorted(chosen))


def owned(name: str) -> tuple[str, str]:
    """A name as (what is named, whose it is): "the president of south korea" is ("the president", "south korea");
    "the surgeon in charge of his treatment" is the surgeon's own name, owned by no one."""
    match = _OWNER.search(name)
    return (name[: match.start()].strip(), match.group(1)) if match else (name, "")


_OWNER = re.compile(r"\b(?<!charge )(?:of|for) (.+)$")


# ---- cleaning -------------------------------------------------------------------------------------------


def clean(question: str, lexicon: Lexicon, vocab: Vocabulary, corrections: dict[str, str]) -> tuple[str, str]:
    """The question in plain lower-case words, as (the question itself, the asides around it): contractions opened,
    abbreviations expanded, typos fixed, paraphrases replaced by the story's words, filler dropped."""
    text = fold(question).replace("’", "'")
    if "'" in text:  # (every contraction has an apostrophe: most questions skip these ten passes)
        for pattern, replacement in _CONTRACTIONS:
            text = pattern.sub(replacement, text)
    # (each pass runs only when the word it needs is there: most questions skip them)
    if "get" in text or "got" in text:  # "he got shot": he was shot ("got" says nothing of its own)
        text = _GET_PASSIVE.sub(r"was \1", text)
    if "from" in text:  # "what stopped him from getting there": why he did not get there
        text = _PREVENTED.sub(r"why \1 from", text)
    if "=" in text:  # "JSA = ?"
        text = _EQUALS.sub(r"what is \1", text)
    main, asides = split_asides(text)
    # "wait what is...": the question after its interjection; "and the guy who told pyongyang...?": who told
    main = _DESCRIBED_PERSON.sub("who ", _INTERJECTION.sub("", _BEFORE_ANOTHER_ASK.sub("", main)))
    leading = _LEADING_PREMISE.match(main)
    if leading:  # "after he hid behind the building how did he get rescued": the premise goes after the ask
        main = f"{main[leading.end() :]} {leading.group(1)}"
    where_on = _WHERE_ON.match(main)
    if where_on:  # "where on the border did this happen": the border frames the place asked, it is not asked
        main = f"where {main[where_on.end() :]}"
        asides = f"{asides} , {where_on.group(1)}" if asides else where_on.group(1)
    named = _NAME_THE.match(main)
    if named:  # "name the official who told...": who is the official; "name the weapon they used": which weapon
        person = set(named.group("noun").split()) & set(lexicon.person_words)
        rest = main[named.end("verb") :].strip().split(" ", 1)[1]
        if person:
            main = f"who is the {rest}"
        else:  # a kind of thing the lexicon knows members of, or else the thing's own name
            main = f"which {rest}" if _category_in(rest.split()[:2], lexicon) else f"what is the name of the {rest}"
    cleaned = (_clean_words(part, lexicon, vocab, corrections) for part in asides.split(" , "))
    main = _LEADING_CONJUNCTION.sub("", _clean_words(main, lexicon, vocab, corrections))
    if _WHOLE_STORY.fullmatch(main):  # "what happened?", "what happened to him": the story itself
        main = lexicon.phrases.get("tldr", main)
    return main, " , ".join(part for part in cleaned if part)


_DOTTED = re.compile(r"\b([a-z])\.([a-z])\.")  # p.m., u.s., u.n.: no sentence ends there
_TITLE_DOT = re.compile(r"\b(col|dr|mr|mrs|ms|gen|sgt|capt|lt|st|vs|etc|no)\.")
_BREAK = re.compile(r"[?!;:]+|\.(?:\s|$)|,|\s-+\s|\s+(?:because|cuz|coz|cos|bc|tho|though)\s+|\.{2,}")
_PARENTHESES = re.compile(r"\(([^)]*)\)")
_ALTERNATIVE = re.compile(r"\s+or\s+(?:did|does|do|was|were|is|are|has|have|had|will|would|could|can|just)\b.*$")
_ABOUT_X = re.compile(
    r"^(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+)$|^and\s+(?P<y>(?!then\b|so\b|what\b|also\b)(?:the\s+)?[a-z0-9 -]+)$"
)
_PRONOUN = re.compile(r"\b(?:it|he|she|they|him|them|that|there|this|his|her|their)\b(?! (?:is|was) (?:it|that)\b)")
_WH_CONTRACTED = re.compile(r"\b(what|who|where|how|when|why)s\b")
_WH_CONTRACTIONS = ("whats", "whos", "wheres", "hows", "whens", "whys")  # what _WH_CONTRACTED can match


def split_asides(text: str) -> tuple[str, str]:
    """The question a long message asks, and the rest ("ok so I keep seeing different numbers on this, like how
    many rounds did they fire at him, because that seems insane" asks "how many rounds did they fire at him").
    The last question in a message is the one it asks; a noun phrase before it ("the guy who pulled him out, did
    he get a medal", "what about the doctor, what's his name") is what its pronoun stands for."""
    if "." in text:
        text = _TITLE_DOT.sub(r"\1", _DOTTED.sub(r"\1\2", text))
    if any(contracted in text for contracted in _WH_CONTRACTIONS):  # (a cheap test first: the regex is slow)
        text = _WH_CONTRACTED.sub(r"\1 is", text)
    asides = [m.group(1) for m in _PARENTHESES.finditer(text)] if "(" in text else []
    if asides:
        text = _PARENTHESES.sub(" , ", text)
    pieces = _BREAK.split(text)
    marks = _BREAK.findall(text)
    segments = [(p.strip(), "?" in (marks[i] if i < len(marks) else "")) for i, p in enumerate(pieces)]
    for i in range(len(segments) - 2, -1, -1):  # "KPA - spell it out": a name and what to do with it
        if i < len(marks) and "-" in marks[i] and len(segments[i][0].split()) <= 2:
            segments[i : i + 2] = [(f"{segments[i][0]} {segments[i + 1][0]}", segments[i + 1][1])]
    segments = [(p, mark) for p, mark in segments if p]
    if len(segments) >= 2 and segments[-1][0] in _TAGS:  # "trump made it there, right?": the claim is the question
        segments[-2:] = [(segments[-2][0], True)]
    for i in range(len(segments) - 1, 0, -1):  # "which is better for photos, an iphone or a samsung?": one question
        if _CHOICES.match(segments[i][0]) and _asks(segments[i - 1][0]):
            segments[i - 1 : i + 1] = [(f"{segments[i - 1][0]} {segments[i][0]}", segments[i][1] or segments[i - 1][1])]
    for i in range(len(segments) - 2, -1, -1):  # "and then, once he was behind the building?" is one question
        if all(w in _LEADS or w in STOPWORDS for w in segments[i][0].split()):
            segments[i : i + 2] = [(f"{segments[i][0]} {segments[i + 1][0]}", segments[i + 1][1])]
    strong = [i for i, (p, _mark) in enumerate(segments) if _asks(p)]
    if len(strong) > 1:  # "who pulled him out, like was it an american or a local": "like" only elaborates
        strong = [i for i in strong if i == strong[0] or segments[i][0].split()[0] not in ("like", "as")]
    if len(strong) > 1:
        last, earlier = segments[strong[-1]][0], segments[strong[-2]][0]
        if earlier.split()[0] in WH_WORDS and (
            (last.split()[0] in AUXILIARIES and " or " in last) or _GUESS.match(last)
        ):
            # "what did he do after it got stuck, did he sit there or bail out", "who shot at him, was it his own
            # side": guesses after the question
            strong = strong[:-1]
    marked = [i for i, (_p, mark) in enumerate(segments) if mark]
    if not strong and not marked:
        return text, " ".join(asides)
    index = strong[-1] if strong else marked[0]
    main = segments[index][0]
    if index and re.fullmatch(_ASKS_NEXT, main):
        main = f"{segments[index - 1][0]} {main}"  # "he takes cover behind a building, then what"
    elif index and re.fullmatch(r"(?:which|what) ones?", main):  # "he was wearing a uniform. which one"
        noun = _last_noun(segments[index - 1][0])
        main = f"which {noun}" if noun else main
    topic = _topic_phrase(segments[index - 1][0]) if index else ""
    if topic:  # "what about X, what's it called"; "the guy who pulled him out, did he..."; "who is X, what's his job"
        main, count = _PRONOUN.subn(topic, main, count=1)
        if not count and _ABOUT_X.match(segments[index - 1][0]):
            choice = _CHOICE_TAIL.search(main)  # "..., who came last, pence or trump": the choice stays last
            main = f"{main[: choice.start()]} {topic}{choice.group(0)}" if choice else f"{main} {topic}"
    alternative = _ALTERNATIVE.search(main) if main.split()[0] in AUXILIARIES else None
    if alternative:  # "did they fire back or did they just sit there"
        asides.append(alternative.group(0))
        main = main[: alternative.start()]
    premise = [
        p for i, (p, _mark) in enumerate(segments) if i < index and re.match(r"(?:after|before|once|following)\b", p)
    ]
    if premise:  # "after he took cover behind the building, what was the next step?"
        main = f"{main} {premise[-1]}"
    asides += [p for i, (p, _mark) in enumerate(segments) if i != index and p not in premise[-1:]]
    return main, " , ".join(asides)


_CHOICE_TAIL = re.compile(r" (?:an? |the )?[\w'-]+ or (?:an? |the )?[\w'-]+(?: [\w'-]+)?$")
_CHOICES = re.compile(r"^(?:either )?(?:an? |the )?[\w'-]+(?: [\w'-]+)? or (?:an? |the )?[\w'-]+(?: [\w'-]+)?$")
# Tags that turn a statement into a question ("he was armed, right?"): the statement is what is asked.
_TAGS = frozenset(
    (
        *"right correct yes no true yeah yep ok okay eh huh innit".split(),
        "or not",
        "am i right",
        "is that right",
        "is that true",
        "is not it",
        "did not he",
        "was not he",
        "was not it",
        "did not they",
        "were not they",
        "are not they",
        "is not he",
        "will not they",
        "will not he",
        "is he not",
        "are they not",
        "did he not",
    )
)
_GUESS = re.compile(r"^(?:was|is|were|are) (?:it|that|they|he|she|this) ")
_LEADS = frozenset("and so but ok okay like then also well hey yo approximately roughly exactly precisely".split())


def _conjunction(tokens: list[str], i: int, *, anywhere: bool = False) -> bool:
    """'He was wearing a uniform [when] he ran?': a question word inside a statement, joining a clause (not one
    that opens the question, nor an echo like "he was hit where?")."""
    if tokens[i] not in ("when", "where"):
        return False  # "about why he defected", "know how he got out": questions inside a sentence, still asked
    before = tokens[i - 1] if i else ""
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    # "in which village", "at what time"; but "a uniform on when he crossed" joins a clause
    after_preposition = before in PREPOSITIONS and tokens[i] in ("which", "what", "whom")
    opens = not before or before in _LEADS or after_preposition or before in AUXILIARIES
    in_statement = anywhere or tokens[0] not in WH_WORDS | AUXILIARIES
    # ("where all this happened", "when he ran"; not "he was hit where?" nor "where did he go")
    return not opens and bool(following) and following not in AUXILIARIES and in_statement


def _asks(segment: str) -> bool:
    """A segment asks when it starts (after a word like "and" or "so") with a question word or an auxiliary."""
    tokens = segment.split()
    while tokens and tokens[0] in _LEADS:
        tokens = tokens[1:]
    return bool(tokens) and (
        tokens[0] in AUXILIARIES
        or tokens[0] in WH_WORDS
        or bool(_ABOUT_X.match(" ".join(tokens)))
        or tokens[-2:] in (["or", "not"], ["or", "no"], ["or", "nah"])  # "he was carrying a gun or not"
    )


def _last_noun(segment: str) -> str:
    """The last word of a segment that is not a function word ("...an official uniform" -> "uniform")."""
    found = [w for w in segment.split() if w not in STOPWORDS and w not in PRONOUNS and w.isalpha()]
    return found[-1] if found else ""


# (typed before typos are fixed: "wat even is the jsa")
_NAMED_TOPIC = re.compile(
    r"^(?:(?:wait|ok|okay|so|hmm+|um+|uh+|yo|hey|and)\s+)*(?:who|what|wat|wht) (?:even |exactly |actually |really )?"
    r"(?:is|was|are|were) (?P<x>.+)$"
)


def _topic_phrase(segment: str) -> str:
    """What a segment before the question names: "what about X" -> X; "who is X" -> X; a noun phrase ("the guy
    who pulled him out") -> itself, up to its verb ("the doc said something..." -> "the doc")."""
    about = _ABOUT_X.match(segment)
    if about:
        return about.group("x") or about.group("y") or ""
    named = _NAMED_TOPIC.match(segment)
    if named:
        return named.group("x")
    tokens = segment.split()
    if not tokens or tokens[0] not in ("the", "a", "an", "that", "this", "those", "these"):
        return ""
    if len(tokens) > 1 and tokens[1] in ("article", "story", "piece", "report", "news"):
        return ""  # "the article talks about...": talk about the article, not what "it" stands for
    phrase: list[str] = []
    relative = False
    for token in tokens:
        relative = relative or token in ("who", "that", "which", "whose")
        if not relative and phrase and (token.endswith("ed") or token in _MAIN_VERBS):
            break  # "the doc said something about...": the doc
        phrase.append(token)
    return " ".join(phrase) if len(phrase) <= 8 else ""


_MAIN_VERBS = frozenset(SPEECH.split("|")) | frozenset("got get was were is are had has did ran went came".split())


def _clean_words(text: str, lexicon: Lexicon, vocab: Vocabulary, corrections: dict[str, str]) -> str:
    text = " ".join(_TOKEN.findall(text))
    if not text:
        return ""  # (no asides: the usual case, and none of the passes below would add a word)
    text = lexicon.abbreviation_pattern.sub(lambda m: lexicon.abbreviations[m.group(0)], text)
    fixed = []
    for token in text.split():
        correction = vocab.correct(token)
        if correction is not None:
            corrections[token] = correction
            token = correction
        fixed.append(token)
    text = " ".join(fixed)
    text = lexicon.phrase_pattern.sub(lambda m: _paraphrase(m.group(0), lexicon), text)
    # twice: "could you kindly tell me" is "could you tell me" once "kindly" is gone
    text = lexicon.filler_pattern.sub(" ", lexicon.filler_pattern.sub(" ", text))
    # "kpa" -> "korean people's army" next to a "korean" already there: one "korean"
    text = " ".join(text.split())
    tokens = text.split(" ")
    # (the regex is slow; in words of letters only, a repeat is two equal neighbours, which few questions hold)
    if any(a == b for a, b in itertools.pairwise(tokens)) or not "".join(tokens).isalpha() or not text.isascii():
        text = _REPEATED.sub(r"\1", text)
    return text


def _paraphrase(phrase: str, lexicon: Lexicon) -> str:
    """The story's words for a phrase; a "+word" entry keeps the phrase and adds the word ("made it over" is also
    "crossed", and its words still match "made it 50 yards over")."""
    replacement = lexicon.phrases[phrase]
    return f"{phrase} {replacement[1:]}" if replacement.startswith("+") else replacement


# ---- shape --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Shape:
    wants: str | None = None
    category: str | None = None
    head: str | None = None
    subject: str | None = None
    speaker: str = ""
    relation: str | None = None
    premise: str = ""
    yes_no: bool = False
    topic: tuple[str, ...] = ()
    verb: str = ""
    predicate: str = ""
    determined: frozenset[str] = frozenset()  # words right after a/an/any/the/his...: nouns
    topic_determined: bool = False  # the subject came with "the", "his"...: a noun phrase, not a name and a verb
    capitalised: frozenset[str] = frozenset()  # words the asker capitalised mid-sentence: names
    asked: str = ""  # the question without its premise
    asked_words: frozenset[str] = frozenset()  # the word runs of `asked` (see _Cued)

    def want(self, kind: str) -> None:
        if self.wants is None:
            self.wants = kind


_SEQUENCE = _Cued(
    r"\b(?P<rel>after|once|following|afterwards|then|next|before|prior to|until|till|first|last|finally)\b",
    "after once following afterwards then next before prior until till first last finally",
)
_SEQUENCE_ASK = re.compile(
    r"\bwhat (?:happened|happens|happen|came|comes|did (?:he|they|she|it|the \w+(?: \w+)?) do|was next|"
    r"(?:did )?(?:he|they) do|(?:he|she|they) (?:was|were) doing)\b"
    r"|\bwhat next\b|\bthen what\b|\band then\b|\bnext (?:step|thing|move|stage)\b"
)
# "then what", "and what next": the step after whatever came before it
_ASKS_NEXT = r"(?:and\s+)?(?:then what|what then|what next|what after that)(?:\s+happen(?:s|ed)?)?"
_THEN_WHAT = _Cued(
    rf"^(?:(?:ok|okay|so|and)\s+)*(?P<premise>\w+(?:\s+\w+){{1,8}}?)\s*,?\s+{_ASKS_NEXT}$", "then next after"
)
_NOT_SEQUENCE = re.compile(
    r"\b(?:last|next|first|previous) (?:week|month|year|time|10|ten|days)\b|\bthe (?:last|previous) time\b"
)
_WHO_IS = re.compile(r"^(?:who|whom)\s+(?:is|was|are|were)\s+(?P<x>.+)$")
_WHAT_IS = re.compile(r"^(?:what|wat)\s+(?:is|was|are|were)\s+(?:a |an |the )?(?P<x>.+)$")
# "(explain) what panmunjom is": a question inside a sentence keeps its statement order
_WHAT_X_IS = re.compile(r"^(?:what|wat)\s+(?:a |an |the )?(?P<x>[a-z0-9 .'-]+?)\s+(?:is|was|are|were)$")
_ABOUT = re.compile(
    r"^(?:what about|how about|info on|information on|about|explain|describe|define)\s+"
    r"(?:a |an |the )?(?P<x>.+)$"
)
_MEAN = re.compile(
    r"\bwhat (?:does|do|did) (?:the |this )?(?:report|article|story|piece|author|writer|text|it|they|he|she) "
    r"(?:mean|means) by (?:the |a |an )?(?P<z>.+)$|"
    r"\bwhat (?:does|do|did|is) (?:the )?(?P<x>.+?) (?:mean|means|stand for|stands for)\b"
    r"|^(?P<y>[a-z0-9 .'-]{2,40}?) (?:stand for|stands for|mean|means|meaning|definition)$"
    r"|^what means (?:the |a |an )?(?P<w>[a-z0-9 .'-]{2,40}?)(?: here| in this story| in the article)?$"
)
_DESCRIBE = re.compile(
    r"\b(?:describe|describes|described|description of|definition of|define|meaning of)\s+"
    r"(?:a |an |the )?(?P<x>.+)"
)
# Each statement pattern holds a speech verb, "make a statement", or a word for what was said.
_STATEMENT_CUES = (
    f"{SPEECH.replace('|', ' ')} make reaction response comment comments statement statements view views take answer"
)
_STATEMENT = tuple(
    _Cued(pattern, _STATEMENT_CUES)
    for pattern in (
        rf"\b(?:what|wat) (?:did|does|do|has|had|would) (?P<speaker>.{{1,60}}?) (?:{SPEECH})\b",
        rf"\b(?:did|does|has|have|had) (?P<speaker>.{{1,60}}?) (?:{SPEECH}|make a statement)\b",
        rf"\bwhat (?P<speaker>[a-z .'-]{{1,60}}?) (?:has|have|had) (?:{SPEECH})\b",  # "what X has said"
        # "what was Trump's reaction to...": what Trump said of it
        r"\bwhat (?:was|is|were) (?:the )?(?P<speaker>[a-z .'-]{1,40}?) "
        r"(?:reaction|response|comment|comments|statement|view|views|take|answer)(?: (?:to|on|about|of)\b|$)",
        r"^(?P<speaker>[a-z .'-]{1,40}?) (?:said|says|told|warned|announced|commented)\b",
        # "un command statement?", "pence's comments": a fragment naming who spoke
        r"^(?P<speaker>[a-z .'-]{1,40}?)(?:'s)? (?:statement|statements|comment|comments|response|reaction)$",
    )
)
_SAY_HOW = _Cued(r"\bhow (?:do|does|would|can) (?:you|i|one) say\b|\b(?:mean|stand for)\b", "say mean stand")
_SORT_OF_THING = _Cued(
    r"\bwhat (?:kind|sort|type) of (?:a |an )?(?:place|spot|thing|area|site|location|organisation|organization|"
    r"group|body|village|town) (?:is|was|are|were) (?P<x>[a-z0-9 .'-]{2,40})$",
    "kind sort type",
)
_KIND_OF = _Cued(
    r"\b(?:kind|type|sort|model|make|brand|variety) of (?P<x>[a-z-]+(?: [a-z-]+)?)",
    "kind type sort model make brand variety",
)
# What a question wants, read off words that only such a question holds (each guarded by those words).
_CONTRAST = _Cued(
    r"\b(?:instead of|rather than)\s+(?P<x>.+?)(?=\b(?:what|who|where|when|why|how|which)\b|$)", "instead rather"
)
_QUOTE = _Cued(
    r"\bquote\b|\b(?:exact|actual|precise|own|very|direct) words\b|\bwords (?:did|he|she|they)\b"
    r"|\bwhat (?:phrase|expression|wording)\b",
    "quote words phrase expression wording",
)
_MONEY = _Cued(
    r"\bhow much\b.*\b(?:cost|costs|pay|paid|price|money|dollars|won|worth|spend|spent|charge)\b"
    r"|\b(?:cost|price|fee|salary)\b",
    "much cost price fee salary",
)
_AGE = _Cued(r"\bhow old\b|\bage\b|\bborn\b", "old age born")
_SIZE = _Cued(
    r"\bhow (?:tall|big|heavy|large|wide|high|fast)\b|\b(?:height|weight|speed)\b",
    "tall big heavy large wide high fast height weight speed",
)
_NAME = _Cued(r"\bname(?:s|d)?\b|\bcalled\b", "name names named called")


def _shape(text: str, lexicon: Lexicon, asked_mark: bool) -> _Shape:
    shape = _Shape()
    tokens = text.split()
    has_wh = any(t in WH_WORDS and not _conjunction(tokens, i) for i, t in enumerate(tokens))
    cue = None if has_wh or (tokens and tokens[0] in AUXILIARIES) else _fragment_cue(tokens, lexicon)
    shape.yes_no = bool(tokens) and (tokens[0] in AUXILIARIES or (asked_mark and not has_wh and cue is None))
    shape.yes_no = shape.yes_no or bool(_TRUE_FRAME.match(text))  # "true or false: they returned fire"
    if shape.yes_no and tokens[0] not in AUXILIARIES and _MEAN.search(text):
        shape.yes_no = False  # "KPA - spell it out?" asks what it stands for
    seen = _words_in(text)
    _sequence(text, seen, shape)
    contrast = _CONTRAST.search(text, seen)
    if contrast and not shape.premise:
        shape.premise = contrast.group("x").strip()  # "run on foot instead of driving across": not the topic
    asked = text.replace(shape.premise, " ") if shape.premise else text
    shape.asked = asked
    shape.asked_words = _words_in(asked) if shape.premise else seen
    _statement(asked, shape)
    if _QUOTE.search(asked, shape.asked_words):
        shape.wants = "quote"
    if _MONEY.search(asked, shape.asked_words):
        shape.want("money")
    if _AGE.search(asked, shape.asked_words):
        shape.want("age")
    if _SIZE.search(asked, shape.asked_words):
        shape.want("size")
    if _NAME.search(asked, shape.asked_words) and not _NAMED_CLAIM.search(asked):
        shape.want("name")
        shape.subject = _named(asked)
        if shape.subject:  # "the surgeon in charge of his treatment": the surgeon
            shape.subject = " ".join(_noun_phrase(shape.subject.split(), lexicon)) or shape.subject
        category = _category_in((shape.subject or "").split()[-1:], lexicon)
        if shape.wants == "name" and category:
            shape.wants, shape.category = "member", category  # "the name of the village": which village
    shape.topic = _topic(asked, lexicon)
    after_aux = re.search(r"\b(?:is|was|are|were|did|does|do|has|have|had)\s+(?:the|a|an|his|her|their)\s", asked)
    shape.topic_determined = bool(after_aux) and shape.topic != ("soldier",)
    shape.predicate = _predicate(asked, lexicon)
    claim = _TRUE_FRAME.match(asked)
    if claim and shape.yes_no:  # "is it true the pursuers crossed the line": did the pursuers cross it
        said = f"did {asked[claim.end() :]}"
        shape.topic, shape.predicate = _topic(said, lexicon), _predicate(said, lexicon)
        shape.topic_determined = bool(shape.topic) and shape.topic != ("soldier",)
    if shape.yes_no and not shape.predicate:  # "was he drunk", "is panmunjom a village": what it is said to be
        shape.predicate = _complement(said if claim else asked, shape.topic)
    if cue is not None:  # "hospital location?", "surgeon's exact words?": a fragment that names what it wants
        shape.want(cue[0])
        shape.category = shape.category or cue[1]
    if not shape.yes_no:
        _wh(asked, lexicon, shape)
    elif re.match(r"(?:describe|explain|define|tell me about|what about)\b", asked) or _MEAN.search(asked):
        shape.yes_no = False
        _definition(asked, shape)
    fragment = bool(tokens) and tokens[0] not in AUXILIARIES and not has_wh
    if (
        shape.relation
        and shape.wants in (None, "statement", "definition")
        and (
            _SEQUENCE_ASK.search(text)
            or (fragment and shape.premise)
            or (shape.wants == "definition" and shape.premise and re.search(r"\b\d{4}\b", shape.premise))
        )
    ):
        shape.wants, shape.yes_no = "sequence", False  # "prior JSA defection before the 2007 one?"
    if shape.relation in ("first", "last") and shape.wants in (None, "definition"):
        shape.wants = "sequence"  # "what was the first thing that happened"
    if shape.wants == "time" and shape.relation in ("before", "after") and re.search(r"\b\d{4}\b", shape.premise or ""):
        shape.wants = "sequence"  # "and the one before 2007 was when": the event before 2007's, with its date
    then_what = _THEN_WHAT.search(asked, shape.asked_words)  # (anchored at the start: a search is a match)
    if then_what:  # "car gets stuck then what": the step after the car got stuck
        shape.wants, shape.category, shape.head, shape.yes_no = "sequence", None, None, False
        shape.relation, shape.premise = "after", then_what.group("premise")
    fate = _FATE.match(asked)
    if fate and fate.group("x").split()[-1] not in PROTAGONIST:
        # "what happened to the four guys who chased him": something done to them, not what they did
        shape.wants, shape.relation, shape.premise = "fate", None, ""
        named = re.split(r" (?:of|in|at|on|from|inside) ", fate.group("x"))[0]  # "the secretary of state": secretary
        shape.head = named.split()[-1]
    return shape


_FATE = re.compile(
    r"^(?:and |so )?what (?:happened|happens|will happen|is going to happen) to (?:the |his |her |their |that |those )?"
    r"(?P<x>[a-z0-9' -]+?)(?: (?:who|that|which|after|afterwards|later|then|next|when|while|during)\b.*)?$"
)
# The words that stand for the story's own soldier ("he", "the defector", "the guy").
PROTAGONIST = frozenset("he him soldier defector man guy".split())
PROTAGONIST_NOUNS = PROTAGONIST - PRONOUNS
_TRUE_FRAME = re.compile(r"^(?:(?:is|was) (?:it|this|that) (?:really )?true|true or false|fact check) (?:that )?")

# Nouns that say what a fragment without a question word wants: (answer type, category of time).
_CUES: dict[str, tuple[str, str | None]] = {
    "location": ("place", None),
    "whereabouts": ("place", None),
    "spot": ("place", None),
    "site": ("place", None),
    "where": ("place", None),
    "time": ("time", "clock"),
    "hour": ("time", "clock"),
    "date": ("time", None),
    "day": ("time", "weekday"),
    "year": ("time", "year"),
    "month": ("time", "month"),
    "when": ("time", None),
    "reason": ("cause", None),
    "motive": ("cause", None),
    "cause": ("cause", None),
    "distance": ("distance", None),
    "duration": ("duration", None),
    "number": ("number", None),
    "count": ("number", None),
    "amount": ("number", None),
    "total": ("number", None),
    "quote": ("quote", None),
    "words": ("quote", None),
}


def _predicate(asked: str, lexicon: Lexicon) -> str:
    """What a yes/no question asks happened: its first verb after the auxiliary ("did the pursuers [cross] the
    line", "was he [armed]")."""
    tokens = asked.split()
    start = next((i for i, w in enumerate(tokens) if w in AUXILIARIES), -1)
    if start < 0:  # "why south korean soldiers shoot back": no auxiliary, the subject follows the question word
        start = next((i for i, w in enumerate(tokens) if w in WH_WORDS), -1)
        # "stomach wound damaged how many organs": the verb came before the question word
        before = [w for w in tokens[:start] if w not in STOPWORDS and w.endswith("ed") and _verbish(w, lexicon)]
        if before:
            return before[-1]
    relative = False
    # "he got shot in the head?": a statement asked as a question has its verb after its subject
    for word in tokens[start + 1 :]:
        if word in ("who", "that", "which"):
            relative = True  # "did the guy who pulled him out get...": not "pulled"
            continue
        if word in _CLAUSE_STARTS:
            break  # "he had a uniform on when he crossed": "crossed" is another clause's verb
        if relative and _verbish(word, lexicon):
            relative = False
            continue
        if word in AUXILIARIES or word in STOPWORDS or word in LIGHT_WORDS or word in PRONOUNS:
            continue
        if _verbish(word, lexicon):
            return word
    return ""


_WHICH_WORDS = frozenset("used involved type model make kind name brand".split())
_CLAUSE_STARTS = frozenset("when while because where as if since until although though".split())


# "the village is called panmunjom, right?": a name given, to check, not one asked for
_NAMED_CLAIM = re.compile(r"\b(?:is|was|are|were) (?:called|named) [a-z]")
_NO_COMPLEMENT = frozenset("accurate true right correct real so done gone able sure supposed about possible".split())


def _complement(asked: str, topic: tuple[str, ...]) -> str:
    """The word a yes/no question says its subject is ("was he [drunk]"), after the auxiliary and the subject."""
    tokens = asked.split()
    start = next((i for i, w in enumerate(tokens) if w in AUXILIARIES), -1)
    relative = False
    for word in tokens[start + 1 :]:
        if word in _CLAUSE_STARTS:
            break
        if word in ("who", "that", "which"):
            relative = True  # "did the guy who pulled him out get a medal": not "pulled"
            continue
        if relative:
            relative = word in STOPWORDS or word in PRONOUNS
            continue
        if word in topic or word in STOPWORDS or word in PRONOUNS or word in AUXILIARIES or word in LIGHT_WORDS:
            continue
        if word in _NO_COMPLEMENT:
            return ""  # "is that accurate", "is he done with surgery": nothing said of the subject to look for
        return word if word.isalpha() else ""
    return ""


def _fragment_cue(tokens: list[str], lexicon: Lexicon) -> tuple[str, str | None] | None:
    for i, token in enumerate(tokens):
        if token in _CUES and not _conjunction(tokens, i):
            return _CUES[token]
    category = _category_in(tokens, lexicon, anywhere=True)
    if category and (len(tokens) == 1 or set(tokens) & _WHICH_WORDS):
        return ("member", category)  # "vehicle used?", "weapon?": which one
    return None


def _topic(asked: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The question's grammatical subject: the noun phrase after its first auxiliary ("was [the defector]
    armed", "what colour was [the zeppelin]"); "he" is the story's soldier."""
    tokens = asked.split()
    opening = next((i for i, w in enumerate(tokens) if w in AUXILIARIES), -1)
    if opening < 0 and tokens and tokens[0] in WH_WORDS:
        opening = 0  # "why south korean soldiers shoot back": no auxiliary
    if opening < 0:
        return ()
    rest = tokens[opening + 1 :]
    if rest and rest[0] in ("he", "him"):
        return ("soldier",)
    if rest and rest[0] in _NOBODY:
        return ()  # "had nobody fired shots through the JSA": no one in particular
    if rest and rest[0] in ("his", "her", "their"):
        rest = rest[1:]  # "did his first operation last": the operation
    rest = [w for w in rest if w not in ("not", "no")]
    phrase = _noun_phrase(rest, lexicon)
    following = rest[rest.index(phrase[-1]) + 1 :] if phrase else []
    stopped_at_verb = len(phrase) < 4 and bool(following) and _verbish(following[0], lexicon)
    if (
        tokens[opening] in ("do", "does", "did")
        and len(phrase) >= 2
        and not stopped_at_verb
        and not _nominal(phrase[-1])
    ):
        phrase = phrase[:-1]  # "did [the jeep] crash": the verb comes last (unless the phrase stopped at a verb)
    # "what rifle was [used]": a verb where the subject would be means the subject came first
    return tuple(w for w in phrase if w not in LIGHT_WORDS and not w.endswith(("ed", "ing")))


_NOBODY = frozenset("nobody noone anybody anyone somebody someone everybody everyone nothing anything".split())

_OPTIONS = re.compile(
    r"(?:^|, )(?:either )?(?P<a>[a-z0-9][\w'-]*(?: [\w'-]+){0,5}) or (?P<b>[a-z0-9][\w'-]*(?: [\w'-]+){0,5})(?= ,|$)"
)
_TRAILING_OPTIONS = re.compile(
    r"\s(?P<a>(?:an? |the )?[a-z0-9][\w'-]*) or (?P<b>(?:an? |the )?[a-z0-9][\w'-]*(?: [\w'-]+)?)$"
)
_ORDER = re.compile(r"\b(?:first|earlier|earliest|sooner|before|last|later|latest|recent|recently)\b")


def _options(text: str) -> tuple[str, ...]:
    """The two things a "which came first, X or Y" question compares (only when it asks about order)."""
    if " or " not in text or not _ORDER.search(text):
        return ()  # (both patterns of options need their "or")
    match = _OPTIONS.search(text)
    if match is None or match.start() == 0:  # "who visited first pence or tillerson": the choice after the ask
        order = list(_ORDER.finditer(text))[-1]
        match = _TRAILING_OPTIONS.search(text, order.end()) or match
    if not match or not _ORDER.search(text[: match.start()] + " " + text[match.end() :]):
        return ()  # "which took longer, his first surgery or the wait": "first" is part of an option, not the ask
    options = tuple(_ORDER.sub(" ", match.group(g)).strip() for g in ("a", "b"))
    return options if all(o and o not in STOPWORDS for o in options) and options[0] != options[1] else ()


def _sequence(text: str, seen: frozenset[str], shape: _Shape) -> None:
    """The premise of a sequence question: "after the jeep got stuck", "once he reached the southern side"."""
    if not _SEQUENCE.may_match(seen):
        return  # (most questions)
    found = list(_SEQUENCE.pattern.finditer(text))
    if not found or _NOT_SEQUENCE.search(text):
        return
    # "what was the next step after he took cover": the after-clause says where on the timeline to look
    clauses = [m for m in found if m.group("rel") in ("after", "once", "following", "before", "prior to", "until")]
    rel = clauses[0] if clauses and found[0].group("rel") in ("next", "then") else found[0]
    if re.search(r"\bhow (?:long|much time|many minutes)\b", text[: rel.start()]):
        return  # "how long before he got there": a duration, no step of the timeline
    word = rel.group("rel")
    shape.relation = {
        "once": "after",
        "following": "after",
        "afterwards": "after",
        "then": "after",
        "next": "after",
        "prior to": "before",
        "until": "before",
        "till": "before",
        "finally": "last",
    }.get(word, word)
    if shape.relation in ("first", "last"):
        if not (_SEQUENCE_ASK.search(text) or re.search(r"\b(?:first|last) thing\b|\bdo (?:first|last)\b", text)):
            shape.relation = None
        return
    after = text[rel.end() :]
    cut = re.search(r"\b(?:what|who|where|when|why|how|which)\b|\b(?:did|does|do) (?:he|she|they|it|the)\b", after)
    shape.premise = (after[: cut.start()] if cut else after).strip()
    if not shape.premise and not _SEQUENCE_ASK.search(text):
        shape.relation = None


def _statement(asked: str, shape: _Shape) -> None:
    """'What did Pence say', 'did North Korea comment': a statement is wanted, by a speaker."""
    if not _STATEMENT[0].may_match(shape.asked_words) or _SAY_HOW.search(asked, shape.asked_words):
        return  # (the statement patterns share their cues: most questions hold none)
    for pattern in _STATEMENT:
        match = pattern.search(asked, shape.asked_words)
        if match:
            if set(match.group("speaker").split()) & {"article", "story", "piece", "report", "text", "it"}:
                return  # "what does the article say about X" asks about X, not for a statement
            if re.match(r"(?:which|what|who)\b", match.group("speaker")):
                return  # "which politician warned Pyongyang" asks who
            shape.wants = "statement"
            shape.speaker = match.group("speaker")
            return


# What each question word asks for; the one that comes first in the question decides ("why were there no
# tourists when this happened" asks why, not when).
_WH_KINDS: tuple[tuple[str, _Cued], ...] = (
    (
        "number",
        _Cued(
            r"\bhow (?:many|much)\b|\bnumber of\b|\bhow often\b|\bwhat number\b|\b[a-z-]+ number\b",
            "many much often number",
        ),
    ),
    ("distance", _Cued(r"\bhow (?:far|close|near|deep)\b|\bdistance\b", "far close near deep distance")),
    ("duration", _Cued(r"\bhow long\b(?! ago)", "long")),
    (
        "time",
        _Cued(
            r"\bwhen\b|\bhow long ago\b|\b(?:what|which) (?:time|year|day|days|month|date|hour|week)\b",
            "when long time year day days month date hour week",
        ),
    ),
    (
        "cause",
        _Cued(
            r"\bwhy\b|\breason\b|\bcause\b|\bmotive\b|\bpurpose\b"
            r"|\bwhat (?:prevented|stopped|kept|forced|made|caused|led)\b(?= .+ (?:from|to|back|turn|go)\b)",
            "why reason cause motive purpose prevented stopped kept forced made caused led",
        ),
    ),
    ("person", _Cued(r"\b(?:who|whom|whose)\b", "who whom whose")),
    ("place", _Cued(r"\bwhere\b", "where")),
)


def _noun_after(word: str) -> bool:
    """'The wounded [man]': the injury word is an adjective of the noun after it."""
    return word in PROTAGONIST_NOUNS or word in ("person", "one", "north", "korean")


def _wh(asked: str, lexicon: Lexicon, shape: _Shape) -> None:
    """The answer type of a wh-question (how many, when, who, where, why, what N...)."""
    tokens = asked.split()
    found = sorted(
        (m.start(), kind)
        for kind, pattern in _WH_KINDS
        if (m := pattern.search(asked, shape.asked_words))
        and not _conjunction(tokens, len(asked[: m.start()].split()), anywhere=True)
    )
    if next((t for t in asked.split() if t in WH_WORDS), None) in ("what", "which"):
        # "what was the guy who ran across driving": that "who" starts a description, not a question
        found = [(at, kind) for at, kind in found if kind != "person" or not _relative(asked, at)]
    special = _SPECIAL.search(asked, shape.asked_words) or _DIFFERS.search(asked, shape.asked_words)
    if special:  # "why is the JSA special", "how is the JSA different from the rest of the DMZ": what the JSA is
        shape.wants, shape.subject = "definition", _strip_articles(special.group("x") or special.group("y"))
        return
    kind = found[0][1] if found else None
    if kind == "number" and re.search(r"\bhow (?:many|much) distance\b", asked):
        kind = "distance"  # "how many distance he run"
    if kind == "number" and _ELAPSED.search(asked):
        kind = "duration"  # "how many years since the last one": how long
    if kind is None and _TOWARD.search(asked):
        kind = "place"  # "what was he steering the jeep toward": where to
    if kind == "number" and not shape.predicate:
        after = re.search(r"\bhow many [a-z-]+s ([a-z]+)\b", asked)  # "how many soldiers [guard] it"
        if after and after.group(1) not in STOPWORDS | AUXILIARIES and is_english(f"{after.group(1)}ed"):
            shape.predicate = after.group(1)
    if kind == "number":
        counted = re.search(r"\bhow (?:many|much) (?:more |other )?(?P<h>.+)", asked)
        named = re.search(r"\b(?P<h>[a-z-]+) number\b", asked)
        phrase = _noun_phrase(counted.group("h").split(), lexicon) if counted else []
        word = phrase[-1] if phrase else named.group("h") if named else ""
        # "how many (people) chased him": a verb right after "how many" counts whoever did it
        verb_counted = counted is not None and counted.group("h").split()[0] == word and word.endswith("ed")
        if (
            word
            and word not in AUXILIARIES | PRONOUNS | WH_WORDS | LIGHT_WORDS | {"the", "a", "an"}
            and not verb_counted
        ):
            shape.head = word
    if kind == "time":
        timed = re.search(r"\b(?:what|which) (?P<unit>time|year|day|days|month|date|hour|week)\b", asked)
        if timed:
            shape.category = TIME_CATEGORIES[timed.group("unit")]
    if kind == "person":
        who = _WHO_IS.search(asked)
        first = who.group("x").split()[0] if who else ""
        if who and not _SEQUENCE_ASK.search(asked) and not _verbish(first, lexicon):
            shape.subject = _strip_articles(who.group("x"))
        else:
            shape.verb = _who_verb(asked, lexicon)
    # "where was he hit" asks a body part; "where was the wounded man flown to" asks a place
    injured = [
        i
        for i, w in enumerate(tokens)
        if w in INJURY_VERBS and not (i + 1 < len(tokens) and _noun_after(tokens[i + 1]))
    ]
    if kind == "place" and (injured or _category_in(asked.split(), lexicon, anywhere=True) == "body part"):
        shape.category = "body part"
        shape.want("member")
    if kind:
        shape.want(kind)
    sort_of = _SORT_OF_THING.search(asked, shape.asked_words)
    if sort_of and shape.wants is None:  # "what sort of spot is panmunjom": what panmunjom is
        shape.wants, shape.subject = "definition", _strip_articles(sort_of.group("x"))
        return
    kind_of = _KIND_OF.search(asked, shape.asked_words)
    if kind_of and shape.wants in (None, "name"):
        category = _category_in(kind_of.group("x").split(), lexicon)
        shape.wants, shape.category = ("member", category) if category else ("kind", None)
        kinds = [w for w in kind_of.group("x").split() if w not in STOPWORDS and w not in AUXILIARIES]
        shape.head = kinds[-1] if kinds else kind_of.group("x").split()[0]
        return
    if shape.wants is None:
        _what_noun(asked, lexicon, shape)
    if shape.wants is None:
        _definition(asked, shape)
    if shape.wants is None:
        category = _category_in(asked.split(), lexicon)
        if category and not re.search(r"\b(?:did|does|was|were|is|had|has)\b", asked):
            shape.wants, shape.category = "member", category


_SPECIAL = _Cued(
    r"\b(?:why(?: is| was| are| were)?|what makes|what made) (?P<x>(?:the |a )?[a-z0-9 -]{2,40}?)"
    r"(?: is| was| are| were)? (?:so |that |really |practically |basically |pretty much )?"
    r"(?:special|unique|different|important|significant|famous|notable|distinctive|dangerous"
    r"|the only (?:place|spot|part|area|point|site)"
    r"|one of the (?:few|only) (?:places|spots|parts|areas|points|sites))\b",
    "why makes made",
)

_DIFFERS = _Cued(
    r"\b(?:how (?:is|was|are|were|does|did) (?P<x>(?:the |a )?[a-z0-9 -]{2,40}?) (?:so |really |any )?"
    r"(?:different|differ|unlike)|what is the difference between (?P<y>(?:the |a )?[a-z0-9 -]{2,40}?) and)\b",
    "different differ unlike difference",
)


def _relative(asked: str, at: int) -> bool:
    """A "who" right after a noun ("the guy who", "the soldier who") describes; it does not ask."""
    before = asked[:at].split()
    return bool(before) and before[-1] not in WH_WORDS | AUXILIARIES | STOPWORDS | _LEADS | PRONOUNS


_PLACE_HEADS = frozenset("location place spot site point whereabouts".split())


_ELAPSED = re.compile(r"\bhow many (?:years|months|weeks|days|hours|minutes|decades)\b.*\b(?:since|ago)\b")
_TOWARD = re.compile(
    r"^what\b.*\b(?:toward|towards|into)(?: (?:before|after|when|once)\b.*)?$|^(?:toward|towards|into|to) what\b"
)


def _what_noun(asked: str, lexicon: Lexicon, shape: _Shape) -> None:
    """'What weapon', 'which South Korean military spokesman': the noun phrase after what/which.  Its last noun
    (its head) names a category, a kind of person, or the thing the answer must be about."""
    match = re.search(r"\b(?:what|which)\s+(?P<rest>.*)", asked)
    if not match:
        return
    phrase = _noun_phrase(match.group("rest").split(), lexicon)
    if not phrase:
        if match.group("rest").split()[:1] and match.group("rest").split()[0] in AUXILIARIES:
            rest = match.group("rest").split()[1:]
            # "what was he driving", "what was the guy who ran across driving"
            verbs = [w for w in rest if _verbish(w, lexicon)]
            category = _category_in(rest, lexicon) or _category_in(verbs, lexicon, anywhere=True)
            if category:
                shape.wants, shape.category = "member", category
        return
    category = _category_in(phrase, lexicon)
    if category:
        shape.wants, shape.category = "member", category
        return
    head = phrase[-1]
    if head in _PLACE_HEADS:  # "which location along the border", "what spot"
        shape.want("place")
        return
    if head in lexicon.person_words or stem(head) in {stem(w) for w in lexicon.person_words}:
        shape.want("person")
        return
    if head not in SHAPE_WORDS and head not in STOPWORDS:
        shape.head = head


def _noun_phrase(tokens: list[str], lexicon: Lexicon) -> list[str]:
    """The noun phrase a question starts its object with ("south korean military spokesman" in "which south
    korean military spokesman gave..."): up to four words, ended by an auxiliary, pronoun, preposition or verb."""
    phrase: list[str] = []
    compound: list[str] = []
    starts = _starts(lexicon).names
    for i, word in enumerate(tokens):
        if compound and compound[0] == word:
            compound.pop(0)
            phrase.append(word)  # "top [united states] diplomat": a name of several words, not a verb
            continue
        compound = (
            next((tokens[i + 1 : i + n] for n in (4, 3, 2) if " ".join(tokens[i : i + n]) in lexicon.names), [])
            if word in starts
            else []
        )
        if compound and phrase:
            phrase.append(word)
            continue
        if word in AUXILIARIES or word in PRONOUNS or word in PREPOSITIONS or word in VERBS_AFTER_WHAT:
            break
        if word in ("a", "an", "the"):
            if phrase:
                break  # "the crucial moments the doc mentioned": a second noun phrase
            continue
        if phrase and _verbish(word, lexicon) and word not in lexicon.category_of_head:
            break  # a verb ends the noun phrase: "which spokesman gave..."
        if phrase and phrase[-1].endswith("s") and not phrase[-1].endswith("ss") and is_english(f"{word}ed"):
            break  # "how many soldiers [guard] it": after a plural noun, a word that takes -ed is its verb
        phrase.append(word)
        if len(phrase) == 4:
            break
    return phrase


def _plural_noun(word: str, lexicon: Lexicon) -> bool:
    """'soldiers', 'rounds': a plural of another form in its group, taken for a noun."""
    return word.endswith("s") and word[:-1] in lexicon.form_of.get(word, ())


def _nominal(word: str) -> bool:
    return word.endswith(("tion", "sion", "ment", "ness", "ity", "ance", "ence"))


@lru_cache(maxsize=16384)
def _verbish(word: str, lexicon: Lexicon) -> bool:
    """'shooting', 'pulled', 'drove': a verb (a form of a word that has -ed or -ing forms, and no plural noun),
    not a name or a noun."""
    if word.endswith(("ing", "ed")):
        return True
    if _nominal(word):
        return False  # "operation", "movement": nouns, even when the lexicon lists "operated" with them
    if word in LIGHT_WORDS and word not in ("across", "past", "end", "use", "start", "take"):
        return True  # "which official gave the account": gave, took, made, got, came...
    forms = lexicon.form_of.get(word, ())
    return (
        any(f.endswith(("ed", "ing")) for f in forms)
        and not _plural_noun(word, lexicon)
        and word not in lexicon.person_words
    )


def _who_verb(asked: str, lexicon: Lexicon) -> str:
    """The act a 'who' question asks the doer of: 'who [opened fire]', 'who was [shooting] at him'."""
    match = re.search(r"\b(?:who|whom)\s+(?P<rest>.*)", asked)
    rest = match.group("rest").split() if match else []
    passive = len(rest) >= 2 and rest[0] in _PASSIVE
    if passive and (_participle(rest[1]) or (not rest[1].endswith("ing") and _verbish(rest[1], lexicon))):
        return ""  # "who got photographed by...", "who was shot": the one it was done to, named anywhere
    for word in rest:
        if word in AUXILIARIES or (word in STOPWORDS and word not in ("not",)):
            continue
        return word if _verbish(word, lexicon) or word not in lexicon.person_words else ""
    return ""


_PASSIVE = frozenset("was were is are got get gets been be being".split())
_IRREGULAR_PARTICIPLES = frozenset("shot hit hurt struck caught held brought sent told found kept left seen".split())


def _participle(word: str) -> bool:
    return word.endswith(("ed", "en")) or word in _IRREGULAR_PARTICIPLES


def _definition(asked: str, shape: _Shape) -> None:
    match = (
        _WHAT_IS.search(asked)
        or _WHAT_X_IS.search(asked)
        or _ABOUT.search(asked)
        or _MEAN.search(asked)
        or _DESCRIBE.search(asked)
    )
    if match:
        subject = _strip_articles(next(g for g in match.groupdict().values() if g))
        # "the role of the United Nations Command": what it is
        subject = re.sub(
            r"^(?:role|job|function|purpose|significance|importance|meaning|point) of (?:the )?", "", subject
        )
        shape.wants, shape.subject = "definition", subject
        # "the population of Seoul": the answer must be about the population
        of = re.match(r"(?P<n>[a-z-]+) of ", shape.subject)
        if of and of.group("n") not in SHAPE_WORDS and of.group("n") not in STOPWORDS:
            shape.head = of.group("n")


def _strip_articles(text: str) -> str:
    return re.sub(r"^(?:a|an|the)\s+", "", text.strip(" ?.!")).strip()


def _named(text: str) -> str | None:
    """What a 'name' question names: 'the name of the hospital', 'the doctor's name', 'surgeon name'."""
    match = re.search(r"\bnames? of (?:the |a |an |his |her |their )?(?P<x>[a-z -]+)", text)
    if match:
        return re.split(r" (?:who|that|which|where|when|whose|he|she|they) ", match.group("x"))[0].strip()
    match = re.search(r"(?:the |his |her |their )?(?P<x>[a-z-]+(?: [a-z-]+)?) names?\b", text)
    if match:
        candidate = [w for w in match.group("x").split() if w not in AUXILIARIES | WH_WORDS | PRONOUNS]
        return " ".join(candidate) or None
    return None


def _category_in(tokens: list[str], lexicon: Lexicon, *, anywhere: bool = False) -> str | None:
    """The category the first words (or, if `anywhere`, any words) name ('weapon', 'body parts', 'car')."""
    heads = lexicon.category_of_head
    starts = _starts(lexicon).heads
    for size in (3, 2, 1):
        for start in range(0, len(tokens) if anywhere else min(len(tokens), 3)):
            if tokens[start] not in starts:
                continue
            phrase = " ".join(tokens[start : start + size])
            if phrase in heads:
                return heads[phrase].name
    return None


class _Starts(NamedTuple):
    names: frozenset[str]
    heads: frozenset[str]


@lru_cache(maxsize=8)
def _starts(lexicon: Lexicon) -> _Starts:
    """The first words of the lexicon's names of several words and of its category heads: a word no name or head
    starts with needs no look-up of the phrases it starts (once per lexicon)."""
    return _Starts(
        frozenset(name.split(" ")[0] for name in lexicon.names),
        frozenset(head.split(" ")[0] for head in lexicon.category_of_head),
    )


# ---- concepts -----------------------------------------------------------------------------------------


def analyse(question: str, vocab: Vocabulary, lexicon: Lexicon) -> Question:
    """Read a question: its cleaned text, its shape, and its concepts weighted by rarity."""
    corrections: dict[str, str] = {}
    text, asides = clean(question, lexicon, vocab, corrections)
    if not text:
        text, asides = asides, ""
    shape = _shape(text, lexicon, question.rstrip().endswith("?"))
    _guessed_kind(text, asides, lexicon, shape)
    evidence = _EVIDENCE_ASK.match(text)
    if evidence:  # "how did officials find out how many shots": what they went by, not a count
        shape.wants, shape.category, shape.head, shape.predicate = "evidence", None, None, ""
        text = text[evidence.end() :].strip() or text  # (the asking words are no part of the answer)
    asked_whether = shape.yes_no
    wrong_dates = _wrong_dates(text, shape, vocab)
    typed = fold(question)
    typed_words = _words_in(typed)
    present = _words_in(text)
    # "did he make it there?", "how did he manage to drive all the way across?": did the attempt work
    # ("what stopped him from getting there": why an attempt failed)
    outcome = (
        (shape.yes_no and bool(_OUTCOME.search(typed)))
        or bool(_MANAGED.search(text))
        or ("from" in typed and bool(_PREVENTED.search(typed.replace("’", "'"))))
    )
    negated = not shape.yes_no and bool(_NEGATED.search(text, present))
    # "is he still alive today": a state the article cannot settle after its own days ("where is he now" it can)
    beyond = bool(lexicon.beyond_pattern.search(text)) and bool(lexicon.outcome_pattern.search(text))
    premise_words = set(words(shape.premise, split_hyphens=False)) if shape.premise else set()
    scope_words = _scope_words(lexicon)
    tokens = text.split()
    shape.determined = frozenset(
        b for a, b in itertools.pairwise(tokens) if a in ("a", "an", "any", "the", "his", "her", "their")
    )
    # (a question typed all in lower case names nothing this way)
    capitalised = () if question.islower() else _CAPITALISED.finditer(question)
    shape.capitalised = frozenset(fold(m.group(0)) for m in capitalised)
    required_words = _required(shape, outcome)
    subject_words = set(shape.subject.split()) if shape.subject else set()
    concepts: list[Concept] = []
    seen: set[str] = set()
    aside_words = set(words(asides, split_hyphens=False)) if asides else set()
    for group, written in _groups(f"{text} , {asides}" if asides else text, lexicon):
        key = " ".join(group)
        if key in seen:
            continue
        if len(group) == 1:
            word = group[0]
            if len(word) < 2 or word in WH_WORDS or (word in STOPWORDS and word != "not"):
                continue
            if word in scope_words:
                continue  # "now", "in the end": when, not what (the article's latest is all it can say)
            if word in SHAPE_WORDS and word != shape.head and word not in subject_words:
                continue
            if word in wrong_dates:
                continue  # "did it happen on sunday": the day is what the answer gives
            if shape.wants == "statement" and word in _STATEMENT_WORDS:
                continue  # "un command statement?": what is wanted, not a word the answer holds
        seen.add(key)
        premise = all(w in premise_words for w in group)
        aside = all(w in aside_words for w in group) and not any(w in text.split() for w in group)
        required = any(w in required_words for w in group)
        concept = _concept(group, written, vocab, lexicon, shape, premise=premise, required=required and not aside)
        if _names_category(key, shape, lexicon):
            if not concept.known:
                continue  # "what is his job": "job" names the kind of answer, no word the answer holds
            concept = replace(concept, required=False, names_kind=True)
        if aside:
            concept = replace(concept, aside=True, required=False, premise=True)
        if any(c.exact == concept.exact for c in concepts):
            continue
        concepts.append(concept)
    opening = text.split()[0] if text.split() else ""
    fragment = opening not in AUXILIARIES and not any(t in WH_WORDS for t in text.split())
    if concepts and not (shape.wants or shape.yes_no) and fragment:
        first = concepts[0]
        if not first.known and not first.aside and not first.premise:
            # "punishment for the 4 northern shooters": a fragment is about its first noun, which the story lacks
            concepts[0] = replace(first, required=True)
    premises = [c for c in concepts if c.premise and not c.aside]
    clause = set(premise_words) & PRONOUNS or any(w.endswith(("ed", "ing")) for w in premise_words)
    if premises and not clause and not any(c.known for c in premises):
        # "how many days till christmas": a point in time the story never names is no premise, it is the topic
        # (a clause is: "before he collapsed" tells of the story in words it lacks)
        concepts = [replace(c, premise=False, required=True) if c in premises else c for c in concepts]
    refers_to_story = not present.isdisjoint(("it", "this", "that"))
    if concepts and all(c.aside for c in concepts):  # "..., which month was that?": the talk holds the topic
        concepts = [replace(c, aside=False, premise=c.word in premise_words) for c in concepts]
        if refers_to_story and (shape.wants or shape.yes_no):
            # "convenient that there were no tourists. what day was it": "it" is still the story's event
            concepts += [
                replace(
                    _concept((word,), word, vocab, lexicon, shape, premise=False, required=False),
                    aside=True,
                    story=True,
                )
                for word in lexicon.story_words
            ]
    if (
        (shape.wants or shape.yes_no)
        and not any(c.known or not c.aside for c in concepts)
        and (refers_to_story or len(text.split()) <= 3)
    ) or _STORY_HAPPENED.search(text, present):
        # "what day did it happen?": the story's own event (not "hometown?", which names what the story lacks)
        for word in lexicon.story_words:
            concept = _concept((word,), word, vocab, lexicon, shape, premise=False, required=False)
            concepts.append(replace(concept, story=True))
    return Question(
        text=question,
        cleaned=text,
        wants=shape.wants,
        category=shape.category,
        head=shape.head,
        subject=shape.subject,
        speaker=_speaker(shape.speaker),
        topic=shape.topic,
        verb=shape.verb,
        predicate=shape.predicate,
        options=_options(text) or (_options(f"{text} , {asides}") if asides else ()),
        relation=shape.relation,
        yes_no=shape.yes_no,
        negated=negated,
        beyond=beyond,
        outcome=outcome,
        personal=bool(_PERSONAL.search(typed, typed_words)),
        whereabouts=shape.wants == "place"
        and bool(_NOW.search(text))
        and all(set(c.word.split()) <= PROTAGONIST | {"north", "korean"} for c in concepts),
        wrong_date=asked_whether and bool(wrong_dates),
        ahead=shape.wants != "sequence" and bool(_AHEAD.search(typed, typed_words)),
        concepts=tuple(concepts),
        corrections=corrections,
    )


@lru_cache(maxsize=8)
def _scope_words(lexicon: Lexicon) -> frozenset[str]:
    """The lexicon's one-word beyond-scope words ("now"), once per lexicon."""
    return frozenset(item for item in lexicon.beyond_scope if " " not in item)


def _groups(text: str, lexicon: Lexicon) -> list[tuple[tuple[str, ...], str]]:
    """The question's words, with the lexicon's multi-word names ("joint security area", "end up") kept together:
    (the words that carry meaning, the phrase as written)."""
    out: list[tuple[tuple[str, ...], str]] = []
    position = 0
    for match in lexicon.compound_pattern.finditer(text):
        out.extend(((w,), w) for w in words(text[position : match.start()], split_hyphens=False))
        compound = tuple(w for w in words(match.group(0), split_hyphens=False) if w not in STOPWORDS)
        if compound:
            out.append((compound, match.group(0)))
        position = match.end()
    out.extend(((w,), w) for w in words(text[position:], split_hyphens=False))
    return out


def _required(shape: _Shape, outcome: bool) -> set[str]:
    """Words an answer must hold: the head of 'what N', the thing a 'name' question names, what a yes/no question
    asks happened, and (when the story knows the word) the head of the question's subject."""
    out: set[str] = set()
    if shape.head:
        out.add(shape.head)
    if shape.predicate and shape.yes_no and shape.wants is None and not outcome:
        out.add(shape.predicate)  # (not "did he manage to [reach] it": the answer says how it went, in its words)
    if shape.predicate and shape.wants in (None, "member", "kind") and _WHAT_DID.match(shape.asked):
        out.add(shape.predicate)  # "what did the investigation find": what it found, not that it is going on
    if shape.wants == "name" and shape.subject:
        out.update(w for w in shape.subject.split() if w not in STOPWORDS)
    return out


_WHAT_DID = re.compile(r"^(?:and |so )?(?:what|which \w+) (?:did|does|do|will|would) ")


def _guessed_kind(text: str, asides: str, lexicon: Lexicon, shape: _Shape) -> None:
    """'What did he use to get to the border, some kind of car?': the guess names the kind of answer wanted;
    'which hospital exactly, name': a name is."""
    if shape.wants is not None or shape.yes_no or not text.startswith(("what", "which")):
        return
    if asides.strip() in ("name", "the name", "its name", "names", "name please"):
        shape.wants = "name"
        return
    kind_of = _KIND_OF.pattern.search(asides) or re.search(r"\b(?:a|an|some) (?P<x>[a-z-]+)$", asides)
    category = _category_in(kind_of.group("x").split(), lexicon) if kind_of else None
    if category:
        shape.wants, shape.category = "member", category
        purpose = re.search(r"\b(?:use|used|take|took) (to .+)$", text)
        if purpose and not shape.premise:  # "what did he use [to get to the border]": why, not what
            shape.premise = purpose.group(1)


def _speaker(said_by: str) -> tuple[str, ...]:
    """The words naming who spoke; "he" is the story's soldier ("did he say anything when he woke up")."""
    if said_by.strip() in ("he", "him"):
        return ("soldier",)
    if not said_by:
        return ()
    return tuple(w for w in words(said_by, split_hyphens=False) if w not in STOPWORDS)


def _wrong_dates(text: str, shape: _Shape, vocab: Vocabulary) -> set[str]:
    """Weekdays and months the story never names: "did it happen on sunday?" asks which day it was."""
    wrong = {w for w in text.split() if w in _CALENDAR and stem(w) not in vocab.doc_freq}
    if wrong and (shape.yes_no or shape.wants in (None, "time", "sequence")):
        shape.wants, shape.category, shape.yes_no = "time", _CALENDAR[min(wrong)], False
    return wrong


def _names_category(word: str, shape: _Shape, lexicon: Lexicon) -> bool:
    """'job' in "what is his job", 'vehicle' in "which vehicle": the category the answer is a member of."""
    if shape.wants != "member":
        return False
    heads = lexicon.category_of_head
    category = heads.get(word) or next((heads[b] for b in _bases(word) if b in heads), None)  # "riding": ride
    if (category is None or category.name != shape.category) and " " not in word:
        # "which body parts": each word of a head of several words
        category = next(
            (c for h, c in heads.items() if " " in h and word in h.split() and c.name == shape.category), None
        )
    return category is not None and category.name == shape.category


@lru_cache(maxsize=16384)
def _forms(word: str, lexicon: Lexicon) -> frozenset[str]:
    """The stems of a word and of its other forms (ran -> run, running), remembered per word and lexicon."""
    return frozenset({stem(word), *(stem(f) for f in lexicon.form_of.get(word, ()))} | _twins(word))


@lru_cache(maxsize=16384)
def _index_words(
    group: tuple[str, ...], written: str, lexicon: Lexicon
) -> tuple[tuple[frozenset[str], ...], frozenset[str], frozenset[str]]:
    """A concept's words (one word, or a name the lexicon knows) as index words: the stems of each word and its
    forms, all of them together, and those with what its synonyms, abbreviations and opposites add.  They depend on
    the words and the lexicon only, so they are worked out once per word and lexicon, not per question."""
    phrase = " ".join(group)
    parts = tuple(_forms(w, lexicon) for w in group)
    exact = frozenset().union(*parts)
    alternatives = set(exact)
    singular = [w[:-1] for w in (phrase,) if w.endswith("s") and len(w) > 3]
    bases = [b for w in group for b in _bases(w)] if len(group) == 1 else []
    synonyms = _synonym_stems(lexicon)
    for item in dict.fromkeys((written, phrase, *group, *singular, *bases, *lexicon.form_of.get(phrase, ()))):
        if item in synonyms:
            # a phrase stands for a single word only as a whole: "look into" is no synonym of "investigate"'s
            # "look"; a several-word name may stand for another ("demarcation line", "dividing line")
            alternatives.update(synonyms[item][len(group) > 1 and item in (written, phrase)])
    alternatives.update(_abbreviated(lexicon).get(phrase, ()))
    if len(group) == 1:
        alternatives.update(stem(w) for w in _opposites(group[0]))
    return parts, exact, frozenset(alternatives)


def _concept(
    group: tuple[str, ...],
    written: str,
    vocab: Vocabulary,
    lexicon: Lexicon,
    shape: _Shape,
    *,
    premise: bool,
    required: bool,
) -> Concept:
    phrase = " ".join(group)
    parts, exact, alternatives = _index_words(group, written, lexicon)
    known_exact = {a for a in exact if a in vocab.doc_freq}
    known = {a for a in alternatives if a in vocab.doc_freq}
    word = group[-1]
    if known_exact or known:
        # the rarest word weighs most: the greatest idf is that of the least document frequency
        weight = vocab.idf_of(min(vocab.doc_freq[a] for a in (known_exact or known)))
        # "how long did his first operation last": the answer is about the operation
        required = required or (shape.topic_determined and bool(shape.topic) and word == shape.topic[-1])
        # "how many shots did [south koreans] fire": a name of several words that is the subject
        # (not "the [north korean] guy": a word for the soldier follows, and "the soldier was shot" answers)
        required = required or (
            len(group) > 1
            and bool(shape.topic)
            and shape.topic[-1] in group
            and not re.search(rf"\b{re.escape(phrase)} (?:{'|'.join(PROTAGONIST)})\b", shape.asked)
        )
        # "why did [Pence] visit the DMZ": a name the asker capitalised, as the subject (Trump's visit is no answer)
        required = required or (word in shape.capitalised and word in shape.topic)
    elif word in shape.capitalised:
        weight = NAME_WEIGHT * vocab.max_idf  # "Japan", "Moon": a name the story lacks
        required = True
    elif shape.yes_no and (is_english(word) or looks_misspelt(word)):
        weight = YES_NO_WEIGHT * vocab.max_idf
        # "did he have a family", "did they find parasites": about a family, about parasites
        plural_noun = word.endswith("s") and not word.endswith("ss") and is_english(word[:-1], derived=False)
        required = required or word in shape.determined or plural_noun
    elif is_english(word) or word in lexicon.known_words or (len(word) >= 5 and looks_misspelt(word)):
        weight = ENGLISH_WEIGHT * vocab.max_idf
        # "what colour was the zeppelin": about the zeppelin
        required = required or (word in shape.topic and shape.wants in ("member", "definition", "name", "kind"))
    else:
        weight = NAME_WEIGHT * vocab.max_idf  # a name or a thing the story never mentions
        required = True
    if len(group) == 1 and word in LIGHT_WORDS:
        weight *= LIGHT_WEIGHT
    if premise:
        weight *= PREMISE_WEIGHT
    return Concept(
        phrase,
        exact,
        frozenset(known or alternatives),
        weight,
        bool(known),
        required,
        premise,
        parts if len(parts) > 1 else (),
    )


@lru_cache(maxsize=8)
def _synonym_stems(lexicon: Lexicon) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Each word or phrase with synonyms -> the index words its synonyms add to a concept, as (those of its
    one-word synonyms, those of all its synonyms).  A synonym adds the stems of its words ("security-camera" stands
    for "footage" whole: its "security" does not) and of its forms ("talked" stands for "tell", which the story
    says as "told").  Built once per lexicon (hashed by identity), not per question."""
    stems: dict[str, frozenset[str]] = {}
    for others in lexicon.synonyms_of.values():
        for synonym in others:
            if synonym not in stems:
                stems[synonym] = frozenset(
                    {stem(w) for w in words(synonym, split_hyphens=False) if w not in STOPWORDS}
                    | {stem(f) for f in lexicon.form_of.get(synonym, ())}
                )
    out: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for item, others in lexicon.synonyms_of.items():
        single = frozenset().union(*(stems[s] for s in others if " " not in s))
        out[item] = (single, frozenset().union(single, *(stems[s] for s in others)))
    return out


@lru_cache(maxsize=8)
def _abbreviated(lexicon: Lexicon) -> dict[str, frozenset[str]]:
    """What an abbreviation stands for -> the stems of its short forms made of letters only ("joint security
    area" -> "jsa"): once per lexicon, not a pass over every abbreviation for each concept."""
    out: dict[str, set[str]] = {}
    for short, long in lexicon.abbreviations.items():
        if short.isalpha():
            out.setdefault(long, set()).add(stem(short))
    return {long: frozenset(shorts) for long, shorts in out.items()}


@lru_cache(maxsize=16384)
def _bases(word: str) -> tuple[str, ...]:
    """What a regular inflection is made from ("talked" -> "talk", "tried" -> "try"), to look its synonyms up."""
    out = []
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)] + replacement
            out.append(base[:-1] if suffix in ("ed", "ing") and len(base) > 3 and base[-1] == base[-2] else base)
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        out.append(word[:-1])
    return tuple(out)


def _opposites(word: str) -> list[str]:
    """A word's un- opposite, or the word an un- word negates ("conscious" <-> "unconscious", "armed" <->
    "unarmed"): an answer to "was he conscious?" may say he was unconscious."""
    if word.startswith("un") and len(word) >= 7 and is_english(word[2:], derived=False):
        return [word[2:]]
    if len(word) >= 4 and not word.startswith("un") and is_english(f"un{word}", derived=False):
        return [f"un{word}"]
    return []


_TWIN = dict(zip("one two three four five six seven eight nine ten".split(), map(str, range(1, 11)), strict=True))
_TWIN.update({v: k for k, v in _TWIN.items()})


def _twins(word: str) -> set[str]:
    """'five' and '5' are the same answer."""
    twin = _TWIN.get(word)
    return {twin} if twin else set()
