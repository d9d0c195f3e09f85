"""Every message box behind one small service, in Vietnamese.

Qt ships no Vietnamese translation (no qtbase_vi.qm in the wheels): dvdesk
loads its own (resources/translations, app.install_translation), and the
standard buttons also get their texts here so a box is Vietnamese even where
that translation is not loaded. File pickers start in the user's Documents
folder and then in the last folder used for that kind of file. Tests replace
the service with a fake that records the calls and answers, so no test blocks
on a modal window.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTreeView,
    QWidget,
)

# WORKAROUND: PySide6 wheels carry no qtbase_vi.qm; set button texts ourselves.
BUTTON_TEXTS = {
    QMessageBox.StandardButton.Ok: "Đồng ý",
    QMessageBox.StandardButton.Cancel: "Hủy",
    QMessageBox.StandardButton.Yes: "Có",
    QMessageBox.StandardButton.No: "Không",
    QMessageBox.StandardButton.Save: "Lưu",
    QMessageBox.StandardButton.Close: "Đóng",
    QMessageBox.StandardButton.Discard: "Bỏ qua",
}
BOX_TEXTS = {
    QDialogButtonBox.StandardButton.Ok: "Đồng ý",
    QDialogButtonBox.StandardButton.Cancel: "Hủy",
    QDialogButtonBox.StandardButton.Save: "Lưu",
    QDialogButtonBox.StandardButton.Close: "Đóng",
    QDialogButtonBox.StandardButton.Yes: "Có",
    QDialogButtonBox.StandardButton.No: "Không",
    QDialogButtonBox.StandardButton.Apply: "Áp dụng",
    QDialogButtonBox.StandardButton.Reset: "Đặt lại",
}

FILE_DIALOG_LABELS = {
    QFileDialog.DialogLabel.LookIn: "Thư mục:",
    QFileDialog.DialogLabel.FileName: "Tên tệp:",
    QFileDialog.DialogLabel.FileType: "Loại tệp:",
    QFileDialog.DialogLabel.Reject: "Hủy",
}


# Room the window manager's title bar and borders take beyond a window's own size.
FRAME_ROOM = (16, 48)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Size a window `width`×`height`, or less so that it, its title bar included, fits
    the screen's free area (a 1366×768 screen less the taskbar leaves 728 pixels)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width = min(width, free.width() - FRAME_ROOM[0])
        height = min(height, free.height() - FRAME_ROOM[1])
    window.resize(width, height)


def placeholder_room(edit: QLineEdit, cap: int = 320) -> int:
    """The width that shows a line edit's whole hint (at most `cap`), and make it the
    edit's minimum: a hint cut to "năm tốt nghiệp T…" tells nothing."""
    need = min(edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 24, cap)
    edit.setMinimumWidth(need)
    return need


