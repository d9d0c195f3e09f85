"""The receiving level's summary per commune in the window (tổng hợp theo xã).

The same figures as the consolidated workbook and PDF (store/received.py):
one row per commune, the total last; shown under the statistics when the file
has merged packages.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dvdesk.store.gateway import Store
from dvdesk.store.received import RATIO_COLUMNS, SUMMARY_HEADER, summary_rows

if TYPE_CHECKING:
    from dvdesk.ui.operations import Jobs

NOTE = (
    "Mỗi xã, phường một dòng: gói dữ liệu đã gộp, đoàn viên, đủ tuổi vào Đảng tại ngày xét, "
    "số người ở từng giai đoạn, tỉ lệ kết nạp trên giới thiệu và trên học lớp, kết nạp so "
    "với chỉ tiêu của năm, "
    "quá hạn và hồ sơ có cảnh báo. Xuất ra Excel/PDF: dvdesk export --out tong-hop.xlsx "
    "(hoặc .pdf)."
)


def cell_text(value: Any, column: int) -> str:
    if column in RATIO_COLUMNS:
        return "—" if value is None else f"{100 * value:.1f}%".replace(".", ",")
    if value is None:
        return ""
    if column in (3, 4) and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    return str(value)


class CommuneSummaryView(QWidget):
    """With `jobs` the figures are read off the GUI thread (each candidate's checklist)."""

    def __init__(self, store: Store, jobs: Jobs | None = None) -> None:
        super().__init__()
        self.store = store
        self.jobs = jobs
        self._generation = 0
        self.title = QLabel("<b>Tổng hợp theo xã, phường</b>")
        self.table = QTableWidget(0, len(SUMMARY_HEADER))
        self.table.setHorizontalHeaderLabels([label for label, _ in SUMMARY_HEADER])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)

    def refresh(self, on: date | None = None) -> list[list[Any]]:
        """Fill the table (now, or when the background read is done); hidden when
        the file holds no merged package. Returns the rows filled now."""
        on = on or date.today()
        shown = bool(self.store.received.all())
        self.setVisible(shown)
        if not shown:
            self.table.setRowCount(0)
            return []
        day = on

        def work(store: Store) -> list[list[Any]]:
            figures = store.received.summary(day, store.settings.get().method)
            return summary_rows(figures, day.year)

        if self.jobs is None or self.store.path is None:
            return self.fill(work(self.store))
        self._generation += 1
        generation = self._generation

        def done(rows: list[list[Any]]) -> None:
            if generation == self._generation:  # not overtaken by a later refresh
                self.fill(rows)

        self.jobs.read(work, done, title="Không tính được bảng tổng hợp theo xã")
        return []

    def fill(self, rows: list[list[Any]]) -> list[list[Any]]:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(cell_text(value, c))
                if r == len(rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        return rows
