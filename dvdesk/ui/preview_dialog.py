"""Show what an import or merge would do before anything is written (xem trước).

The lines come from the plan objects of dvdesk/exchange (the same text the
CLI prints); problem rows are listed with their row number, column and
message. Nothing is written until the officer presses the action button.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dvdesk.ui.dialogs import fit_to_screen, translate_buttons
from dvdesk.ui.help import add_help


class PreviewDialog(QDialog):
    """A plan's summary, its problem rows, and one button that applies it."""

    def __init__(
        self,
        title: str,
        lines: Sequence[str],
        action: str | None,
        problems: Sequence[tuple[str, str, str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, 820, 560)
        self.remap_requested = False
        summary = QPlainTextEdit("\n".join(lines))
        summary.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(summary, 2)
        if problems:
            layout.addWidget(QLabel(f"Các dòng có vấn đề ({len(problems)}):"))
            table = QTableWidget(len(problems), 4)
            table.setHorizontalHeaderLabels(("Dòng", "Cột", "Mức", "Nội dung"))
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
            for r, cells in enumerate(problems):
                for c, text in enumerate(cells):
                    table.setItem(r, c, QTableWidgetItem(text))
            layout.addWidget(table, 3)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        translate_buttons(self.buttons)
        self.apply_button: QPushButton | None = None
        if action:
            self.apply_button = self.buttons.addButton(
                action, QDialogButtonBox.ButtonRole.AcceptRole
            )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        add_help(self, "import")

    def add_remap_button(self) -> QPushButton:
        button = self.buttons.addButton(
            "Sửa cách hiểu cột…", QDialogButtonBox.ButtonRole.ActionRole
        )

        def remap() -> None:
            self.remap_requested = True
            self.reject()

        button.clicked.connect(remap)
        return button
