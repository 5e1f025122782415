"""Quiz scores, and the stamp that tells the quiz when the entries it asks about have changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.models import QuizAnswer, QuizScore
from bot.store.base import StoreBase, _now

_SCORE = "user_id, name, points, answered"
_ORDER = "points DESC, answered ASC, updated_at ASC, user_id"


class QuizScores(StoreBase):
    # ---- the quiz ---------------------------------------------------------------------------------

    async def quiz_stamp(self) -> tuple[int, ...]:
        """Moves on every change to the entries or the article (every write bumps an entry's version, an
        insert adds a row), so the quiz knows when to make its questions again."""
        entries = await self._one(
            "SELECT count(*), coalesce(sum(version), 0), coalesce(max(pk), 0), count(deleted_at) FROM entries"
        )
        paragraphs = await self._one("SELECT count(*), coalesce(sum(length(text)), 0) FROM paragraphs")
        return (*(int(v) for v in entries), *(int(v) for v in paragraphs))

    async def record_quiz_answers(self, board: str, answers: Sequence[QuizAnswer]) -> None:
        """Count one question's answers in one transaction: a point for each right one, an answer for each."""
        if not answers:
            return
        now = _now()
        async with self._transaction() as db:
            await db.executemany(
                "INSERT INTO quiz_scores (board, user_id, name, points, answered, first_at, updated_at) "
                "VALUES (?, ?, ?, ?, 1, ?, ?) "
                "ON CONFLICT (board, user_id) DO UPDATE SET name = excluded.name, "
                "points = points + excluded.points, answered = answered + 1, updated_at = excluded.updated_at",
                [(board, a.user_id, a.name, int(a.right), now, now) for a in answers],
            )

    async def quiz_leaderboard(self, board: str, limit: int = 10) -> list[QuizScore]:
        """The board's best players: most points first (equal points share a rank), fewer answers breaking ties."""
        rows = await self._rows(
            f"SELECT {_SCORE}, RANK() OVER (ORDER BY points DESC) AS rank FROM quiz_scores WHERE board = ? "
            f"ORDER BY {_ORDER} LIMIT ?",
            (board, limit),
        )
        return [_score(r) for r in rows]

    async def quiz_standing(self, board: str, user_id: str) -> tuple[QuizScore | None, int]:
        """One player's score and rank on a board (None if they never answered there), and the board's size."""
        players = await self._one("SELECT count(*) FROM quiz_scores WHERE board = ?", (board,))
        row = await self._one(
            f"SELECT {_SCORE}, 1 + (SELECT count(*) FROM quiz_scores o WHERE o.board = s.board "
            "AND o.points > s.points) AS rank FROM quiz_scores s WHERE board = ? AND user_id = ?",
            (board, user_id),
        )
        return (None if row is None else _score(row)), int(players[0])


def _score(row: Any) -> QuizScore:
    return QuizScore(str(row[0]), str(row[1]), int(row[2]), int(row[3]), int(row[4]))
