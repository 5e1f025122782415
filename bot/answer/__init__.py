"""The answer engine: question analysis, typo tolerance, answer types, ranking, timeline and abstention."""

from bot.answer.engine import MAX_ANSWER, MAX_QUESTION, Answer, Answerer, answer_text, citation_words, shorten

__all__ = ["MAX_ANSWER", "MAX_QUESTION", "Answer", "Answerer", "answer_text", "citation_words", "shorten"]
