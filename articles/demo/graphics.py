"""The demo's hero pictures: news graphics drawn with Pillow, as a photo desk's graphics team would make
them for a story with no photograph.

Three kinds, one per kind of story: a map with labelled places and the routes between them (supply),
a bar chart of the story's own figures (markets), and a timeline of dated steps (policy). Each is
drawn from a small description in articles/demo/content.py, so the picture never shows a figure the
story does not; `describe` turns the same description into the picture's text alternative.
The seed only varies the texture under the drawing, so one seed gives one picture, every time.
"""

import functools
import io
import random
import textwrap

from PIL import Image, ImageDraw, ImageFont

CREDIT = "Graphic: Newsroom graphics desk"
# Debian's fonts-dejavu-core; Pillow's own scalable font stands in on a machine without it.
FONT_FILES = {
    False: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    True: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}
PAPER = (246, 243, 236)
INK = (28, 28, 30)
MUTED = (98, 98, 104)
SEA = (214, 226, 232)
LAND = (236, 232, 220)
COAST = (160, 166, 160)
# The graphics desk's one strong colour, for what the eye should go to first: routes, the latest
# figure, the step still to come. The minerals' palettes tint the rest.
HIGHLIGHT = (196, 58, 38)

# Coastlines simplified to a few dozen (latitude, longitude) points each: enough for a reader to
# know the place, cheap enough to draw in milliseconds.
LAND_SHAPES = [
    # North and Central America
    [(71, -156), (70, -141), (69, -130), (70, -115), (68, -98), (72, -95), (74, -80), (66, -62), (60, -64),
     (52, -56), (47, -53), (45, -61), (44, -66), (41, -70), (35, -76), (30, -81), (25, -80), (27, -82),
     (30, -84), (29, -89), (29, -95), (26, -97), (21, -97), (19, -96), (18, -94), (21, -87), (16, -88),
     (15, -83), (11, -83), (9, -79), (7, -78), (8, -80), (13, -87), (16, -95), (20, -105), (23, -106),
     (27, -110), (31, -113), (23, -110), (32, -117), (40, -124), (48, -125), (55, -131), (60, -141),
     (58, -152), (55, -163), (60, -165), (65, -168)],
    # Greenland
    [(83, -35), (82, -60), (77, -72), (70, -54), (60, -43), (65, -40), (70, -22), (77, -18)],
    # Cuba
    [(23, -84), (23, -80), (20, -74), (20, -77), (22, -81)],
    # South America
    [(12, -72), (11, -64), (10, -61), (5, -52), (0, -50), (-5, -35), (-8, -35), (-13, -38), (-23, -42),
     (-25, -48), (-34, -53), (-39, -57), (-42, -64), (-47, -66), (-52, -69), (-55, -67), (-54, -72),
     (-46, -75), (-37, -73), (-30, -71), (-18, -70), (-14, -76), (-6, -81), (-2, -80), (1, -79), (7, -78),
     (9, -76)],
    # Europe and Asia
    [(36, -6), (43, -9), (43, -2), (46, -1), (48, -5), (51, 2), (53, 5), (54, 9), (54, 14), (55, 21),
     (59, 23), (60, 30), (65, 35), (67, 41), (68, 44), (69, 60), (73, 70), (72, 80), (76, 100), (73, 113),
     (72, 130), (71, 150), (69, 180), (65, 180), (62, 165), (60, 163), (57, 162), (51, 157), (59, 155),
     (59, 143), (54, 140), (47, 139), (43, 132), (40, 129), (36, 129), (34, 127), (37, 126), (39, 125),
     (40, 124), (39, 121), (41, 121), (39, 118), (37, 119), (35, 119), (31, 122), (27, 120), (23, 117),
     (22, 113), (21, 110), (22, 107), (20, 106), (17, 107), (12, 109), (10, 106), (9, 105), (10, 104),
     (13, 100), (8, 100), (6, 101), (1, 104), (3, 101), (8, 98), (16, 98), (16, 95), (21, 92), (22, 89),
     (20, 86), (16, 82), (13, 80), (8, 77), (10, 76), (15, 74), (21, 72), (23, 68), (25, 62), (26, 57),
     (24, 56), (22, 59), (17, 55), (13, 45), (15, 42), (22, 39), (28, 34), (30, 32), (31, 34), (36, 36),
     (37, 28), (41, 26), (40, 20), (45, 13), (40, 18), (38, 16), (41, 12), (44, 9), (43, 4), (42, 3),
     (39, 0), (37, -2)],
    # Scandinavia
    [(56, 8), (58, 6), (62, 5), (66, 12), (70, 19), (71, 28), (70, 31), (69, 29), (66, 24), (63, 21),
     (60, 18), (56, 13)],
    # Britain and Ireland
    [(50, -5), (51, 1), (53, 0), (56, -2), (58, -3), (58, -6), (55, -6), (53, -4), (51, -4)],
    [(52, -10), (54, -6), (55, -8)],
    # Africa and Madagascar
    [(35, -6), (33, -9), (29, -10), (21, -17), (15, -17), (11, -15), (7, -12), (4, -7), (5, -2), (6, 2),
     (4, 7), (4, 9), (-1, 9), (-6, 12), (-12, 14), (-17, 12), (-23, 14), (-29, 16), (-34, 18), (-34, 23),
     (-33, 28), (-29, 32), (-25, 33), (-20, 35), (-15, 41), (-10, 40), (-4, 39), (2, 41), (5, 48),
     (11, 51), (12, 44), (16, 42), (20, 38), (24, 36), (28, 33), (31, 32), (31, 29), (32, 25), (31, 20),
     (32, 15), (34, 11), (37, 10), (37, 6), (36, 0)],
    [(-12, 49), (-16, 50), (-25, 47), (-25, 44), (-21, 43), (-16, 44)],
    # Japan, the Philippines, Indonesia and New Guinea
    [(31, 130), (34, 131), (35, 133), (36, 136), (41, 140), (45, 142), (43, 145), (41, 141), (38, 141),
     (35, 140), (34, 137), (33, 133)],
    [(18, 121), (14, 120), (13, 124), (7, 126), (6, 122), (10, 122), (14, 124)],
    [(5, 95), (2, 99), (-3, 106), (-6, 105), (-4, 102), (0, 99)],
    [(-6, 106), (-7, 114), (-8, 114), (-7, 106)],
    [(7, 117), (1, 119), (-4, 116), (-3, 111), (1, 109), (4, 113)],
    [(1, 125), (0, 120), (-5, 120), (-5, 123), (-3, 121), (0, 123)],
    [(-1, 131), (-3, 141), (-6, 147), (-10, 150), (-8, 143), (-9, 141), (-4, 133)],
    # Australia and New Zealand
    [(-11, 142), (-17, 141), (-12, 136), (-12, 131), (-15, 129), (-14, 127), (-20, 119), (-22, 114),
     (-26, 113), (-32, 115), (-35, 117), (-34, 123), (-32, 127), (-32, 133), (-35, 136), (-38, 140),
     (-39, 146), (-37, 150), (-33, 152), (-28, 153), (-24, 151), (-19, 147), (-15, 145)],
    [(-35, 173), (-41, 176), (-41, 174), (-46, 167), (-44, 168), (-41, 172)],
]  # fmt: skip

