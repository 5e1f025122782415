"""Data for import tests and the import benchmark: many valid quotes, taken word for word from the article."""

from __future__ import annotations

import random
from typing import Any

from bot.dataset import load_article
from tests.conftest import DATA_DIR


def bulk_quotes(count: int = 10_000, seed: int = 10) -> list[dict[str, Any]]:
    """`count` quotes (about 430 bytes each as JSON), each a run of words from one paragraph of the article."""
    paragraphs = [p for p in load_article(DATA_DIR / "article.txt").paragraphs if len(p.text.split()) > 30]
    rng = random.Random(seed)
    quotes = []
    for number in range(count):
        paragraph = rng.choice(paragraphs)
        words = paragraph.text.split()
        start = rng.randrange(len(words) - 30)
        quotes.append(
            {
                "id": f"bulk-quote-{number}",
                "speaker": f"Witness {number % 97}",
                "context": "Said to reporters at the hospital in Suwon, south of Seoul, on the day of the operation.",
                "text": " ".join(words[start : start + rng.randint(25, 40)])[:340],
                "keywords": ["bulk", "witness", f"word{number % 13}", "hospital", "surgeon"],
                "paragraphs": [paragraph.number],
            }
        )
    return quotes
