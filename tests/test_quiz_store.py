"""Quiz scores in SQLite: per board, ranked, counted in one transaction; and the stamp that follows every change."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from bot.models import OPERATOR, QuizAnswer
from bot.store import Store, StoreError
from bot.store.migrations import available


def answers(*triples):
    return [QuizAnswer(uid, name, right) for uid, name, right in triples]


async def test_scores_are_counted_per_board_and_ranked(store):
    await store.record_quiz_answers("guild:1", answers(("a", "Ann", True), ("b", "Bob", False), ("c", "Cy", True)))
    await store.record_quiz_answers("guild:1", answers(("a", "Ann", True), ("b", "Bob", True)))
    await store.record_quiz_answers("guild:2", answers(("b", "Bob", True)))
    top = await store.quiz_leaderboard("guild:1")
    assert [(s.name, s.points, s.answered, s.rank) for s in top] == [
        ("Ann", 2, 2, 1),
        ("Cy", 1, 1, 2),  # equal points share a rank; fewer answers go first
        ("Bob", 1, 2, 2),
    ]
    assert [(s.name, s.points) for s in await store.quiz_leaderboard("guild:2")] == [("Bob", 1)]
    assert await store.quiz_leaderboard("guild:3") == []


async def test_standing_of_a_player(store):
    await store.record_quiz_answers("dm:9", answers(("9", "Nine", False)))
    await store.record_quiz_answers("guild:1", answers(("a", "Ann", True), ("b", "Bob", False)))
    bob, players = await store.quiz_standing("guild:1", "b")
    assert (bob.points, bob.answered, bob.rank, players) == (0, 1, 2, 2)
    nobody, players = await store.quiz_standing("guild:1", "zz")
    assert nobody is None and players == 2
    mine, players = await store.quiz_standing("dm:9", "9")
    assert (mine.rank, players) == (1, 1)


async def test_the_latest_name_is_kept(store):
    await store.record_quiz_answers("guild:1", answers(("a", "Ann", True)))
    await store.record_quiz_answers("guild:1", answers(("a", "Annie", False)))
    (only,) = await store.quiz_leaderboard("guild:1")
    assert (only.name, only.points, only.answered) == ("Annie", 1, 2)


async def test_the_top_ten(store):
    await store.record_quiz_answers("g", answers(*((str(i), f"P{i}", i % 2 == 0) for i in range(25))))
    top = await store.quiz_leaderboard("g")
    assert len(top) == 10 and {s.points for s in top[:10]} == {1} and all(s.rank == 1 for s in top)


async def test_a_round_is_one_transaction(store):
    """A failing write leaves no answer of the round counted."""
    bad = answers(("a", "Ann", True), ("b", None, True))  # NOT NULL name: the second row fails
    with pytest.raises(StoreError):
        await store.record_quiz_answers("g", bad)
    assert await store.quiz_leaderboard("g") == []


async def test_the_stamp_moves_with_every_change(store):
    stamps = [await store.quiz_stamp()]
    entry = await store.get("shot-five-times")
    edited = await store.update(replace(entry, text=entry.text + " "), OPERATOR, entry.version)
    stamps.append(await store.quiz_stamp())
    await store.set_deleted("fact", "shot-five-times", True, OPERATOR)
    stamps.append(await store.quiz_stamp())
    await store.set_deleted("fact", "shot-five-times", False, OPERATOR)
    stamps.append(await store.quiz_stamp())
    await store.add(replace(edited, id="a-new-fact", version=1), OPERATOR)
    stamps.append(await store.quiz_stamp())
    assert len(set(stamps)) == len(stamps)
    await store.record_quiz_answers("g", answers(("a", "Ann", True)))
    assert await store.quiz_stamp() == stamps[-1]  # scores are not the story


async def test_an_older_database_gets_the_scores_table(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    first = available()[:1]
    with monkeypatch.context() as patch:  # a StoryBot that knew only the first migration
        patch.setattr("bot.store.migrations.available", lambda: first)
        await (await Store.open(path)).close()
    with sqlite3.connect(path) as db:
        assert [r[0] for r in db.execute("SELECT version FROM schema_migrations")] == [1]
    store = await Store.open(path)
    await store.record_quiz_answers("g", answers(("a", "Ann", True)))
    await store.close()
    with sqlite3.connect(path) as db:
        assert 5 in [r[0] for r in db.execute("SELECT version FROM schema_migrations")]
        assert db.execute("SELECT name, points FROM quiz_scores").fetchall() == [("Ann", 1)]