# Drawn at twice the size and reduced, so lines and shapes have smooth edges.
SCALE = 2
# The size the layout is designed for; other sizes are scaled from it, so type stays in proportion.
DESIGN = (1600, 900)


@functools.cache
def font(size, bold=False):
    """DejaVu Sans at `size` pixels, or Pillow's built-in scalable font when DejaVu is not installed."""
    try:
        return ImageFont.truetype(FONT_FILES[bold], size)
    except OSError:
        return ImageFont.load_default(size=size)


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _mix(a, b, share):
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))


def render(seed, palette, size, graphic=None):
    """JPEG bytes of the graphic `graphic` describes (a world map when it describes none)."""
    graphic = graphic or {"kind": "map", "title": "", "points": [], "routes": []}
    dark, light, accent = (_rgb(colour) for colour in palette)
    canvas = Canvas(DESIGN, dark=dark, light=light, accent=accent, rng=random.Random(seed))
    {"map": canvas.map, "chart": canvas.chart, "timeline": canvas.timeline}[graphic["kind"]](graphic)
    canvas.frame(graphic.get("title", ""), graphic.get("source", ""))
    image = canvas.finish()
    if image.size != tuple(size):
        image = image.resize(size, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=86, optimize=True)
    return output.getvalue()


def describe(graphic):
    """The text alternative of a graphic: what it shows, in words, from the same description."""
    kind, title = graphic["kind"], graphic.get("title", "")
    if kind == "map":
        points = graphic["points"]
        routes = "; ".join(f"{points[a][0]} to {points[b][0]}" for a, b in graphic.get("routes", []))
        places = ", ".join(point[0] for point in points)
        return f"Map: {title}. Places marked: {places}." + (f" Lines join {routes}." if routes else "")
    if kind == "chart":
        unit = graphic.get("unit", "")
        bars = "; ".join(f"{label}: {_figure(value, graphic)}" for label, value in graphic["bars"])
        return f"Bar chart: {title}{f' ({unit})' if unit else ''}. {bars}."
    steps = "; ".join(f"{date}: {text}" for date, text in graphic["events"])
    return f"Timeline: {title}. {steps}."


