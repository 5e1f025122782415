"""The quiz: multiple-choice questions generated from the store's entries (never written by hand).

`Quiz(entries, paragraphs, lexicon)` finds every question the entries support; `question(rng)` draws one.
Pure: entries in, questions out, the same questions for the same seed."""

from bot.quiz.generate import Quiz
from bot.quiz.question import LETTERS, OPTIONS, Question, Template

__all__ = ["LETTERS", "OPTIONS", "Question", "Quiz", "Template"]
