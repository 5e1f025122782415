"""The inbox at the command line: list it, teach a question to an entry, dismiss an item."""

from __future__ import annotations

import json
import sys

from bot.app import App
from bot.handlers import Reply
from bot.models import OPERATOR, InboxItem
from bot.textrender import plain, render


def item_json(item: InboxItem) -> str:
    """One inbox item as one line of JSON (the contract of `inbox --json`)."""
    data: dict[str, object] = {
        "id": item.id,
        "kind": item.kind,
        "questions": list(item.questions),
        "count": item.count,
        "askers": item.askers,
    }
    if item.entry_id is not None:
        data["entry"] = item.entry_id
    data.update(comments=list(item.comments), places=list(item.places), last_seen=item.last_seen)
    return json.dumps(data, ensure_ascii=False)


async def show_inbox(app: App, as_json: bool) -> int:
    items = await app.inbox.everything()
    if as_json:
        for item in items:
            print(item_json(item), flush=True)
    else:
        print(render(await app.inbox.listing(items)))
    return 0


async def teach(app: App, question: str, entry_id: str) -> int:
    return _done(await app.inbox.teach(question, entry_id, OPERATOR))


async def dismiss(app: App, item_id: int) -> int:
    return _done(await app.inbox.dismiss(item_id))


def _done(reply: Reply) -> int:
    """Print what was done (0), or one `error:` line saying why not (1)."""
    if reply.error:
        print(f"error: {' '.join(plain(reply.body).split())}", file=sys.stderr)
        return 1
    print(render(reply))
    return 0
