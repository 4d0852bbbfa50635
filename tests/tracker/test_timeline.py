"""The timeline drawing: a bar per period, a mark per event, a tick per year, today's line, and every
text escaped."""

from datetime import date
from types import SimpleNamespace

from tracker import timeline
from tracker.status import Period, State


def test_svg_draws_periods_events_years_and_today_with_escaped_text():
    """Two periods make two bars, one event a mark; years between get ticks; markup in a title is escaped."""
    periods = [
        Period(state=State.IN_FORCE, start=date(2023, 8, 1), end=date(2025, 11, 10)),
        Period(state=State.SUSPENDED, start=date(2025, 11, 10), until=date(2026, 11, 10)),
    ]
    event = SimpleNamespace(
        date=date(2023, 8, 1), date_display="1 August 2023", get_kind_display=lambda: "In force"
    )
    drawing = timeline.build(periods, [event], today=date(2026, 1, 1))
    markup = timeline.svg(drawing, title_id="t1", title="<b>Gallium</b>")
    assert markup.count("<rect ") == 2 and markup.count("<circle ") == 1
    assert [tick.label for tick in drawing.ticks] == ["2024", "2025", "2026"]
    assert "<title>Today</title>" in markup
    assert "&lt;b&gt;Gallium&lt;/b&gt;" in markup and "<b>" not in markup
    assert (
        timeline.build([], [], today=date(2026, 1, 1)) is None
        and timeline.svg(None, title_id="x", title="") == ""
    )
