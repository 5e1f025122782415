"""The timeline picture: a valid PNG within the size limits, one label per event where the layout says,
nothing outside the canvas or overlapping, text never under 14 px, long text wrapped and never cut."""

from __future__ import annotations

import io
import itertools
from dataclasses import replace

import pytest
from PIL import Image, ImageFont

from bot import timeline_image
from bot.dataset import load_dataset
from bot.models import OPERATOR, Entry
from bot.timeline_image import (
    MAX_HEIGHT,
    MIN_TEXT_PX,
    Layout,
    TextBlock,
    layout_timeline,
    render_timeline,
    render_timeline_cached,
)
from tests.conftest import DATA_DIR

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TITLE = "Timeline: the soldier's dash across the DMZ"
LONG_TEXT = (
    "After the jeep stuck in the ditch the soldier ran south across the line while four of his countrymen "
    "fired at least forty rounds at him, some from an assault rifle; he was hit five times, took cover behind "
    "a building on the southern side and lay there for almost twenty minutes before South Korean soldiers "
    "crawled out to drag him to safety, at last."
)


@pytest.fixture(scope="module")
def story_events(article) -> list[Entry]:
    entries = load_dataset(DATA_DIR / "story.json", article)
    return sorted((e for e in entries if e.kind == "event"), key=lambda e: (e.sort, e.id))


def _event(number: int, when: str, text: str = "", paragraphs: tuple[int, ...] = (1,)) -> Entry:
    return Entry(
        "event", f"e{number}", text or f"Event number {number} happened.", paragraphs=paragraphs, when=when, sort=number
    )


def _png(data: bytes) -> Image.Image:
    assert data.startswith(PNG_SIGNATURE)
    Image.open(io.BytesIO(data)).verify()  # checks the chunks and their checksums
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    image.load()
    return image


def _joined(block: TextBlock) -> str:
    return " ".join(block.lines)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _assert_sound(layout: Layout) -> None:
    """Every text and shape on the canvas, no two texts overlapping, no text under 14 px."""
    assert layout.width <= 1600
    assert layout.height <= MAX_HEIGHT
    for block in layout.texts:
        x0, y0, x1, y1 = block.box
        assert 0 <= x0 < x1 <= layout.width and 0 <= y0 < y1 <= layout.height, block
        assert block.size >= MIN_TEXT_PX, block
        assert block.line_height >= block.size
    for shape in layout.shapes:
        x0, y0, x1, y1 = shape.box
        assert 0 <= x0 < x1 <= layout.width and 0 <= y0 < y1 <= layout.height, shape
    for a, b in itertools.combinations(layout.texts, 2):
        assert not _overlap(a.box, b.box), (a, b)
    dots = [s for s in layout.shapes if s.kind == "dot"]
    for dot, block in itertools.product(dots, layout.texts):
        assert not _overlap(dot.box, block.box), (dot, block)


def _ink(image: Image.Image, box: tuple[int, int, int, int], colour: tuple[int, int, int]) -> int:
    """How many pixels in `box` are (nearly) `colour`."""
    raw = image.crop(box).convert("RGB").tobytes()
    pixels = (raw[i : i + 3] for i in range(0, len(raw), 3))
    return sum(1 for p in pixels if sum(abs(c - k) for c, k in zip(p, colour, strict=True)) <= 24)


def test_the_story_is_a_valid_png_within_the_size_limits(story_events):
    data = render_timeline(story_events, title=TITLE)
    image = _png(data)
    assert image.width == 1080
    assert 1000 < image.height <= MAX_HEIGHT
    assert len(data) < 8 * 1024 * 1024


def test_one_label_per_event_each_with_its_text_and_citation(story_events):
    layout = layout_timeline(story_events, title=TITLE)
    assert (layout.drawn, layout.omitted) == (17, 0)
    labels = layout.blocks("label")
    assert [b.event for b in labels] == list(range(17))
    assert [_joined(b) for b in labels] == [e.when for e in story_events]
    texts = layout.blocks("text")
    assert [b.event for b in texts] == list(range(17))
    assert [_joined(b) for b in texts] == [e.text for e in story_events]
    cites = {b.event: _joined(b) for b in layout.blocks("cite")}
    assert cites[0] == "paragraph 13"  # 1953
    assert cites[7] == "paragraphs 4 and 5"  # the jeep stuck in the ditch
    assert len(cites) == 17
    _assert_sound(layout)


def test_the_picture_paints_each_label_where_the_layout_puts_it(story_events):
    layout = layout_timeline(story_events, title=TITLE)
    image = _png(render_timeline(story_events, title=TITLE))
    assert image.size == (layout.width, layout.height)
    for block in layout.blocks("label") + layout.blocks("heading"):
        assert _ink(image, block.box, block.colour) > 20, block
    # And nothing is painted in the label colour of the escape where no text is meant to be:
    # the right margin, below the spine's dots column.
    escape_label = layout.blocks("label")[-1]
    margin = (layout.width - 40, 0, layout.width, layout.height)
    assert _ink(image, margin, escape_label.colour) == 0


