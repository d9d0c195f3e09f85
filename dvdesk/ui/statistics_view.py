"""Statistics view (thống kê phát triển đảng viên): figures, ratios, the 3–4% target.

The figures are the ones the provincial directive reports: outstanding members
introduced, who took the Party-awareness course, who were admitted, and the
ratios admitted/introduced and admitted/course, per year and per unit kind.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dvdesk.domain.member import UNIT_KIND_LABELS, UnitKind
from dvdesk.domain.statistics import Statistics, YearFigures
from dvdesk.store.gateway import Store

HEADERS = (
    "Năm",
    "Loại đơn vị",
    "Được giới thiệu",
    "Học lớp nhận thức",
    "Được kết nạp",
    "Tỉ lệ kết nạp (lứa giới thiệu)",
    "Tỉ lệ kết nạp (lứa học lớp)",
)
COHORT_NOTE = (
    "Tỉ lệ tính theo lứa, như Công văn 1237-CV/TU: trong số người được giới thiệu (hoặc học "
    "lớp nhận thức) năm đó, bao nhiêu người đã được kết nạp tính đến nay. “Được kết nạp” "
    "là số người có quyết định kết nạp trong năm."
)
SERIES = (
    ("Được giới thiệu", "introduced", "#1f4e9c"),
    ("Học lớp nhận thức", "course", "#d99a00"),
    ("Được kết nạp", "admitted", "#b00020"),
)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%".replace(".", ",")


class StatisticsView(QWidget):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.chart = QChart()
        self.chart.setTitle("Phát triển đảng viên trong đoàn viên theo năm")
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart_view, 1)
        layout.addWidget(self.table, 1)
        note = QLabel(COHORT_NOTE)
        note.setWordWrap(True)
        layout.addWidget(note)

    def refresh(self) -> Statistics:
        stats = self.store.statistics.compute()
        self._fill_chart(stats)
        self._fill_table(stats)
        self._fill_summary(stats)
        return stats

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
        y.setRange(0, max(5, top + 1))
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
                if r.kind is None:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, column, item)

    def _fill_summary(self, stats: Statistics) -> None:
        if not stats.years:
            self.summary.setText(
                "Chưa có số liệu: hãy ghi các bước “Đưa vào danh sách cảm tình Đảng”, "
                "“Học lớp nhận thức” và “Quyết định kết nạp” trong quy trình của đoàn viên."
            )
            return
        t = stats.targets[-1]
        if t.party_members <= 0:
            target = (
                "Chưa nhập số đảng viên của đảng bộ trong Cài đặt, nên chưa tính được "
                "chỉ tiêu 3–4%."
            )
        else:
            state = "đạt" if t.reached else f"còn thiếu {t.target - t.admitted}"
            target = (
                f"Năm {t.year}: kết nạp {t.admitted} / chỉ tiêu {t.target} "
                f"({t.target_percent:g}% của {t.party_members} đảng viên; 3% = {t.low}, "
                f"4% = {t.high}) — <b>{state}</b>."
            )
        total = stats.span(None)
        self.summary.setText(
            f"Cả giai đoạn {stats.years[0]}–{stats.years[-1]}: kết nạp "
            f"{percent(total.admitted_per_introduced)} số được giới thiệu và "
            f"{percent(total.admitted_per_course)} số đã học lớp nhận thức.<br>{target}"
        )
