"""The import preview in the window (issue #15): per sheet what was read and why, the unit
of a sheet that gives none, probable matches confirmed one by one, nothing written before
"Nhập"; and the exports in the layouts the level above asks for."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Gender, Member
from dvdesk.exchange.sheet_plan import RowStatus
from dvdesk.exchange.templates import TEMPLATES
from dvdesk.store.gateway import Store
from dvdesk.ui.import_preview import ImportPreviewDialog
from dvdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY

HEAD = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Sở thích"]


def make_window(qtbot, store, dialogs) -> MainWindow:
    window = MainWindow(store, dialogs, today=TODAY)
    window.printing.open_viewer = False
    qtbot.addWidget(window)
    return window


def finish(qtbot, op) -> object:
    with qtbot.waitSignal(op.done, timeout=60000) as blocker:
        pass
    return blocker.args[0]


def everyone(store: Store) -> list[Member]:
    return [store.members.get(r["uid"]) for r in store.members.list()]


def names(store: Store) -> dict[str, str]:
    return {m.full_name: m.unit_code for m in everyone(store)}


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """Three sheets: one per thôn (unit from the sheet name), one list that names no unit
    (with a footer and a signature), and a hidden one."""
    book = Workbook()
    east = book.active
    east.title = "Thôn Đông"
    east.append(HEAD)
    east.append([1, "Nguyễn Văn An", "25/03/2005", "Nam", "001205000001", None, "bóng đá"])
    east.append([2, "Lê Thị Hoa", "02/01/2006", "Nữ", None, "0922222222", None])
    plain = book.create_sheet("Danh sách")
    plain.append(HEAD)
    plain.append([1, "Trần Văn Bình", "12/12/2004", "Nam", None, None, None])
    plain.append([2, "Phạm Thị Mai", "01/02/2003", "Nữ", None, None, None])
    plain.append([None, "Tổng cộng: 2 đoàn viên"])
    plain.append([None, None, None, "Người lập biểu"])
    hidden = book.create_sheet("Thôn Bắc")
    hidden.sheet_state = "hidden"
    hidden.append(HEAD)
    hidden.append([1, "Đỗ Văn Cường", "03/04/2002", "Nam", None, None, None])
    path = tmp_path / "xa.xlsx"
    book.save(path)
    return path


def open_preview(qtbot, window, path: Path, answers: list) -> ImportPreviewDialog:
    window.dialogs.modal_answers = answers
    window.exchange.import_sheet(str(path))
    finish(qtbot, window.exchange.last)
    preview = window.exchange.preview
    assert isinstance(preview, ImportPreviewDialog)
    return preview


def labels(widget) -> str:
    from PySide6.QtWidgets import QGroupBox, QLabel, QTableWidget

    out = [w.text() for w in widget.findChildren(QLabel)]
    out += [w.title() for w in widget.findChildren(QGroupBox)]
    for t in widget.findChildren(QTableWidget):
        for r in range(t.rowCount()):
            out.append(" | ".join(t.item(r, c).text() for c in range(t.columnCount())))
    return "\n".join(out)


def test_each_sheet_shows_what_was_read_and_nothing_is_written_on_cancel(
    qtbot, disk_store, dialogs, workbook: Path
):
    window = make_window(qtbot, disk_store, dialogs)
    before = names(disk_store)
    preview = open_preview(qtbot, window, workbook, [False])
    tabs = [preview.tabs.tabText(i) for i in range(preview.tabs.count())]
    assert tabs == [
        "Thôn Đông (2 người)",
        "Danh sách (2 người)",
        "Thay đổi (0)",
        "Dòng có vấn đề (2)",
    ]
    # Every sheet with its state; the hidden one is listed, not read, and can be ticked.
    boxes = {name: (box.text(), box.isChecked()) for name, box in preview.sheet_boxes.items()}
    assert boxes == {
        "Thôn Đông": ("Thôn Đông (hiện)", True),
        "Danh sách": ("Danh sách (hiện)", True),
        "Thôn Bắc": ("Thôn Bắc (ẩn)", False),
    }
    assert preview.sheets() is None  # nothing changed
    east, plain = (labels(preview.tabs.widget(i)) for i in range(2))
    assert "dòng 1" in east and "hiện" in east
    assert "Họ và tên | họ và tên" in east and "Số CCCD | số CCCD / định danh" in east
    assert "Sở thích" in east  # the column read into nothing is named
    assert "2–3 | 2 | Thôn Đông (KDC01) | theo tên trang “Thôn Đông”" in east
    assert "CHƯA RÕ ĐƠN VỊ" in plain and "2 người chưa rõ đơn vị" in plain
    assert "Tổng cộng: 2 đoàn viên" in plain and "Người lập biểu" in plain
    # The sheet that names no unit is the one shown first, and only it asks.
    assert preview.tabs.currentIndex() == 1 and list(preview.unit_boxes) == ["Danh sách"]
    assert names(disk_store) == before  # cancelled: nothing written


def test_the_unit_chosen_for_a_sheet_is_read_again_then_imported(
    qtbot, disk_store, dialogs, workbook: Path
):
    window = make_window(qtbot, disk_store, dialogs)

    def choose(dialog: ImportPreviewDialog) -> None:
        dialog.unit_boxes["Danh sách"].setEditText("Thôn Tây")  # a new unit, typed
        dialog.sheet_boxes["Thôn Bắc"].setChecked(True)  # read the hidden sheet too
        dialog._replan()

    dialogs.on_modal = [choose]
    preview = open_preview(qtbot, window, workbook, [False])
    assert preview.replan_requested and names(disk_store) == {}
    finish(qtbot, window.exchange.last)  # read again with the choices
    again = window.exchange.preview
    assert again is not preview and again.sheet_units() == {"Danh sách": "Thôn Tây"}
    assert again.tabs.tabText(2) == "Thôn Bắc (1 người, ẩn)"
    assert "ẩn trong bảng tính" in labels(again.tabs.widget(2))
    text = labels(again.tabs.widget(1))
    assert "Thôn Tây (KDC02) |" in text and "CHƯA RÕ" not in text
    assert again.plan.sheets_without_unit() == []
    assert names(disk_store) == {}  # still nothing before "Nhập"
    dialogs.modal_answers = [True]
    window.exchange._preview_import(
        str(workbook), again.plan, None, again.sheet_units(), ["Thôn Đông", "Danh sách", "Thôn Bắc"]
    )
    finish(qtbot, window.exchange.last)
    got = names(disk_store)
    codes = {u.name: u.code for u in disk_store.units.all()}
    assert got == {
        "Nguyễn Văn An": codes["Thôn Đông"],
        "Lê Thị Hoa": codes["Thôn Đông"],
        "Trần Văn Bình": codes["Thôn Tây"],
        "Phạm Thị Mai": codes["Thôn Tây"],
        "Đỗ Văn Cường": codes["Thôn Bắc"],
    }


@pytest.fixture
def known(disk_store: Store) -> Store:
    """Two people already in the file, neither with a CCCD: a sheet can match them only
    by name, date of birth and unit (probable)."""
    for name, dob, gender in (
        ("Lê Thị Hoa", PartialDate(2006, 1, 2), Gender.FEMALE),
        ("Trần Văn Bình", PartialDate(2004, 12, 12), Gender.MALE),
    ):
        disk_store.members.add(Member(name, "KDC01", dob, gender=gender), TODAY)
    return disk_store


def test_probable_matches_are_confirmed_one_by_one(qtbot, known: Store, dialogs, tmp_path):
    path = tmp_path / "sua.csv"
    path.write_text(
        "Họ và tên,Ngày sinh,Chi đoàn,Số điện thoại\n"
        "Lê Thị Hoa,02/01/2006,Thôn Đông,0922222222\n"
        "Trần Văn Bình,12/12/2004,Thôn Đông,0933333333\n"
        "Hồ Văn Mới,05/05/2005,Thôn Đông,\n",
        encoding="utf-8",
    )
    window = make_window(qtbot, known, dialogs)

    def answer(dialog: ImportPreviewDialog) -> None:
        assert [r.member.full_name for r in dialog.probable] == ["Lê Thị Hoa", "Trần Văn Bình"]
        table = dialog.change_table
        assert table.item(0, 5).text() == "Số điện thoại: (trống) → 0922222222"
        assert "cần xác nhận <b>2</b>" in dialog.counts.text()
        hoa = next(r for r in dialog.probable if r.member.full_name == "Lê Thị Hoa")
        dialog.set_confirmed(hoa, True)  # Hoa is her; Bình is someone else
        assert "cập nhật <b>1</b>" in dialog.counts.text()
        assert "cần xác nhận <b>1</b>" in dialog.counts.text()
        assert dialog.apply_button.text() == "Nhập (1 người mới, cập nhật 1 người)"
        # Answers stay in the dialog until "Nhập".
        assert all(r.status is RowStatus.CONFLICT for r in dialog.probable)

    dialogs.on_modal = [answer]
    open_preview(qtbot, window, path, [True])
    finish(qtbot, window.exchange.last)
    phones = {m.full_name: m.phone for m in everyone(known)}
    assert phones == {"Lê Thị Hoa": "0922222222", "Trần Văn Bình": "", "Hồ Văn Mới": ""}


def test_mark_all_and_untick(qtbot, known: Store, dialogs, tmp_path):
    path = tmp_path / "sua.csv"
    path.write_text(
        "Họ và tên,Ngày sinh,Chi đoàn,Số điện thoại\n"
        "Lê Thị Hoa,02/01/2006,Thôn Đông,0922222222\n"
        "Trần Văn Bình,12/12/2004,Thôn Đông,0933333333\n",
        encoding="utf-8",
    )
    window = make_window(qtbot, known, dialogs)
    preview = open_preview(qtbot, window, path, [False])
    assert preview.confirmed() == [] and preview.apply_button is not None
    assert not preview.apply_button.isEnabled()  # nothing to do until one is confirmed
    preview._mark_all(True)
    assert len(preview.confirmed()) == 2 and preview.apply_button.isEnabled()
    first = preview.change_table.item(0, 0)
    first.setCheckState(Qt.CheckState.Unchecked)  # as a click does
    assert len(preview.confirmed()) == 1


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_template_exports_from_the_menu(qtbot, demo_store, dialogs, tmp_path: Path, key: str):
    window = make_window(qtbot, demo_store, dialogs)
    action = window.findChild(QAction, f"template-{key}")
    assert action.text().replace("&", "") == f"{TEMPLATES[key].label}…"
    out = tmp_path / f"{key}.xlsx"
    dialogs.paths = [str(tmp_path / key)]  # no suffix typed: .xlsx is added
    action.trigger()
    count = finish(qtbot, window.exchange.last)
    assert isinstance(count, int) and count > 0
    ws = openpyxl.load_workbook(out).active
    cells = [str(c) for row in ws.iter_rows(max_row=12, values_only=True) for c in row if c]
    assert TEMPLATES[key].title in cells
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)


def test_remap_reads_the_header_of_the_main_sheet(qtbot, disk_store, dialogs, workbook: Path):
    from dvdesk.ui.column_mapping import ColumnMappingDialog

    window = make_window(qtbot, disk_store, dialogs)
    seen: list[ColumnMappingDialog] = []

    def remap(dialog: ImportPreviewDialog) -> None:
        dialog.remap_button.click()

    def mapping(dialog: ColumnMappingDialog) -> None:
        seen.append(dialog)
        # The officer says "Sở thích" is the notes column.
        combo = dialog.choices[6]
        combo.setCurrentIndex(combo.findData("notes"))

    dialogs.on_modal = [remap, mapping]
    preview = open_preview(qtbot, window, workbook, [False, True])
    assert preview.remap_requested and len(seen) == 1
    assert "Thôn Đông" in seen[0].windowTitle()
    finish(qtbot, window.exchange.last)  # read again with the new meaning
    again = window.exchange.preview
    assert ("Sở thích", "ghi chú") in again.plan.sheets[0].columns
    hobby = next(r for r in again.plan.rows if r.member.full_name == "Nguyễn Văn An")
    assert hobby.member.notes == "bóng đá"
