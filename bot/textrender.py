"""Rendering a Reply as plain text for the console and the CLI (80 columns)."""

from __future__ import annotations

import textwrap

from bot.handlers import Reply

WIDTH = 80


def _wrap(text: str, indent: str = "") -> list[str]:
    out: list[str] = []
    for line in text.splitlines() or [""]:
        out.extend(textwrap.wrap(line, WIDTH, initial_indent=indent, subsequent_indent=indent) or [""])
    return out


def render(reply: Reply) -> str:
    title = _wrap(reply.title.upper() if reply.error else reply.title)
    lines = [*title, "-" * min(max(len(t) for t in title), WIDTH)]
    if reply.body:
        lines.extend(_wrap(reply.body))
    for field in reply.fields:
        lines.append("")
        lines.extend(_wrap(field.name + ":"))
        lines.extend(_wrap(field.value, "  "))
    if reply.citation:
        lines.extend(["", *_wrap(f"[{reply.citation}]")])
    if reply.page and reply.page.total > 1:
        nxt = (
            f"; next: {reply.page.command} {reply.page.argument + ' ' if reply.page.argument else ''}"
            f"{reply.page.number + 1}"
            if reply.page.number < reply.page.total
            else ""
        )
        lines.extend(_wrap(f"(page {reply.page.number} of {reply.page.total}{nxt})"))
    return "\n".join(lines)
