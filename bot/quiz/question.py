"""A quiz question, and the template it is drawn from (the answer with every distractor that may stand beside it)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

OPTIONS = 4
LETTERS = "ABCD"
# Distractors are drawn from the most plausible few; a template keeps no more groups than this.
KEPT_GROUPS = 10


@dataclass(frozen=True, slots=True)
class Question:
    """Four options, exactly one right (`answer` is its index), resting on `entry` and its `paragraphs`."""

    question: str
    options: tuple[str, ...]
    answer: int
    kind: str
    entry: str
    paragraphs: tuple[int, ...]
    explanation: str  # what the story says, shown with the answer
    key: str  # the same for every draw of one template: "no question twice in a row" compares it
    shown: int = 0  # the cited paragraph that says the answer

    @property
    def right(self) -> str:
        return self.options[self.answer]

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "options": list(self.options),
            "answer": self.answer,
            "kind": self.kind,
            "entry": self.entry,
            "paragraphs": list(self.paragraphs),
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    """A wrong option; two candidates of one `group` never stand in the same question."""

    text: str
    group: str
    note: str = ""  # shown beside the option with the answer (an event's time)
    position: int = 0  # where the note puts the option (an event's sort key)


def most_plausible(candidates: Iterable[Candidate], groups: int = KEPT_GROUPS) -> tuple[Candidate, ...]:
    """The candidates of the first `groups` groups (candidates come most plausible first); stops reading there."""
    kept: list[Candidate] = []
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.group not in seen:
            if len(seen) == groups:
                break
            seen.add(candidate.group)
        kept.append(candidate)
    return tuple(kept)


@dataclass(frozen=True, slots=True)
class Template:
    """One question the store supports: the right answer and every distractor checked to be wrong, most
    plausible first.  Drawing picks three of the most plausible and shuffles the four options."""

    kind: str
    entry: str
    paragraphs: tuple[int, ...]
    question: str
    answer: str
    candidates: tuple[Candidate, ...]
    explanation: str
    answer_note: str = ""
    answer_position: int = 0
    shown: int = 0  # the cited paragraph that says the answer

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.entry}:{self.question}"

    def usable(self) -> bool:
        return len({c.group for c in self.candidates}) >= OPTIONS - 1

    def draw(self, rng: random.Random, shortlist: int = 6) -> Question:
        """Three distractors from the `shortlist` most plausible groups, and the options in random order."""
        firsts: dict[str, list[Candidate]] = {}
        for candidate in self.candidates:
            firsts.setdefault(candidate.group, []).append(candidate)
        groups = list(firsts)[: max(shortlist, OPTIONS - 1)]
        chosen = [rng.choice(firsts[g]) for g in rng.sample(groups, OPTIONS - 1)]
        options = [self.answer, *(c.text for c in chosen)]
        rng.shuffle(options)
        explanation = self.explanation
        if self.answer_note:  # the options with their notes, in order: "1953: ...", "Monday: ..."
            noted = [
                (self.answer_position, self.answer_note, self.answer),
                *((c.position, c.note, c.text) for c in chosen),
            ]
            explanation = "\n".join(f"{note}: {text}" for _, note, text in sorted(noted))
        return Question(
            question=self.question,
            options=tuple(options),
            answer=options.index(self.answer),
            kind=self.kind,
            entry=self.entry,
            paragraphs=self.paragraphs,
            explanation=explanation,
            key=self.key,
            shown=self.shown or (self.paragraphs[0] if self.paragraphs else 0),
        )
