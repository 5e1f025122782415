"""The Discord front end's table of previewed imports waiting for their Confirm button: only the uploader may
take one, once; they expire, and only the latest are kept."""

from __future__ import annotations

from bot.discord_app.pending_imports import (
    EXPIRED,
    MAX_PENDING_IMPORTS,
    NOT_YOURS,
    PENDING_IMPORT_SECONDS,
    PendingImports,
)
from bot.models import ImportPlan

ALICE_ID, BOB_ID = 1001, 1002
PLAN = ImportPlan(added=(), changed=(), removed=(), unchanged=3)


def test_the_uploader_takes_it_once():
    table = PendingImports()
    token = table.hold(PLAN, ALICE_ID)
    assert table.take(token, BOB_ID) == NOT_YOURS
    taken = table.take(token, ALICE_ID)  # still there for its owner
    assert not isinstance(taken, str) and taken.plan is PLAN and taken.owner_id == ALICE_ID
    assert table.take(token, ALICE_ID) == EXPIRED  # spent
    assert len(table) == 0


def test_pending_imports_expire():
    now = [1000.0]
    table = PendingImports(clock=lambda: now[0])
    token = table.hold(PLAN, ALICE_ID)
    now[0] += PENDING_IMPORT_SECONDS + 1
    assert table.take(token, ALICE_ID) == EXPIRED


def test_only_the_latest_pending_imports_are_kept():
    table = PendingImports()
    tokens = [table.hold(PLAN, ALICE_ID) for _ in range(MAX_PENDING_IMPORTS + 2)]
    assert len(set(tokens)) == len(tokens) and len(table) == MAX_PENDING_IMPORTS
    assert table.take(tokens[0], ALICE_ID) == EXPIRED
    assert not isinstance(table.take(tokens[-1], ALICE_ID), str)
