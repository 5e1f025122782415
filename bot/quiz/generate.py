"""Every question the store supports, and drawing them: entries in, questions out, the same for the same seed."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection, Iterable, Iterator

from bot.lexicon import Lexicon
from bot.models import Entry, Paragraph
from bot.quiz.gaps import gap_templates
from bot.quiz.order import order_templates
from bot.quiz.people import person_templates, speaker_templates, term_templates
from bot.quiz.pool import Pool
from bot.quiz.question import Question, Template

FAMILIES: tuple[Callable[[Pool], Iterator[Template]], ...] = (
    gap_templates,
    speaker_templates,
    person_templates,
    term_templates,
    order_templates,
)


class Quiz:
    """The questions one state of the store supports, by kind.  Drawing picks a kind (kinds with more
    questions a little more often), then a question of it, then its distractors and the order of options."""

    def __init__(self, entries: Iterable[Entry], paragraphs: Iterable[Paragraph], lexicon: Lexicon) -> None:
        pool = Pool(entries, paragraphs, lexicon)
        self.by_kind: dict[str, list[Template]] = {}
        seen: set[str] = set()
        for family in FAMILIES:
            for template in family(pool):
                if template.usable() and template.key not in seen:
                    seen.add(template.key)
                    self.by_kind.setdefault(template.kind, []).append(template)

    def __len__(self) -> int:
        return sum(len(t) for t in self.by_kind.values())

    @property
    def templates(self) -> list[Template]:
        return [t for kind in sorted(self.by_kind) for t in self.by_kind[kind]]

    def question(self, rng: random.Random, avoid: Collection[str] = ()) -> Question | None:
        """A question whose key is not in `avoid`; None when every question is."""
        kinds = {k: [t for t in ts if t.key not in avoid] for k, ts in sorted(self.by_kind.items())}
        kinds = {k: ts for k, ts in kinds.items() if ts}
        if not kinds:
            return None
        names = list(kinds)
        kind = rng.choices(names, weights=[math.sqrt(len(kinds[k])) for k in names])[0]
        return rng.choice(kinds[kind]).draw(rng)

    def questions(self, count: int, rng: random.Random) -> list[Question]:
        """`count` questions, none twice until every one has been asked, and never the same twice in a row."""
        out: list[Question] = []
        used: set[str] = set()
        for _ in range(count):
            last = {out[-1].key} if out else set()
            question = self.question(rng, used | last) or self.question(rng, last)
            if question is None:
                break
            if len(used) + 1 >= len(self):
                used.clear()
            used.add(question.key)
            out.append(question)
        return out
