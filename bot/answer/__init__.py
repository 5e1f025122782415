"""The answer engine: question normalisation, typo tolerance, ranking and abstention."""

from bot.answer.engine import MAX_ANSWER, MAX_QUESTION, Answer, Answerer, answer_text, shorten

__all__ = ["MAX_ANSWER", "MAX_QUESTION", "Answer", "Answerer", "answer_text", "shorten"]
