"""Small charts drawn on the server as SVG: bars for a ranked table, columns for a series in time. The
template (readership/admin/chart.html) draws what `bars` and `columns` lay out; each chart is shown with
its table, which is also its text alternative."""

from dataclasses import dataclass

WIDTH = 640
BAR_HEIGHT = 22
LABEL_WIDTH = 220


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int

    @property
    def label_x(self):
        return self.x - 6

    @property
    def value_x(self):
        return self.x + self.width + 6

    @property
    def text_y(self):
        return self.y + 12


def bars(table):
    """Horizontal bars, longest first, as in the table: (marks, height of the drawing)."""
    largest = max((row.views for row in table.rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    marks = [
        Mark(
            LABEL_WIDTH,
            n * BAR_HEIGHT + 3,
            max(1.0, room * row.views / largest),
            BAR_HEIGHT - 6,
            row.label,
            row.views,
        )
        for n, row in enumerate(table.rows)
    ]
    return marks, len(marks) * BAR_HEIGHT


def columns(table, *, height=120):
    """Vertical columns in the table's order (days or hours): (marks, height of the drawing)."""
    largest = max((row.views for row in table.rows), default=0) or 1
    step = WIDTH / max(1, len(table.rows))
    marks = []
    for n, row in enumerate(table.rows):
        tall = (height - 20) * row.views / largest
        marks.append(Mark(n * step + 1, height - 16 - tall, max(1.0, step - 2), tall, row.label, row.views))
    return marks, height