def _figure(value, graphic):
    text = f"{value:,.{graphic.get('decimals', 0)}f}"
    return f"{graphic.get('prefix', '')}{text}{graphic.get('suffix', '')}"


class Canvas:
    """One graphic being drawn, at SCALE times its final size; coordinates given to methods are final."""

    HEADER = 120
    FOOTER = 56

    def __init__(self, size, *, dark, light, accent, rng):
        self.width, self.height = size
        self.dark, self.light, self.accent, self.rng = dark, light, accent, rng
        self.image = Image.new("RGB", (self.width * SCALE, self.height * SCALE), PAPER)
        self.draw = ImageDraw.Draw(self.image)
        # The area between the title band and the credit line.
        self.top, self.bottom = self.HEADER, self.height - self.FOOTER

    def s(self, *values):
        return [value * SCALE for value in values]

    def text(self, xy, words, size, *, bold=False, fill=INK, anchor="la", halo=None):
        self.draw.text(
            self.s(*xy),
            words,
            font=font(size * SCALE, bold),
            fill=fill,
            anchor=anchor,
            stroke_width=3 * SCALE if halo else 0,
            stroke_fill=halo,
        )

    def text_width(self, words, size, bold=False):
        return self.draw.textlength(words, font=font(size * SCALE, bold)) / SCALE

    def frame(self, title, source):
        self.draw.rectangle(self.s(0, 0, self.width, self.top), fill=PAPER)
        self.draw.rectangle(self.s(0, 0, 14, self.top), fill=self.dark)
        self.text((44, 40), title, 50, bold=True)
        self.draw.line(
            self.s(44, self.top - 8, self.width - 44, self.top - 8), fill=self.dark, width=2 * SCALE
        )
        self.draw.rectangle(self.s(0, self.bottom, self.width, self.height), fill=PAPER)
        self.text((44, self.bottom + 16), CREDIT, 22, fill=MUTED)
        if source:
            self.text((self.width - 44, self.bottom + 16), f"Source: {source}", 22, fill=MUTED, anchor="ra")

    def finish(self):
        return self.image.reduce(SCALE)

    # Maps ------------------------------------------------------------------------------------------

    def map(self, graphic):
        # (name, latitude, longitude[, "left" to label on the left]), longitudes unwrapped so that
        # places across the Pacific sit side by side rather than at both edges.
        points = _unwrapped(graphic["points"])
        west, east, south, north = self._extent(points)
        left, right = 0, self.width
        top, bottom = self.top, self.bottom

        def project(lat, lon):
            return (
                left + (lon - west) / (east - west) * (right - left),
                top + (north - lat) / (north - south) * (bottom - top),
            )

        self.draw.rectangle(self.s(left, top, right, bottom), fill=SEA)
        # A faint stipple on the sea, the only part of the picture the seed decides.
        speck = _mix(SEA, (255, 255, 255), 0.45)
        for _ in range(900):
            x, y = self.rng.uniform(left, right), self.rng.uniform(top, bottom)
            self.draw.ellipse(self.s(x - 1.2, y - 1.2, x + 1.2, y + 1.2), fill=speck)
        graticule = _mix(SEA, self.dark, 0.12)
        for lon in range(-360, 541, 15):
            if west <= lon <= east:
                x = project(0, lon)[0]
                self.draw.line(self.s(x, top, x, bottom), fill=graticule, width=SCALE)
        for lat in range(-75, 76, 15):
            if south <= lat <= north:
                y = project(lat, 0)[1]
                self.draw.line(self.s(left, y, right, y), fill=graticule, width=SCALE)
        for shape in LAND_SHAPES:
            for turn in (-360, 0, 360):
                if not any(west <= lon + turn <= east for _lat, lon in shape):
                    continue
                outline = [value for lat, lon in shape for value in self.s(*project(lat, lon + turn))]
                self.draw.polygon(outline, fill=LAND, outline=COAST, width=SCALE)

        where = [project(point[1], point[2]) for point in points]
        for a, b in graphic.get("routes", []):
            self._arc(where[a], where[b])
        hubs = {a for a, _b in graphic.get("routes", [])}
        for index, (point, (x, y)) in enumerate(zip(points, where, strict=True)):
            name = point[0]
            radius = 13 if index in hubs else 9
            self.draw.ellipse(
                self.s(x - radius, y - radius, x + radius, y + radius),
                fill=HIGHLIGHT if index in hubs else self.dark,
                outline=(255, 255, 255),
                width=3 * SCALE,
            )
            to_left = point[3:] == ("left",) or x > self.width - 60 - self.text_width(name, 28, bold=True)
            self.text(
                (x - 20 if to_left else x + 20, y),
                name,
                28,
                bold=True,
                anchor="rm" if to_left else "lm",
                halo=(255, 255, 255),
            )

    def _extent(self, points):
        """West, east, south, north in degrees: the places with a margin, widened to the picture's shape."""
        if not points:
            return -170.0, 190.0, -60.0, 80.0
        lats = [point[1] for point in points]
        lons = [point[2] for point in points]
        # A margin in proportion to the spread of places, more on the east for the labels.
        wide, tall = max(lons) - min(lons), max(lats) - min(lats)
        west, east = min(lons) - max(6, wide * 0.08), max(lons) + max(10, wide * 0.14)
        south, north = min(lats) - max(5, tall * 0.15), max(lats) + max(5, tall * 0.15)
        wanted = self.width / (self.bottom - self.top)
        if (east - west) / (north - south) < wanted:
            middle, half = (west + east) / 2, (north - south) * wanted / 2
            west, east = middle - half, middle + half
        else:
            middle, half = (south + north) / 2, (east - west) / wanted / 2
            south, north = middle - half, middle + half
        return west, east, south, north

    def _arc(self, start, end, steps=48):
        (x1, y1), (x2, y2) = start, end
        # Bow each route sideways by a share of its length, upwards where it can, as flight paths are drawn.
        length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1)
        nx, ny = (y2 - y1) / length, (x1 - x2) / length
        if ny > 0 or (ny == 0 and nx < 0):
            nx, ny = -nx, -ny
        cx, cy = (x1 + x2) / 2 + nx * length * 0.22, (y1 + y2) / 2 + ny * length * 0.22
        path = []
        for step in range(steps + 1):
            t = step / steps
            x = (1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t**2 * x2
            y = (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t**2 * y2
            path += self.s(x, y)
        self.draw.line(path, fill=(255, 255, 255), width=9 * SCALE, joint="curve")
        self.draw.line(path, fill=HIGHLIGHT, width=5 * SCALE, joint="curve")

    # Charts ----------------------------------------------------------------------------------------

    def chart(self, graphic):
        bars = graphic["bars"]
        unit = graphic.get("unit", "")
        top, bottom = self.top + 70, self.bottom - 110
        left, right = 150, self.width - 80
        if unit:
            self.text((44, self.top + 22), unit, 26, fill=MUTED)
        highest = max(value for _label, value in bars)
        step = _nice_step(highest / 4)
        ceiling = step * -(-highest // step)
        gridline = _mix(PAPER, INK, 0.15)
        for n in range(int(ceiling / step) + 1):
            value = n * step
            y = bottom - value / ceiling * (bottom - top)
            self.draw.line(
                self.s(left, y, right, y),
                fill=INK if n == 0 else gridline,
                width=(2 if n == 0 else 1) * SCALE,
            )
            self.text((left - 16, y), _figure(value, {**graphic, "decimals": 0}), 24, fill=MUTED, anchor="rm")
        slot = (right - left) / len(bars)
        width = min(slot * 0.56, 260)
        for index, (label, value) in enumerate(bars):
            centre = left + slot * (index + 0.5)
            y = bottom - value / ceiling * (bottom - top)
            colour = HIGHLIGHT if index == len(bars) - 1 else self.dark
            self.draw.rectangle(self.s(centre - width / 2, y, centre + width / 2, bottom), fill=colour)
            self.text((centre, y - 12), _figure(value, graphic), 32, bold=True, anchor="md")
            for line_no, line in enumerate(textwrap.wrap(label, 22)[:2]):
                self.text((centre, bottom + 22 + line_no * 32), line, 26, anchor="ma")

    # Timelines -------------------------------------------------------------------------------------

    def timeline(self, graphic):
        events = graphic["events"]
        self.draw.rectangle(self.s(0, self.top, self.width, self.bottom), fill=_mix(PAPER, self.light, 0.12))
        margin = 200
        y = self.top + (self.bottom - self.top) * 0.4
        self.draw.line(self.s(70, y, self.width - 70, y), fill=self.dark, width=6 * SCALE)
        self.draw.polygon(
            self.s(self.width - 70, y - 16, self.width - 40, y, self.width - 70, y + 16), fill=self.dark
        )
        gap = (self.width - 2 * margin) / max(len(events) - 1, 1)
        wrap = max(12, int(min(gap, 2 * margin) / 17))
        for index, (date, words) in enumerate(events):
            x = margin + gap * index if len(events) > 1 else self.width / 2
            last = index == len(events) - 1
            radius = 20 if last else 15
            self.draw.ellipse(
                self.s(x - radius, y - radius, x + radius, y + radius),
                fill=HIGHLIGHT if last else PAPER,
                outline=self.dark,
                width=5 * SCALE,
            )
            self.text((x, y - 50), date, 34, bold=True, anchor="md")
            for line_no, line in enumerate(textwrap.wrap(words, wrap)[:4]):
                self.text((x, y + 54 + line_no * 40), line, 30, anchor="ma")


def _unwrapped(points):
    """The points, with western longitudes moved past 180° east when that brings them closer together."""
    turned = [(point[0], point[1], point[2] % 360, *point[3:]) for point in points]

    def span(some):
        return max((p[2] for p in some), default=0) - min((p[2] for p in some), default=0)

    return turned if span(turned) < span(points) else list(points)


def _nice_step(rough):
    """The round number (1, 2 or 5 times a power of ten) nearest above `rough`, for gridlines."""
    power = 1.0
    while power * 10 <= rough:
        power *= 10
    while power > rough and power > 1e-6:
        power /= 10
    for multiple in (1, 2, 5, 10):
        if power * multiple >= rough:
            return power * multiple
    return power * 10
