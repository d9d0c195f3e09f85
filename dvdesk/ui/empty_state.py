"""What an empty data file shows: what to do next, not a blank table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("<h2>Chưa có đoàn viên nào</h2>")
        text = QLabel(
            "Bấm <b>Thêm đoàn viên</b> (Ctrl+N) để nhập người đầu tiên — trước đó hãy khai "
            "báo các chi đoàn, khu dân cư, trường THPT trong <b>Cài đặt</b>; "
            "hoặc tạo <b>dữ liệu mẫu</b> của một xã để xem thử chương trình."
        )
        for label in (title, text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        self.add_button = QPushButton("Thêm đoàn viên")
        self.demo_button = QPushButton("Tạo dữ liệu mẫu (2.000 đoàn viên)")
        layout.addWidget(title)
        layout.addWidget(text)
        for w in (self.add_button, self.demo_button):
            layout.addWidget(w, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
