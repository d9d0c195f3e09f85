"""What the reviewer saw on the real window at 1366×728 (review round 2), each fixed here."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QWheelEvent
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication, QComboBox, QStyleOptionViewItem

from dvdesk.domain.member import Unit, UnitKind
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.ui.main_window import FIRST_SIZE, MainWindow
from dvdesk.ui.member_form import DateField, MemberForm
from dvdesk.ui.procedure_panel import HEADERS, ProcedurePanel, short_number
from dvdesk.ui.settings_dialog import SettingsDialog, natural_key
from tests.ui.conftest import TODAY

LONG_NUMBER = "1234567890-NQ/ĐUBCHĐTNCSHCMXĐHTQNG/2026A"


def shown_window(qtbot, store, dialogs) -> MainWindow:
    window = MainWindow(store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    window.resize(*FIRST_SIZE)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    return window


def test_main_window_shows_five_whole_columns_and_no_sideways_scrolling(qtbot, demo_store, dialogs):
    window = shown_window(qtbot, demo_store, dialogs)
    header = window.table.horizontalHeader()
    room = window.table.viewport().width()
    for visual in range(5):
        logical = header.logicalIndex(visual)
        right = header.sectionViewportPosition(logical) + header.sectionSize(logical)
        assert right <= room, window.model.headerData(logical, Qt.Orientation.Horizontal)
    views = window.view_list
    assert views.horizontalScrollBar().maximum() == 0
    assert not views.horizontalScrollBar().isVisible()
    # Qt appends the application name itself: the title must not say it a second time.
    assert "dvdesk" not in window.windowTitle()


def test_a_long_name_keeps_its_start_in_the_table(qtbot, demo_store, dialogs):
    window = shown_window(qtbot, demo_store, dialogs)
    delegate = window.table.itemDelegateForColumn(0)
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, window.model.index(0, 0))
    assert option.textElideMode is Qt.TextElideMode.ElideRight


def panel_with_long_number(store, dialogs) -> tuple[ProcedurePanel, str]:
    uid = _first_uid(store)
    panel = ProcedurePanel(store, dialogs, TODAY)
    cl = store.dossier.checklist(uid, TODAY, TODAY)
    first = cl.lines[0].step.code
    store.steps.record(uid, StepRecord(first, StepState.DONE, date(2026, 1, 1), LONG_NUMBER))
    panel.show_member(uid, TODAY)
    return panel, uid


def _first_uid(store) -> str:
    from dvdesk.store.member_query import MemberQuery

    return store.members.uid_of(store.members.ids(MemberQuery())[0])


def test_steps_table_elides_long_numbers_and_never_scrolls_sideways(qtbot, demo_store, dialogs):
    panel, _ = panel_with_long_number(demo_store, dialogs)
    qtbot.addWidget(panel)
    panel.resize(500, 650)
    panel.show()
    qtbot.waitExposed(panel)
    QApplication.processEvents()
    cell = panel.table.item(0, 2)
    assert cell.text() == "01/01/2026\n" + short_number(LONG_NUMBER)
    assert len(short_number(LONG_NUMBER)) < len(LONG_NUMBER)
    assert short_number(LONG_NUMBER).startswith("12345") and cell.text().endswith("2026A")
    assert LONG_NUMBER in cell.toolTip()
    assert panel.table.horizontalScrollBarPolicy() is Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    header = panel.table.horizontalHeader()
    # The step column gets the most width, and the last column stays in view.
    widths = [header.sectionSize(c) for c in range(header.count())]
    bold = QFont(header.font())
    bold.setBold(True)
    for c, w in enumerate(widths):  # every title whole, even in a bold header style
        assert QFontMetrics(bold).horizontalAdvance(HEADERS[c]) + 8 <= w, HEADERS[c]
    assert widths[0] == max(widths)
    last = header.count() - 1
    assert header.sectionViewportPosition(last) + widths[last] <= panel.table.viewport().width()


def test_short_number_keeps_short_ones_whole():
    assert short_number("12-NQ/CB") == "12-NQ/CB"
    assert short_number("x" * 11) == "x" * 11
    cut = short_number("A" * 10 + "B" * 10)
    assert len(cut) == 11 and cut == "AAAAA…BBBBB"


def test_wheel_over_the_sub_tab_bar_does_not_switch_tabs(qtbot, demo_store, dialogs):
    panel, _ = panel_with_long_number(demo_store, dialogs)
    qtbot.addWidget(panel)
    panel.show()
    bar = panel.tabs.tabBar()
    assert panel.tabs.currentIndex() == 0
    for delta in (-120, -120, 120):
        event = QWheelEvent(
            QPointF(10, 5),
            QPointF(bar.mapToGlobal(QPoint(10, 5))),
            QPoint(0, 0),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(bar, event)
        assert panel.tabs.currentIndex() == 0


def test_many_warnings_leave_the_steps_in_view(qtbot, demo_store, dialogs):
    panel, _uid = panel_with_long_number(demo_store, dialogs)
    qtbot.addWidget(panel)
    panel.resize(430, 560)
    panel.show()
    qtbot.waitExposed(panel)
    cl = panel.checklist
    assert cl is not None
    many = "<br>".join(f"● Lưu ý số {i}: một cảnh báo dài dòng để chiếm chỗ" for i in range(12))
    panel.flags.setText(many)
    panel.flags_area.setVisible(True)
    QApplication.processEvents()
    line = panel.fontMetrics().lineSpacing()
    assert panel.flags_area.height() <= line * 5 + 6
    # The steps table starts within the upper part of the 560-px panel.
    top = panel.table.mapTo(panel, QPoint(0, 0)).y()
    assert top < 560 - 150


def test_placeholders_are_whole(qtbot, demo_store, dialogs):
    panel, _ = panel_with_long_number(demo_store, dialogs)
    form = MemberForm(demo_store, dialogs, None, TODAY)
    for widget in (panel, form):
        qtbot.addWidget(widget)
        widget.resize(430 if widget is panel else widget.sizeHint().width(), 650)
        widget.show()
        qtbot.waitExposed(widget)
    QApplication.processEvents()
    dates = [*form.findChildren(DateField), panel.done_on]
    assert dates
    for edit in dates:
        text = edit.placeholderText()
        need = edit.fontMetrics().horizontalAdvance(text) + 8
        assert edit.width() >= need, (text, edit.width(), need)


def test_blank_gender_says_unknown(qtbot, demo_store, dialogs):
    form = MemberForm(demo_store, dialogs, None, TODAY)
    qtbot.addWidget(form)
    texts = [
        c.itemText(0) for c in form.findChildren(QComboBox) if c.findData(None) == 0 and c.count()
    ]
    assert texts and all(t == "(chưa rõ)" for t in texts)


def test_statistics_fit_the_window_and_name_the_menu(qtbot, demo_store, dialogs):
    window = shown_window(qtbot, demo_store, dialogs)
    before = window.size()
    window.main_tabs.setCurrentIndex(1)
    QApplication.processEvents()
    view = window.main_tabs.widget(1)
    qtbot.waitUntil(lambda: view.table.rowCount() > 0, timeout=5000)
    QApplication.processEvents()
    assert window.size() == before
    central = window.centralWidget().size()
    assert view.minimumSizeHint().height() <= central.height()
    assert view.minimumSizeHint().width() <= central.width()
    assert window.minimumSizeHint().height() <= FIRST_SIZE[1]
    text = view.summary.text()
    assert "dvdesk stats" not in text and "--set-year" not in text
    if "chưa tính được" in text:
        menu = [a.text() for a in window.menuBar().actions()]
        assert "&In" in menu
        entries = [
            a.text().replace("&", "")
            for m in window.menuBar().findChildren(type(window.help_menu))
            for a in m.actions()
        ]
        named = [e for e in entries if e.startswith("Nhập số liệu đảng bộ của một năm")]
        assert named and named[0] in text
    for row in range(view.table.rowCount()):
        for column in range(2, view.table.columnCount()):
            align = view.table.item(row, column).textAlignment()
            assert Qt.AlignmentFlag(align) & Qt.AlignmentFlag.AlignRight
    assert not view.note.isVisible()
    view.note_button.click()
    assert view.note.isVisible()


def test_natural_key_orders_codes_by_number():
    codes = ["U45", "U2000", "U2", "u10", "KDC01", "KDC1a", "A"]
    assert sorted(codes, key=natural_key) == ["A", "KDC01", "KDC1a", "U2", "u10", "U45", "U2000"]


def test_settings_lists_units_in_natural_order(qtbot, empty_store, dialogs):
    for code in ("U1", "U2000", "U45"):
        empty_store.units.add(Unit(code, f"Trường Trung học phổ thông số {code}", UnitKind.SCHOOL))
    dialog = SettingsDialog(empty_store, dialogs)
    qtbot.addWidget(dialog)
    shown = [dialog.units.item(i).text().split(" — ")[0] for i in range(dialog.units.count())]
    assert shown == ["U1", "U45", "U2000"]
    assert dialog.units.wordWrap()
    assert dialog.units.horizontalScrollBarPolicy() is Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_manual_closes_on_escape_and_fits_its_pictures(qtbot):
    from PySide6.QtGui import QTextImageFormat

    from dvdesk.ui.help import HelpWindow

    window = HelpWindow()
    qtbot.addWidget(window)
    window.resize(920, 560)  # a 1366-px screen's width (offscreen's 800 px caps the first size)
    window.show()
    qtbot.waitExposed(window)
    window.show_topic("start")
    qtbot.wait(50)
    room = window.browser.viewport().width()
    document = window.browser.document()
    widths = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                widths.append(QTextImageFormat(fmt.toImageFormat()).width())
            it += 1
        block = block.next()
    assert widths and all(0 < w <= room for w in widths)
    assert max(widths) > 680  # the 1366-px screenshot: larger than the HTML's 680 px
    assert window.browser.horizontalScrollBar().maximum() == 0  # and no sideways scrolling
    window.browser.setFocus()
    qtbot.keyClick(window.browser, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_preview_opens_at_whole_page(qtbot, tmp_path, dialogs):
    from dvdesk.reports import furniture as f
    from dvdesk.reports.styles import styles
    from dvdesk.ui.pdf_preview import PdfPreview

    out = tmp_path / "mot-trang.pdf"
    f.write_pdf(out, [f.para("Trang một", styles().body)], "Một trang")
    preview = PdfPreview(out, dialogs)
    qtbot.addWidget(preview)
    assert preview.view.zoomMode() is QPdfView.ZoomMode.FitInView
