"""The timeline as a PNG picture that reads on a phone: events in, PNG bytes out.

One row per event on a vertical line: the `when` label in bold, the text wrapped to the width, the cited
paragraphs small underneath. The background history is drawn compressed and muted, the days of the escape
on a coloured band with a heading that names the weekdays the labels give. `layout_timeline` decides where
everything goes; `render_timeline` only paints that layout, so tests can check the layout the picture shows.

Pure functions (no I/O, no asyncio): call them off the event loop. Pillow's FreeType calls hold the GIL,
so the cached fonts are safe to share between threads.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple, Protocol

from PIL import Image, ImageDraw, ImageFont

from bot.models import Entry
from bot.timeline_periods import Period, split_periods, weekdays_in

WIDTH = 1080
MAX_HEIGHT = 8_000
MIN_TEXT_PX = 14
MARGIN = 56
SPINE_X = 84
CONTENT_X = 128
CONTENT_WIDTH = WIDTH - CONTENT_X - MARGIN

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]  # left, top, right, bottom (right and bottom excluded)
Role = Literal["title", "heading", "subheading", "label", "text", "cite", "note"]

PAPER: RGB = (251, 250, 247)
INK: RGB = (28, 28, 30)
ACCENT: RGB = (176, 32, 32)


@dataclass(frozen=True, slots=True)
class Look:
    """How one period is drawn: font sizes in pixels, spacing and colours."""

    heading_px: int
    subheading_px: int
    label_px: int
    text_px: int
    cite_px: int
    row_gap: int
    dot_radius: int
    label_column: int  # 0: the label above the text; else the label beside it, in a column this wide
    spine_width: int
    heading: RGB
    label: RGB
    text: RGB
    cite: RGB
    spine: RGB
    band: RGB


LOOKS: dict[Period, Look] = {
    Period.BACKGROUND: Look(
        heading_px=30,
        subheading_px=24,
        label_px=26,
        text_px=26,
        cite_px=20,
        row_gap=20,
        dot_radius=9,
        label_column=170,
        spine_width=3,
        heading=(96, 96, 100),
        label=(88, 88, 92),
        text=(104, 104, 108),
        cite=(140, 140, 144),
        spine=(196, 196, 198),
        band=(236, 235, 231),
    ),
    Period.ESCAPE: Look(
        heading_px=38,
        subheading_px=28,
        label_px=34,
        text_px=31,
        cite_px=22,
        row_gap=34,
        dot_radius=13,
        label_column=0,
        spine_width=6,
        heading=ACCENT,
        label=ACCENT,
        text=INK,
        cite=(112, 108, 108),
        spine=ACCENT,
        band=(252, 235, 232),
    ),
}
TITLE_PX = 44
MAX_TITLE = 200
NOTE_PX = 26


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Wrapped text as drawn: its lines, the box they fill, the font size; `event` indexes the events drawn."""

    role: Role
    lines: tuple[str, ...]
    box: Box
    size: int
    line_height: int
    colour: RGB
    bold: bool = False
    event: int | None = None


@dataclass(frozen=True, slots=True)
class Shape:
    kind: Literal["rect", "dot"]
    box: Box
    colour: RGB
    outline: RGB | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """Everything the picture shows; `drawn` events fitted, `omitted` did not (see MAX_HEIGHT)."""

    width: int
    height: int
    texts: tuple[TextBlock, ...]
    shapes: tuple[Shape, ...]
    drawn: int
    omitted: int

    def blocks(self, role: Role) -> list[TextBlock]:
        return [t for t in self.texts if t.role == role]


def render_timeline(events: Sequence[Entry], *, title: str) -> bytes:
    """The PNG picture of the timeline (events in timeline order, as the store gives them)."""
    layout = layout_timeline(events, title=title)
    image = Image.new("RGB", (layout.width, layout.height), PAPER)
    draw = ImageDraw.Draw(image)
    for shape in layout.shapes:
        if shape.kind == "rect":
            draw.rectangle(_inclusive(shape.box), fill=shape.colour)
        else:
            draw.ellipse(_inclusive(shape.box), fill=shape.colour, outline=shape.outline, width=4)
    for block in layout.texts:
        face = _face(block.size, block.bold)
        left, top = block.box[0], block.box[1]
        for i, line in enumerate(block.lines):
            face.draw(image, (left, top + i * block.line_height), line, block.colour)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


