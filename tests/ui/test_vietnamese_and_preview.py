"""Vietnamese to the last menu (Qt's own texts too), the print preview, start folders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from dvdesk.ui.app import install_translation
from dvdesk.ui.dialogs import file_kind, remember_folder, start_path
from dvdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY

# Words of Qt's English texts a clerk would meet; none is a Vietnamese word.
ENGLISH = re.compile(
    r"\b(Undo|Redo|Cut|Copy|Paste|Delete|Select All|Name|Size|Type|Kind|Date Modified|"
    r"Computer|Look in|File name|Files of type|Cancel|Open|Save|OK|Yes|No|Close|Print|"
    r"Options|Properties|Printer|Copies|Page|Pages|Portrait|Landscape|Apply|Reset|Help|"
    r"Show Details|Back|Forward|Detail View|List View|Create New Folder|Parent Directory|"
    r"Recent Places|Discard|Abort|Retry|Ignore|Collate|Reverse|Color|Grayscale|Margins|"
    r"Orientation|Paper|Location|Preview|Step up|Step down|Output|Form|Copies)\b"
)


@pytest.fixture(autouse=True)
def translated(qapp):
    assert install_translation(qapp)


def texts_of(widget: QWidget) -> list[str]:
    """Every text a widget tree shows: titles, labels, buttons, menus, headers, tips."""
    found: list[str] = []
    for w in [widget, *widget.findChildren(QWidget)]:
        found += [w.windowTitle(), w.toolTip()]
        if isinstance(w, QAbstractButton | QLabel):
            found.append(w.text())
        if isinstance(w, QLineEdit):
            found.append(w.placeholderText())
        if isinstance(w, QGroupBox):
            found.append(w.title())
        if isinstance(w, QTabWidget):
            found += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, QComboBox):
            found += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            try:
                columns = model.columnCount()
            except TypeError:  # a list model's columnCount is private in PySide6
                columns = 1
            found += [str(model.headerData(c, _h()) or "") for c in range(columns)]
        for action in w.actions():
            found += actions_texts(action)
    return [t for t in found if t]


def _h():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def actions_texts(action: QAction) -> list[str]:
    found = [action.text(), action.toolTip()]
    if action.menu() is not None:
        for sub in action.menu().actions():
            found += actions_texts(sub)
    return found


def english_in(texts: list[str]) -> list[str]:
    return [t for t in texts if ENGLISH.search(t.replace("&", ""))]


def test_context_menus_of_text_boxes_are_vietnamese(qtbot):
    for box in (QLineEdit(), QPlainTextEdit(), QTextEdit()):
        qtbot.addWidget(box)
        menu: QMenu = box.createStandardContextMenu()
        words = [a.text().replace("&", "").split("\t")[0] for a in menu.actions() if a.text()]
        assert english_in(words) == [], type(box).__name__
        assert "Hoàn tác" in words and "Dán" in words


def test_file_dialog_is_vietnamese(qtbot, tmp_path: Path):
    box = QFileDialog(None, "Lưu", str(tmp_path), "Tệp PDF (*.pdf)")
    box.setOption(QFileDialog.Option.DontUseNativeDialog)
    box.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    shown = texts_of(box)
    assert english_in(shown) == []
    assert "Tên" in shown and "Ngày sửa" in shown


def test_message_boxes_and_button_boxes_are_vietnamese(qtbot):
    buttons = QMessageBox.StandardButton
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Hỏi",
        "Có lưu không?",
        buttons.Yes | buttons.No | buttons.Ok | buttons.Cancel | buttons.Close | buttons.Save,
    )
    box.setDetailedText("chi tiết")
    qtbot.addWidget(box)
    box.show()
    assert english_in(texts_of(box)) == []
    every = QDialogButtonBox.StandardButton(0)
    for b in QDialogButtonBox.StandardButton:
        if b.value:
            every |= b
    button_box = QDialogButtonBox(every)
    qtbot.addWidget(button_box)
    assert english_in(texts_of(button_box)) == []


def test_print_and_page_setup_dialogs_are_vietnamese(qtbot):
    printer = QPrinter()
    dialogs = [QPrintDialog(printer)]
    if QPrinterInfo.availablePrinters():  # Qt refuses a page set-up for a PDF "printer"
        dialogs.append(QPageSetupDialog(printer))
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        leaks = english_in(texts_of(dialog))
        assert leaks == [], type(dialog).__name__


def test_date_picker_is_vietnamese(qtbot):
    edit = QDateEdit(calendarPopup=True)
    qtbot.addWidget(edit)
    calendar = edit.calendarWidget()
    shown = texts_of(calendar)
    assert english_in(shown) == []


def test_every_menu_and_dialog_of_the_window_is_vietnamese(qtbot, demo_store, dialogs):
    from dvdesk.ui.member_form import MemberForm
    from dvdesk.ui.settings_dialog import SettingsDialog

    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    assert english_in(texts_of(window)) == []
    for menu_action in window.menuBar().actions():
        assert english_in(actions_texts(menu_action)) == [], menu_action.text()
    from dvdesk.store import backup
    from dvdesk.ui.column_mapping import ColumnMappingDialog
    from dvdesk.ui.help import AboutDialog, HelpWindow
    from dvdesk.ui.preview_dialog import PreviewDialog
    from dvdesk.ui.restore_dialog import RestoreDialog

    backup.make_backup(demo_store)
    preview = PreviewDialog("Xem trước", ["Thêm 3 người"], "Nhập 3 người", [("2", "B", "Lỗi", "x")])
    preview.add_remap_button()
    for dialog in (
        MemberForm(demo_store, dialogs, None, TODAY, window),
        SettingsDialog(demo_store, dialogs, window),
        RestoreDialog(demo_store.path, dialogs, window),
        AboutDialog(demo_store.path, backup.backup_dir(demo_store.path), window),
        HelpWindow(window),
        preview,
        ColumnMappingDialog({0: "Họ tên", 1: "Ngày sinh"}, {0: "full_name"}, window),
    ):
        assert english_in(texts_of(dialog)) == [], type(dialog).__name__
        dialog.deleteLater()
    op = window.jobs.long_read("Đang in…", lambda store, progress: progress(1, 2))
    assert english_in(texts_of(op._dialog)) == []


# -- print preview -----------------------------------------------------------------


@pytest.fixture
def three_pages(tmp_path: Path) -> Path:
    # Exactly three pages through the documents' own furniture (a checklist may
    # now run onto a second page: issue #17, never shrunk to fit).
    from reportlab.platypus import PageBreak

    from dvdesk.reports import furniture as f
    from dvdesk.reports.styles import styles

    story: list = []
    for number in (1, 2, 3):
        story += [f.para(f"Trang {number}: Nguyễn Thị Ánh Tuyết, Đặng Hưởng", styles().body)]
        story += [PageBreak()] if number < 3 else []
    out = tmp_path / "ba-trang.pdf"
    assert f.write_pdf(out, story, "Ba trang") == 3
    return out


def test_preview_pages_zoom_and_is_vietnamese(qtbot, three_pages, dialogs):
    from dvdesk.ui.pdf_preview import PdfPreview

    preview = PdfPreview(three_pages, dialogs)
    qtbot.addWidget(preview)
    preview.show()
    assert preview.pages() == 3 and preview.page_count.text().strip() == "/ 3"
    assert not preview.previous_action.isEnabled()
    preview.next_action.trigger()
    qtbot.waitUntil(lambda: preview.current_page() == 1)
    assert preview.page_box.value() == 2 and preview.previous_action.isEnabled()
    preview.go_to(99)
    qtbot.waitUntil(lambda: preview.current_page() == 2)
    assert not preview.next_action.isEnabled()
    before = preview.view.zoomFactor()
    preview.zoom(1.25)
    assert preview.view.zoomFactor() == pytest.approx(before * 1.25)
    assert english_in(texts_of(preview)) == []


def test_preview_prints_every_page_on_a4(qtbot, three_pages, dialogs, tmp_path: Path):
    from pypdf import PdfReader

    from dvdesk.ui.pdf_preview import PdfPreview

    preview = PdfPreview(three_pages, dialogs)
    qtbot.addWidget(preview)
    printer = preview.a4_printer()
    printer.setResolution(100)  # keep the test light
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert preview.print_to(printer) == 3
    pages = PdfReader(tmp_path / "printed.pdf").pages
    assert len(pages) == 3
    width_mm = float(pages[0].mediabox.width) / 72 * 25.4
    height_mm = float(pages[0].mediabox.height) / 72 * 25.4
    assert (round(width_mm), round(height_mm)) == (210, 297)


def test_preview_saves_a_copy(qtbot, three_pages, dialogs, tmp_path: Path):
    from dvdesk.ui.pdf_preview import PdfPreview

    preview = PdfPreview(three_pages, dialogs)
    qtbot.addWidget(preview)
    dialogs.paths = [str(tmp_path / "ban-sao")]
    saved = preview.save_copy()
    assert saved == tmp_path / "ban-sao.pdf"
    assert saved.read_bytes() == three_pages.read_bytes()


def test_printing_from_the_window_opens_the_preview(qtbot, demo_store, dialogs, tmp_path):
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    window.table.selectRow(0)
    dialogs.paths = [str(tmp_path / "phieu.pdf")]
    op = window.printing.checklist()
    with qtbot.waitSignal(window.printing.printed, timeout=60000):
        pass
    assert op is not None
    preview = window.printing.preview
    qtbot.addWidget(preview)
    assert preview.isVisible() and preview.path == tmp_path / "phieu.pdf"


# -- start folders -----------------------------------------------------------------


def test_pickers_start_in_documents_then_remember_the_folder_per_kind(tmp_path, qapp):
    QSettings().remove("folders")
    pdf, sheet = "Tệp PDF (*.pdf)", "Excel (*.xlsx);;CSV (*.csv)"
    assert file_kind(pdf) == "pdf" and file_kind(sheet) == "csv-xlsx"
    first = Path(start_path(pdf, "phieu.pdf"))
    assert first.name == "phieu.pdf" and first.parent != Path.cwd()
    remember_folder(pdf, str(tmp_path / "in" / "phieu.pdf"))
    (tmp_path / "in").mkdir()
    assert start_path(pdf, "khac.pdf") == str(tmp_path / "in" / "khac.pdf")
    assert Path(start_path(sheet, "ds.xlsx")).parent == first.parent  # another kind
    assert start_path(pdf, str(tmp_path / "x.pdf")) == str(tmp_path / "x.pdf")
    QSettings().remove("folders")


def test_app_translation_is_the_committed_qm():
    from dvdesk.resources import resource

    qm, ts = resource("translations", "qtbase_vi.qm"), resource("translations", "qtbase_vi.ts")
    assert qm.stat().st_size > 10_000
    assert qm.stat().st_mtime >= ts.stat().st_mtime - 5  # compiled after the last edit
    QApplication.instance()
