"""A measure's timeline drawn as a picture: one bar per period coloured by its state, a mark per
event, a tick per year and a line for today. Server-side SVG with no script; the page shows the same
periods as a table for readers who cannot see it."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import mark_safe

from tracker import dates
from tracker.status import State

WIDTH, HEIGHT = 640, 64
BAR_Y, BAR_HEIGHT = 18, 18
# The site's palette: in force in the accent, suspended in the state-media amber, the rest muted.
COLOURS = {
    State.ANNOUNCED: "#9aa1ab",
    State.IN_FORCE: "#8a2d1f",
    State.SUSPENDED: "#d08a00",
    State.LIFTED: "#3d6b3d",
    State.EXPIRED: "#5b616b",
}


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    colour: str
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    bars: list
    marks: list
    ticks: list
    today_x: float | None
    width: int = WIDTH
    height: int = HEIGHT
    bar_y: int = BAR_Y
    bar_height: int = BAR_HEIGHT


def build(periods, events, *, today):
    """The drawing of `periods` (tracker.status.Period) and published `events`, or None without any."""
    if not periods:
        return None
    first = periods[0].start
    last = max([today, *(period.start for period in periods), *(p.until for p in periods if p.until)])
    first, last = first - timedelta(days=15), last + timedelta(days=30)
    span = max((last - first).days, 1)

    def x(day):
        return round((min(max(day, first), last) - first).days / span * WIDTH, 1)

    bars = [
        Bar(
            x(period.start),
            max(x(period.end or last) - x(period.start), 1),
            COLOURS[period.state],
            f"{State(period.state).label} from {dates.display(period.start, period.start_precision)}",
        )
        for period in periods
    ]
    marks = [Mark(x(event.date), f"{event.get_kind_display()} {event.date_display}") for event in events]
    ticks = [
        Tick(x(date(year, 1, 1)), str(year))
        for year in range(first.year + 1, last.year + 1)
        if (last.year - first.year) < 30
    ]
    return Timeline(bars, marks, ticks, x(today) if first <= today <= last else None)


def _anchor(x, width, margin=24):
    """Where a tick's label hangs from its tick: inwards near either edge, so no year is cut off."""
    return "end" if x > width - margin else "start" if x < margin else "middle"


def svg(drawing, *, title_id, title):
    """The drawing as inline SVG markup, its <title> naming every period for screen readers (the page
    shows the same periods as a table). Written here rather than in a template: a strip of a dozen
    timelines is hundreds of shapes, and string building costs a fraction of template rendering."""
    if drawing is None:
        return ""
    top, bottom = drawing.bar_y, drawing.bar_y + drawing.bar_height
    parts = [
        f'<svg class="timeline" viewBox="0 0 {drawing.width} {drawing.height}" width="100%" role="img" '
        f'aria-labelledby="{escape(title_id)}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(title_id)}">{escape(title)}: '
        + escape("; ".join(bar.label for bar in drawing.bars))
        + "</title>",
    ]
    parts += [
        f'<rect x="{bar.x}" y="{top}" width="{bar.width}" height="{drawing.bar_height}" fill="{bar.colour}">'
        f"<title>{escape(bar.label)}</title></rect>"
        for bar in drawing.bars
    ]
    parts += [
        f'<circle cx="{mark.x}" cy="{top - 6}" r="4" fill="#1b1d21">'
        f"<title>{escape(mark.label)}</title></circle>"
        for mark in drawing.marks
    ]
    parts += [
        f'<line x1="{tick.x}" x2="{tick.x}" y1="{top}" y2="{bottom + 6}" stroke="#5b616b" stroke-width="1"/>'
        f'<text x="{tick.x}" y="{drawing.height - 6}" font-size="11" '
        f'text-anchor="{_anchor(tick.x, drawing.width)}" fill="#1b1d21">{escape(tick.label)}</text>'
        for tick in drawing.ticks
    ]
    if drawing.today_x is not None:
        parts.append(
            f'<line x1="{drawing.today_x}" x2="{drawing.today_x}" y1="4" y2="{bottom + 6}" stroke="#174a7c" '
            'stroke-width="2" stroke-dasharray="3 2"><title>Today</title></line>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text in it is escaped above; numbers and colours are ours


def legend():
    """(state, label) in drawing order; the site's CSS colours each swatch as the drawing does."""
    return [(state, State(state).label) for state in COLOURS]