def test_the_escape_days_are_set_apart_from_the_background(story_events):
    layout = layout_timeline(story_events, title=TITLE)
    assert [_joined(b) for b in layout.blocks("heading")] == ["Background", "The days of the escape"]
    # Subheadings only repeat what the labels say: the article names weekdays, not dates.
    assert [_joined(b) for b in layout.blocks("subheading")] == ["1953 to last week", "Monday and Tuesday"]
    labels = layout.blocks("label")
    background, escape = labels[:6], labels[6:]
    assert {b.size for b in background} == {timeline_image.LOOKS[timeline_image.Period.BACKGROUND].label_px}
    assert all(e.size > b.size for e, b in itertools.product(escape, background))
    assert all(e.colour != b.colour for e, b in itertools.product(escape, background))
    # Compressed: a background label sits beside its text, an escape label above it.
    texts = layout.blocks("text")
    assert texts[0].box[1] == labels[0].box[1] and texts[0].box[0] > labels[0].box[2]
    assert texts[6].box[1] > labels[6].box[3]
    # The escape section lies on a coloured band that starts at its heading.
    escape_heading = layout.blocks("heading")[1]
    band = timeline_image.LOOKS[timeline_image.Period.ESCAPE].band
    bands = [s for s in layout.shapes if s.kind == "rect" and s.colour == band]
    assert len(bands) == 1
    assert bands[0].box[1] < escape_heading.box[1] and bands[0].box[3] >= labels[-1].box[3]


def test_an_escape_heading_names_only_the_weekdays_the_labels_give():
    layout = layout_timeline([_event(1, "Tuesday"), _event(2, "after the incident")], title=TITLE)
    assert [_joined(b) for b in layout.blocks("subheading")] == ["Tuesday"]
    layout = layout_timeline([_event(1, "almost 20 minutes later")], title=TITLE)
    assert layout.blocks("heading")[0].lines == ("The days of the escape",)
    assert layout.blocks("subheading") == []


@pytest.mark.parametrize("when", ["Monday", "1998"])
def test_long_text_and_long_labels_wrap_within_the_canvas_and_lose_nothing(when):
    label = f"{when} in the small hours, while the guards on both sides of the line changed their shifts at the posts"
    word = "Demilitarized" * 27  # one 351-character word: split between characters, never cut
    events = [_event(1, label, LONG_TEXT), _event(2, when, word)]
    layout = layout_timeline(events, title=TITLE)
    labels, texts = layout.blocks("label"), layout.blocks("text")
    assert len(LONG_TEXT) == 350
    assert len(texts[0].lines) >= 4
    assert _joined(texts[0]) == LONG_TEXT
    assert len(labels[0].lines) >= 2
    assert _joined(labels[0]) == label
    assert len(texts[1].lines) >= 4
    assert "".join(texts[1].lines) == word
    _assert_sound(layout)
    image = _png(render_timeline(events, title=TITLE))
    assert image.width == layout.width


def test_no_events_gives_a_small_clear_picture():
    layout = layout_timeline([], title=TITLE)
    assert [_joined(b) for b in layout.blocks("note")] == ["No events yet."]
    assert layout.blocks("label") == []
    image = _png(render_timeline([], title=TITLE))
    assert image.width == 1080 and image.height < 400


def test_500_events_stay_within_the_height_limit_and_say_how_many_are_left_out():
    labels = ["1998", "March", "Monday", "minutes later", "Tuesday", "after the rescue"]
    events = [_event(i, labels[i % len(labels)], f"Event {i}: " + LONG_TEXT[: 60 + 5 * (i % 50)]) for i in range(500)]
    layout = layout_timeline(events, title=TITLE)
    assert 10 < layout.drawn < 500
    assert layout.drawn + layout.omitted == 500
    assert [b.event for b in layout.blocks("label")] == list(range(layout.drawn))
    assert [_joined(b) for b in layout.blocks("note")] == [
        f"+ {layout.omitted} more events, not drawn: too many for one picture."
    ]
    _assert_sound(layout)
    data = render_timeline(events, title=TITLE)
    image = _png(data)
    assert image.height <= MAX_HEIGHT
    assert len(data) < 8 * 1024 * 1024


def test_one_event_too_many_is_named_in_the_singular():
    events = [_event(i, "Monday", LONG_TEXT) for i in range(30)]
    drawn = layout_timeline(events, title=TITLE).drawn
    layout = layout_timeline(events[: drawn + 1], title=TITLE)
    assert [_joined(b) for b in layout.blocks("note")] == ["+ 1 more event, not drawn: too many for one picture."]