def widen_file_dialog(box: QFileDialog) -> None:
    """Qt's own file dialog opens narrow: sizes, types and "Máy tính" end in "…"."""
    fit_to_screen(box, 880, 540)
    for view in box.findChildren(QTreeView):
        header = view.header()
        for column in range(1, header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for splitter in box.findChildren(QSplitter):
        side = splitter.widget(0)
        if side is not None and splitter.count() == 2:
            need = side.sizeHint().width()
            splitter.setSizes([max(need, 150), max(1, box.width() - max(need, 150))])


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def file_kind(filters: str) -> str:
    """The kind of file a picker is for, from its filter: "Tệp PDF (*.pdf)" → "pdf"."""
    patterns = re.findall(r"\*\.(\w+)", filters)
    return "-".join(sorted(set(p.lower() for p in patterns))) or "any"


def start_path(filters: str, start: str = "") -> str:
    """Where a picker opens: `start` if it is a full path, else the last folder used
    for this kind of file (or Documents), with `start` as the suggested name."""
    if start and Path(start).is_absolute():
        return start
    remembered = QSettings().value(f"folders/{file_kind(filters)}")
    folder = Path(str(remembered)) if remembered else documents_folder()
    if not folder.is_dir():
        folder = documents_folder()
    return str(folder / start) if start else str(folder)


def remember_folder(filters: str, chosen: str) -> None:
    QSettings().setValue(f"folders/{file_kind(filters)}", str(Path(chosen).parent))


def translate_buttons(box: QMessageBox | QDialogButtonBox) -> None:
    """Vietnamese texts on a message box's or button box's standard buttons."""
    buttons: list[tuple[QAbstractButton | None, str]]
    if isinstance(box, QDialogButtonBox):
        buttons = [(box.button(code), text) for code, text in BOX_TEXTS.items()]
    else:
        buttons = [(box.button(code), text) for code, text in BUTTON_TEXTS.items()]
    for button, text in buttons:
        if button is not None:
            button.setText(text)


class DialogService:
    """Message boxes and file pickers for one parent window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def _box(
        self,
        icon: QMessageBox.Icon,
        title: str,
        text: str,
        buttons: QMessageBox.StandardButton,
        detail: str = "",
        default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
    ) -> QMessageBox.StandardButton:
        box = QMessageBox(icon, title, text, buttons, self.parent)
        if detail:
            box.setDetailedText(detail)
        if default != QMessageBox.StandardButton.NoButton:
            box.setDefaultButton(default)
        translate_buttons(box)
        return QMessageBox.StandardButton(box.exec())

    def info(self, title: str, text: str) -> None:
        self._box(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok)

    def warn(self, title: str, text: str) -> None:
        self._box(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok)

    def error(self, title: str, text: str, detail: str = "") -> None:
        self._box(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, detail)

    def confirm(self, title: str, text: str, *, default_no: bool = False) -> bool:
        """Có / Không; `default_no` where Có throws work away, so that an Enter pressed
        out of habit keeps it."""
        answer = self._box(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            default=QMessageBox.StandardButton.No if default_no else QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _file_dialog(
        self, title: str, filters: str, start: str, save: bool, many: bool = False
    ) -> list[str]:
        box = QFileDialog(self.parent, title, start_path(filters, start), filters)
        box.setAcceptMode(
            QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen
        )
        if not save:
            box.setFileMode(
                QFileDialog.FileMode.ExistingFiles if many else QFileDialog.FileMode.ExistingFile
            )
        # WORKAROUND: Qt's own (non-native) file dialog has no Vietnamese translation.
        for label, text in FILE_DIALOG_LABELS.items():
            box.setLabelText(label, text)
        box.setLabelText(QFileDialog.DialogLabel.Accept, "Lưu" if save else "Mở")
        widen_file_dialog(box)
        chosen = box.selectedFiles() if box.exec() else []
        if chosen:
            remember_folder(filters, chosen[0])
        return chosen

    def open_file(self, title: str, filters: str, start: str = "") -> str:
        chosen = self._file_dialog(title, filters, start, save=False)
        return chosen[0] if chosen else ""

    def save_file(self, title: str, filters: str, start: str = "") -> str:
        chosen = self._file_dialog(title, filters, start, save=True)
        return chosen[0] if chosen else ""

    def show_modal(self, dialog: QDialog) -> bool:
        """Run a dialog of ours modally; True when accepted (tests answer without showing)."""
        return bool(dialog.exec())

    def open_files(self, title: str, filters: str, start: str = "") -> list[str]:
        return self._file_dialog(title, filters, start, save=False, many=True)

    def ask_text(self, title: str, label: str, text: str = "", secret: bool = False) -> str | None:
        """A line of text, or None when cancelled."""
        box = QInputDialog(self.parent)
        box.setWindowTitle(title)
        box.setLabelText(label)
        box.setTextValue(text)
        box.setOkButtonText("Đồng ý")
        box.setCancelButtonText("Hủy")
        if secret:
            box.setTextEchoMode(QLineEdit.EchoMode.Password)
        # A short label leaves the box too narrow for its own title ("Mật kh…vdesk"); the
        # box takes its size from its layout, so the text box is made wider.
        title_room = box.fontMetrics().horizontalAdvance(f"{title} — dvdesk") + 120
        for edit in box.findChildren(QLineEdit):
            edit.setMinimumWidth(max(380, title_room))
        return box.textValue() if box.exec() else None
