"""The offline console: the same handlers as on Discord, typed at a terminal."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.app import App
from bot.handlers import Reply, error
from bot.textrender import render

QUIT = frozenset({"quit", "exit", "q", ":q", "bye"})
BANNER = "StoryBot console: ask a question, or type help (quit to leave)."


def _page(argument: str) -> int | None:
    argument = argument.strip()
    if not argument:
        return 1
    return int(argument) if argument.isdigit() and len(argument) < 7 else None


async def dispatch(app: App, line: str) -> Reply:
    """Run one console line: `/command args`, `command args` or a plain question."""
    story = app.story
    text = line.strip()
    name, _, rest = text.lstrip("/").partition(" ")
    name = name.lower()
    rest = rest.strip()
    simple: dict[str, Callable[[], Awaitable[Reply]]] = {
        "ask": lambda: story.ask(rest),
        "quote": lambda: story.quote(rest or None),
        "who": lambda: story.who(rest),
        "explain": lambda: story.explain(rest),
        "about": story.about,
    }
    if name == "help":
        return story.help()
    if name in simple and (name != "about" or not rest):
        return await simple[name]()
    if name == "fact":
        # `fact 12`, `fact shot-five-times` (an id has a dash) or `fact injuries` (a topic)
        if "-" in rest and " " not in rest:
            return await story.fact(entry_id=rest)
        return await story.fact(topic=rest or None)
    if name in ("timeline", "search"):
        words, _, last = rest.rpartition(" ")
        if name == "timeline":
            page = _page(rest)
            return await story.timeline(page) if page else error("Usage: timeline [page number]")
        page = _page(last) if words else None
        return await story.search(words, page) if page else await story.search(rest)
    if name == "source":
        number = _page(rest) if rest else None
        return await story.source(number) if number else error("Usage: source <paragraph number>, e.g. source 8")
    if text.startswith("/"):
        return error(f"Unknown command /{name[:30]}. Type help for the list.")
    return await story.ask(text)


async def run_console(app: App, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    """Read lines until quit or end of input; each answer printed in at most 80 columns."""
    interactive = stdin.isatty()
    print(BANNER, file=stdout, flush=True)
    loop = asyncio.get_running_loop()
    while True:
        if interactive:
            print("\n> ", end="", file=stdout, flush=True)
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            break
        if not line.strip():
            continue
        if line.strip().lower() in QUIT:
            break
        reply = await dispatch(app, line)
        print(render(reply), file=stdout, flush=True)
        if not interactive:
            print(file=stdout, flush=True)
    print("Bye.", file=stdout, flush=True)
