"""Statistics view (thống kê phát triển đảng viên): figures, ratios, the 3–4% target.

The figures are the ones the provincial directive reports: outstanding members
introduced, who took the Party-awareness course, who were admitted, and the
ratios admitted/introduced and admitted/course, per year and per unit kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dvdesk.domain.member import UNIT_KIND_LABELS, UnitKind
from dvdesk.domain.statistics import DEFINITIONS, Statistics, YearFigures
from dvdesk.services import statistics as figures
from dvdesk.store.gateway import Store

if TYPE_CHECKING:
    from dvdesk.ui.operations import Jobs

HEADERS = (
    "Năm",
    "Loại đơn vị",
    "Được giới thiệu",
    "Học lớp nhận thức",
    "Được kết nạp",
    "Kết nạp / giới thiệu",
    "Kết nạp / học lớp",
)
DEFINITIONS_NOTE = "<br>".join(
    DEFINITIONS[k]
    for k in (
        "introduced",
        "course",
        "admitted",
        "admitted_per_introduced",
        "admitted_per_course",
        "students",
        "target",
    )
)
SERIES = (
    ("Được giới thiệu", "introduced", "#1f4e9c"),
    ("Học lớp nhận thức", "course", "#d99a00"),
    ("Được kết nạp", "admitted", "#b00020"),
)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%".replace(".", ",")


def nice_scale(top: int, most_ticks: int = 7) -> tuple[int, int]:
    """A round tick step (1, 2 or 5 × 10ⁿ) and a tick count whose last tick is ≥ `top`:
    an axis reads 0, 200, 400 … instead of 0, 737, 1474."""
    top = max(top, 1)
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            step = base * magnitude
            ticks = -(-top // step) + 1  # ceil(top / step) intervals, plus the zero
            if ticks <= most_ticks:
                return step, max(ticks, 2)
        magnitude *= 10


class StatisticsView(QWidget):
    """Figures per year. With `jobs` they are computed off the GUI thread (1–3 s on a big
    file); `ready` says they are shown.

    Signals:
        ready(object): the `Statistics` just shown.
    """

    ready = Signal(object)

    def __init__(self, store: Store, jobs: Jobs | None = None) -> None:
        super().__init__()
        self.store = store
        self.jobs = jobs
        self._generation = 0
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.chart = QChart()
        self.chart.setTitle("Phát triển đảng viên trong đoàn viên theo năm")
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Small enough that the view fits the central area of a 1366×728 window.
        self.chart_view.setMinimumHeight(200)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        # Compact rows: the nine rows of two years and the span fit beside the chart.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        layout.addWidget(self.chart_view, 1)
        layout.addWidget(self.table, 1)
        # The definitions are eight lines: shown on demand, so the table keeps its rows.
        self.note = QLabel(DEFINITIONS_NOTE)
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        self.note_button = QToolButton()
        self.note_button.setText("Cách tính các số liệu")
        self.note_button.setCheckable(True)
        self.note_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.note_button.setArrowType(Qt.ArrowType.RightArrow)
        self.note_button.toggled.connect(self._show_note)
        layout.addWidget(self.note_button)
        layout.addWidget(self.note)
        from dvdesk.ui.commune_summary_view import CommuneSummaryView

        self.communes = CommuneSummaryView(store, jobs)  # the receiving level only
        layout.addWidget(self.communes, 1)

    def refresh(self) -> None:
        """Compute the figures again (in the background when there is a jobs runner)."""
        if self.jobs is None or self.store.path is None:
            self.show_statistics(figures.recent(self.store))
            return
        self._generation += 1
        generation = self._generation
        if not self.summary.text():
            self.summary.setText("Đang tính số liệu…")
        self.jobs.read(
            figures.recent,
            lambda stats: self._ready(generation, stats),
            title="Không tính được số liệu thống kê",
        )

    def _ready(self, generation: int, stats: Statistics) -> None:
        if generation == self._generation:
            self.show_statistics(stats)

    def show_statistics(self, stats: Statistics) -> None:
        self._fill_chart(stats)
        self._fill_table(stats)
        self._fill_summary(stats)
        self.communes.refresh()
        self.ready.emit(stats)

    def _fill_chart(self, stats: Statistics) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        series = QBarSeries()
        top = 0
        for label, attr, colour in SERIES:
            bars = QBarSet(label)
            bars.setColor(QColor(colour))
            for year in stats.years:
                value = getattr(stats.row(year, None), attr)
                bars.append(value)
                top = max(top, value)
            series.append(bars)
        self.chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append([str(y) for y in stats.years])
        y = QValueAxis()
        step, ticks = nice_scale(top)
        y.setRange(0, step * (ticks - 1))
        y.setTickCount(ticks)
        y.setLabelFormat("%d")
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)

    def _fill_table(self, stats: Statistics) -> None:
        rows: list[YearFigures] = [r for r in stats.rows]
        rows += [stats.span(kind) for kind in (*UnitKind, None)]
        self.table.setRowCount(len(rows))
        span_start = len(stats.rows)
        for i, r in enumerate(rows):
            year = "Cả giai đoạn" if i >= span_start else str(r.year)
            kind = UNIT_KIND_LABELS[r.kind] if r.kind else "Tổng cộng"
            cells = (
                year,
                kind,
                str(r.introduced),
                str(r.course),
                str(r.admitted),
                percent(r.admitted_per_introduced),
                percent(r.admitted_per_course),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:  # counts and percentages line up on the right
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if r.kind is None:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, column, item)

    def _show_note(self, shown: bool) -> None:
        self.note.setVisible(shown)
        self.note_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _fill_summary(self, stats: Statistics) -> None:
        if not stats.years:
            self.summary.setText(
                "Chưa có số liệu: hãy ghi các bước “Đưa vào danh sách cảm tình Đảng”, "
                "“Học lớp nhận thức” và “Quyết định kết nạp” trong quy trình của đoàn viên."
            )
            return
        t = stats.targets[-1]
        if t.reached is None or t.target is None or t.new_members is None:
            target = (
                f"Năm {t.year}: kết nạp {t.admitted} người trong danh sách; chưa tính được tỷ "
                "lệ so với chỉ tiêu 3–4% vì chưa nhập số đảng viên đầu năm và số kết nạp "
                "ngoài danh sách của năm đó (nhập ở menu In → “Nhập số liệu đảng bộ của một năm "
                "(chỉ tiêu 3–4%)…”)."
            )
        else:
            state = "đạt" if t.reached else f"còn thiếu {t.target - t.new_members}"
            target = (
                f"Năm {t.year}: {t.new_members} đảng viên mới / chỉ tiêu {t.target} "
                f"({t.target_percent:g}% của {t.party_members} đảng viên đầu năm; "
                f"3% = {t.low}, 4% = {t.high}) — <b>{state}</b>."
            )
        total = stats.span(None)
        self.summary.setText(
            f"Cả giai đoạn {stats.years[0]}–{stats.years[-1]}: kết nạp "
            f"{percent(total.admitted_per_introduced)} số được giới thiệu và "
            f"{percent(total.admitted_per_course)} số đã học lớp nhận thức.<br>{target}"
        )
