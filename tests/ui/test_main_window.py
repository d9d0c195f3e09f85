"""The main window: table, search as you type, consideration date, add, delete and undo."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

from dvdesk.domain.dates import parse_date
from dvdesk.domain.member import Member
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.views import eligible_query, views
from dvdesk.ui.main_window import MainWindow
from dvdesk.ui.member_model import MemberTableModel
from tests.ui.conftest import TODAY, type_text


def make_window(qtbot, store, dialogs) -> MainWindow:
    window = MainWindow(store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    return window


def test_model_passes_qt_model_tester(qtmodeltester, demo_store):
    model = MemberTableModel(demo_store, TODAY)
    qtmodeltester.check(model)


def test_table_lists_members_in_vietnamese_order(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    model = window.model
    with qtbot.waitSignal(model.ids_loaded):  # the ids below the first block, once painted
        model.data(model.index(model.rowCount() - 1, 0))
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    expected = [r["full_name"] for r in demo_store.members.list()]
    assert names == expected and len(names) == 300


def test_search_without_diacritics_finds_accented_names(qtbot, demo_store, dialogs):
    demo_store.members.add(Member("Nguyễn Văn Đức", "KDC01", dob=parse_date("01/02/2000")), TODAY)
    window = make_window(qtbot, demo_store, dialogs)
    type_text(window.search, "nguyen van duc")
    qtbot.waitUntil(lambda: window.model.query.search == "nguyen van duc", timeout=2000)
    shown = {window.model.data(window.model.index(r, 0)) for r in range(window.model.rowCount())}
    assert "Nguyễn Văn Đức" in shown
    assert all(name.startswith("Nguyễn") for name in shown)
    assert window.model.rowCount() == demo_store.members.count(MemberQuery(search="nguyen van duc"))


def test_eligible_view_count_matches_the_store(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window.date_edit.setDate(QDate(2026, 1, 15))
    window.select_view("eligible")
    query = eligible_query(date(2026, 1, 15), demo_store.settings.get())
    expected = demo_store.members.count(query)
    assert window.model.rowCount() == expected > 0
    statuses = {window.model.data(window.model.index(r, 2)) for r in range(expected)}
    # a partial date of birth that may be of age is on the view, marked as not certain
    assert all(s.startswith(("Đủ tuổi", "Chưa rõ ngày sinh")) for s in statuses)


def test_every_view_count_matches_the_store(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    for row, view in enumerate(views(demo_store.settings.get(), window.model.on)):
        window.select_view(view.key)
        expected = demo_store.members.count(view.query)
        assert window.model.rowCount() == expected, view.key
        label = f"({expected:,})".replace(",", ".")
        # Counts are read off the GUI thread; they arrive shortly after the window opens.
        qtbot.waitUntil(lambda r=row, t=label: t in window.view_list.item(r).text())


def test_ticking_a_procedure_step_moves_the_stage(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window.select_view("eligible")
    window.stage_filter.setCurrentIndex(window.stage_filter.findData("member"))
    window.table.selectRow(0)
    uid = window.current_uid()
    panel = window.procedure
    # the 19 steps that apply to a chi bộ cơ sở (the default; 7/8/14/15-KNĐ do not)
    assert panel.uid == uid and panel.table.rowCount() == 19
    panel.table.setCurrentCell(0, 0)  # the source list step
    panel.state.setCurrentIndex(panel.state.findData("done"))
    panel.done_on.setText("20/11/2026")
    type_text(panel.doc_number, "15-NQ/CB")
    panel.save_step()
    assert demo_store.steps.of(uid)["source"].doc_number == "15-NQ/CB"
    assert (
        demo_store.members.get(uid)
        and demo_store.members.list(MemberQuery(search=demo_store.members.get(uid).full_name))[0][
            "stage"
        ]
        == "introduced"
    )
    assert "Đã ghi" in panel.editor_message.text()
    window.side_tabs.setCurrentWidget(window.history)
    assert window.history.table.rowCount() >= 2


def test_statistics_tab_shows_figures(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window.main_tabs.setCurrentIndex(1)
    page = window.main_tabs.widget(1)
    qtbot.waitUntil(lambda: "Cả giai đoạn" in page.summary.text(), timeout=10000)
    stats = demo_store.statistics.compute()
    assert page.table.rowCount() == len(stats.rows) + 3
    assert "Cả giai đoạn" in page.summary.text()


def test_delete_is_soft_and_undoable(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window.table.selectRow(0)
    uid = window.current_uid()
    before = demo_store.members.count()
    window.delete_current()
    assert demo_store.members.count() == before - 1
    assert window.undo_button.isVisible() or not window.isVisible()
    window.undo_delete()
    assert demo_store.members.count() == before
    assert window.model.row_of_uid(uid) >= 0


def test_empty_file_offers_demo_data(qtbot, empty_store, dialogs):
    window = make_window(qtbot, empty_store, dialogs)
    assert window.stack.currentWidget() is window.empty
    op = window.load_demo()
    assert op is not None
    with qtbot.waitSignal(op.done, timeout=30000):
        pass
    assert window.stack.currentWidget() is window.table
    assert window.model.rowCount() == empty_store.members.count() == 2000


def test_sorting_by_date_of_birth(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    with qtbot.waitSignal(window.model.ids_loaded):  # sorted off the GUI thread
        window.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    dobs = [window.model._row(r)["dob"] for r in range(window.model.rowCount())]
    known = [d for d in dobs if d]
    assert known == sorted(known, reverse=True) and len(dobs) == 300