@lru_cache(maxsize=4)
def render_timeline_cached(events: tuple[Entry, ...], *, title: str) -> bytes:
    """`render_timeline`, remembered for the last few timelines: any edit to an event changes the key."""
    return render_timeline(events, title=title)


def layout_timeline(events: Sequence[Entry], *, title: str) -> Layout:
    """Where every heading, label, text, citation, band and dot of the picture goes."""
    if len(title) > MAX_TITLE:
        raise ValueError(f"the title of the timeline picture is limited to {MAX_TITLE} characters")
    for event in events:
        if event.kind != "event":
            raise ValueError(f"the timeline draws events only, not the {event.kind} {event.id!r}")
    title_block = _text_block("title", title, TITLE_PX, INK, top=MARGIN, bold=True)
    page = _Page(title_block)
    if not events:
        page.texts.append(_text_block("note", "No events yet.", NOTE_PX, LOOKS[Period.BACKGROUND].text, top=page.y))
        return page.finish()
    for run in split_periods(events):
        if not page.add_section(run.period, run.events):
            break
    omitted = len(events) - page.drawn
    if omitted:
        noun = "event" if omitted == 1 else "events"
        note = f"+ {omitted} more {noun}, not drawn: too many for one picture."
        page.texts.append(_text_block("note", note, NOTE_PX, INK, top=page.y + 24))
    return page.finish(omitted)


class _Row(NamedTuple):
    blocks: list[TextBlock]
    dot: Shape
    bottom: int


class _Page:
    """The layout being built, top to bottom; sections are added while they fit under MAX_HEIGHT."""

    def __init__(self, title: TextBlock) -> None:
        self.texts = [title]
        self.shapes: list[Shape] = []
        self.backdrops: list[Shape] = []
        self.y = title.box[3] + 24
        self.drawn = 0
        # Room kept for the "+ N more events" note, so the picture never outgrows MAX_HEIGHT.
        self.limit = MAX_HEIGHT - MARGIN - 24 - 2 * _face(NOTE_PX, False).line_height

    def add_section(self, period: Period, events: Sequence[Entry]) -> bool:
        """Add the heading and as many rows of the section as fit; False when some did not fit."""
        look = LOOKS[period]
        top = self.y
        headings, rows_top = _heading_blocks(period, events, look, top)
        rows: list[_Row] = []
        y = rows_top
        for event in events:
            row = _row(event, self.drawn + len(rows), look, y)
            if row.bottom + look.row_gap > self.limit:
                break
            rows.append(row)
            y = row.bottom
        if not rows:
            return False
        self.texts.extend(headings)
        for row in rows:
            self.texts.extend(row.blocks)
            self.shapes.append(row.dot)
        self.drawn += len(rows)
        self.y = y + look.row_gap
        # Backdrops go under everything: the band of the section, then its stretch of the spine.
        if period is Period.ESCAPE:
            self.backdrops.append(Shape("rect", (0, top, WIDTH, self.y), look.band))
            self.backdrops.append(Shape("rect", (0, top, 12, self.y), ACCENT))
        else:
            self.backdrops.append(Shape("rect", (0, top, WIDTH, rows_top), look.band))
        left = SPINE_X - look.spine_width // 2
        self.backdrops.append(Shape("rect", (left, rows_top, left + look.spine_width, self.y), look.spine))
        return len(rows) == len(events)

    def finish(self, omitted: int = 0) -> Layout:
        bottom = max(t.box[3] for t in self.texts)
        height = max(self.y, bottom) + MARGIN
        return Layout(WIDTH, height, tuple(self.texts), (*self.backdrops, *self.shapes), self.drawn, omitted)


def _heading_blocks(period: Period, events: Sequence[Entry], look: Look, top: int) -> tuple[list[TextBlock], int]:
    """The heading of a section and the line under it; returns them and where the rows start."""
    heading, subheading = _headings(period, events)
    blocks = [_text_block("heading", heading, look.heading_px, look.heading, top=top + 22, bold=True)]
    if subheading:
        blocks.append(
            _text_block("subheading", subheading, look.subheading_px, look.heading, top=blocks[-1].box[3] + 6)
        )
    return blocks, blocks[-1].box[3] + 22


