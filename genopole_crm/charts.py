"""Bar charts drawn on the server as plain SVG: no script, no inline style (strict CSP).

A chart is geometry computed here and drawn by `includes/_bar_chart.html`; colours come from
classes in dashboard.css. Every chart is shown with a table of the same figures, which is
what screen readers and print read (the SVG itself is hidden from assistive technology).
"""

from dataclasses import dataclass, field
from itertools import count

_ids = count(1)


@dataclass(frozen=True)
class Row:
    """One figure of a chart: its label, its value, and the filtered list it counts."""

    label: str
    value: int
    url: str = ""
    current: bool = False  # the selected year, drawn darker


@dataclass(frozen=True)
class Bar:
    row: Row
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass
class BarChart:
    title: str
    rows: list[Row]
    horizontal: bool = True
    caption: str = ""
    id: str = field(default_factory=lambda: f"chart-{next(_ids)}")

    # Drawing sizes, in SVG user units. Vertical charts (bars per year) are drawn narrower,
    # so that their year labels scale up to a readable size.
    width: int = 640
    bar_thickness = 22
    gap = 8
    label_space = 230  # horizontal charts: room for the labels on the left
    value_space = 60
    column_height = 160  # vertical charts: height of the tallest column

    @property
    def largest(self):
        return max((row.value for row in self.rows), default=0) or 1

    @property
    def height(self):
        if self.horizontal:
            return self.gap + len(self.rows) * (self.bar_thickness + self.gap)
        return self.column_height + 50

    @property
    def bars(self):
        return self._horizontal_bars() if self.horizontal else self._vertical_bars()

    def _horizontal_bars(self):
        room = self.width - self.label_space - self.value_space
        bars = []
        for index, row in enumerate(self.rows):
            y = self.gap + index * (self.bar_thickness + self.gap)
            length = room * row.value / self.largest
            middle = y + self.bar_thickness / 2 + 5
            bars.append(
                Bar(row, self.label_space, y, length, self.bar_thickness,
                    self.label_space - 8, middle, self.label_space + length + 6, middle)
            )
        return bars

    def _vertical_bars(self):
        slot = self.width / max(len(self.rows), 1)
        thickness = min(slot * 0.6, 80)
        bars = []
        for index, row in enumerate(self.rows):
            height = self.column_height * row.value / self.largest
            x = index * slot + (slot - thickness) / 2
            y = 20 + self.column_height - height
            middle = x + thickness / 2
            bars.append(
                Bar(row, x, y, thickness, height,
                    middle, 20 + self.column_height + 22, middle, y - 6)
            )
        return bars
