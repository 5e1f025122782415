"""Synthetic stores for the benchmark: the real seed plus generated entries (never shipped)."""

from __future__ import annotations

import random
from itertools import accumulate
from pathlib import Path

from bot.app import ARTICLE_FILE, SEED_FILE
from bot.dataset import load_article, load_dataset
from bot.models import KINDS, Entry
from bot.store import Store

_SYLLABLES = "ka ri mo su ten bal dor vik lan pe ro ash mun jeo gal tri sen ob ul hae zin pa".split()


def _vocabulary(size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def synthetic_entries(count: int, seed: int = 7) -> list[Entry]:
    """`count` entries of every kind whose words follow a Zipf-like law over a 20,000-word vocabulary."""
    rng = random.Random(seed)
    vocab = _vocabulary(20_000, rng)
    # Cumulative weights computed once: random.choices would otherwise sum 20,000 weights on every call.
    weights = list(accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    entries: list[Entry] = []
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        words = rng.choices(vocab, cum_weights=weights, k=rng.randint(12, 30))
        text = " ".join(words).capitalize() + "."
        title = " ".join(rng.choices(vocab, cum_weights=weights, k=2)).title()
        extra = {
            "fact": {"topic": rng.choice(["escape", "injuries", "history", "visits"])},
            "quote": {"speaker": title},
            "event": {"when": f"day {number}", "sort": 10_000 + number},
            "person": {"name": title, "role": "synthetic person"},
            "term": {"term": title},
        }[kind]
        entries.append(
            Entry(
                kind=kind,
                id=f"syn-{number}",
                text=text[:340],
                keywords=tuple(rng.choices(vocab, k=3)),
                paragraphs=(1,),
                **extra,
            )
        )
    return entries


async def build_store(path: Path, data_dir: Path, total: int) -> Store:
    """A store holding the real seed plus synthetic entries up to `total` entries."""
    article = load_article(data_dir / ARTICLE_FILE)
    seed = load_dataset(data_dir / SEED_FILE, article)
    store = await Store.open(path)
    if not await store.is_seeded():
        await store.seed(article.paragraphs, seed + synthetic_entries(max(0, total - len(seed))), "benchmark")
    return store
