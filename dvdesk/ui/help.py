"""The user manual inside the app (menu Trợ giúp, F1 anywhere) and "Giới thiệu".

The manual is HTML in docs/manual/ (screenshots beside it, taken from the
real app by `make docs`). F1 opens it at the part about the window or dialog in
front: each dialog names its part with `add_help(dialog, topic)`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dvdesk import __version__
from dvdesk.ui.dialogs import translate_buttons

MANUAL = "huong-dan.html"
# Topic → the heading anchor in the manual (Qt makes anchors from heading texts).
TOPICS = {
    "start": "bat-dau",
    "members": "nhap-doan-vien",
    "form": "nhap-doan-vien",
    "import": "nhap-tu-bang-tinh",
    "procedure": "theo-doi-ho-so-ket-nap",
    "print": "in-va-xem-truoc",
    "package": "gui-du-lieu-len-cap-tren",
    "backup": "sao-luu-va-khoi-phuc",
    "settings": "cai-dat",
    "undo": "hoan-tac-va-lam-lai",
    "keys": "phim-tat",
}


def manual_dir() -> Path:
    """docs/manual of a source checkout, or of a bundle (beside its resources)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "docs" / "manual"
    return Path(__file__).resolve().parents[2] / "docs" / "manual"


def manual_path() -> Path:
    return manual_dir() / MANUAL


class HelpWindow(QDialog):
    """The manual, opened at one topic; not modal, so it can stay open beside the work."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng dvdesk")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(manual_dir())])
        path = manual_path()
        if path.exists():
            self.browser.setSource(
                QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.HtmlResource
            )
        else:
            self.browser.setHtml(
                f"<p>Không tìm thấy tệp hướng dẫn “{path}”. Hãy cài lại chương trình.</p>"
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        translate_buttons(buttons)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(820, 640)

    def show_topic(self, topic: str) -> None:
        self.browser.scrollToAnchor(TOPICS.get(topic, TOPICS["start"]))
        self.topic = topic


_open: HelpWindow | None = None


def show_help(topic: str = "start", parent: QWidget | None = None) -> HelpWindow:
    """Open (or bring forward) the manual at `topic`."""
    global _open
    if _open is None or not shiboken6.isValid(_open) or _open.parent() is not parent:
        _open = HelpWindow(parent)
    _open.show()
    _open.raise_()
    _open.show_topic(topic)
    return _open


def add_help(widget: QWidget, topic: str) -> QAction:
    """F1 in `widget` opens the manual at `topic`."""
    action = QAction("Hướng dẫn", widget)
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    action.triggered.connect(lambda: show_help(topic, widget))
    widget.addAction(action)
    widget.setProperty("help_topic", topic)
    return action


def about_text(data_file: Path | None, backups: Path | None) -> str:
    file_line = str(data_file) if data_file else "(dữ liệu tạm, không lưu ra tệp)"
    backup_line = str(backups) if backups else "(không có)"
    return (
        f"<h3>dvdesk {__version__}</h3>"
        "<p>Sổ theo dõi đoàn viên và phát triển đảng viên cho xã, phường.</p>"
        f"<p><b>Phiên bản:</b> {__version__}<br>"
        f"<b>Tệp dữ liệu:</b> {file_line}<br>"
        f"<b>Thư mục bản sao lưu:</b> {backup_line}</p>"
        "<p>Nhấn F1 ở bất kỳ cửa sổ nào để xem hướng dẫn.</p>"
    )


class AboutDialog(QDialog):
    def __init__(
        self, data_file: Path | None, backups: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Giới thiệu dvdesk")
        self.text = QLabel(about_text(data_file, backups))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(self.text.textInteractionFlags())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        translate_buttons(buttons)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
