"""Settings: Enter adds the unit typed, a school's classes, the school-year end as dd/mm."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dvdesk.domain.member import UnitKind
from dvdesk.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import type_text


def make_dialog(qtbot, store, dialogs) -> SettingsDialog:
    dialog = SettingsDialog(store, dialogs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_in_the_unit_row_adds_the_unit_and_keeps_the_dialog(qtbot, demo_store, dialogs):
    dialog = make_dialog(qtbot, demo_store, dialogs)
    before = len(demo_store.units.all())
    dialog.unit_code.setText("KDC09")
    dialog.unit_name.setFocus()
    type_text(dialog.unit_name, "Thôn Yên Lạc")
    qtbot.keyClick(dialog.unit_name, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert len(demo_store.units.all()) == before + 1
    assert "KDC09" in {u.code for u in demo_store.units.all()}
    assert "Đã thêm" in dialog.message.text() and dialog.unit_name.text() == ""


def test_a_schools_classes_are_listed_with_head_counts(qtbot, demo_store, dialogs):
    dialog = make_dialog(qtbot, demo_store, dialogs)
    school = next(i for i, u in enumerate(dialog._unit_list) if u.kind is UnitKind.SCHOOL)
    dialog.units.setCurrentRow(school)
    text = dialog.classes.text()
    code = dialog._unit_list[school].code
    from dvdesk.store.member_query import MemberQuery

    rows = demo_store.members.list(MemberQuery(unit_code=code))
    some_class = next(r["school_class"] for r in rows if r.get("school_class"))
    assert text.startswith("Các lớp của") and f"{some_class} (" in text
    assert sum(int(n) for n in __import__("re").findall(r"\((\d+)\)", text)) == len(rows)
    residential = next(i for i, u in enumerate(dialog._unit_list) if u.kind is not UnitKind.SCHOOL)
    dialog.units.setCurrentRow(residential)
    assert dialog.classes.text() == ""


def test_school_year_end_is_shown_and_read_as_day_month(qtbot, demo_store, dialogs):
    dialog = make_dialog(qtbot, demo_store, dialogs)
    assert dialog.year_end.text() == "31/05"
    dialog.year_end.setText("15/6")
    assert dialog.collected().school_year_end == "06-15"
    dialog.year_end.setText("31/02")
    try:
        dialog.collected()
    except ValueError as exc:
        assert "ngày/tháng" in str(exc)
    else:
        raise AssertionError("31/02 was accepted")


def test_a_unit_can_be_renamed_and_an_unused_one_removed(qtbot, demo_store, dialogs):
    from dvdesk.domain.member import Unit

    dialog = make_dialog(qtbot, demo_store, dialogs)
    first = dialog._unit_list[0]
    dialog.units.setCurrentRow(0)
    dialogs.texts = ["Thôn  Thượng   Mới"]
    dialog.rename_unit()
    renamed = {u.code: u.name for u in demo_store.units.all()}
    assert renamed[first.code] == "Thôn Thượng Mới"
    assert dialog.units.currentItem().text().startswith(f"{first.code} — Thôn Thượng Mới")
    # Its members stay in it, under the new name.
    from dvdesk.store.member_query import MemberQuery

    rows = demo_store.members.list(MemberQuery(unit_code=first.code))
    assert rows and {r["unit_name"] for r in rows} == {"Thôn Thượng Mới"}

    dialogs.answer = True
    dialog.remove_unit()  # it has members: refused, nothing removed
    assert first.code in {u.code for u in demo_store.units.all()}
    assert "còn" in dialog.message.text() and "đoàn viên" in dialog.message.text()

    demo_store.units.add(Unit("GO01", "Gõ nhầm", UnitKind.RESIDENTIAL))
    dialog._fill_units(select="GO01")
    dialog.remove_unit()
    assert "GO01" not in {u.code for u in demo_store.units.all()}
    assert "Đã xóa đơn vị GO01" in dialog.message.text()
