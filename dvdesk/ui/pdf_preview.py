"""A print preview of a PDF dvdesk made: page navigation, zoom, Print (A4) and Save.

QtPdf draws the pages (the PySide6-Pdf wheel; it left PySide6-Addons in 6.12).
Printing renders each page at the printer's resolution onto a QPrinter set to
A4, through Qt's print dialog (in Vietnamese with dvdesk's translation).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QSpinBox,
    QToolBar,
    QWidget,
)

from dvdesk.ui.dialogs import DialogService, fit_to_screen
from dvdesk.ui.help import add_help

ZOOM_STEP = 1.25
PRINT_DPI = 300


class PdfPreview(QMainWindow):
    """A window over one PDF file. `print_requested` is not a signal: `print_pdf()`
    runs the print dialog; tests call `print_to(printer)` directly."""

    def __init__(self, path: Path, dialogs: DialogService, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.dialogs = dialogs
        self.setWindowTitle(f"Xem trước khi in — {self.path.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.document = QPdfDocument(self)
        self.document.load(str(self.path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        # A whole page first: fit-to-width shows a third of an A4 page on a 728-px screen.
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.setCentralWidget(self.view)
        self.navigator = self.view.pageNavigator()
        self._build_toolbar()
        self.navigator.currentPageChanged.connect(self._page_changed)
        self._page_changed(0)
        add_help(self, "print")
        fit_to_screen(self, 900, 1000)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Xem trước")
        bar.setMovable(False)
        self.addToolBar(bar)

        def action(
            text: str,
            slot: Callable[[], object],
            shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
        ) -> QAction:
            a = QAction(text, self)
            a.triggered.connect(slot)
            tip = text
            if shortcut is not None:
                keys = QKeySequence(shortcut)
                a.setShortcut(keys)
                tip = f"{text} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})"
            a.setToolTip(tip)
            bar.addAction(a)
            return a

        self.print_action = action("In…", self.print_pdf, QKeySequence.StandardKey.Print)
        self.save_action = action("Lưu bản sao…", self.save_copy, QKeySequence.StandardKey.Save)
        bar.addSeparator()
        self.previous_action = action(
            "◀ Trang trước", lambda: self.go_to(self.current_page() - 1), QKeySequence("PgUp")
        )
        self.page_box = QSpinBox()
        self.page_box.setRange(1, max(1, self.document.pageCount()))
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda value: self.go_to(value - 1))
        bar.addWidget(QLabel(" Trang "))
        bar.addWidget(self.page_box)
        self.page_count = QLabel(f" / {self.document.pageCount():,} ".replace(",", "."))
        bar.addWidget(self.page_count)
        self.next_action = action(
            "Trang sau ▶", lambda: self.go_to(self.current_page() + 1), QKeySequence("PgDown")
        )
        bar.addSeparator()
        action("Thu nhỏ", lambda: self.zoom(1 / ZOOM_STEP), QKeySequence.StandardKey.ZoomOut)
        action("Phóng to", lambda: self.zoom(ZOOM_STEP), QKeySequence.StandardKey.ZoomIn)
        action("Vừa chiều rộng", self.fit_width)
        action("Cả trang", self.fit_page)
        bar.addSeparator()
        action("Đóng", self.close, QKeySequence(Qt.Key.Key_Escape))

    # -- navigation and zoom -------------------------------------------------

    def pages(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        return self.navigator.currentPage()

    def go_to(self, page: int) -> None:
        page = max(0, min(page, self.pages() - 1))
        self.navigator.jump(page, QPointF(), self.navigator.currentZoom())

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.previous_action.setEnabled(page > 0)
        self.next_action.setEnabled(page < self.pages() - 1)

    def zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, self.view.zoomFactor() * factor)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    # -- print and save -------------------------------------------------------

    @staticmethod
    def a4_printer() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)  # the PDF already has its margins
        return printer

    def print_pdf(self) -> None:
        printer = self.a4_printer()
        printer.setDocName(self.path.stem)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("In tài liệu")
        dialog.setMinMax(1, max(1, self.pages()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        printed = self.print_to(printer)
        self.statusBar().showMessage(f"Đã gửi {printed} trang tới máy in.", 10000)

    def print_to(self, printer: QPrinter) -> int:
        """Draw every chosen page onto `printer`; returns the number of pages sent."""
        first, last = printer.fromPage(), printer.toPage()
        if first == 0 and last == 0:
            first, last = 1, self.pages()
        painter = QPainter()
        if not painter.begin(printer):
            self.dialogs.error("Không in được", "Không mở được máy in đã chọn.")
            return 0
        page_rect = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
        sent = 0
        try:
            for page in range(first - 1, min(last, self.pages())):
                if sent:
                    printer.newPage()
                image = self._render(page)
                target = _fitted(image.size(), page_rect)
                painter.drawImage(target, image)
                sent += 1
        finally:
            painter.end()
        return sent

    def _render(self, page: int) -> QImage:
        """One page at PRINT_DPI (the painter scales it to the printer's own resolution;
        rendering at 1200 dpi would take half a gigabyte a page)."""
        points = self.document.pagePointSize(page)
        scale = PRINT_DPI / 72
        rendered = self.document.render(
            page, QSize(int(points.width() * scale), int(points.height() * scale))
        )
        # WORKAROUND: QPdfDocument.render returns a transparent image: paint it on white.
        image = QImage(rendered.size(), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        with_painter = QPainter(image)
        with_painter.drawImage(0, 0, rendered)
        with_painter.end()
        return image

    def save_copy(self) -> Path | None:
        chosen = self.dialogs.save_file("Lưu bản sao tệp PDF", "Tệp PDF (*.pdf)", self.path.name)
        if not chosen:
            return None
        target = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        if target.resolve() == self.path.resolve():
            return target
        try:
            shutil.copyfile(self.path, target)
        except OSError as exc:
            self.dialogs.error("Không lưu được", f"Không lưu được “{target}”: {exc.strerror}.")
            return None
        self.statusBar().showMessage(f"Đã lưu bản sao vào {target}", 10000)
        return target


def _fitted(size: QSize, frame: QRect) -> QRect:
    """`size` scaled into `frame`, centred, keeping its proportions."""
    scaled = size.scaled(frame.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = frame.x() + (frame.width() - scaled.width()) // 2
    y = frame.y() + (frame.height() - scaled.height()) // 2
    return QRect(x, y, scaled.width(), scaled.height())
