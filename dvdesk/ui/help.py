"""The user manual inside the app (menu Trợ giúp, F1 anywhere) and "Giới thiệu".

The manual is HTML in docs/manual/ (screenshots beside it, taken from the
real app by `make docs`). F1 opens it at the part about the window or dialog in
front: each dialog names its part with `add_help(dialog, topic)`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QImage,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dvdesk import __version__
from dvdesk.ui.dialogs import fit_to_screen, translate_buttons

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
        self._sizes: dict[str, tuple[int, float]] = {}
        self._extra = 0  # page width beyond the text's that the manual's CSS adds
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_images)
        # Set by show_topic until the pictures are fitted or the reader scrolls: fitting
        # moves every heading below a picture, so the topic is scrolled to again then.
        self._rescroll = False
        self.topic = "start"
        self.browser.setOpenExternalLinks(True)
        self.browser.verticalScrollBar().actionTriggered.connect(self._reader_scrolled)
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
        # Esc closes the manual even while the text has the focus.
        close = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        close.setContext(Qt.ShortcutContext.WindowShortcut)
        close.activated.connect(self.close)
        fit_to_screen(self, 920, 640)
        self.fit_images()

    def fit_images(self) -> None:
        """Show each picture at the text's width (never larger than its own pixels)."""
        document = self.browser.document()
        # The text's width: the view's, or less where the manual's CSS caps the body
        # (max-width 52em, centred); a paragraph's block is exactly that wide.
        layout, widths = document.documentLayout(), [0.0]
        block = document.begin()
        while block.isValid():
            if "\ufffc" not in block.text():  # U+FFFC: an image's place in the text
                widths.append(layout.blockBoundingRect(block).width())
            block = block.next()
        # The vertical scrollbar is counted as always there: showing it must not refit.
        bar = self.browser.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        viewport = self.browser.width() - 2 * self.browser.frameWidth() - bar
        room = int(min(max(widths), viewport - 2 * document.documentMargin()) * 0.9 - self._extra)
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image_fmt = fmt.toImageFormat()
                    natural, ratio = self._image_size(image_fmt.name())
                    width = max(120, min(natural, room))
                    if natural > 0 and int(image_fmt.width()) != width:
                        new_fmt = QTextImageFormat(image_fmt)
                        new_fmt.setWidth(width)
                        new_fmt.setHeight(width * ratio)
                        cursor = QTextCursor(document)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(
                            fragment.position() + fragment.length(),
                            QTextCursor.MoveMode.KeepAnchor,
                        )
                        cursor.setCharFormat(new_fmt)
                it += 1
            block = block.next()
        excess = int(document.idealWidth() - document.textWidth())
        if excess > 0 and self._extra == 0:  # one more pass, never a loop
            self._extra = excess
            self.fit_images()
        if self._rescroll:
            self._rescroll = False
            self._scroll_to_topic()
        self.browser.viewport().update()

    def _image_size(self, name: str) -> tuple[int, float]:
        """A picture's own width in pixels and its height/width ratio (0, 0 if unreadable)."""
        if name not in self._sizes:
            image = QImage(str(manual_dir() / name))
            w = image.width()
            self._sizes[name] = (w, image.height() / w) if w > 0 else (0, 0.0)
        return self._sizes[name]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()  # once the text is laid out at its new width

    def show_topic(self, topic: str) -> None:
        self.topic = topic
        self._scroll_to_topic()
        self._rescroll = True

    def _reader_scrolled(self, _action: int) -> None:
        self._rescroll = False

    def _scroll_to_topic(self) -> None:
        self.browser.scrollToAnchor(TOPICS.get(self.topic, TOPICS["start"]))
        # scrollToAnchor puts the heading flush with the top edge, cutting its ascenders.
        bar = self.browser.verticalScrollBar()
        bar.setValue(max(0, bar.value() - 12))


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