def _row(event: Entry, index: int, look: Look, top: int) -> _Row:
    """One event and its dot on the spine: the label above the text and citation, or, when the look has a
    label column, beside them (compact)."""
    top += look.row_gap
    label_width = look.label_column or CONTENT_WIDTH
    label = _text_block("label", event.when or "", look.label_px, look.label, top, CONTENT_X, label_width, True, index)
    if look.label_column:
        x, y = CONTENT_X + look.label_column + 20, top
    else:
        x, y = CONTENT_X, label.box[3] + 6
    width = WIDTH - MARGIN - x
    blocks = [label, _text_block("text", event.text, look.text_px, look.text, y, x, width, event=index)]
    cite = _citation(event)
    if cite:
        blocks.append(_text_block("cite", cite, look.cite_px, look.cite, blocks[-1].box[3] + 6, x, width, event=index))
    middle = top + _face(look.label_px, True).height // 2
    r = look.dot_radius
    dot = Shape("dot", (SPINE_X - r, middle - r, SPINE_X + r + 1, middle + r + 1), look.spine, PAPER)
    return _Row(blocks, dot, max(b.box[3] for b in blocks))


def _text_block(
    role: Role,
    text: str,
    size: int,
    colour: RGB,
    top: int,
    x: int = MARGIN,
    width: int = WIDTH - 2 * MARGIN,
    bold: bool = False,
    event: int | None = None,
) -> TextBlock:
    """`text` wrapped to `width` pixels, its first line at (`x`, `top`)."""
    face = _face(size, bold)
    lines = tuple(_wrap(face.clean(text), face, width))
    height = (len(lines) - 1) * face.line_height + face.height
    box = (x, top, x + max(face.width(line) for line in lines), top + height)
    return TextBlock(role, lines, box, face.size, face.line_height, colour, bold, event)


def _headings(period: Period, events: Sequence[Entry]) -> tuple[str, str]:
    """The heading of a period and the line under it, both from the labels as the data gives them."""
    whens = [e.when or "" for e in events]
    if period is Period.ESCAPE:
        days = weekdays_in(whens)
        return "The days of the escape", _and_list(days)
    first, last = whens[0], whens[-1]
    return "Background", first if first == last else f"{first} to {last}"