def test_unicode_curly_quotes_dashes_accents_and_hangul():
    text = "The soldier\u2019s \u201cdash\u201d \u2014 across the caf\u00e9\u200b line at \ud310\ubb38\uc810."
    layout = layout_timeline([_event(1, "Monday\u00a0night", text)], title="\u201cTimeline\u201d")
    # Curly quotes are in the bundled font; the em dash and the accent are not, so they get stand-ins;
    # the zero-width space is dropped; Hangul is kept (the font draws its missing-glyph box).
    assert (
        _joined(layout.blocks("text")[0])
        == "The soldier\u2019s \u201cdash\u201d - across the cafe line at \ud310\ubb38\uc810."
    )
    assert _joined(layout.blocks("label")[0]) == "Monday night"
    assert _joined(layout.blocks("title")[0]) == "\u201cTimeline\u201d"
    _png(render_timeline([_event(1, "Monday", text)], title=TITLE))


def test_control_characters_never_reach_the_picture():
    layout = layout_timeline([_event(1, "Mon\u200bday\u202e", "line one\nline two\ttabbed\x00 end")], title=TITLE)
    assert _joined(layout.blocks("label")[0]) == "Monday"
    assert _joined(layout.blocks("text")[0]) == "line one line two tabbed end"
    # A letter and a separate accent the font lacks: the letter without the accent, no missing-glyph box.
    layout = layout_timeline([_event(1, "Monday", "Seo\u0301ul and Sa\u0323\u0301o")], title=TITLE)
    assert _joined(layout.blocks("text")[0]) == "Seoul and Sao"


def test_context_events_cite_their_source():
    event = replace(_event(1, "Monday"), paragraphs=(), source="Yonhap News Agency", is_context=True)
    layout = layout_timeline([event], title=TITLE)
    assert [_joined(b) for b in layout.blocks("cite")] == ["source: Yonhap News Agency"]


def test_only_events_are_drawn_and_the_title_is_bounded():
    fact = Entry("fact", "f1", "A fact.", topic="shooting", paragraphs=(2,))
    with pytest.raises(ValueError, match="events only"):
        layout_timeline([fact], title=TITLE)
    with pytest.raises(ValueError, match="title"):
        layout_timeline([], title="x" * 201)


def test_the_bundled_font_is_really_scalable():
    font = timeline_image._scalable_font(30)
    assert isinstance(font, ImageFont.FreeTypeFont)
    assert timeline_image._scalable_font(60).getlength("Timeline") > 1.8 * font.getlength("Timeline")


@pytest.fixture
def without_freetype(monkeypatch):
    """As on a Pillow built without FreeType: no scalable font."""
    monkeypatch.setattr(timeline_image, "_scalable_font", lambda size: None)
    timeline_image._face.cache_clear()
    yield
    timeline_image._face.cache_clear()


def test_without_freetype_the_bitmap_font_is_drawn_large_enough(without_freetype, story_events):
    layout = layout_timeline(story_events, title=TITLE)
    assert layout.drawn == 17
    assert min(b.size for b in layout.texts) >= 20
    assert [_joined(b) for b in layout.blocks("label")] == [e.when for e in story_events]
    # The bitmap font is ASCII only: curly quotes become straight ones, Hangul a question mark.
    assert "soldier's vehicle" in _joined(layout.blocks("text")[7])
    _assert_sound(layout)
    image = _png(render_timeline(story_events, title=TITLE))
    for block in layout.blocks("label"):
        assert _ink(image, block.box, block.colour) > 20, block
    hangul = layout_timeline([_event(1, "Monday", "at \ud310\ubb38\uc810")], title=TITLE)
    assert _joined(hangul.blocks("text")[0]) == "at ???"


def test_the_cache_keeps_a_picture_until_an_event_changes(story_events):
    events = tuple(story_events)
    first = render_timeline_cached(events, title=TITLE)
    assert render_timeline_cached(tuple(story_events), title=TITLE) is first
    edited = (*events[:-1], replace(events[-1], text="The UN Command said it was investigating.", version=2))
    second = render_timeline_cached(edited, title=TITLE)
    assert second != first
    _png(second)


async def test_moderator_edits_in_the_store_show_in_the_picture(store):
    events, _ = await store.timeline(0, 1000)
    before = layout_timeline(events, title=TITLE)
    event = events[-1]
    await store.update(
        replace(event, when="late Tuesday", text="The UN Command opened an inquiry."), OPERATOR, event.version
    )
    events, _ = await store.timeline(0, 1000)
    after = layout_timeline(events, title=TITLE)
    assert _joined(before.blocks("label")[-1]) == "after the incident"
    assert _joined(after.blocks("label")[-1]) == "late Tuesday"
    assert _joined(after.blocks("text")[-1]) == "The UN Command opened an inquiry."
