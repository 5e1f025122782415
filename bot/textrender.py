"""Rendering a Reply as plain text for the console and the CLI (80 columns, Discord Markdown removed)."""

from __future__ import annotations

import re
import textwrap

from bot.handlers import Reply

WIDTH = 80

# Spans are bounded (one line, at most 500 characters): unbounded lazy matches on text full of unpaired
# markers take quadratic time, and a 100,000-character question would stall the console.
_CODE_BLOCK = re.compile(r"```(?:[a-z0-9_+-]*\n)?(.{0,4000}?)```", re.DOTALL | re.IGNORECASE)
_INLINE_CODE = re.compile(r"(`{1,2})([^`]{1,500}?)\1")
_ESCAPE = re.compile(r"\\([\\*_`~|>#\-\[\]()<@])")
_MASKED_LINK = re.compile(r"\[([^\]\n]{1,500})\]\(<?(https?://[^\s)>]{1,500})>?\)")
_ANGLE_LINK = re.compile(r"<(https?://[^\s>]{1,500})>")
# Paired markers, longest first: ** before *, __ before _.
_SPANS = tuple(
    re.compile(pattern.replace("BODY", r"[^\n]{1,500}?"))
    for pattern in (
        r"\*\*(?=\S)(BODY)(?<=\S)\*\*",
        r"__(?=\S)(BODY)(?<=\S)__",
        r"~~(?=\S)(BODY)(?<=\S)~~",
        r"\|\|(?=\S)(BODY)(?<=\S)\|\|",
        r"\*(?=[^\s*])(BODY)(?<=[^\s*])\*",
        r"(?<!\w)_(?=[^\s_])(BODY)(?<=[^\s_])_(?!\w)",
    )
)
_LINE_PREFIX = re.compile(r"^(?:>>> |> |#{1,3} |-# )", re.MULTILINE)
_HELD = "\ue000{}\ue001"  # private-use marks: a held-back piece of text, put back at the end
_HELD_BACK = re.compile("\ue000(\\d+)\ue001")


def plain(text: str) -> str:
    """Text as Discord shows it, without its Markdown: code keeps its content, escapes their character."""
    held: list[str] = []

    def hold(piece: str) -> str:
        held.append(piece)
        return _HELD.format(len(held) - 1)

    text = text.replace("\ue000", "").replace("\ue001", "")  # the marks are ours alone
    text = _CODE_BLOCK.sub(lambda m: hold(m[1].strip("\n")), text)
    text = _INLINE_CODE.sub(lambda m: hold(m[2]), text)
    text = _ESCAPE.sub(lambda m: hold(m[1]), text)
    text = _MASKED_LINK.sub(lambda m: hold(f"{m[1]} ({m[2]})"), text)
    text = _ANGLE_LINK.sub(lambda m: hold(m[1]), text)
    for span in _SPANS:
        previous = None
        while previous != text:  # nested spans: **bold *and italic***
            previous, text = text, span.sub(r"\1", text)
    text = _LINE_PREFIX.sub("", text)
    return _HELD_BACK.sub(lambda m: held[int(m[1])], text)


def _wrap(text: str, indent: str = "") -> list[str]:
    out: list[str] = []
    for line in plain(text).splitlines() or [""]:
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
        page = reply.page
        # The command that shows the next page, as the console reads it: `timeline 3`, `search jeep page 2`.
        target = f"{page.command} {page.argument} page" if page.argument else page.command
        nxt = f"; next: {target} {page.number + 1}" if page.number < page.total else ""
        lines.extend(_wrap(f"(page {page.number} of {page.total}{nxt})"))
    return "\n".join(lines)
