"""The mapping step of an import: which column of the sheet holds what (ghép cột).

Used when the header was not recognised the way the officer expects: every
column of the header row gets a choice of field, starting from the guess.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dvdesk.exchange.sheet_rows import FIELD_LABELS
from dvdesk.ui.dialogs import fit_to_screen, translate_buttons

IGNORE = ""


class ColumnMappingDialog(QDialog):
    def __init__(
        self,
        headers: dict[int, str],
        fields: dict[int, str],
        parent: QWidget | None = None,
        sheet: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Ghép cột của {sheet}" if sheet else "Ghép cột của bảng tính")
        fit_to_screen(self, 520, 520)
        form = QFormLayout()
        self.choices: dict[int, QComboBox] = {}
        for column, label in sorted(headers.items()):
            combo = QComboBox()
            combo.addItem("(bỏ qua cột này)", IGNORE)
            for key, text in FIELD_LABELS.items():
                combo.addItem(text[:1].upper() + text[1:], key)
            combo.setCurrentIndex(max(0, combo.findData(fields.get(column, IGNORE))))
            self.choices[column] = combo
            form.addRow(f"Cột {column + 1}: “{label}”", combo)
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Chọn nội dung của từng cột. Cần ít nhất cột họ và tên."))
        layout.addWidget(scroll)
        layout.addWidget(buttons)

    def fields(self) -> dict[int, str]:
        return {
            c: combo.currentData()
            for c, combo in self.choices.items()
            if combo.currentData() != IGNORE
        }
