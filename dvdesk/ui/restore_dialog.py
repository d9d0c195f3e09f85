"""Choosing a backup to restore: the file's own backups, newest first, in full words."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dvdesk.store import backup
from dvdesk.ui.dialogs import DialogService, fit_to_screen, translate_buttons
from dvdesk.ui.help import add_help

REASONS = {
    backup.DAILY: "Tự động hằng ngày",
    backup.MANUAL: "Sao lưu bằng tay",
    "truoc-khoi-phuc": "Trước khi khôi phục",
    "truoc-nhap": "Trước khi nhập bảng tính",
    "truoc-gop": "Trước khi tổng hợp gói",
}
STAMP = re.compile(r"-(\d{8})-(\d{6})(?:-\d+)?-(.+)$")


def describe(path: Path) -> tuple[str, str]:
    """(when, why) read from a backup's name: "…-20261126-140509-123456-hang-ngay.db"."""
    found = STAMP.search(path.stem)
    if not found:
        when = datetime.fromtimestamp(path.stat().st_mtime)
        return f"{when:%d/%m/%Y %H:%M}", "Bản sao lưu"
    day, time, reason = found.groups()
    when = datetime.strptime(day + time, "%Y%m%d%H%M%S")
    return f"{when:%d/%m/%Y %H:%M:%S}", REASONS.get(reason, reason.replace("-", " ").capitalize())


def size_text(size: int) -> str:
    return (
        f"{size / 1_048_576:.1f} MB".replace(".", ",")
        if size >= 1_048_576
        else (f"{max(1, size // 1024)} KB")
    )


class RestoreDialog(QDialog):
    """The backups of `db_path`; `chosen` is the one picked (or another file)."""

    def __init__(self, db_path: Path, dialogs: DialogService, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Khôi phục từ bản sao lưu")
        self.dialogs = dialogs
        self.db_path = db_path
        self.chosen: Path | None = None
        self.files = sorted(backup.backups(db_path), key=lambda p: p.stat().st_mtime, reverse=True)
        note = QLabel(
            f"Chọn bản sao lưu để thay dữ liệu hiện tại của “{db_path.name}”. Dữ liệu hiện tại "
            "được sao lưu trước, nên vẫn lấy lại được."
        )
        note.setWordWrap(True)
        self.table = QTableWidget(len(self.files), 4)
        self.table.setHorizontalHeaderLabels(("Thời điểm", "Lý do", "Cỡ", "Tên tệp"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for row, path in enumerate(self.files):
            when, why = describe(path)
            for column, text in enumerate((when, why, size_text(path.stat().st_size), path.name)):
                item = QTableWidgetItem(text)
                item.setToolTip(str(path))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        if self.files:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _: self.accept_selected())
        self.empty = QLabel("Chưa có bản sao lưu nào trong thư mục sao lưu của tệp này.")
        self.empty.setVisible(not self.files)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        translate_buttons(buttons)
        self.restore_button = buttons.addButton(
            "Khôi phục bản đã chọn", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setEnabled(bool(self.files))
        other = QPushButton("Chọn tệp khác…")
        buttons.addButton(other, QDialogButtonBox.ButtonRole.ActionRole)
        other.clicked.connect(self.choose_other)
        buttons.accepted.connect(self.accept_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        add_help(self, "backup")
        fit_to_screen(self, 760, 420)

    def accept_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.files):
            self.chosen = self.files[row]
            self.accept()

    def choose_other(self) -> None:
        path = self.dialogs.open_file(
            "Chọn bản sao lưu", "Bản sao lưu (*.db)", str(backup.backup_dir(self.db_path))
        )
        if path:
            self.chosen = Path(path)
            self.accept()
