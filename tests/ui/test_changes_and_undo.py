"""Changes refresh only what changed; undo/redo; Del on the table only; forms ask."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from dvdesk import demo
from dvdesk.store.gateway import Store
from dvdesk.ui.dialogs import DialogService
from dvdesk.ui.main_window import MainWindow
from dvdesk.ui.operations import Jobs
from dvdesk.ui.print_actions import PrintActions
from tests.ui.conftest import TODAY, FakeDialogs, type_text


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.db"
    with Store.open(path) as store:
        demo.build(store, 3000, seed=3, today=TODAY)
    return path


@pytest.fixture
def big_store(big_file: Path, tmp_path: Path) -> Iterator[Store]:
    copy = tmp_path / "big.db"
    copy.write_bytes(big_file.read_bytes())
    store = Store.open(copy)
    yield store
    store.close()


def make_window(qtbot, store, dialogs) -> MainWindow:
    window = MainWindow(store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    return window


def press(widget, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers))


def test_editing_one_member_rereads_that_row_not_the_id_list(
    qtbot, big_store, dialogs, monkeypatch
):
    window = make_window(qtbot, big_store, dialogs)
    assert window.model.rowCount() == 3000
    window.table.selectRow(1234)
    uid = window.current_uid()
    reloads: list[int] = []
    id_reads: list[int] = []
    monkeypatch.setattr(window.model, "reload", lambda: reloads.append(1))
    real_ids = big_store.members.ids
    monkeypatch.setattr(
        big_store.members, "ids", lambda *a, **k: id_reads.append(1) or real_ids(*a, **k)
    )
    form = window.open_form(uid)
    form.address.setText("Số 9 ngõ Mới")
    form.save()
    assert reloads == [] and id_reads == []
    assert big_store.members.get(uid).address == "Số 9 ngõ Mới"
    # The row shows fresh data, and the member is still the one selected.
    assert window.current_uid() == uid
    assert window.model._row(1234)["uid"] == uid
    assert window.procedure.uid == uid


@pytest.mark.parametrize(
    ("view_key", "reloaded"),
    [
        ("all", False),  # every member, by name: a presence change moves nobody
        ("away", True),  # the "working away" view filters on presence: it may
    ],
)
def test_a_presence_edit_reloads_only_a_list_that_filters_on_it(
    qtbot, big_store, dialogs, monkeypatch, view_key, reloaded
):
    from dataclasses import replace

    from dvdesk.domain.member import Presence

    window = make_window(qtbot, big_store, dialogs)
    row = next(i for i, v in enumerate(window._views) if v.key == view_key)
    window.view_list.setCurrentRow(row)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=5000)
    window.table.selectRow(0)
    uid = window.current_uid()
    assert uid is not None
    reloads: list[int] = []
    monkeypatch.setattr(window.model, "reload", lambda: reloads.append(1))
    member = big_store.members.get(uid)
    other = Presence.AT_HOME if member.presence is not Presence.AT_HOME else Presence.WORKING_AWAY
    saved = big_store.members.update(replace(member, presence=other))
    assert saved.changes.details["fields"] >= {"presence"}
    window.apply_changes(saved.changes)
    assert bool(reloads) is reloaded


def test_renaming_a_member_reloads_the_list(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window.table.selectRow(5)
    uid = window.current_uid()
    form = window.open_form(uid)
    form.name.setText("Lê Văn A")
    form.save()
    assert window.model.data(window.model.index(0, 0)) == "Lê Văn A"
    assert window.current_uid() == uid


def test_undo_and_redo_an_edit_with_the_action_named_in_the_menu(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window.table.selectRow(3)
    uid = window.current_uid()
    before = demo_store.members.get(uid)
    form = window.open_form(uid)
    form.phone.setText("0987000111")
    form.save()
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == f"Hoàn tác Sửa {before.full_name}"
    assert window.undo_action in window.edit_menu.actions()
    window.undo_action.trigger()
    assert demo_store.members.get(uid).phone == before.phone
    assert window.redo_action.text() == f"Làm lại Sửa {before.full_name}"
    window.redo_action.trigger()
    assert demo_store.members.get(uid).phone == "0987000111"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Y" in [s.toString() for s in window.redo_action.shortcuts()]


def test_undo_a_delete_an_add_and_a_step(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    count = demo_store.members.count()
    window.table.selectRow(0)
    uid = window.current_uid()
    window.delete_current()
    assert demo_store.members.count() == count - 1
    window.table.selectRow(3)  # the officer has moved on meanwhile
    window.undo_stack.undo()
    assert demo_store.members.count() == count and window.model.row_of_uid(uid) >= 0
    assert window.current_uid() == uid  # the member brought back is the one selected

    window.select_view("eligible")
    window.stage_filter.setCurrentIndex(window.stage_filter.findData("member"))
    window.table.selectRow(0)
    uid = window.current_uid()
    panel = window.procedure
    panel.table.setCurrentCell(0, 0)
    panel.state.setCurrentIndex(panel.state.findData("done"))
    panel.done_on.setText("20/11/2026")
    panel.save_step()
    assert demo_store.steps.of(uid)["source"].state.value == "done"
    assert "Ghi bước" in window.undo_stack.undoText()
    window.undo_stack.undo()
    assert demo_store.steps.of(uid)["source"].state.value != "done"
    window.undo_stack.redo()
    assert demo_store.steps.of(uid)["source"].done_on == date(2026, 11, 20)


def test_recording_a_step_keeps_the_step_selected(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window.select_view("in_procedure")
    window.table.selectRow(0)
    panel = window.procedure
    panel.table.setCurrentCell(4, 0)
    panel.doc_number.setText("7-NQ/CB")
    panel.save_step()
    assert panel.table.currentRow() == 4


def test_delete_key_in_the_procedure_panel_deletes_nobody(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window.show()
    qtbot.waitExposed(window)
    window.table.selectRow(0)
    count = demo_store.members.count()
    window.activateWindow()
    window.procedure.table.setFocus()
    QApplication.processEvents()
    assert window.procedure.table.hasFocus()
    qtbot.keyClick(window.procedure.table, Qt.Key.Key_Delete)
    assert demo_store.members.count() == count
    window.table.setFocus()
    QApplication.processEvents()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert demo_store.members.count() == count - 1  # one member: no question, undoable
    assert not [c for c in dialogs.calls if c[0] == "confirm"]


def test_deleting_several_members_asks_first(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    selection = window.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 1, 2):
        selection.select(window.model.index(row, 0), flags)
    count = demo_store.members.count()
    dialogs.answer = False
    window.delete_current()
    assert demo_store.members.count() == count and dialogs.calls[-1][0] == "confirm"
    assert "3 đoàn viên" in dialogs.calls[-1][2]
    dialogs.answer = True
    window.delete_current()
    assert demo_store.members.count() == count - 3
    window.undo_stack.undo()
    assert demo_store.members.count() == count


def test_a_filled_form_asks_before_closing(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    form = window.open_form()
    form.show()
    form.reject()  # untouched: closes without a question
    assert not form.isVisible() and dialogs.calls == []
    form = window.open_form()
    form.show()
    type_text(form.name, "Lê Thị Hoa")
    dialogs.answer = False
    press(form, Qt.Key.Key_Escape)
    assert form.isVisible() and dialogs.calls[-1][1] == "Bỏ thay đổi?"
    dialogs.answer = True
    form.reject()
    assert not form.isVisible()


def test_view_labels_keep_their_commas_once_counted(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window._views[0] = type(window._views[0])(
        **{**window._views[0].__dict__, "label": "Đi làm ăn xa, đi nước ngoài"}
    )
    window._show_counts({window._views[0].key: 120484})
    assert window.view_list.item(0).text() == "Đi làm ăn xa, đi nước ngoài  (120.484)"


class FakeHost:
    """An ActionHost that is not a window: the action objects need nothing more."""

    def __init__(self, store: Store, uids: list[str], widget: QWidget) -> None:
        self.store = store
        self.dialogs = FakeDialogs()
        self.jobs = Jobs(widget, store, DialogService(widget))
        self.uids = uids
        self.status: list[str] = []

    def current_uid(self) -> str | None:
        return self.uids[0] if self.uids else None

    def selected_uids(self) -> list[str]:
        return self.uids

    def view_row_ids(self) -> list[int]:
        return [self.store.members.row_id(u) for u in self.uids]

    def consideration_date(self) -> date:
        return TODAY

    def unit_code(self) -> str:
        return ""

    def show_status(self, text: str, ms: int = 15000) -> None:
        self.status.append(text)


def test_print_actions_work_against_any_host(qtbot, demo_store, tmp_path: Path):
    from pypdf import PdfReader

    uids = [r["uid"] for r in demo_store.members.list()[:3]]
    widget = QWidget()
    qtbot.addWidget(widget)
    host = FakeHost(demo_store, uids, widget)
    printing = PrintActions(host, widget, open_viewer=False)
    host.dialogs.paths = [str(tmp_path / "ba.pdf")]
    op = printing.checklist()  # every selected member, one sheet each
    with qtbot.waitSignal(op.done, timeout=60000):
        pass
    pages = PdfReader(tmp_path / "ba.pdf").pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert text.count("PHIẾU THEO DÕI HỒ SƠ KẾT NẠP ĐẢNG VIÊN") == 3
    assert host.status and f"{len(pages)} trang" in host.status[-1]


def test_the_member_stays_selected_across_date_view_and_import(qtbot, demo_store, dialogs):
    from dvdesk.ui.exchange_actions import BULK

    window = make_window(qtbot, demo_store, dialogs)
    window.table.selectRow(7)
    uid = window.current_uid()
    window.date_edit.setDate(window.date_edit.date().addDays(30))
    assert window.current_uid() == uid
    window.select_view("all")  # the same view again, then another that holds them
    window.view_list.setCurrentRow(0)
    assert window.current_uid() == uid
    window.jobs.announce(BULK)  # what an import announces
    assert window.current_uid() == uid and window.procedure.uid == uid


def test_the_consideration_date_is_kept_for_the_next_start(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window.date_edit.setDate(window.date_edit.date().addDays(45))
    chosen = window.model.on
    window.close()  # saves at once, without waiting for the typing pause
    assert demo_store.settings.get().consideration_date == chosen.isoformat()
    again = make_window(qtbot, demo_store, dialogs)
    assert again.model.on == chosen


def test_a_long_list_shows_its_first_block_and_count_before_all_ids(
    qtbot, big_store, dialogs, monkeypatch
):
    from dvdesk.store import members

    monkeypatch.setattr(members, "FIRST_BLOCK", 100)  # 3,000 members is "long" here
    window = make_window(qtbot, big_store, dialogs)
    model = window.model
    # Every row and the count at once; only the first block's ids are read.
    assert model.rowCount() == 3000 and not model.all_ids_read
    assert "3.000 người" in window.count_label.text()
    window.table.selectRow(5)
    uid = window.current_uid()
    expected = [r["full_name"] for r in big_store.members.list()]
    assert [model.data(model.index(r, 0)) for r in (0, 99)] == [expected[0], expected[99]]
    with qtbot.waitSignal(model.ids_loaded, timeout=10000):
        # A row below the first block, painted: a placeholder while its id is read.
        assert model.data(model.index(2999, 0)) == "…"
    assert model.all_ids_read and model.rowCount() == 3000
    assert window.current_uid() == uid  # nothing reset
    assert [model.data(model.index(r, 0)) for r in (100, 2999)] == [expected[100], expected[2999]]
    assert len(window.view_row_ids()) == 3000


def test_a_member_below_the_first_block_is_found_and_selected(
    qtbot, big_store, dialogs, monkeypatch
):
    from dvdesk.store import members

    monkeypatch.setattr(members, "FIRST_BLOCK", 100)
    window = make_window(qtbot, big_store, dialogs)
    last = big_store.members.list()[-1]
    assert not window.model.all_ids_read
    assert window.select_uid(last["uid"])  # its id read here, then selected
    assert window.table.currentIndex().row() == 2999 and window.procedure.uid == last["uid"]


def test_every_save_in_the_procedure_panel_is_announced_once(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    window.select_view("in_procedure")
    window.table.selectRow(0)
    uid = window.current_uid()
    seen: list[object] = []
    window.jobs.changed.connect(seen.append)
    panel = window.procedure
    panel.table.setCurrentCell(2, 0)
    panel.doc_number.setText("9-NQ/CB")
    panel.save_step()
    assert len(seen) == 1 and uid in seen[0].member_uids
    panel.step_saved.emit(uid)  # e.g. the dossier's details saved
    assert len(seen) == 2
