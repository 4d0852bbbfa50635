"""The demo's hero graphics: maps, charts and timelines drawn from the stories' own figures, legible on any
machine, with a text alternative that says what the picture shows."""

import io

import pytest
from PIL import Image

from articles.demo import content, graphics

PALETTE = content.HERO_PALETTES["lithium"]
CHART = {
    "kind": "chart",
    "title": "Payables climb",
    "unit": "% of the metal price",
    "suffix": "%",
    "bars": [("Three months ago", 64), ("This week", 78)],
    "source": "A wire survey",
}
MAP = {
    "kind": "map",
    "title": "Routes",
    "points": [("Washington", 38.9, -77.0), ("Tokyo", 35.7, 139.7)],
    "routes": [(0, 1)],
}
TIMELINE = {
    "kind": "timeline",
    "title": "Steps",
    "events": [("7 Nov 2025", "Suspended"), ("10 Nov 2026", "Ends")],
}


def _image(data):
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("graphic", [CHART, MAP, TIMELINE], ids=["chart", "map", "timeline"])
def test_each_kind_draws_a_full_size_picture_the_same_every_time(graphic):
    """Every kind renders a JPEG at the requested size, byte for byte the same for the same seed."""
    first = graphics.render("seed", PALETTE, (800, 450), graphic)
    assert first == graphics.render("seed", PALETTE, (800, 450), graphic)
    assert _image(first).size == (800, 450) and _image(first).format == "JPEG"


def test_the_figures_drawn_change_the_picture():
    """A chart drawn from other figures is another picture, so the graphic follows the story's data."""
    other = {**CHART, "bars": [("Three months ago", 64), ("This week", 91)]}
    assert graphics.render("seed", PALETTE, (800, 450), CHART) != graphics.render(
        "seed", PALETTE, (800, 450), other
    )


def test_text_alternatives_say_what_each_graphic_shows():
    """The alt text names the figures, places and dated steps the picture draws."""
    assert graphics.describe(CHART) == (
        "Bar chart: Payables climb (% of the metal price). Three months ago: 64%; This week: 78%."
    )
    assert (
        graphics.describe(MAP)
        == "Map: Routes. Places marked: Washington, Tokyo. Lines join Washington to Tokyo."
    )
    assert graphics.describe(TIMELINE) == "Timeline: Steps. 7 Nov 2025: Suspended; 10 Nov 2026: Ends."


def test_every_demo_hero_is_a_graphic_with_a_palette():
    """Each demo story with a picture describes a map, chart or timeline and names a mineral's colours."""
    heroes = [article["hero"] for article in content.ARTICLES if article.get("hero")]
    assert len(heroes) >= 12
    assert {hero["graphic"]["kind"] for hero in heroes} == {"map", "chart", "timeline"}
    assert all(hero["mineral"] in content.HERO_PALETTES for hero in heroes)
    assert content.HERO_CREDIT == graphics.CREDIT == "Graphic: Newsroom graphics desk"


def test_pillows_own_font_stands_in_when_dejavu_is_missing(monkeypatch):
    """Without the DejaVu files the graphic still renders, with Pillow's built-in scalable font."""
    monkeypatch.setattr(graphics, "FONT_FILES", {False: "/nonexistent/a.ttf", True: "/nonexistent/b.ttf"})
    graphics.font.cache_clear()
    try:
        data = graphics.render("seed", PALETTE, (400, 225), TIMELINE)
    finally:
        graphics.font.cache_clear()
    assert _image(data).size == (400, 225)
