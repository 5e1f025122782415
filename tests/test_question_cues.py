"""Question analysis skips a cued regex when the question holds none of its cue words (bot/answer/question.py,
`_Cued`): that is only safe while every match of the pattern holds a cue.  These tests try each pattern on
the tuning questions and on sentences made of the patterns' own words, and fail on a match without a cue."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.answer import question
from bot.text import fold

QUESTIONS = Path(__file__).parent / "questions"


def _cued() -> list[tuple[str, question._Cued]]:
    """Every cued regex of the module: on its own, in a tuple (_STATEMENT), or beside its kind (_WH_KINDS)."""
    found: list[tuple[str, question._Cued]] = []
    for name, value in vars(question).items():
        items = value if isinstance(value, tuple) else (value,)
        for i, item in enumerate(items):
            cued = item[1] if isinstance(item, tuple) and len(item) == 2 else item
            if isinstance(cued, question._Cued):
                found.append((f"{name}[{i}]" if isinstance(value, tuple) else name, cued))
    return found


CUED = _cued()
# Every word the patterns spell out, and a few that they do not: sentences of them reach most branches.
PATTERN_WORDS = sorted({w for _n, c in CUED for w in re.findall(r"[a-z]+", c.pattern.pattern)} | {"he", "x", "it"})


def _misses(text: str, cued: list[tuple[str, question._Cued]] = CUED) -> list[str]:
    """The cued patterns that match the text although it holds none of their cues."""
    words = question._words_in(text)
    return [name for name, c in cued if c.pattern.search(text) and c.cues.isdisjoint(words)]


def test_there_are_cued_patterns_to_check() -> None:
    names = {name.split("[")[0] for name, _c in CUED}
    assert len(CUED) >= 30 and {"_SEQUENCE", "_THEN_WHAT", "_STATEMENT", "_WH_KINDS"} <= names


def test_no_tuning_question_matches_a_pattern_without_its_cue() -> None:
    lines = [line for path in sorted(QUESTIONS.glob("*.jsonl")) for line in path.read_text().splitlines()]
    texts = [fold(json.loads(line)["q"]) for line in lines if line.strip()]
    assert len(texts) > 500
    assert {text: _misses(text) for text in texts if _misses(text)} == {}


@hsettings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PATTERN_WORDS), min_size=1, max_size=8))
def test_sentences_of_the_patterns_words_never_match_without_a_cue(chosen: list[str]) -> None:
    text = " ".join(chosen)
    assert _misses(text) == []


def test_a_pattern_missing_a_cue_is_caught_and_skipped() -> None:
    broken = question._Cued(r"\bhow far\b|\bdistance\b", "far")  # "distance" is no cue
    assert _misses("what distance", [("broken", broken)]) == ["broken"]
    assert broken.search("what distance", question._words_in("what distance")) is None