def _and_list(words: Sequence[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _citation(event: Entry) -> str:
    parts = []
    if event.paragraphs:
        numbers = [str(p) for p in event.paragraphs]
        noun = "paragraph" if len(numbers) == 1 else "paragraphs"
        parts.append(f"{noun} {_and_list(numbers)}")
    if event.source:
        parts.append(f"source: {event.source}")
    return " · ".join(parts)


def _inclusive(box: Box) -> tuple[int, int, int, int]:
    """Pillow's rectangles include their right and bottom edge."""
    return box[0], box[1], box[2] - 1, box[3] - 1


def _wrap(text: str, face: _Face, width: int) -> list[str]:
    """Greedy word wrap to `width` pixels; a word wider than a line is split between characters."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if face.width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while face.width(line) > width:
            cut = _longest_prefix(line, face, width)
            lines.append(line[:cut])
            line = line[cut:]
    lines.append(line)
    return lines


def _longest_prefix(word: str, face: _Face, width: int) -> int:
    """How many characters of `word` fit in `width` (at least one, so wrapping always moves on)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if face.width(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


# Stand-ins for characters the bundled font lacks, best first (accented letters lose their accents).
_PLAIN: dict[str, tuple[str, ...]] = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", ("-",)),
    **dict.fromkeys("\u2014\u2015", (" - ",)),
    **dict.fromkeys("\u2018\u2019\u201b\u2032", ("'",)),
    **dict.fromkeys("\u201c\u201d\u201e\u2033", ('"',)),
    "\u201a": (",",),
    "\u2026": ("...",),
    "\u00b6": ("para.",),
    "\u2022": ("\u00b7", "*"),
    "\u00b7": ("-",),
    "\u00d7": ("x",),
}


def _clean(text: str, has_glyph: Callable[[str], bool], missing: str | None) -> str:
    """The text as the font can draw it: one line, no control or invisible characters, stand-ins for
    characters it lacks; what is left shows as `missing` (or as the font's own box when None)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and not ch.isspace():
            continue
        if ch.isspace() or has_glyph(ch):
            out.append(ch)
            continue
        accentless = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if not accentless:  # a combining accent the font cannot draw: the letter goes without it
            continue
        stand_ins = (*_PLAIN.get(ch, ()), accentless)
        out.append(next((s for s in stand_ins if all(has_glyph(c) for c in s)), missing or ch))
    return " ".join("".join(out).split()) or "-"


class _Face(Protocol):
    """A font at one size: `size` is the pixel size of its text as drawn, `height` its ink height."""

    size: int
    height: int
    line_height: int

    def width(self, text: str) -> int: ...

    def clean(self, text: str) -> str: ...

    def draw(self, image: Image.Image, xy: tuple[int, int], text: str, fill: RGB) -> None: ...


class _ScalableFace:
    """Pillow's bundled scalable font (Aileron Regular); bold is drawn with a one-pixel stroke."""

    def __init__(self, font: ImageFont.FreeTypeFont, bold: bool) -> None:
        self.font = font
        self.size = int(font.size)
        self.stroke = 1 if bold else 0
        ascent, descent = font.getmetrics()
        self.height = ascent + descent + 2 * self.stroke
        self.line_height = max(self.height, math.ceil(self.size * 1.32))

    def width(self, text: str) -> int:
        return math.ceil(self.font.getlength(text)) + 2 * self.stroke

    def clean(self, text: str) -> str:
        return _clean(text, _aileron_has_glyph, None)

    def draw(self, image: Image.Image, xy: tuple[int, int], text: str, fill: RGB) -> None:
        x, y = xy
        ImageDraw.Draw(image).text(
            (x + self.stroke, y + self.stroke),
            text,
            font=self.font,
            fill=fill,
            stroke_width=self.stroke,
            stroke_fill=fill,
        )


class _BitmapFace:
    """Pillow's small bitmap font (Courier bold, ASCII), drawn `scale` times larger: the fallback when
    this Pillow has no FreeType. Already bold, so labels differ from text only by colour and size."""

    def __init__(self, size: int) -> None:
        self.font = ImageFont.load_default_imagefont()
        self.base = self.font.getbbox("Ag")[3]
        self.scale = max(2, round(size / self.base))
        self.size = self.height = self.base * self.scale
        self.line_height = math.ceil(self.size * 1.25)

    def width(self, text: str) -> int:
        return math.ceil(self.font.getlength(text)) * self.scale

    def clean(self, text: str) -> str:
        return _clean(text, lambda ch: " " <= ch <= "~", "?")

    def draw(self, image: Image.Image, xy: tuple[int, int], text: str, fill: RGB) -> None:
        small = Image.new("L", (max(1, self.width(text) // self.scale), self.base))
        ImageDraw.Draw(small).text((0, 0), text, font=self.font, fill=255)
        mask = small.resize((small.width * self.scale, small.height * self.scale), Image.Resampling.NEAREST)
        image.paste(fill, (*xy, xy[0] + mask.width, xy[1] + mask.height), mask)


@lru_cache(maxsize=32)
def _face(size: int, bold: bool) -> _Face:
    font = _scalable_font(size)
    return _ScalableFace(font, bold) if font is not None else _BitmapFace(size)


@lru_cache(maxsize=32)
def _scalable_font(size: int) -> ImageFont.FreeTypeFont | None:
    """Pillow's bundled font at `size` pixels, or None when this Pillow cannot scale it (no FreeType)."""
    try:
        font = ImageFont.load_default(size=size)
        double = ImageFont.load_default(size=2 * size)
    except (ImportError, OSError):
        return None
    if not isinstance(font, ImageFont.FreeTypeFont) or not isinstance(double, ImageFont.FreeTypeFont):
        return None
    # Really scalable: twice the size, about twice the width.
    if double.getlength("Timeline") < 1.8 * font.getlength("Timeline"):
        return None
    return font


@lru_cache(maxsize=1024)
def _aileron_has_glyph(ch: str) -> bool:
    font = _scalable_font(20)
    if font is None:
        return False
    missing = font.getmask("\ue000")  # a private-use character: the bundled font has no glyph for it
    mask = font.getmask(ch)
    return mask.size != missing.size or bytes(mask) != bytes(missing)
