"""Answer quality on a question file, by class of question: `python -m benchmarks.answer_quality FILE.jsonl`.

Each line is {"q": question, "expect": [substrings] or null, "class": optional tag}.  A question with expectations
passes when the bot answers (found) within 350 characters and the answer holds one of them (case-insensitive, curly
quotes folded); a question with null passes when the bot says it does not know.  The same rule as the evaluation
scorer, run in-process on a fresh store seeded from data/.  It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

from bot.app import open_app
from bot.config import DATA_DIR, Settings

# The writers' tags, gathered into the classes the README reports.
CLASSES = {
    "number": "number or quantity",
    "time": "time or date",
    "history": "time or date",
    "visits": "time or date",
    "person": "person",
    "organisation": "person",
    "place": "place",
    "category": "category member",
    "cause": "cause",
    "sequence": "sequence",
    "quote": "quote",
    "definition": "definition",
    "yes-no": "yes/no",
    "yes/no": "yes/no",
    "unanswerable-related": "not in the article (related)",
    "off-topic": "off-topic",
}


def normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    return " ".join(text.lower().split())


async def score(path: Path, show_misses: bool) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        app = await open_app(Settings(database_path=Path(folder) / "q.db", data_dir=DATA_DIR))
        try:
            passed: Counter[str] = Counter()
            total: Counter[str] = Counter()
            confident_wrong = unanswerable = 0
            for row in rows:
                answer = await app.answerer.ask(row["q"])
                label = CLASSES.get(row.get("class", ""), row.get("class") or "untagged")
                if row["expect"] is None:
                    unanswerable += 1
                    good = not answer.found
                    confident_wrong += answer.found
                else:
                    text = normal(answer.text)
                    good = answer.found and len(answer.text) <= 350 and any(normal(e) in text for e in row["expect"])
                total[label] += 1
                passed[label] += good
                if show_misses and not good:
                    print(f"MISS [{label}] {row['q']!r}\n     -> found={answer.found} {answer.text[:140]!r}")
        finally:
            await app.close()
    width = max(len(label) for label in total)
    print(f"{'class':<{width}}  passed")
    for label in sorted(total, key=lambda k: (-total[k], k)):
        print(f"{label:<{width}}  {passed[label]}/{total[label]}")
    print(
        f"{'all':<{width}}  {sum(passed.values())}/{sum(total.values())} "
        f"({100 * sum(passed.values()) / max(1, sum(total.values())):.0f} %)"
    )
    print(f"confident answers to unanswerable questions: {confident_wrong} of {unanswerable}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a JSONL question file (tests/questions/tune.jsonl)")
    parser.add_argument("--misses", action="store_true", help="print every question that did not pass")
    args = parser.parse_args()
    asyncio.run(score(args.file, args.misses))


if __name__ == "__main__":
    main()
